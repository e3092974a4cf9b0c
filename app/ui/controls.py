"""Play, Pause, Step and Reset. They sit outside the live fragment and act through callbacks,
so a press takes effect at once, even while training runs.

Three things can be driven: the session's run ("run": training, steps and gradients pages), the
session's duel ("duel") and its character model ("text"). Each has its own playing flag."""

from __future__ import annotations

from typing import Protocol

import streamlit as st

from app.ui import state
from app.ui.i18n import t
from app.ui.settings import load_preset

# While playing, the live fragment trains for SLICE_SECONDS, redraws, and the browser asks for the next
# rerun TICK_SECONDS later. Measured (bench/bench_live.py): a 50 ms gap and 200 ms slices gave 2.6x the
# steps of 250 ms / 150 ms with ~3 refreshes a second; a press still waits at most one slice.
TICK_SECONDS = 0.05
SLICE_SECONDS = 0.2


class Trainable(Protocol):
    diverged: bool

    def train(self, steps: int | None = None, seconds: float | None = None) -> int: ...


GETTERS = {"run": state.run, "duel": state.duel, "text": state.text_run}
RESETTERS = {"run": state.reset_run, "duel": state.reset_duel, "text": state.reset_text_run}


def render_controls(target: Trainable, prefix: str = "train", flag: str = "run") -> None:
    cols = st.columns([1, 1, 1, 1] if state.presentation() else [1, 1, 1, 1, 2])
    common = {"width": "stretch"}
    if state.playing(flag):
        cols[0].button(
            t("controls.pause"),
            key=f"{prefix}-pause",
            on_click=state.set_playing,
            args=(False, flag),
            type="primary",
            icon=":material/pause:",
            **common,
        )
    else:
        cols[0].button(
            t("controls.play"),
            key=f"{prefix}-play",
            on_click=state.set_playing,
            args=(True, flag),
            type="primary",
            icon=":material/play_arrow:",
            disabled=target.diverged,
            **common,
        )
    cols[1].button(
        t("controls.step"),
        key=f"{prefix}-step",
        on_click=_step,
        args=(1, flag),
        disabled=target.diverged,
        help=t("controls.step_help"),
        icon=":material/skip_next:",
        **common,
    )
    cols[2].button(
        t("controls.step10"),
        key=f"{prefix}-step10",
        on_click=_step,
        args=(10, flag),
        disabled=target.diverged,
        icon=":material/fast_forward:",
        **common,
    )
    cols[3].button(
        t("controls.reset"),
        key=f"{prefix}-reset",
        on_click=_reset,
        args=(flag,),
        icon=":material/restart_alt:",
        **common,
    )


def advance(target: Trainable, flag: str = "run") -> None:
    """One tick of a playing run (called inside the live fragment)."""
    if state.playing(flag) and not target.diverged:
        target.train(seconds=SLICE_SECONDS)
    if target.diverged and state.playing(flag):
        state.set_playing(False, flag)
        st.rerun(scope="app")  # redraw the buttons and stop the timer


def tick(flag: str = "run") -> float | None:
    return TICK_SECONDS if state.playing(flag) else None


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


def _step(count: int, flag: str) -> None:
    target = GETTERS[flag]()
    if target is not None:
        state.set_playing(False, flag)
        target.train(steps=count)


def _reset(flag: str) -> None:
    RESETTERS[flag]()
    state.notify("notice.reset")
