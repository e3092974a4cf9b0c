"""Play, Pause, Step and Reset. They sit outside the live fragment and act through callbacks,
so a press takes effect at once, even while training runs.

Three things can be driven: the session's run ("run": training, steps and gradients pages), the
session's duel ("duel") and its character model ("text"). Each has its own playing flag."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

import streamlit as st

from app.ui import state
from app.ui.i18n import t
from app.ui.load_meter import beat, live_gate, playing_sessions
from app.ui.pacing import MIN_SLICE, TICKS, choose_tick, slice_for
from app.ui.settings import load_preset


class Trainable(Protocol):
    diverged: bool
    lock: threading.RLock

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
            on_click=_play,
            args=(flag,),
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


def live_fragment(draw: Callable[[Trainable], None], flag: str = "run") -> None:
    """A page's live part: a fragment that reruns on the timer while playing, trains a slice of the
    session's run (or duel, or text run: ``flag``) and draws it with ``draw``."""

    @st.fragment(run_every=define_tick(flag))
    def fragment() -> None:
        target = GETTERS[flag]()
        if target is not None:
            timer_run = not st.session_state.get(f"full_run:{flag}", False)
            live(target, lambda: draw(target), flag, timer_run)

    # Run from here, the fragment is part of a full-app run (a press, a setting, a page load);
    # its timer reruns skip this code.
    st.session_state[f"full_run:{flag}"] = True
    try:
        fragment()
    finally:
        st.session_state[f"full_run:{flag}"] = False


def live(
    target: Trainable, draw: Callable[[], None], flag: str = "run", timer_run: bool = True
) -> None:
    """One run of the live fragment: train (when playing), then draw, timing the drawing in CPU
    seconds of this thread (waiting for other sessions' threads is not drawing).

    A timer run trains its slice of the tick. A full-app run (a press: Play, a setting changed while
    playing) trains only MIN_SLICE, so the press is answered at once and still shows the run moving
    rather than waiting a whole tick for the timer's first run."""
    if state.playing(flag):
        beat()
    seconds = tick(flag)  # None while paused
    # Taking turns with the process's other live runs (load_meter.live_gate), then the run's own
    # lock: a press may be training the same object in another thread.
    with live_gate(), target.lock:
        advance(target, flag, slice_seconds(flag, seconds) if timer_run else MIN_SLICE)
        if (
            timer_run
            and seconds is not None
            and seconds != st.session_state.get(f"defined_tick:{flag}")
        ):
            # The server's load changed: redefine the fragment's timer with a full-app run, which
            # draws what this run just trained. Only timer runs ask: a full-app run has just
            # defined the timer, and rerunning it again whenever another session started playing
            # in the meantime could go on for as long as a hall keeps pressing Play.
            st.rerun(scope="app")
        start = time.thread_time()
        draw()
        cost = time.thread_time() - start
        # Smoothed slowly, from a typical figure, each sample at most twice the estimate: a first
        # drawing (cold caches) or one slowed by a crowd of threads would otherwise stretch the
        # timer of this session for nothing.
        previous = _drawing(flag)
        st.session_state[f"draw_cost:{flag}"] = 0.9 * previous + 0.1 * min(cost, 2 * previous)


def slice_seconds(flag: str = "run", seconds: float | None = None) -> float:
    """Training time per tick (app/ui/pacing.py) for this session's last measured drawing, for the
    tick given (by default: this session's tick now)."""
    return slice_for(seconds or tick(flag) or TICKS[0], playing_sessions(), _drawing(flag))


def _drawing(flag: str) -> float:
    """CPU seconds this session's page spends drawing, smoothed (before it has drawn: what the
    training page costs, bench/bench_charts.py and tests/pages/test_load_meter.py)."""
    return st.session_state.get(f"draw_cost:{flag}", 0.015)


def advance(target: Trainable, flag: str, seconds: float) -> None:
    """Train a playing run for ``seconds`` (called inside the live fragment)."""
    if state.playing(flag) and not target.diverged:
        target.train(seconds=seconds)
    if target.diverged and state.playing(flag):
        state.set_playing(False, flag)
        st.rerun(scope="app")  # redraw the buttons and stop the timer


def tick(flag: str = "run") -> float | None:
    """The live fragment's run_every (None while paused): 0.3 s alone, stretching as more sessions
    of this process play (app/ui/pacing.py)."""
    if not state.playing(flag):
        return None
    current = st.session_state.get(f"defined_tick:{flag}")
    return choose_tick(playing_sessions(), _drawing(flag), current)


def define_tick(flag: str = "run") -> float | None:
    """tick(), remembered as the interval the fragment is being defined with."""
    seconds = tick(flag)
    st.session_state[f"defined_tick:{flag}"] = seconds
    return seconds


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


def _play(flag: str) -> None:
    beat()  # counted at once: the timer this press defines already knows this session plays
    state.set_playing(True, flag)


def _step(count: int, flag: str) -> None:
    target = GETTERS[flag]()
    if target is not None:
        state.set_playing(False, flag)
        target.train(steps=count)


def _reset(flag: str) -> None:
    RESETTERS[flag]()
    state.notify("notice.reset")
