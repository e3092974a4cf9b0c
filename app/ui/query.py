"""The setup mirrored in the URL, so a shared link opens the same demo (and hides the same controls)."""

from __future__ import annotations

import streamlit as st

from app.engine.config_codec import from_query, to_query
from app.ui import state
from app.ui.i18n import LANGUAGE_KEY, LANGUAGES
from app.ui.settings import HIDEABLE, load_config

LANG, PRESENT, HIDE, SPEED = "lang", "present", "hide", "speed"
_PAGE_PARAMS = "page_link_params"


def read_link() -> None:
    """On a session's first run: take the link's setup, or the defaults and a short notice."""
    params = st.query_params.to_dict()
    language = params.get(LANG)
    if language in LANGUAGES:
        st.session_state[LANGUAGE_KEY] = language
    state.set_presentation(params.get(PRESENT) == "1")
    speed = params.get(SPEED, "0")
    state.set_speed(int(speed) if speed.isdigit() and int(speed) in state.SPEEDS else 0)
    if str(state.speed()) != speed:
        state.notify("notice.bad_speed", value=speed[:20], options=_speeds())
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
    if state.speed():
        wanted[SPEED] = str(state.speed())
    if state.hidden_controls():
        wanted[HIDE] = ",".join(sorted(state.hidden_controls()))
    wanted.update(st.session_state.pop(_PAGE_PARAMS, {}))  # the open page's own (keep_in_link)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def keep_in_link(name: str, value: str) -> None:
    """A parameter of the page being drawn (the lesson's ``?section=``): the next ``write_link`` of
    this run writes it, and a page that does not ask again drops it."""
    st.session_state.setdefault(_PAGE_PARAMS, {})[name] = value


def _speeds() -> str:
    return ", ".join(str(v) for v in state.SPEEDS if v)
