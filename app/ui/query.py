"""The setup mirrored in the URL, so a shared link opens the same demo (and hides, or locks, the same
controls)."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from app.engine.config_codec import from_query, to_query
from app.engine.problems import Problem
from app.ui import lesson_lock, state
from app.ui.i18n import LANGUAGE_KEY, LANGUAGES, describe, preferred_language
from app.ui.settings import HIDEABLE, load_config

LANG, PRESENT, HIDE, LOCK, SPEED = "lang", "present", "hide", "lock", "speed"
_PAGE_PARAMS = "page_link_params"


def read_link() -> None:
    """On a session's first run: take the link's setup; any value it cannot use keeps its default,
    and one notice says which (after the language, so the notice speaks it)."""
    params = st.query_params.to_dict()
    language = params.get(LANG)  # a link's ?lang= wins over the browser's own language
    if language not in LANGUAGES:
        language = preferred_language(st.context.locale, st.context.headers.get("Accept-Language"))
    if language in LANGUAGES:
        st.session_state[LANGUAGE_KEY] = language
    state.set_presentation(params.get(PRESENT) == "1")
    state.set_speed(_speed(params.get(SPEED, "0")))
    hidden = {name for name in params.get(HIDE, "").split(",") if name in HIDEABLE}
    state.set_hidden_controls(frozenset(hidden))
    config, problems = from_query(params)
    problems = [*shell_problems(params), *problems]
    if problems:
        state.notify(ignored_notice(problems))
    load_config(config)
    # A student's link: what it hides is locked at the link's values for the whole session.
    lesson_lock.lock(config, frozenset(hidden) if params.get(LOCK) == "1" else frozenset())


def shell_problems(params: dict[str, str]) -> list[Problem]:
    """Refusals for the link's own switches: language, presentation, lock, speed, hidden controls."""
    found = []
    if LANG in params and params[LANG] not in LANGUAGES:
        found.append(_meaningless(LANG, params[LANG]))
    if PRESENT in params and params[PRESENT] not in ("0", "1"):
        found.append(_meaningless(PRESENT, params[PRESENT]))
    if LOCK in params and params[LOCK] not in ("0", "1"):
        found.append(_meaningless(LOCK, params[LOCK]))
    if SPEED in params and str(_speed(params[SPEED])) != params[SPEED]:
        found.append(_meaningless(SPEED, params[SPEED]))
    unknown = [name for name in params.get(HIDE, "").split(",") if name and name not in HIDEABLE]
    if unknown:
        found.append(_meaningless(HIDE, ",".join(unknown)))
    return found


def ignored_notice(problems: list[Problem]) -> Problem:
    """One notice for a link's refused values: which ones, and why (the rest of the link was used)."""
    reasons = " ".join(describe(problem) for problem in problems)
    return Problem(
        "problem.link_ignored",
        "some values of this link were ignored: " + "; ".join(p.text for p in problems),
        {"reasons": reasons},
    )


def write_link() -> None:
    """Keep the address bar in step with the current setup (only what differs from the defaults)."""
    wanted = link_params(locked=lesson_lock.locked())
    wanted.update(st.session_state.pop(_PAGE_PARAMS, {}))  # the open page's own (keep_in_link)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def link_params(locked: bool) -> dict[str, str]:
    """The current setup as query parameters; ``locked`` makes it a student's link."""
    wanted = to_query(state.RUN.config())
    language = st.session_state.get(LANGUAGE_KEY)
    if language and language != "en":
        wanted[LANG] = language
    if state.presentation():
        wanted[PRESENT] = "1"
    if state.speed():
        wanted[SPEED] = str(state.speed())
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


def keep_in_link(name: str, value: str) -> None:
    """A parameter of the page being drawn (the lesson's ``?section=``): the next ``write_link`` of
    this run writes it, and a page that does not ask again drops it."""
    st.session_state.setdefault(_PAGE_PARAMS, {})[name] = value


def forget_kept() -> None:
    """Drop what earlier runs asked to keep (called as a full-app run starts): a fragment's own
    run (a press in a live section) writes no link, and what it kept would otherwise reach this
    run's link even where its widget has changed since; this run asks again."""
    st.session_state.pop(_PAGE_PARAMS, None)


def _speed(text: str) -> int:
    """A link's speed in steps per second (0, full speed, for anything not offered)."""
    return int(text) if text.isdigit() and int(text) in state.SPEEDS else 0


def _meaningless(name: str, value: str) -> Problem:
    value = value[:60]
    return Problem(
        "problem.link_value",
        f"the link's {name}={value!r} means nothing here",
        {"name": name, "value": value},
    )
