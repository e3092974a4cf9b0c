"""What makes a playing page refresh (app/ui/live_pacer.py): every run of a live fragment ends with
a pacer that asks the browser for the next run after the rest of the tick, or for none when paused.
The browser's side (live_pacer.js) is played in tests/e2e/test_live_charts.py."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from app.ui import pacing
from app.ui.live_pacer import MIN_WAIT
from tests.pages.conftest import LIVE_CHART, TRAIN, component_data, control, steps
from tests.pages.test_live_controls import open_live

PACER = "unrolled.live_pacer"


def pacers(at: AppTest) -> list[dict]:
    return [
        component_data(element)
        for element in at.main
        if element.type == "bidi_component" and element.proto.component_name == PACER
    ]


def components(at: AppTest) -> list[str]:
    """The page's components-v2 elements in page order, by name."""
    return [e.proto.component_name for e in at.main if e.type == "bidi_component"]


@pytest.mark.parametrize(
    ("page", "prefix"),
    [
        (TRAIN, "train"),
        ("../pages/gradients.py", "grad"),
        ("../pages/duel.py", "duel"),
        ("../pages/text.py", "text"),
        ("../pages/text.py", "words"),
    ],
)
def test_a_playing_page_asks_for_its_next_refresh_and_a_paused_one_does_not(
    page: str, prefix: str
) -> None:
    at = open_live(page, prefix)
    [paused] = pacers(at)
    assert not paused["playing"]
    control(at, f"{prefix}-play").click().run()
    [playing] = pacers(at)
    assert playing["playing"]
    # The rest of a tick: never more than the longest tick, never a request at once.
    assert MIN_WAIT * 1000 <= playing["after"] <= pacing.TICKS[-1] * 1000
    assert playing["run"] != paused["run"]  # a new run: the browser asks once per run
    # After the live charts: when the pacer arrives, the run's charts have arrived.
    names = components(at)
    if LIVE_CHART in names:
        assert len(names) - 1 - names[::-1].index(LIVE_CHART) < names.index(PACER)
    control(at, f"{prefix}-pause").click().run()
    [stopped] = pacers(at)
    assert not stopped["playing"]
    assert not at.exception


def test_each_refresh_of_a_playing_run_trains_and_asks_again() -> None:
    """A refresh as the pacer asks for it (a rerun while playing) trains and ends with a new
    request, until Pause."""
    at = open_live(TRAIN, "train")
    control(at, "train-play").click().run()
    before, first = steps(at), pacers(at)[0]["run"]
    at.run()
    assert steps(at) > before
    [again] = pacers(at)
    assert again["playing"] and again["run"] != first
    assert not at.exception
