"""A live chart's refresh sends what changed (app/ui/chart_delta.py), and applying it gives the
browser exactly the figure the server drew."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.charts.envelope import envelope
from app.charts.training import Labels, loss_figure
from app.ui import chart_delta, live_chart
from app.ui.chart_delta import _embedding, apply, delta, split, typed_array
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
    assert message["delta"]["layout"] == {"set": {"title": {"text": "perda"}}, "drop": []}
    assert apply(apply({}, delta((), spec, 2)[0]), message)["layout"] == renamed["layout"]


def test_a_layout_sends_only_its_entries_that_changed_and_drops_those_it_lost() -> None:
    spec = _loss(600)
    ticked = json.loads(json.dumps(spec))
    ticked["layout"]["yaxis"] = {**spec["layout"]["yaxis"], "tickvals": [0.1, 1.0]}
    ticked["layout"]["annotations"] = [{"text": "diverged", "x": 3, "y": 1}]
    held = apply({}, delta((), ticked, 1)[0])
    _, first = delta((), ticked, 1)
    _, second = delta((first,), ticked, 2)
    # The browser holds version 1 or 2; both have the ticks and the note, which are gone now.
    message, _ = delta((first, second), spec, 3)
    sent = message["delta"]["layout"]
    assert set(sent["set"]) == {"yaxis"} and sent["drop"] == (
        [] if "annotations" in spec["layout"] else ["annotations"]
    )
    assert apply(held, message)["layout"] == spec["layout"]
    whole = _size({"layout": spec["layout"]})
    assert _size(sent) < whole / 2, (_size(sent), whole)


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


# After a thinned curve's buckets double (app/charts/envelope.py) nearly every drawn point moves,
# but nearly all of them are old ones: a refresh picks them from the held figure by a bit mask.


def _curve(x: np.ndarray, y: np.ndarray) -> dict:
    """A one-trace figure of the envelope of (x, y), as live_chart.payload sends it."""
    xs, ys = envelope(x, y)
    trace = {
        "type": "scatter",
        "x": typed_array(xs.astype("<f4")),
        "y": typed_array(ys.astype("<f4")),
    }
    return {"data": [trace], "layout": {}}


def _series(seed: int, steps: int, repeats: bool) -> tuple[np.ndarray, np.ndarray]:
    """A falling, noisy loss over ``steps`` steps with a few NaN; with ``repeats``, values from a
    handful (ties inside buckets, equal values across them)."""
    rng = np.random.default_rng(seed)
    y = np.exp(-np.arange(steps) / 400.0) + 0.05 * rng.random(steps)
    if repeats:
        y = np.round(y * 4) / 4
    y[rng.random(steps) < 0.02] = np.nan
    return np.arange(1, steps + 1, dtype=np.float64), y


def _parts(message: dict, form: str) -> list[dict]:
    return [
        part
        for trace in message["delta"]["traces"]
        for part in trace["arrays"].values()
        if part is not None and form in part
    ]


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    start=st.integers(1, 2500),
    growth=st.lists(st.integers(0, 700), min_size=2, max_size=3),
    repeats=st.booleans(),
    window=st.integers(1, 2),
)
def test_a_delta_across_doublings_rebuilds_the_figure_bit_for_bit(
    seed: int, start: int, growth: list[int], repeats: bool, window: int
) -> None:
    """Random growing series, thinned across bucket doublings, and a window of one or two old
    figures: from any figure of the window, the message rebuilds the new one exactly (NaN too)."""
    x, y = _series(seed, start + sum(growth), repeats)
    lengths = np.cumsum([start, *growth])
    specs = [_curve(x[:n], y[:n]) for n in lengths]
    drawn = [split(spec, version) for version, spec in enumerate(specs[:-1])]
    olds = list(enumerate(specs[:-1]))[-window:]
    message, _ = delta(tuple(drawn[-window:]), specs[-1], 99)
    for version, spec in olds:
        assert apply({**spec, "version": version}, message)["data"] == specs[-1]["data"]


@pytest.mark.parametrize("lengths", [(290, 297, 310), (585, 594, 603)])
def test_across_a_doubling_a_refresh_picks_the_old_points_instead_of_resending_them(
    lengths: tuple[int, int, int], monkeypatch
) -> None:
    """At 298 and 596 points the envelope's buckets double: the curve keeps ~half its points and
    nearly none at its place. The message picks them: masks of a bit per old value and the new
    points, under a third of the plain form, which sends nearly all the points again."""
    x, y = _series(1, 620, repeats=False)
    specs = [_curve(x[:n], y[:n]) for n in lengths]
    window = (split(specs[0], 1), split(specs[1], 2))
    message, _ = delta(window, specs[2], 3)
    picks = _parts(message, "pick")
    assert len(picks) == 2 and set(picks[0]["pick"]) == {"1", "2"}  # x and y, for both versions
    with monkeypatch.context() as patched:
        patched.setattr(chart_delta, "_pick", lambda *_: None)
        plain, _ = delta(window, specs[2], 3)
    assert max(part["keep"] for part in _parts(plain, "keep")) < 10  # nearly all sent again
    assert _size(message) < _size(plain) / 3, (_size(message), _size(plain))
    for version, spec in ((1, specs[0]), (2, specs[1])):
        assert apply({**spec, "version": version}, message)["data"] == specs[2]["data"]
    plain, _ = delta(window[1:], specs[1], 3)  # a refresh with nothing moved: no pick
    assert not _parts(plain, "pick")


def test_a_pick_for_another_version_or_array_cannot_be_applied() -> None:
    x, y = _series(2, 320, repeats=False)
    old, new = _curve(x[:297], y[:297]), _curve(x[:310], y[:310])
    message, _ = delta((split(old, 1),), new, 2)
    assert _parts(message, "pick")
    foreign = json.loads(json.dumps(message))
    foreign["bases"] = [1, 5]
    for part in _parts(foreign, "pick"):
        part["pick"] = {"5": part["pick"]["1"]}
    with pytest.raises(ValueError):
        apply({**old, "version": 1}, foreign)  # a base it holds, but no mask for it
    shorter = _curve(x[:200], y[:200])  # a mask over more values than it holds
    with pytest.raises(ValueError):
        apply({**shorter, "version": 1}, message)


@settings(max_examples=60, deadline=None)
@given(
    old=st.lists(st.sampled_from([0.0, 1.0, 2.0, float("nan")]), max_size=40),
    new=st.lists(st.sampled_from([0.0, 1.0, 2.0, float("nan")]), max_size=40),
)
def test_the_vectorised_match_is_the_greedy_one(old: list[float], new: list[float]) -> None:
    """Matched places are strictly increasing and equal bit for bit; given rounds enough, as long
    as the greedy match (the longest front of ``new`` that is a subsequence of ``old``)."""
    a, b = np.array(old, dtype="<f4"), np.array(new, dtype="<f4")
    greedy, at = [], 0
    for value in b.view("u4"):
        hits = np.flatnonzero(a.view("u4")[at:] == value)
        if not len(hits):
            break
        greedy.append(at + int(hits[0]))
        at = greedy[-1] + 1
    assert _embedding(a, b, rounds=len(b) + 1).tolist() == greedy
    places = _embedding(a, b)
    assert (np.diff(places) > 0).all() and len(places) <= len(greedy)
    assert (a[places].view("u4") == b[: len(places)].view("u4")).all()
