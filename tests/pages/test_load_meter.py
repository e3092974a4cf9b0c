"""The live tick stretches with the number of sessions playing in this server process, and all\ntheir refreshes together stay within a share of the one core the process can use."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import pytest

from app.ui import (
    controls,
    live_fragment,
    live_slot,
    load_meter,
    pacing,
    query,
    sentiment_readers,
    state,
)
from app.ui.load_meter import LoadMeter
from tests.pages.conftest import open_page


def test_meter_counts_recent_players_only(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [100.0]
    monkeypatch.setattr(load_meter.time, "monotonic", lambda: clock[0])
    meter = LoadMeter()
    meter.beat("a")
    meter.beat("b")
    meter.beat("a")
    assert meter.playing() == 2
    clock[0] += load_meter.WINDOW_SECONDS + 0.1
    meter.beat("c")
    assert meter.playing() == 1


@pytest.mark.parametrize("sessions", [1, 2, 5, 10, 20, 40, 80, 400])
@pytest.mark.parametrize("drawing", [0.005, 0.015, 0.05])
def test_all_sessions_refreshes_together_stay_within_the_live_share(
    sessions: int, drawing: float
) -> None:
    tick = pacing.choose_tick(sessions, drawing)
    slice_ = pacing.slice_for(tick, sessions, drawing)
    assert tick in pacing.TICKS
    assert pacing.MIN_SLICE <= slice_ <= pacing.MAX_SLICE
    assert slice_ + drawing + pacing.HEADROOM <= tick + 1e-9  # done before the timer fires again
    if sessions > 1 and tick < pacing.TICKS[-1]:  # the longest tick is a floor, not a promise
        used = sessions * (slice_ + drawing + pacing.RUN_OVERHEAD) / tick
        assert used <= pacing.LIVE_SHARE + 1e-9
    cost = drawing + pacing.RUN_OVERHEAD
    if tick > pacing.TICKS[0]:  # and no shorter tick would have done
        shorter = pacing.TICKS[pacing.TICKS.index(tick) - 1]
        assert sessions * (cost + pacing.MIN_SLICE) > pacing.LIVE_SHARE * shorter or (
            # shorter would refresh every session, but take the training's share
            tick <= pacing.REFRESH_AIM
            and sessions * cost > (pacing.LIVE_SHARE - pacing.TRAIN_SHARE) * shorter
        )
    if tick <= pacing.REFRESH_AIM and sessions > 1:  # refreshing once a second: training keeps
        trained = sessions * slice_ / tick  # its share, unless the tick was stretched for it
        longer = [t for t in pacing.TICKS if tick < t <= pacing.REFRESH_AIM]
        assert trained >= pacing.TRAIN_SHARE - 1e-9 or not longer or slice_ == pacing.MAX_SLICE


@pytest.mark.parametrize(("drawing", "most"), [(0.015, 10), (0.03, 5)])
def test_a_few_sessions_keep_half_the_training_of_one_and_refresh_once_a_second(
    drawing: float, most: int
) -> None:
    """The aim of a class on one server, for drawing costs like /train's (idle, and busy): steps
    summed over the sessions at least half one session's, each refreshing at least once a
    second, for as many sessions as one core can refresh that way."""
    alone = pacing.slice_for(pacing.choose_tick(1, drawing), 1, drawing) / pacing.TICKS[0]
    for sessions in range(2, most + 1):
        tick = pacing.choose_tick(sessions, drawing)
        trained = sessions * pacing.slice_for(tick, sessions, drawing) / tick
        assert tick <= pacing.REFRESH_AIM
        assert trained >= 0.5 * alone, (sessions, tick, trained, alone)


@pytest.mark.parametrize("sessions", [1, 2, 10, 40, 80, 400])
@pytest.mark.parametrize("drawing", [0.005, 0.015, 0.05])
def test_with_the_training_worker_the_drawing_alone_fits_and_the_worker_is_shared(
    sessions: int, drawing: float
) -> None:
    """Slices training in the worker leave this core to the drawing: the tick is the shortest at
    which every session's drawing fits in LIVE_SHARE, and the slices together fit in
    WORKER_SHARE of the worker's core (each at least MIN_SLICE, so a crowd stretches the tick)."""
    tick = pacing.choose_tick(sessions, drawing, elsewhere=True)
    cost = drawing + pacing.RUN_OVERHEAD
    assert tick in pacing.TICKS
    assert tick <= pacing.choose_tick(sessions, drawing)  # never slower than training here
    if tick < pacing.TICKS[-1]:
        assert sessions * cost <= pacing.LIVE_SHARE * tick + 1e-9
    if tick > pacing.TICKS[0]:
        assert sessions * cost > pacing.LIVE_SHARE * pacing.TICKS[pacing.TICKS.index(tick) - 1]
    share = pacing.worker_slice(tick, sessions)
    assert pacing.MIN_SLICE <= share <= pacing.MAX_SLICE
    if share > pacing.MIN_SLICE:
        assert sessions * share <= pacing.WORKER_SHARE * tick + 1e-9


def test_a_lone_session_refreshes_fast_and_trains_most_of_the_tick() -> None:
    tick = pacing.choose_tick(1, 0.015)
    assert tick == pacing.TICKS[0] == 0.3
    assert pacing.slice_for(tick, 1, 0.015) == pacing.MAX_SLICE


def test_the_page_asks_the_meter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live_slot.st, "session_state", {})
    state.RUN.set_playing(True)
    monkeypatch.setattr(live_fragment, "playing_sessions", lambda: 1)
    alone = live_fragment.tick(state.RUN)
    monkeypatch.setattr(live_fragment, "playing_sessions", lambda: 40)
    assert live_fragment.tick(state.RUN) > alone
    first_cost = live_slot.FIRST_DRAWING_COST
    assert live_fragment.slice_seconds(state.RUN) < pacing.slice_for(alone, 1, first_cost)


def test_no_timer_while_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live_slot.st, "session_state", {})
    assert not state.RUN.playing()
    assert live_fragment.tick(state.RUN) is None


def test_a_press_never_queues_behind_other_sessions_refreshes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While the gate is held by other sessions' refreshes, a press's run goes ahead, a refresh
    waits its turn, and a refresh of a session whose press is waiting stops waiting."""
    gate = threading.BoundedSemaphore(1)
    monkeypatch.setattr(live_fragment, "live_gate", lambda: gate)
    monkeypatch.setattr(live_fragment, "TURN_POLL", 0.01)
    pressed = threading.Event()
    monkeypatch.setattr(live_fragment, "press_waiting", pressed.is_set)
    gate.acquire()  # another session's refresh
    with live_fragment.taking_turns(refresh=False):  # a press: at once
        pass
    waited = threading.Event()

    def refresh() -> None:
        with live_fragment.taking_turns(refresh=True):
            waited.set()

    waiting = threading.Thread(target=refresh)
    waiting.start()
    assert not waited.wait(0.2)  # the gate is taken: it waits its turn
    pressed.set()  # a press of its own session arrives
    assert waited.wait(5)
    waiting.join(5)
    gate.release()
    with live_fragment.taking_turns(refresh=True):  # with the gate free it takes it...
        assert not gate.acquire(blocking=False)
    assert gate.acquire(blocking=False)  # ...and gives it back
    gate.release()


class AppRunAskedError(Exception):
    """st.rerun(scope="app"), as the test sees it."""


def fragment_spy(fragments: list) -> Callable:
    """``st.fragment`` (bare or with its arguments) keeping each fragment function undecorated."""

    def fragment(function: Callable | None = None, **_: object) -> Callable:
        if function is None:
            return lambda later: fragment(later)
        fragments.append(function)
        return function

    return fragment


class FakeRunContext:
    """What a press's callback reads of its script run: the fragments this run runs, and the
    ids of fragments by key (one live section, keyed ``train-section``)."""

    def __init__(self, running: list[str] | None) -> None:
        self.fragment_ids_this_run = running
        self.fragment_storage = self

    def resolve_target(self, key: str) -> list[str]:
        assert key == "train-section"
        return ["section-id"]


@pytest.mark.parametrize("press", ["play", "pause", "step"])
def test_a_press_sent_with_a_refresh_asks_for_its_section_by_name(
    monkeypatch: pytest.MonkeyPatch, press: str
) -> None:
    """The browser sends the widget changes of one moment as one rerun, of the fragment when one
    of them (the pacer's request) is in it. A press whose rerun is then the live fragment's asks
    for its section's run instead (st.rerun with the section's key), so its buttons are drawn
    without a full-app run; a press sent as its section's or the app's rerun asks for nothing."""
    monkeypatch.setattr(live_slot.st, "session_state", {})
    monkeypatch.setattr(live_slot.Slot, "get", lambda self: None)
    asked = []

    def rerun(scope: str) -> None:
        asked.append(scope)
        raise AppRunAskedError  # as st.rerun ends a callback

    monkeypatch.setattr(controls.st, "rerun", rerun)
    callbacks = {"play": controls._play, "pause": controls._pause}
    callback = callbacks.get(press, lambda *a: controls._step(*a, 1))

    def asked_when_running(running: list[str] | None) -> list[str]:
        context = FakeRunContext(running)
        monkeypatch.setattr(controls, "get_script_run_ctx", lambda **_: context)
        asked.clear()
        with contextlib.suppress(AppRunAskedError):
            callback(state.RUN, "train")
        return list(asked)

    assert asked_when_running(["pacer-fragment-id"]) == ["train-section"]
    assert not state.RUN.state().pressed  # answered by the section: no full-app run
    assert asked_when_running(["section-id"]) == []  # sent as its section's rerun already
    assert state.RUN.state().pressed
    assert asked_when_running(None) == [] and asked_when_running([]) == []  # the app's run


def test_a_press_sent_with_a_refresh_is_answered_by_a_full_app_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The browser sends the widget changes of one moment as one rerun, of the fragment when one
    of them (the pacer's request) is in it. A press in such a batch whose callback could not ask
    for its section (test above) still gets a full-app run, so its buttons are redrawn; a refresh
    without a press does not."""
    monkeypatch.setattr(live_slot.st, "session_state", {})
    fragments = []
    monkeypatch.setattr(live_fragment.st, "fragment", fragment_spy(fragments))
    runs = []
    monkeypatch.setattr(live_fragment, "live", lambda *a, refresh: runs.append(refresh))
    monkeypatch.setattr(live_slot.Slot, "get", lambda self: object())

    def app_run(scope: str) -> None:
        assert scope == "app"
        raise AppRunAskedError

    monkeypatch.setattr(live_fragment.st, "rerun", app_run)
    live_fragment.live_fragment(state.RUN, lambda target: None)  # a full-app run
    assert runs == [False]
    [refresh] = fragments
    refresh()  # the pacer's request alone
    assert runs == [False, True]
    controls._pressed(state.RUN)  # a press's callback ran before this fragment rerun
    with pytest.raises(AppRunAskedError):
        refresh()
    assert runs == [False, True]  # no refresh drawn: the full-app run draws the page
    live_fragment.live_fragment(state.RUN, lambda target: None)
    refresh()
    assert runs == [False, True, False, True]  # answered: refreshes go on


def test_a_live_section_answers_presses_alone_and_reset_with_the_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Play, Pause and Step rerun the page's live section (its controls and live fragment), not
    the page; Reset (a new object, a notice at the top) and a loaded run ask for the full-app run.
    """
    monkeypatch.setattr(live_slot.st, "session_state", {})
    fragments = []
    monkeypatch.setattr(live_fragment.st, "fragment", fragment_spy(fragments))

    class Thing:
        def train(self, steps: int) -> None:
            pass

    thing = Thing()
    monkeypatch.setattr(live_slot.Slot, "get", lambda self: thing)
    monkeypatch.setattr(live_slot.Slot, "reset", lambda self: None)
    drawn = []

    def app_run(scope: str) -> None:
        assert scope == "app"
        raise AppRunAskedError

    monkeypatch.setattr(live_fragment.st, "rerun", app_run)
    controls_drawn = []
    monkeypatch.setattr(
        live_fragment, "render_controls", lambda slot, prefix: controls_drawn.append(prefix)
    )
    live_fragment.live_section(state.RUN, "train", drawn.append)  # the page's run
    assert drawn == [thing] and controls_drawn == ["train"]
    [section] = fragments
    for press in (controls._play, controls._pause, lambda *a: controls._step(*a, 1)):
        press(state.RUN, "train")
        assert state.RUN.state().pressed
        section()  # the press's rerun: of the section alone
        assert not state.RUN.state().pressed  # its buttons are drawn again
    assert drawn == [thing] * 4 and controls_drawn == ["train"] * 4  # each with its controls
    controls._reset(state.RUN)
    with pytest.raises(AppRunAskedError):
        section()
    assert drawn == [thing] * 4
    live_fragment.live_section(state.RUN, "train", drawn.append)  # the full-app run answers it
    section()
    assert drawn == [thing] * 6
    state.RUN.state().app_run = True  # as loading a saved run sets it (app/ui/saved_runs.py)
    with pytest.raises(AppRunAskedError):
        section()
    live_fragment.live_section(state.RUN, "train", drawn.append)
    live_slot.st.session_state["train-speed"] = state.SPEEDS[1]
    controls._speed(state.RUN, "train-speed")  # the speed is in the link, drawn outside
    with pytest.raises(AppRunAskedError):
        section()
    assert state.speed() == state.SPEEDS[1]


def test_only_the_full_app_run_writes_what_a_section_keeps_in_the_link(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A section's own run writes no link, and a full-app run starts by dropping what such runs
    kept: otherwise it would write a value changed since (the sentiment page's reader, back to its
    default). A widget of the section that changes the link asks for the full-app run."""
    monkeypatch.setattr(live_slot.st, "session_state", {})
    fragments = []
    monkeypatch.setattr(live_fragment.st, "fragment", fragment_spy(fragments))
    monkeypatch.setattr(live_slot.Slot, "get", lambda self: object())
    monkeypatch.setattr(live_fragment, "render_controls", lambda slot, prefix: None)

    def app_run(scope: str) -> None:
        raise AppRunAskedError

    monkeypatch.setattr(live_fragment.st, "rerun", app_run)
    reader = {"name": "live"}

    def body(target: object) -> None:
        if reader["name"] != "pretrained":  # as choose_reader keeps a reader other than the default
            query.keep_in_link("reader", reader["name"])

    live_fragment.live_section(state.SENTIMENT, "sentiment", body)  # the page's run
    assert query.link_params(locked=False) == {}  # the run's setup: all defaults
    kept = live_slot.st.session_state.get("page_link_params")
    assert kept == {"reader": "live"}  # for this run's write_link
    live_slot.st.session_state.pop("page_link_params")  # write_link took it
    [section] = fragments
    section()  # a press: the section alone, which writes no link
    reader["name"] = "pretrained"
    sentiment_readers._write_link()  # the radio's callback
    with pytest.raises(AppRunAskedError):
        section()
    query.forget_kept()  # the full-app run starts (app/ui/shell.py start_page)
    live_fragment.live_section(state.SENTIMENT, "sentiment", body)
    assert "page_link_params" not in live_slot.st.session_state


def test_a_full_app_run_drops_what_runs_before_it_kept_in_the_link() -> None:
    """What a live section's own run kept (left in the session, as a press leaves it) never
    reaches the link a later full-app run writes: start_page drops it first."""
    at = open_page("../pages/sentiment.py")
    assert "reader" not in at.query_params
    at.session_state["page_link_params"] = {"reader": "live"}
    at.run()
    assert not at.exception
    assert "reader" not in at.query_params
