"""What a live chart sends at every refresh (app/ui/live_chart.py): the figure without its template,
its numbers as single precision, nothing lost a chart could show."""

from __future__ import annotations

import base64
import json

import numpy as np

from app.charts.training import Labels, loss_figure
from app.ui.live_chart import payload

LABELS = Labels("loss", "step", "loss", ("train", "val"))


def _decoded(array: dict) -> np.ndarray:
    return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])


def test_a_refresh_sends_singles_that_keep_the_curve_and_half_the_bytes() -> None:
    steps = np.arange(1, 301)
    loss = np.exp(-steps / 50.0) + 1e-15  # down to a loss no float16 could hold
    fig = loss_figure(steps, loss, np.full(300, np.nan), LABELS)
    sent = payload(fig)
    curve = sent["data"][0]["y"]
    assert curve["dtype"] == "f4"
    np.testing.assert_allclose(_decoded(curve), loss, rtol=1e-6)
    assert "template" not in sent["layout"]
    doubles = len(fig.to_json())
    sent_bytes = len(json.dumps(sent, separators=(",", ":")))
    assert sent_bytes < 0.75 * doubles, (sent_bytes, doubles)


def test_whole_steps_travel_in_two_bytes_and_anything_else_as_they_were() -> None:
    """Steps (whole numbers under 65,536) as u2, exactly; a step beyond, a fraction or a gap (NaN)
    keeps single precision. From a plotly figure and from a live refresh's plain dicts alike."""
    steps = np.arange(0, 65536, 256, dtype=np.float32)  # 256 points: none thinned
    loss = np.linspace(1.0, 0.1, len(steps))
    for fig in (loss_figure(steps, loss, np.full(len(steps), np.nan), LABELS), _plain(steps, loss)):
        sent = payload(fig)
        x = sent["data"][0]["x"]
        assert x["dtype"] == "u2"
        np.testing.assert_array_equal(_decoded(x), steps)
        assert sent["data"][0]["y"]["dtype"] == "f4"
    for other in (steps + 65536, steps + 0.5, np.append(steps, np.nan)):
        x = payload(_plain(other, np.ones(len(other))))["data"][0]["x"]
        assert x["dtype"] == "f4"
        np.testing.assert_array_equal(_decoded(x), other.astype(np.float32))


def _plain(x: np.ndarray, y: np.ndarray) -> dict:
    return {"data": [{"type": "scatter", "x": x, "y": y}], "layout": {}}
