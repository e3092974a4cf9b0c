"""A loss that reaches an almost perfect fit and then jumps back up by orders of magnitude.

Adam and RMSprop divide each step by the gradient's own running size, so once the gradient is
almost zero they still move the weights by about the learning rate: the fit overshoots and the loss
climbs back, then falls again (a saw-tooth on a log axis). The training page names it when the run's
own history shows it."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

FLOOR = 1e-9  # below this a float32 loss is rounding noise, not a fit getting better
NEAR_PERFECT = 1e-4  # the minimum has to be a near-perfect fit...
RISE = 2.0  # ...and the loss rise at least this many powers of ten above it


@dataclass(frozen=True)
class Rebound:
    low_step: int
    low: float
    high_step: int
    high: float

    @property
    def orders(self) -> float:
        """Powers of ten between the minimum and the peak after it."""
        return math.log10(self.high / max(self.low, FLOOR))


def find_rebound(steps: np.ndarray, loss: np.ndarray) -> Rebound | None:
    """The largest rise of the loss above its best value so far, if it is a rebound from a
    near-perfect fit (NaN rows, e.g. a divergence, are ignored)."""
    loss = np.asarray(loss, dtype=np.float64)
    ok = np.isfinite(loss)
    if ok.sum() < 2:
        return None
    steps, loss = np.asarray(steps)[ok], loss[ok]
    level = np.log10(np.maximum(loss, FLOOR))
    rise = level - np.minimum.accumulate(level)
    peak = int(np.argmax(rise))
    low = int(np.argmin(level[: peak + 1]))
    if rise[peak] < RISE or loss[low] > NEAR_PERFECT:
        return None
    return Rebound(int(steps[low]), float(loss[low]), int(steps[peak]), float(loss[peak]))
