"""The live region of a page: a fragment that reruns while its slot plays, trains a slice, then
draws. Each run ends with a pacer (app/ui/live_pacer.py): the browser asks for the next run once
this one has arrived, after the rest of the tick. How long each slice trains and how long a tick
is follow the load of the server process (app/ui/pacing.py, app/ui/load_meter.py)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequestType
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from app.charts.style import plain_figures
from app.engine.live import Live
from app.ui import state
from app.ui.i18n import language_pinned
from app.ui.live_pacer import pace
from app.ui.live_slot import Slot
from app.ui.load_meter import beat, live_gate, playing_sessions
from app.ui.pacing import MIN_SLICE, TICKS, choose_tick, slice_for

TURN_POLL = 0.1  # seconds: how often a refresh waiting for its turn looks for a press of its own


def live_fragment(slot: Slot, draw: Callable[[Live], None]) -> None:
    """A page's live part: a fragment that reruns while ``slot`` plays, trains a slice of its
    live thing and draws it with ``draw``."""
    record = slot.state()

    @st.fragment
    def fragment() -> None:
        if record.pressed and not record.full_run:
            # A press came with the pacer's request: the browser sends the widget changes of one
            # moment as one rerun, of the fragment if one of them is in it. The press's callback
            # has run; its buttons and the rest of the page need the full-app run.
            st.rerun(scope="app")
        target = slot.get()
        if target is not None:
            live(slot, target, lambda: draw(target), refresh=not record.full_run)

    # Run from here, the fragment is part of a full-app run (a press, a setting, a page load);
    # its own reruns (the pacer's requests) skip this code.
    record.full_run = True
    record.pressed = False  # answered by this run
    try:
        fragment()
    finally:
        record.full_run = False


def live(slot: Slot, target: Live, draw: Callable[[], None], refresh: bool = True) -> None:
    """One run of the live fragment: train (when playing), draw, then ask for the next run (the
    pacer), timing the drawing in CPU seconds of this thread (waiting for other sessions' threads
    is not drawing).

    A refresh (the pacer's request) trains its slice of the tick. A full-app run (a press: Play,
    a setting changed while playing) trains only MIN_SLICE, so the press is answered at once and
    still shows the run moving rather than waiting a whole tick for the next refresh."""
    started = time.perf_counter()
    record = slot.state()
    if record.playing:
        beat()
    seconds = tick(slot)  # None while paused
    # Taking turns with the process's other live runs, then the thing's own lock: a press may be
    # training the same object in another thread.
    with taking_turns(refresh), target.lock:
        if state.speed():  # slow motion: a set number of steps per refresh, one on a press
            advance(slot, target, steps=steps_per_tick(seconds) if refresh else 1)
        else:
            advance(slot, target, slice_seconds(slot, seconds) if refresh else MIN_SLICE)
        start = time.thread_time()
        # Figures as dicts, not validated on every refresh (style.py); the language read once.
        with plain_figures(), language_pinned():
            draw()
        cost = time.thread_time() - start
        # Smoothed slowly, from a typical figure, each sample at most twice the estimate: a first
        # drawing (cold caches) or one slowed by a crowd of threads would otherwise stretch the
        # tick of this session for nothing.
        previous = record.draw_cost
        record.draw_cost = 0.9 * previous + 0.1 * min(cost, 2 * previous)
    # Last, so the request for the next run comes once this run has reached the browser: the rest
    # of this run's tick (none if it no longer plays: a press in another thread may have paused it).
    playing = seconds is not None and record.playing
    pace(f"{slot.name}-pacer", seconds - (time.perf_counter() - started) if playing else None)


@contextmanager
def taking_turns(refresh: bool) -> Iterator[None]:
    """A refresh takes its turn with the process's other live runs (load_meter.live_gate).

    A press's run (a full-app run) does not queue behind a hall's refreshes: presses are few and
    someone waits for each. Nor does a refresh of a session whose press is waiting: it stops
    waiting, trains nothing (the slice asks press_waiting) and its first element gives way to the
    press's run, instead of holding the press back for a turn of every other session."""
    gate = live_gate()
    held = False
    if refresh:
        while not (held := gate.acquire(timeout=TURN_POLL)) and not press_waiting():
            pass
    try:
        yield
    finally:
        if held:
            gate.release()


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
        st.rerun(scope="app")  # redraw the buttons; the pacer stops asking


def tick(slot: Slot) -> float | None:
    """The live fragment's tick (None while paused): 0.3 s alone, stretching as more sessions
    of this process play (app/ui/pacing.py); in slow motion at least the time of one step."""
    record = slot.state()
    if not record.playing:
        return None
    paced = choose_tick(playing_sessions(), record.draw_cost)
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
