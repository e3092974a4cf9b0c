"""The training page's figures: what they carry, and that long runs are thinned for drawing without
losing a spike."""

from __future__ import annotations

import numpy as np

from app.charts.envelope import MAX_POINTS
from app.charts.training import Labels, grad_norm_figure, loss_figure

LABELS = Labels("title", "step", "loss", ("train", "val", "after"))


def test_short_runs_are_drawn_point_for_point() -> None:
    steps = np.arange(50, dtype=np.float32)
    loss = np.linspace(1, 0.1, 50, dtype=np.float32)
    val = np.where(steps % 10 == 0, loss, np.nan)
    train, validation = loss_figure(steps, loss, val, LABELS).data
    np.testing.assert_array_equal(train.y, loss)
    np.testing.assert_array_equal(validation.x, [0, 10, 20, 30, 40])


def test_a_long_run_keeps_its_spike_and_its_last_step() -> None:
    steps = np.arange(2000, dtype=np.float32)
    loss = np.linspace(1, 0.1, 2000, dtype=np.float32)
    loss[1234] = 50.0  # one bad batch
    val = np.full(2000, np.nan, dtype=np.float32)
    fig = loss_figure(steps, loss, val, LABELS, big=True)
    train = fig.data[0]
    assert len(train.y) <= MAX_POINTS
    assert max(train.y) == 50.0 and 1234 in train.x
    assert train.x[-1] == 1999 and train.y[-1] == np.float32(0.1)
    assert fig.layout.yaxis.type == "log" and fig.layout.height == 520


def test_gradient_norm_thins_lines_and_clipping_marks() -> None:
    steps = np.arange(2000, dtype=np.float32)
    norm = np.ones(2000, dtype=np.float32)
    norm[777] = 1e4  # an explosion
    clipped = np.ones(2000, dtype=np.float32)  # clipping fired at every step
    fig = grad_norm_figure(steps, norm, clipped, 5.0, LABELS, after=np.minimum(norm, 5.0))
    before, after, marks = fig.data
    assert len(before.y) <= MAX_POINTS and max(before.y) == 1e4
    assert len(after.y) <= MAX_POINTS and max(after.y) == 5.0
    assert 0 < len(marks.x) <= MAX_POINTS
    assert fig.layout.shapes[0].y0 == 5.0  # the threshold
