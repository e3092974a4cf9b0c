"""A live chart's refresh sends what changed (app/ui/chart_delta.py), and applying it gives the
browser exactly the figure the server drew."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.charts.training import Labels, loss_figure
from app.ui import live_chart
from app.ui.chart_delta import apply, delta
from app.ui.live_chart import payload
from tests.pages.conftest import TRAIN, component_data, open_page

LABELS = Labels("loss", "step", "loss", ("train", "val"))


def _loss(steps: int) -> dict:
    x = np.arange(1, steps + 1)
    loss = np.exp(-x / 300.0) + 0.01 * np.random.default_rng(0).random(steps)
    val = np.where(x % 25 == 0, loss * 1.1, np.nan)
    return payload(loss_figure(x, loss, val, LABELS))


def _size(message: dict) -> int:
    return len(json.dumps(message, separators=(",", ":")))


def test_a_growing_curve_sends_its_new_points_and_arrives_whole() -> None:
    first, drawn = delta((), _loss(1700), 7)
    assert "figure" in first  # nothing held yet: the whole figure
    held = apply({}, first)
    later = _loss(1830)  # a refresh later: 130 more steps
    message, drawn = delta((drawn,), later, 8)
    assert message["bases"] == [7] and message["version"] == 8
    assert "layout" not in message["delta"]  # same axes: not sent again
    held = apply(held, message)
    assert held["data"] == later["data"] and held["layout"] == later["layout"]
    assert _size(message) < _size(first) / 5, (_size(message), _size(first))


def test_what_did_not_change_is_not_sent_and_what_changed_is() -> None:
    spec = _loss(600)
    _, drawn = delta((), spec, 1)
    same, drawn = delta((drawn,), json.loads(json.dumps(spec)), 2)
    assert all(part is None for t in same["delta"]["traces"] for part in t["arrays"].values())
    renamed = json.loads(json.dumps(spec))
    renamed["data"][0]["name"] = "treino"
    renamed["layout"]["title"] = {"text": "perda"}
    message, _ = delta((drawn,), renamed, 3)
    assert message["delta"]["traces"][0]["props"]["name"] == "treino"
    assert "props" not in message["delta"]["traces"][1]
    assert message["delta"]["layout"]["title"] == {"text": "perda"}


def test_new_traces_a_heatmap_and_nan_are_sent_whole_or_exactly() -> None:
    spec = _loss(400)
    first, drawn = delta((), spec, 1)
    more = json.loads(json.dumps(spec))
    more["data"].append({"type": "scatter", "x": [1, 2], "y": [3, 4]})
    assert "figure" in delta((drawn,), more, 2)[0]  # another trace: the whole figure

    heat = {
        "data": [
            {"type": "heatmap", "z": {"dtype": "f4", "bdata": "AACAPwAAAEA=", "shape": "1, 2"}}
        ],
        "layout": {},
    }
    _, drawn = delta((), heat, 1)
    hotter = json.loads(json.dumps(heat))
    hotter["data"][0]["z"] = {"dtype": "f4", "bdata": "AABAQAAAAEA=", "shape": "1, 2"}
    message, _ = delta((drawn,), hotter, 2)
    assert message["delta"]["traces"][0]["arrays"]["z"] == {
        "keep": 0,
        "tail": hotter["data"][0]["z"],
    }
    assert apply({**heat, "version": 1}, message)["data"] == hotter["data"]


def test_a_browser_holding_another_version_cannot_apply_a_delta() -> None:
    _, drawn = delta((), _loss(500), 1)
    message, _ = delta((drawn,), _loss(520), 2)
    with pytest.raises(ValueError):
        apply({**_loss(500), "version": 5}, message)


def test_a_browser_that_missed_messages_still_applies_a_later_one() -> None:
    """React hands a busy chart only the newest of several messages: a delta applies to any
    figure of the window it was made for, and arrives whole from each."""
    specs = [_loss(n) for n in (1600, 1650, 1700, 1750)]
    window, helds = [], []
    for version, spec in enumerate(specs[:3], start=1):
        message, drawn = delta(tuple(window), spec, version)
        helds.append(apply(helds[-1] if helds else {}, message))
        window.append(drawn)
    message, _ = delta(tuple(window), specs[3], 4)
    assert message["bases"] == [1, 2, 3]
    for held in helds:  # missed none, one or two messages
        assert apply(held, message)["data"] == specs[3]["data"]


def _sent(at, key: str) -> dict:
    for element in at.get("bidi_component"):
        data = component_data(element)
        if data.get("key") == key:
            return data
    raise AssertionError(f"no live chart {key}")


def test_a_timer_refresh_sends_changes_and_a_full_run_the_whole_figure(monkeypatch) -> None:
    """The glue (app/ui/live_chart.py): a full-app run sends the whole figure; a fragment rerun
    sends changes for the figures the session sent last; a browser that says it missed one gets
    the whole figure again."""
    at = open_page(TRAIN)
    at.button(key="train-step").click().run()
    whole = _sent(at, "train-loss-chart")
    assert "figure" in whole
    monkeypatch.setattr(live_chart, "_fragment_run", lambda: True)  # as a timer refresh runs
    at.button(key="train-step").click().run()
    change = _sent(at, "train-loss-chart")
    assert change["bases"][-1] == whole["version"] and "figure" not in change
    held = apply({**whole["figure"], "version": whole["version"]}, change)
    monkeypatch.setattr(live_chart, "_fragment_run", lambda: False)
    at.run()  # a full run: the same figure, whole
    assert held["data"] == _sent(at, "train-loss-chart")["figure"]["data"]
    monkeypatch.setattr(live_chart, "_fragment_run", lambda: True)
    at.session_state[live_chart.SENT]["train-loss-chart"].wholes = 1  # as a "resync" sets it
    at.run()
    assert "figure" in _sent(at, "train-loss-chart")  # whole once...
    at.run()
    assert "figure" not in _sent(at, "train-loss-chart")  # ...then changes again
