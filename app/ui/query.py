"""The setup mirrored in the URL, so a shared link opens the same demo (and hides, or locks, the same
controls)."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from app.engine.config_codec import from_query, to_query
from app.ui import lesson_lock, state
from app.ui.i18n import LANGUAGE_KEY, LANGUAGES
from app.ui.settings import HIDEABLE, load_config

LANG, PRESENT, HIDE, LOCK = "lang", "present", "hide", "lock"


def read_link() -> None:
    """On a session's first run: take the link's setup, or the defaults and a short notice."""
    params = st.query_params.to_dict()
    language = params.get(LANG)
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
    # A student's link: what it hides is locked at the link's values for the whole session.
    lesson_lock.lock(config, frozenset(hidden) if params.get(LOCK) == "1" else frozenset())


def write_link() -> None:
    """Keep the address bar in step with the current setup (only what differs from the defaults)."""
    wanted = link_params(locked=lesson_lock.locked())
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def link_params(locked: bool) -> dict[str, str]:
    """The current setup as query parameters; ``locked`` makes it a student's link."""
    wanted = to_query(state.config())
    language = st.session_state.get(LANGUAGE_KEY)
    if language and language != "en":
        wanted[LANG] = language
    if state.presentation():
        wanted[PRESENT] = "1"
    hidden = lesson_lock.hidden_controls()
    if hidden:
        wanted[HIDE] = ",".join(sorted(hidden))
        if locked:
            wanted[LOCK] = "1"
    return wanted


def lesson_links() -> tuple[str, str]:
    """The absolute links for this page and setup: the students' (locked) and the teacher's own."""
    page = st.context.url or ""  # scheme, host and page path, as the browser sees them
    return (
        f"{page}?{urlencode(link_params(locked=True), safe=',')}",
        f"{page}?{urlencode(link_params(locked=False), safe=',')}",
    )
