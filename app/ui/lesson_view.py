"""The lesson page's parts: the way along the path (previous, next, a section picker) and each section
(a short text, one thing to try and notice, and a button to the instrument set up for it)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app.ui import lesson_path as path
from app.ui import state
from app.ui.i18n import t
from app.ui.lesson_exercises import render_exercises
from app.ui.lesson_live import (
    render_keras_example,
    render_optimiser_race,
    render_order_demo,
    render_race_rate,
)
from app.ui.settings import load_preset

EQUATIONS = (
    r"h_t = \tanh\left(W_{xh}\, x_t + W_{hh}\, h_{t-1} + b_h\right)",
    r"y_t = W_{hy}\, h_t + b_y",
)


def render_navigation(section: str) -> None:
    """Previous / picker / next. PageUp and PageDown (what a presenter's clicker sends) press them."""
    here = path.ORDER.index(section)
    position = t("lesson.position", index=here + 1, count=len(path.ORDER))
    # On a projector the position is the picker's label: one row less above the live demo.
    big = state.presentation()
    left, middle, right = st.columns([1, 3, 1], vertical_alignment="bottom")
    left.button(
        t("lesson.go_previous"),
        key="lesson-previous",
        on_click=path.step,
        args=(-1,),
        disabled=here == 0,
        icon=":material/arrow_back:",
        shortcut="PageUp",
        width="stretch",
    )
    # Labels made now, in the session's language (a format_func may be called outside the run).
    titles = {s: f"{k + 1}. {t(f'lesson.{s}.title')}" for k, s in enumerate(path.ORDER)}
    if st.session_state.get(path.PICK_KEY) != section:
        st.session_state[path.PICK_KEY] = section
    middle.selectbox(
        position if big else t("lesson.pick"),
        path.ORDER,
        key=path.PICK_KEY,
        on_change=path.picked,
        format_func=titles.get,
        help=t("lesson.keys_help"),
    )
    right.button(
        t("lesson.go_next"),
        key="lesson-next",
        on_click=path.step,
        args=(1,),
        disabled=here == len(path.ORDER) - 1,
        icon=":material/arrow_forward:",
        icon_position="right",
        shortcut="PageDown",
        width="stretch",
    )
    if not big:
        st.caption(position)


def render_section(section: str) -> None:
    # On a projector the words sit beside the live part, so the room sees both without scrolling.
    if state.presentation():
        words, live = st.columns([2, 3], gap="large")
    else:
        words = live = st.container()
    with words:
        st.header(t(f"lesson.{section}.title"), anchor=section)
        if state.presentation():
            BESIDE.get(section, lambda: None)()
        st.markdown(t(f"lesson.{section}.text"))
        if section != "exercises":
            _try_and_notice(section)
    with live:
        EXTRAS.get(section, lambda: None)()
        render_instruments(section)


def render_instruments(section: str) -> None:
    instruments = path.SECTIONS[section]
    for k, instrument in enumerate(instruments):
        page = t(instrument.nav)
        label = (
            t("lesson.open", page=page) if instrument.preset else t("lesson.open_plain", page=page)
        )
        if instrument.preset:
            label += f" · {t(f'preset.{instrument.preset}')}"
        if st.button(label, key=f"lesson-open-{section}-{k}", icon=":material/open_in_new:"):
            if instrument.preset is not None:
                load_preset(instrument.preset)
            st.switch_page(f"../pages/{instrument.page}")
    if instruments:
        st.caption(t("lesson.back", lesson=t("nav.lesson")))


def _try_and_notice(section: str) -> None:
    with st.container(border=True):
        st.markdown(f"**{t('lesson.try')}.** {t(f'lesson.{section}.try')}")
        st.markdown(f"**{t('lesson.notice')}.** {t(f'lesson.{section}.notice')}")


def _equations() -> None:
    for line in EQUATIONS:
        st.latex(line)
    st.markdown(t("lesson.equations.symbols"))


def _gates() -> None:
    st.latex(r"f_t = \sigma(W_f [h_{t-1}, x_t] + b_f) \quad i_t = \sigma(W_i [h_{t-1}, x_t] + b_i)")
    st.latex(r"c_t = f_t \odot c_{t-1} + i_t \odot \tanh(W_c [h_{t-1}, x_t] + b_c)")
    st.latex(r"h_t = o_t \odot \tanh(c_t), \quad o_t = \sigma(W_o [h_{t-1}, x_t] + b_o)")


def _examples() -> None:
    render_keras_example()
    st.markdown(f"- {t('lesson.examples.text_example')}")
    st.markdown(f"- {t('lesson.examples.sentiment_example')} [{t('lesson.sentiment')}](/sentiment)")


EXTRAS: dict[str, Callable[[], None]] = {
    "order": render_order_demo,
    "equations": _equations,
    "gates": _gates,
    "examples": _examples,
    "exercises": render_exercises,
    "next": render_optimiser_race,
}
# On a projector, a live demo's setting sits in the words column under the section's title, so the
# chart beside it starts right under its controls.
BESIDE: dict[str, Callable[[], None]] = {"next": render_race_rate}
