"""Long series are thinned for drawing, but keep their extremes, ends and order."""

from __future__ import annotations

import numpy as np
import pytest

from app.charts.envelope import envelope


def test_short_series_are_left_alone() -> None:
    x, y = np.arange(10), np.random.default_rng(0).normal(size=10)
    assert envelope(x, y, 500) == (x, y)


@pytest.mark.parametrize("n", [501, 1999, 2000, 10_007])
def test_long_series_keep_spikes_ends_and_order(n: int) -> None:
    rng = np.random.default_rng(n)
    x = np.arange(n) * 3.0
    y = rng.normal(size=n).astype(np.float32)
    y[n // 3] = 1e6  # an explosion
    y[n // 2] = -1e6
    xs, ys = envelope(x, y, 500)
    assert len(xs) <= 500
    assert xs[0] == x[0] and xs[-1] == x[-1]
    assert np.all(np.diff(xs) > 0)
    assert ys.max() == 1e6 and ys.min() == -1e6
    np.testing.assert_array_equal(ys, y[(xs / 3).astype(int)])  # real points, not averages
    # every stretch of the series is still represented: no gap wider than two buckets
    bucket = 1 << int(np.ceil(np.log2(n / (500 // 2 - 1))))  # a power of two, within 2x of n / 249
    assert np.diff(xs).max() <= 2 * bucket * 3.0


def test_numbers_are_chosen_over_missing_values() -> None:
    y = np.full(1000, np.nan)
    y[::100] = np.arange(10)  # measured every 100 steps (validation loss)
    xs, ys = envelope(np.arange(1000), y, 100)
    assert set(np.arange(10)) <= set(ys[~np.isnan(ys)])


def test_a_growing_series_keeps_the_points_already_drawn() -> None:
    """A live chart sends only new points (app/ui/chart_delta.py): appending to a series must not
    move the envelope's earlier points, except in the last, unfinished bucket."""
    y = np.random.default_rng(1).normal(size=1900)
    x = np.arange(len(y))
    before, _ = envelope(x[:1700], y[:1700], 500)  # buckets of 8 for 1,700 and 1,900 points
    after, _ = envelope(x, y, 500)
    finished = before[before < 1696]  # 1,696 = 212 whole buckets of 8
    np.testing.assert_array_equal(after[: len(finished)], finished)
    assert len(after) - len(finished) <= 2 * (1900 - 1696) // 8 + 4
