"""Training in slices: a number of steps or a time budget, so a page can interleave training and drawing."""

from __future__ import annotations

import math
import time
from collections.abc import Callable


class Slices:
    """Mixed into anything that trains step by step: a Run, a Duel, a TextRun.

    The owner provides ``lock``, ``diverged`` and ``_train_step()``; this gives ``train()`` and a
    smoothed ``steps_per_second``."""

    steps_per_second: float = math.nan

    def train(self, steps: int | None = None, seconds: float | None = None) -> int:
        """Train ``steps`` steps, or for ``seconds`` (at least one step); returns the steps done."""
        if steps is None and seconds is None:
            steps = 1
        if steps is not None and steps <= 0:
            return 0
        with self.lock:
            done, elapsed = run_slice(self._train_step, lambda: self.diverged, steps, seconds)
            if done and elapsed > 0:
                self.steps_per_second = smoothed(self.steps_per_second, done / elapsed)
            return done


def run_slice(
    step: Callable[[], None], stop: Callable[[], bool], steps: int | None, seconds: float | None
) -> tuple[int, float]:
    start = time.perf_counter()
    done = 0
    while not stop():
        step()
        done += 1
        if steps is not None and done >= steps:
            break
        if seconds is not None and time.perf_counter() - start >= seconds:
            break
    return done, time.perf_counter() - start


def smoothed(previous: float, latest: float, weight: float = 0.3) -> float:
    """An exponential moving average, so the speed shown does not jump from one refresh to the next."""
    return latest if math.isnan(previous) else (1 - weight) * previous + weight * latest
