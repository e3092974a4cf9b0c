"""The live timer stretches with the number of sessions playing in this server process."""

from __future__ import annotations

import pytest

from app.ui import controls, load_meter
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


@pytest.mark.parametrize(
    ("sessions", "expected"), [(1, 0.3), (4, 0.6), (10, 1.2), (20, 2.4), (40, 4.8), (400, 4.8)]
)
def test_tick_doubles_as_sessions_share_the_core(
    monkeypatch: pytest.MonkeyPatch, sessions: int, expected: float
) -> None:
    monkeypatch.setattr(controls.state, "playing", lambda flag="run": True)
    monkeypatch.setattr(controls, "playing_sessions", lambda: sessions)
    assert controls.tick() == pytest.approx(expected)


def test_no_timer_while_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(controls.state, "playing", lambda flag="run": False)
    assert controls.tick() is None
