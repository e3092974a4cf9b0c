"""Play, Pause, Step and Reset. They sit outside the live fragment and act through callbacks,
so a press takes effect at once, even while training runs."""

from __future__ import annotations

import streamlit as st

from app.engine.run import Run
from app.ui import state
from app.ui.i18n import t
from app.ui.settings import load_preset

TICK_SECONDS = 0.25  # how often the live fragment reruns while playing
SLICE_SECONDS = 0.15  # training time per rerun: the rest draws the charts and answers buttons


def render_controls(run: Run, prefix: str = "train") -> None:
    cols = st.columns([1, 1, 1, 1, 3])
    common = {"width": "stretch"}
    if state.playing():
        cols[0].button(
            t("controls.pause"),
            key=f"{prefix}-pause",
            on_click=state.set_playing,
            args=(False,),
            type="primary",
            icon=":material/pause:",
            **common,
        )
    else:
        cols[0].button(
            t("controls.play"),
            key=f"{prefix}-play",
            on_click=state.set_playing,
            args=(True,),
            type="primary",
            icon=":material/play_arrow:",
            disabled=run.diverged,
            **common,
        )
    cols[1].button(
        t("controls.step"),
        key=f"{prefix}-step",
        on_click=_step,
        args=(1,),
        disabled=run.diverged,
        help=t("controls.step_help"),
        icon=":material/skip_next:",
        **common,
    )
    cols[2].button(
        t("controls.step10"),
        key=f"{prefix}-step10",
        on_click=_step,
        args=(10,),
        disabled=run.diverged,
        icon=":material/fast_forward:",
        **common,
    )
    cols[3].button(
        t("controls.reset"),
        key=f"{prefix}-reset",
        on_click=_reset,
        icon=":material/restart_alt:",
        **common,
    )


def advance(run: Run) -> None:
    """One tick of a playing run (called inside the live fragment)."""
    if state.playing() and not run.diverged:
        run.train(seconds=SLICE_SECONDS)
    if run.diverged and state.playing():
        state.set_playing(False)
        st.rerun(scope="app")  # redraw the buttons and stop the timer


def tick() -> float | None:
    return TICK_SECONDS if state.playing() else None


def _step(count: int) -> None:
    run = state.run()
    if run is not None:
        state.set_playing(False)
        run.train(steps=count)


def _reset() -> None:
    state.reset_run()
    state.notify("notice.reset")


def render_preset_buttons(names: tuple[str, ...], prefix: str) -> None:
    """One button per preset a page is about (the sidebar has them all)."""
    cols = st.columns(len(names) + 2)
    for col, name in zip(cols, names, strict=False):
        col.button(
            t(f"preset.{name}"),
            key=f"{prefix}-preset-{name}",
            on_click=load_preset,
            args=(name,),
            width="stretch",
            icon=":material/tune:",
        )
