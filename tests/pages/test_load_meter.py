"""The live timer stretches with the number of sessions playing in this server process, and all\ntheir refreshes together stay within a share of the one core the process can use."""

from __future__ import annotations

import pytest

from app.ui import live_fragment, live_slot, load_meter, pacing, state
from app.ui.load_meter import LoadMeter


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
    if tick > pacing.TICKS[0]:  # and no shorter tick would have done
        shorter = pacing.TICKS[pacing.TICKS.index(tick) - 1]
        assert sessions * (drawing + pacing.RUN_OVERHEAD + pacing.MIN_SLICE) > (
            pacing.LIVE_SHARE * shorter
        )


def test_a_lone_session_refreshes_fast_and_trains_most_of_the_tick() -> None:
    tick = pacing.choose_tick(1, 0.015)
    assert tick == pacing.TICKS[0] == 0.3
    assert pacing.slice_for(tick, 1, 0.015) == pacing.MAX_SLICE


def test_the_tick_stays_put_for_small_drops_in_load() -> None:
    busy = pacing.choose_tick(40, 0.015)
    assert pacing.choose_tick(36, 0.015, current=busy) == busy  # a few sessions paused
    assert pacing.choose_tick(10, 0.015, current=busy) < busy  # most of the hall paused
    assert pacing.choose_tick(80, 0.015, current=busy) > busy  # more load: stretch at once


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
