"""The live region of a page: a fragment that reruns on a timer while its slot plays, trains a
slice, then draws. How long each slice trains and how often the timer fires follow the load of
the server process (app/ui/pacing.py, app/ui/load_meter.py)."""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequestType
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from app.charts.style import plain_figures
from app.engine.live import Live
from app.ui import state
from app.ui.live_slot import Slot
from app.ui.load_meter import beat, live_gate, playing_sessions
from app.ui.pacing import MIN_SLICE, TICKS, choose_tick, slice_for


def live_fragment(slot: Slot, draw: Callable[[Live], None]) -> None:
    """A page's live part: a fragment that reruns on the timer while ``slot`` plays, trains a
    slice of its live thing and draws it with ``draw``."""
    record = slot.state()

    @st.fragment(run_every=define_tick(slot))
    def fragment() -> None:
        target = slot.get()
        if target is not None:
            live(slot, target, lambda: draw(target), timer_run=not record.full_run)

    # Run from here, the fragment is part of a full-app run (a press, a setting, a page load);
    # its timer reruns skip this code.
    record.full_run = True
    try:
        fragment()
    finally:
        record.full_run = False


def live(slot: Slot, target: Live, draw: Callable[[], None], timer_run: bool = True) -> None:
    """One run of the live fragment: train (when playing), then draw, timing the drawing in CPU
    seconds of this thread (waiting for other sessions' threads is not drawing).

    A timer run trains its slice of the tick. A full-app run (a press: Play, a setting changed while
    playing) trains only MIN_SLICE, so the press is answered at once and still shows the run moving
    rather than waiting a whole tick for the timer's first run."""
    record = slot.state()
    if record.playing:
        beat()
    seconds = tick(slot)  # None while paused
    # Taking turns with the process's other live runs (load_meter.live_gate), then the thing's own
    # lock: a press may be training the same object in another thread.
    with live_gate(), target.lock:
        if state.speed():  # slow motion: a set number of steps per refresh, one on a press
            advance(slot, target, steps=steps_per_tick(seconds) if timer_run else 1)
        else:
            advance(slot, target, slice_seconds(slot, seconds) if timer_run else MIN_SLICE)
        if timer_run and seconds is not None and seconds != record.defined_tick:
            # The server's load changed: redefine the fragment's timer with a full-app run, which
            # draws what this run just trained. Only timer runs ask: a full-app run has just
            # defined the timer, and rerunning it again whenever another session started playing
            # in the meantime could go on for as long as a hall keeps pressing Play.
            st.rerun(scope="app")
        start = time.thread_time()
        with plain_figures():  # figures as dicts, not validated on every refresh (style.py)
            draw()
        cost = time.thread_time() - start
        # Smoothed slowly, from a typical figure, each sample at most twice the estimate: a first
        # drawing (cold caches) or one slowed by a crowd of threads would otherwise stretch the
        # timer of this session for nothing.
        previous = record.draw_cost
        record.draw_cost = 0.9 * previous + 0.1 * min(cost, 2 * previous)


def slice_seconds(slot: Slot, seconds: float | None = None) -> float:
    """Training time per tick (app/ui/pacing.py) for this session's last measured drawing, for the
    tick given (by default: this session's tick now)."""
    return slice_for(seconds or tick(slot) or TICKS[0], playing_sessions(), slot.state().draw_cost)


def advance(
    slot: Slot, target: Live, seconds: float | None = None, steps: int | None = None
) -> None:
    """Train a playing thing for ``seconds`` or ``steps`` (called inside the live fragment). The
    slice ends early when a press is waiting: Pause stops at the click, not a slice later."""
    if slot.playing() and not target.diverged:
        target.train(steps=steps, seconds=seconds, stop=press_waiting)
    if target.diverged and slot.playing():
        slot.set_playing(False)
        st.rerun(scope="app")  # redraw the buttons and stop the timer


def tick(slot: Slot) -> float | None:
    """The live fragment's run_every (None while paused): 0.3 s alone, stretching as more sessions
    of this process play (app/ui/pacing.py); in slow motion at least the time of one step."""
    record = slot.state()
    if not record.playing:
        return None
    paced = choose_tick(playing_sessions(), record.draw_cost, record.defined_tick)
    speed = state.speed()
    return max(paced, round(1 / speed, 2)) if speed else paced


def steps_per_tick(seconds: float | None) -> int:
    """Steps a slow-motion refresh trains: the chosen speed over one tick, at least one."""
    return max(1, round(state.speed() * (seconds or TICKS[0])))


def press_waiting() -> bool:
    """Whether a press (a full-app rerun: Pause, a setting) waits for this run to reach Streamlit.

    A slice has no Streamlit call in it, so without asking, a press would wait for the slice to
    end and Pause would let a few hundred more steps through. This reads Streamlit's request state
    (script_requests, not a public API): if that ever changes, the answer is False, as before."""
    ctx = get_script_run_ctx(suppress_warning=True)
    requests = getattr(ctx, "script_requests", None)
    try:
        if requests._state == ScriptRequestType.STOP:
            return True
        data = requests._rerun_data
        waiting = requests._state == ScriptRequestType.RERUN
        return waiting and not (data.fragment_id_queue and not data.is_fragment_scoped_rerun)
    except AttributeError:
        return False


def define_tick(slot: Slot) -> float | None:
    """tick(), remembered as the interval the fragment is being defined with."""
    seconds = tick(slot)
    slot.state().defined_tick = seconds
    return seconds
