"""The setup mirrored in the URL, so a shared link opens the same demo (and hides the same controls)."""

from __future__ import annotations

import streamlit as st

from app.engine.config_codec import from_query, to_query
from app.ui import state
from app.ui.i18n import LANGUAGE_KEY, LANGUAGES, preferred_language
from app.ui.settings import HIDEABLE, load_config

LANG, PRESENT, HIDE = "lang", "present", "hide"


def read_link() -> None:
    """On a session's first run: take the link's setup, or the defaults and a short notice."""
    params = st.query_params.to_dict()
    language = params.get(LANG)  # a link's ?lang= wins over the browser's own language
    if language not in LANGUAGES:
        language = preferred_language(st.context.locale, st.context.headers.get("Accept-Language"))
    if language in LANGUAGES:
        st.session_state[LANGUAGE_KEY] = language
    state.set_presentation(params.get(PRESENT) == "1")
    hidden = {name for name in params.get(HIDE, "").split(",") if name in HIDEABLE}
    state.set_hidden_controls(frozenset(hidden))
    config, problems = from_query(params)
    if problems:
        state.notify("notice.bad_link")
        for problem in problems:
            state.notify(problem)
    load_config(config)


def write_link() -> None:
    """Keep the address bar in step with the current setup (only what differs from the defaults)."""
    wanted = to_query(state.RUN.config())
    language = st.session_state.get(LANGUAGE_KEY)
    if language and language != "en":
        wanted[LANG] = language
    if state.presentation():
        wanted[PRESENT] = "1"
    if state.hidden_controls():
        wanted[HIDE] = ",".join(sorted(state.hidden_controls()))
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
