"""What every page shares: the sidebar (language, presentation mode, presets, lesson builder),
the link in the address bar, notices, and the projector's larger type."""

from __future__ import annotations

import streamlit as st

from app.engine.presets import PRESETS
from app.ui import lesson_lock, state
from app.ui.i18n import DEFAULT_LANGUAGE, LANGUAGE_KEY, LANGUAGES, current_language, describe, t
from app.ui.live_chart import PAGE_CSS as LIVE_CHART_CSS
from app.ui.live_pacer import PAGE_CSS as LIVE_PACER_CSS
from app.ui.query import forget_kept, lesson_links, read_link, write_link
from app.ui.settings import HIDEABLE, load_preset

_PICKED = "shell-picked-preset"  # the preset last picked in the sidebar, for Home to answer
# The page that shows what a preset is about (every other preset: the training page).
PRESET_PAGES = {"vanishing": "gradients", "exploding": "gradients"}
PAGE_FILES = {"train": "train.py", "gradients": "gradients.py"}

# Streamlit cuts a metric label or a button label that does not fit with "…": a label is read whole,
# so it wraps instead (long Portuguese labels, narrow columns).
BASE_CSS = """
<style>
[data-testid="stMain"] :is([data-testid="stMetricLabel"], button) :is(p, div, span) {
  white-space: normal !important; text-overflow: clip !important; overflow: visible !important;
}
[data-testid="stMain"] button { height: auto; }
[data-testid="stMain"] button * { word-break: normal !important; overflow-wrap: normal !important; }
/* The Play/Pause button keeps one width whichever it shows, so the buttons beside it stay put. */
[data-testid="stMain"] :is([class*="-play"], [class*="-pause"]) button { min-width: 7.5rem; }
</style>
"""

PRESENTATION_CSS = """
<style>
/* The page starts under the header's buttons, not a screen lower: the main chart must fit a
   1280x720 projector without scrolling. */
[data-testid="stMainBlockContainer"] { padding-top: 3.4rem; padding-bottom: 2rem; }
[data-testid="stMain"] h1 { font-size: 2.2rem; padding: 0 0 0.3rem 0; }
/* Only the main area grows: the sidebar keeps its size so its controls still fit. */
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li,
[data-testid="stMain"] [data-testid="stCaptionContainer"] { font-size: 1.35rem; line-height: 1.5; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: 1.1rem; }
/* The fine print under a metric (the duel's solve rates) on one line, so the charts below keep
   their height at 1280x720. */
[data-testid="stMain"] [class*="st-key-fine-print"] [data-testid="stCaptionContainer"] {
  font-size: 1.15rem; line-height: 1.35;
}
[data-testid="stMain"] [data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] *,
[data-testid="stMain"] [data-testid="stMetricValue"] p { font-size: 2.6rem; }
[data-testid="stMain"] button p { font-size: 1.2rem; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] :is(th, td) { font-size: 1.35rem; }
</style>
"""


# Streamlit writes a few words of its own in English: the running script's Stop, the uploader's
# button and its hint while a file is dragged over it (the dropzone's one div without a test id).
# CSS cannot reach their text, only replace how it is drawn, with the catalog's words. Each
# uploader's limit line is its own: app/ui/uploader.py.
OWN_WORDS_CSS = """
<style>
[data-testid="stStatusWidget"] button, [data-testid="stFileUploaderDropzone"] button p,
[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) > span {{
  font-size: 0 !important;
}}
[data-testid="stStatusWidget"] button::after {{ content: "{stop}"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzone"] button p::after {{ content: "{upload}"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) > span::after {{
  content: "{dragging}"; font-size: 0.875rem;
}}
</style>
"""
# On a projector the running man would flicker at every refresh of a playing page.
QUIET_STATUS_CSS = '<style>[data-testid="stStatusWidget"] { visibility: hidden; }</style>'


def start_page() -> None:
    """Call first on every page."""
    forget_kept()  # the link this run writes holds only what this run keeps
    if state.first_visit():
        read_link()
    st.html(BASE_CSS + LIVE_CHART_CSS + LIVE_PACER_CSS)
    if current_language() != DEFAULT_LANGUAGE:
        st.html(
            OWN_WORDS_CSS.format(
                stop=t("shell.streamlit_stop"),
                upload=t("shell.streamlit_upload"),
                dragging=t("uploader.dragging"),
            )
        )
    if state.presentation():
        st.html(PRESENTATION_CSS + QUIET_STATUS_CSS)


def intro(text: str, caption: bool = False) -> None:
    """A page's opening words. On a projector they fold into an expander: the lecturer says them,
    and the room needs the screen for the live view."""
    if state.presentation():
        with st.expander(t("shell.about_page"), icon=":material/info:"):
            st.markdown(text)
    elif caption:
        st.caption(text)
    else:
        st.markdown(text)


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
        # A locked lesson offers only the presets that keep its locked settings.
        presets = [name for name in PRESETS if lesson_lock.allows(PRESETS[name])]
        if presets:
            st.selectbox(
                t("shell.preset"),
                presets,
                index=None,
                placeholder=t("shell.preset_placeholder"),
                format_func=lambda name: t(f"preset.{name}"),
                key="shell-preset",
                on_change=_apply_preset,
            )
        if lesson_lock.locked():
            st.caption(t("lock.locked_note"), help=t("lock.locked_help"))
        else:
            _render_builder()


def _render_builder() -> None:
    """Choose what to hide; once something is hidden, the two links to share and to keep."""
    with st.expander(t("shell.builder"), expanded=bool(state.hidden_controls())):
        st.caption(t("lock.builder_help"))
        st.multiselect(
            t("shell.hide"),
            HIDEABLE,
            default=sorted(state.hidden_controls()),
            format_func=lambda name: t(f"setting.{name}"),
            key="shell-hide",
            on_change=lambda: state.set_hidden_controls(frozenset(st.session_state["shell-hide"])),
        )
        if not state.hidden_controls():
            return
        student, teacher = lesson_links()
        with st.container(key="shell-student-link"):
            st.markdown(t("lock.student_link"), help=t("lock.student_help"))
            st.code(student, language=None, wrap_lines=True)
        with st.container(key="shell-teacher-link"):
            st.markdown(t("lock.teacher_link"), help=t("lock.teacher_help"))
            st.code(teacher, language=None, wrap_lines=True)


def finish_page() -> None:
    """Call last on every page: mirror the setup in the URL (pages show notices themselves)."""
    write_link()


def show_notices() -> None:
    """The page's queued notices, in one container that is there even with none (it draws nothing
    then), so a notice never moves what follows it. Streamlit names a fragment by its place on the
    page, and drops a rerun that names a place no longer there; and the browser draws a widget that
    moved anew. A refusal's notice pushed the live section down one place: a file chosen on its
    uploader while that page still ran was lost (tests/e2e/test_uploads.py)."""
    with st.container():
        for problem in state.take_notices():
            if problem.key.startswith("problem."):  # something was refused: say it louder than news
                st.warning(describe(problem), icon=":material/warning:")
            else:
                st.info(describe(problem), icon=":material/info:")


def render_picked_preset() -> None:
    """Home's answer to a preset picked in the sidebar: what it set up, and the page that shows it."""
    name = st.session_state.get(_PICKED)
    if name not in PRESETS or state.RUN.config() != PRESETS[name]:
        return  # nothing picked here, or the setup has changed since
    config = PRESETS[name]
    page = PRESET_PAGES.get(name, "train")
    with st.container(key="home-preset", border=True):
        st.success(t("picked.ready", name=t(f"preset.{name}")), icon=":material/check_circle:")
        st.markdown(
            t(
                "picked.setup",
                task=t(f"option.task.{config.task.name}"),
                cell=t(f"option.cell.{config.cell}"),
                hidden=config.hidden_size,
                optimizer=t(f"option.optimizer.{config.optimizer}"),
                rate=config.learning_rate,
            )
        )
        st.markdown(t(f"picked.look_{page}"))
        st.page_link(
            f"../pages/{PAGE_FILES[page]}",
            label=t("picked.go", page=t(f"nav.{page}")),
            icon=":material/arrow_forward:",
        )


def _apply_preset() -> None:
    name = st.session_state.get("shell-preset")
    if name in PRESETS:
        load_preset(name)
        st.session_state[_PICKED] = name
