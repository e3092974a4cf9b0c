"""What every page shares: the sidebar (language, presentation mode, presets, lesson builder),
the link in the address bar, notices, and the projector's larger type."""

from __future__ import annotations

import streamlit as st

from app.engine.presets import PRESETS
from app.ui import state
from app.ui.i18n import LANGUAGE_KEY, LANGUAGES, current_language, describe, t
from app.ui.query import read_link, write_link
from app.ui.settings import HIDEABLE, load_preset

PRESENTATION_CSS = """
<style>
/* Only the main area grows: the sidebar keeps its size so its controls still fit. */
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li,
[data-testid="stMain"] [data-testid="stCaptionContainer"] { font-size: 1.35rem; line-height: 1.5; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: 1.25rem; }
[data-testid="stMain"] [data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] *,
[data-testid="stMain"] [data-testid="stMetricValue"] p { font-size: 3rem; }
[data-testid="stMain"] button p { font-size: 1.2rem; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] :is(th, td) { font-size: 1.35rem; }
[data-testid="stMain"] h1 { font-size: 3rem; }
</style>
"""


def start_page() -> None:
    """Call first on every page."""
    if state.first_visit():
        read_link()
    if state.presentation():
        st.html(PRESENTATION_CSS)


def render_sidebar() -> None:
    with st.sidebar:
        if LANGUAGE_KEY not in st.session_state:
            st.session_state[LANGUAGE_KEY] = current_language()
        st.selectbox(
            t("shell.language"),
            list(LANGUAGES),
            key=LANGUAGE_KEY,
            format_func=LANGUAGES.get,
        )
        st.toggle(
            t("shell.presentation"),
            value=state.presentation(),
            key="shell-presentation",
            on_change=lambda: state.set_presentation(st.session_state["shell-presentation"]),
            help=t("shell.presentation_help"),
        )
        st.selectbox(
            t("shell.preset"),
            list(PRESETS),
            index=None,
            placeholder=t("shell.preset_placeholder"),
            format_func=lambda name: t(f"preset.{name}"),
            key="shell-preset",
            on_change=_apply_preset,
        )
        with st.expander(t("shell.builder")):
            st.caption(t("shell.builder_help"))
            st.multiselect(
                t("shell.hide"),
                HIDEABLE,
                default=sorted(state.hidden_controls()),
                format_func=lambda name: t(f"setting.{name}"),
                key="shell-hide",
                on_change=lambda: state.set_hidden_controls(
                    frozenset(st.session_state["shell-hide"])
                ),
            )


def finish_page() -> None:
    """Call last on every page: mirror the setup in the URL (pages show notices themselves)."""
    write_link()


def show_notices() -> None:
    for problem in state.take_notices():
        if problem.key.startswith("problem."):  # something was refused: say it louder than news
            st.warning(describe(problem), icon=":material/warning:")
        else:
            st.info(describe(problem), icon=":material/info:")


def _apply_preset() -> None:
    name = st.session_state.get("shell-preset")
    if name in PRESETS:
        load_preset(name)
