"""The lesson's three exercises: a question with a worked answer to reveal, a next-day forecast the
student trains on the training page and this page checks, and the sentiment project's checklist."""

from __future__ import annotations

import math

import streamlit as st

from app.engine.lesson_exercise import SOLUTION_STEPS, STARTING_POINT, Verdict, check_attempt
from app.engine.lesson_exercise import worked_solution as solve
from app.ui import lesson_path as path
from app.ui import state
from app.ui.i18n import t
from app.ui.settings import load_config

ADVANCED_STEPS = ("tokens", "glove", "lstm", "metrics", "balance")


def render_exercises() -> None:
    _basic()
    _intermediate()
    _advanced()


def _basic() -> None:
    with st.container(border=True):
        st.subheader(t("lesson.exercises.basic"))
        st.caption(t("lesson.exercises.basic_hint"))
        st.button(
            t("lesson.order.title"),
            key="lesson-basic-demo",
            on_click=path.go_to,
            args=("order",),
            icon=":material/undo:",
        )
        with st.expander(t("lesson.exercises.reveal")):
            st.markdown(t("lesson.exercises.basic_answer"))


def _intermediate() -> None:
    with st.container(border=True):
        st.subheader(t("lesson.exercises.intermediate"))
        st.markdown(t("lesson.exercises.intermediate_text"))
        if st.button(
            t("lesson.exercises.start"), key="lesson-exercise-start", icon=":material/open_in_new:"
        ):
            load_config(STARTING_POINT)
            st.switch_page("../pages/train.py")
        if st.button(
            t("lesson.exercises.check"), key="lesson-exercise-check", icon=":material/task_alt:"
        ):
            _show_check()
        if st.button(t("lesson.exercises.solution"), key="lesson-exercise-solution"):
            verdict = solution()
            st.success(
                t(
                    "lesson.exercises.solution_text",
                    steps=SOLUTION_STEPS,
                    model=verdict.model_error,
                    persistence=verdict.persistence_error,
                )
            )


def _show_check() -> None:
    run = state.RUN.get()
    if run is None:
        st.warning(t("lesson.exercises.check_missing"))
        return
    with run.lock:
        verdict = check_attempt(run)
    for failed, key in (
        (not verdict.forecast, "check_not_forecast"),
        (not verdict.held_out, "check_not_held_out"),
        (not verdict.trained, "check_untrained"),
    ):
        if failed:
            st.warning(t(f"lesson.exercises.{key}"))
            return
    st.markdown(_result(verdict, run.step))
    if verdict.passed:
        st.success(t("lesson.exercises.check_passed"), icon=":material/check_circle:")
    else:
        st.error(t("lesson.exercises.check_failed"), icon=":material/cancel:")


def _result(verdict: Verdict, steps: int) -> str:
    return t(
        "lesson.exercises.check_result",
        model=verdict.model_error if math.isfinite(verdict.model_error) else 0.0,
        persistence=verdict.persistence_error,
        steps=steps,
        window=verdict.window,
    )


@st.cache_data(show_spinner=False)
def solution() -> Verdict:
    """The worked solution's check: deterministic, the same for everyone, trained once per process."""
    return solve()[1]


def _advanced() -> None:
    with st.container(border=True):
        st.subheader(t("lesson.exercises.advanced"))
        st.markdown(t("lesson.exercises.advanced_text"))
        for name in ADVANCED_STEPS:
            # Ticks live outside widget state, which a page that does not draw the box drops.
            done = f"lesson_advanced_{name}"
            st.checkbox(
                t(f"lesson.exercises.step_{name}"),
                value=bool(st.session_state.get(done, False)),
                key=f"lesson-advanced-{name}",
                on_change=_tick,
                args=(name,),
            )
        st.markdown(f"[{t('lesson.sentiment')}](/sentiment)")


def _tick(name: str) -> None:
    st.session_state[f"lesson_advanced_{name}"] = st.session_state[f"lesson-advanced-{name}"]
