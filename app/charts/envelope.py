"""Fewer points for a long line chart, without losing its spikes.

A history holds up to 2,000 rows; a chart a few hundred pixels wide shows no more than that many
points, and every point sent costs the server time (Streamlit hashes and serialises each chart on
every live refresh) and the room's Wi-Fi bandwidth. Keeping each bucket's lowest and highest point
keeps what matters on these charts: a loss spike, a gradient explosion, the lowest loss reached."""

from __future__ import annotations

import numpy as np

MAX_POINTS = 300


def envelope(
    x: np.ndarray, y: np.ndarray, max_points: int = MAX_POINTS
) -> tuple[np.ndarray, np.ndarray]:
    """At most ``max_points`` of (x, y), in order: the first and last points and, in each of at
    most ``max_points / 2 - 1`` equal buckets, the points holding the bucket's minimum and maximum.
    NaN points are never chosen over a number (a bucket of NaN only gives NaN, a gap in the line).

    The bucket size is a power of two and buckets start at the first point, so as a series grows
    its finished buckets keep their points: a live chart sends only the newest ones
    (app/ui/chart_delta.py) until the size doubles."""
    n = len(y)
    if n <= max_points:
        return x, y
    limit = max(1, max_points // 2 - 1)
    size = 1
    while size * limit < n:
        size *= 2
    buckets = -(-n // size)  # ceil, at most limit
    padded = np.full(buckets * size, np.nan, dtype=np.float64)
    padded[:n] = y
    rows = padded.reshape(buckets, size)
    missing = np.isnan(rows)
    low = np.where(missing, np.inf, rows).argmin(axis=1)
    high = np.where(missing, -np.inf, rows).argmax(axis=1)
    starts = np.arange(buckets) * size
    keep = np.unique(np.concatenate(([0, n - 1], starts + low, starts + high)))
    keep = keep[keep < n]
    return x[keep], y[keep]
