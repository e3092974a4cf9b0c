"""The live region of a page: a fragment that reruns while its slot plays, trains a slice, then
draws. Each run ends with a pacer (app/ui/live_pacer.py): the browser asks for the next run once
this one has arrived, after the rest of the tick. How long each slice trains and how long a tick
is follow the load of the server process (app/ui/pacing.py, app/ui/load_meter.py).

Around it, a page's live section (``live_section``): the controls, the live fragment and what reads
the live thing, as one fragment of their own. A press (Play, Pause, Step) reruns that section
alone rather than the whole page: with forty sessions playing, full-app runs of presses were over
half of the server's Python time (bench/bench_load.py), the sidebar's settings a fifth of each."""

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
from app.ui.controls import render_controls, section_key
from app.ui.i18n import language_pinned
from app.ui.live_pacer import pace
from app.ui.live_slot import Slot, SlotState, T
from app.ui.load_meter import beat, live_gate, playing_sessions
from app.ui.pacing import MIN_SLICE, TICKS, choose_tick, slice_for, worker_slice
from app.ui.training_worker import training_worker

TURN_POLL = 0.1  # seconds: how often a refresh waiting for its turn looks for a press of its own


def live_section(slot: Slot[T], prefix: str, body: Callable[[T], None]) -> None:
    """The part of a page that follows ``slot``'s live thing, as a fragment: its controls
    (app/ui/controls.py, keys named by ``prefix``), then ``body``, which draws its live fragment and
    whatever reads the thing, given the thing (nothing while it cannot be built). A control's press
    reruns this section, not the page; a press whose answer needs the whole page
    (``SlotState.app_run``: Reset, a loaded run, the speed, whose notices, settings and link are
    drawn outside) asks for the full-app run, and so must a widget of ``body`` that changes the
    link (its callback sets ``app_run``): only the full-app run writes the link."""
    record = slot.state()

    @st.fragment(key=section_key(prefix))  # a press's callback may ask for it by name
    def section() -> None:
        if record.app_run and not record.page_run:
            st.rerun(scope="app")
        target = slot.get()
        if target is not None:
            render_controls(slot, prefix)
            record.pressed = False  # their buttons drawn again
            body(target)

    record.app_run = False  # answered by this run
    inside_a_larger_run(record, "page_run", section)


def live_fragment(slot: Slot, draw: Callable[[Live], None]) -> None:
    """A page's live part: a fragment that reruns while ``slot`` plays, trains a slice of its
    live thing and draws it with ``draw``."""
    record = slot.state()

    @st.fragment
    def fragment() -> None:
        if record.pressed and not record.inside_run:
            # A press came with the pacer's request (the browser sends the widget changes of one
            # moment as one rerun, of the innermost fragment if one of them is in it) and its
            # callback could not ask for its section (controls._answered_by_section): the
            # full-app run draws its buttons.
            st.rerun(scope="app")
        target = slot.get()
        if target is not None:
            live(slot, target, lambda: draw(target), refresh=not record.inside_run)

    record.pressed = False  # answered by this run
    # A larger run: its section's (a press) or the page's (a setting, a page load).
    inside_a_larger_run(record, "inside_run", fragment)


def inside_a_larger_run(record: SlotState, flag: str, fragment: Callable[[], None]) -> None:
    """Run ``fragment`` from the code around it, with ``record.<flag>`` true meanwhile: its own
    reruns (a press's, the pacer's) skip this code, so there the flag is false."""
    setattr(record, flag, True)
    try:
        fragment()
    finally:
        setattr(record, flag, False)


def live(slot: Slot, target: Live, draw: Callable[[], None], refresh: bool = True) -> None:
    """One run of the live fragment: train (when playing), draw, then ask for the next run (the
    pacer), timing the drawing in CPU seconds of this thread (waiting for other sessions' threads
    is not drawing).

    A refresh (the pacer's request) trains its slice of the tick. A larger run (its section's: a
    press, Play; the page's: a setting changed while playing) trains only MIN_SLICE, so the press is
    answered at once and still shows the run moving rather than waiting a whole tick for the next
    refresh."""
    started = time.perf_counter()
    record = slot.state()
    if record.playing:
        beat()
    seconds = tick(slot, trains_elsewhere(target))  # None while paused
    # The thing's own lock (a press may be training the same object in another thread), then
    # turns with the process's other live runs: a slice in the training worker waits without the
    # interpreter and without a turn, so other sessions draw meanwhile.
    with target.lock:
        start = time.thread_time()
        elsewhere = refresh and not state.speed() and advance_elsewhere(slot, target, seconds)
        travel = time.thread_time() - start if elsewhere else 0.0
        with taking_turns(refresh):
            if state.speed():  # slow motion: a set number of steps per refresh, one on a press
                advance(slot, target, steps=steps_per_tick(seconds) if refresh else 1)
            elif not elsewhere:
                # A press's short slice is timed on the wall: someone waits for its run to end.
                clock = None if refresh else time.perf_counter
                seconds_here = slice_seconds(slot, seconds) if refresh else MIN_SLICE
                advance(slot, target, seconds_here, clock=clock)
            start = time.thread_time()
            # Figures as dicts, not validated on every refresh (style.py); the language read once.
            with plain_figures(), language_pinned():
                draw()
            cost = time.thread_time() - start + travel
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

    A press's run (its section's or the page's) does not queue behind a hall's refreshes: presses are few and
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


def trains_elsewhere(target: Live) -> bool:
    """Whether a refresh's slice of ``target`` goes to the training worker."""
    worker = training_worker()
    return worker is not None and worker.takes(target)


def advance_elsewhere(slot: Slot, target: Live, seconds: float | None) -> bool:
    """Train a refresh's slice in the process's training worker (app/ui/training_worker.py), if
    the thing travels and the worker is up; whether it went there. Ends early when a press waits."""
    worker = training_worker(start=True)
    if worker is None or not (slot.playing() and not target.diverged):
        return False
    share = worker_slice(seconds or TICKS[0], playing_sessions())
    if worker.train(target, steps=None, seconds=share, stop=press_waiting) is None:
        return False
    stop_if_diverged(slot, target)
    return True


def advance(
    slot: Slot,
    target: Live,
    seconds: float | None = None,
    steps: int | None = None,
    clock: Callable[[], float] | None = None,
) -> None:
    """Train a playing thing for ``seconds`` on ``clock`` (by default its thread's CPU) or
    ``steps`` (called inside the live fragment). The slice ends early when a press is waiting:
    Pause stops at the click, not a slice later."""
    if slot.playing() and not target.diverged:
        target.train(steps=steps, seconds=seconds, stop=press_waiting, clock=clock)
    stop_if_diverged(slot, target)


def stop_if_diverged(slot: Slot, target: Live) -> None:
    if target.diverged and slot.playing():
        slot.set_playing(False)
        st.rerun(scope="app")  # redraw the buttons; the pacer stops asking


def tick(slot: Slot, elsewhere: bool = False) -> float | None:
    """The live fragment's tick (None while paused): 0.3 s alone, stretching as more sessions
    of this process play (app/ui/pacing.py), less when the thing trains ``elsewhere`` (the
    training worker); in slow motion at least the time of one step."""
    record = slot.state()
    if not record.playing:
        return None
    paced = choose_tick(playing_sessions(), record.draw_cost, elsewhere and not state.speed())
    speed = state.speed()
    return max(paced, round(1 / speed, 2)) if speed else paced


def steps_per_tick(seconds: float | None) -> int:
    """Steps a slow-motion refresh trains: the chosen speed over one tick, at least one."""
    return max(1, round(state.speed() * (seconds or TICKS[0])))


def press_waiting() -> bool:
    """Whether a press waits for this run to end: a full-app rerun (a setting), or a rerun of
    another fragment than this one (a live section's: Pause, Step).

    A slice has no Streamlit call in it, so without asking, a press would wait for the slice to
    end and Pause would let a few hundred more steps through. A fragment's rerun never cuts the
    run in progress short, so a section's press waits for this run whatever it asks; the pacer
    never asks for this fragment while it runs. This reads Streamlit's request state
    (script_requests, not a public API): if that ever changes, the answer is False, as before."""
    ctx = get_script_run_ctx(suppress_warning=True)
    requests = getattr(ctx, "script_requests", None)
    try:
        if requests._state == ScriptRequestType.STOP:
            return True
        if requests._state != ScriptRequestType.RERUN:
            return False
        queue = requests._rerun_data.fragment_id_queue
        return not queue or any(fragment != ctx.current_fragment_id for fragment in queue)
    except AttributeError:
        return False
