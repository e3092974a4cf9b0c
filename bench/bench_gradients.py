"""What the gradients page costs: one look at dL/dh_t through time against one training step.

The page takes a look (an exact unrolled pass over 8 validation sequences, with dL/dh_t) on a wall-clock
timer: every 0.25 s at most, and never more often than ten times its own cost. This prints, per cell and
sequence length, the cost of a look, its ratio to a plain training step, the refreshes per second that rule
allows, and the share of a playing second the looks take. It also times building the page's five figures.

Run: python bench/bench_gradients.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import torch

from app.charts.gradients import (
    horizon_figure,
    parameter_norms_figure,
    spectrum_figure,
    time_gradient_figure,
)
from app.charts.training import Labels, grad_norm_figure
from app.engine.config import RunConfig
from app.engine.diagnostics import COST_FACTOR, MIN_INTERVAL, GradientLog, look, spectrum
from app.engine.run import Run
from app.engine.tasks import TaskConfig


def median_seconds(action: Callable[[], object], repeats: int) -> float:
    action()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(cell: str, length: int, repeats: int) -> dict[str, float]:
    run = Run(RunConfig(task=TaskConfig(name="adding", length=length), cell=cell, hidden_size=32))
    step = median_seconds(lambda: run.train(steps=1), repeats * 4)
    one_look = median_seconds(lambda: look(run), repeats)
    interval = max(MIN_INTERVAL, COST_FACTOR * one_look)
    return {
        "step_ms": step * 1e3,
        "look_ms": one_look * 1e3,
        "ratio": one_look / step,
        "looks_per_s": 1 / interval,
        "share": one_look / interval,
    }


def figures_seconds(repeats: int) -> float:
    run = Run(RunConfig(task=TaskConfig(name="adding", length=100), cell="rnn", hidden_size=32))
    run.train(steps=200)
    log = GradientLog()
    for _ in range(150):
        log.add(look(run))
        run.train(steps=1)
    labels = Labels("t", "x", "y", ("a", "b", "c"))
    history = run.history

    def build() -> None:
        latest = log.entries[-1]
        time_gradient_figure(latest.norms, latest.predicted_factor, labels).to_json()
        horizon_figure(*log.matrix(), labels).to_json()
        steps = history.array("step")
        names = history.names("grad/")
        parameter_norms_figure(steps, {n: history.array(n) for n in names}, labels).to_json()
        grad_norm_figure(
            steps, history.array("grad_norm"), history.array("clipped"), 1.0, labels
        ).to_json()
        found = spectrum(run)
        spectrum_figure(found.eigenvalues, found.singular_values, labels).to_json()

    return median_seconds(build, repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a smoke run")
    args = parser.parse_args()
    torch.set_num_threads(1)
    repeats = 3 if args.quick else 15
    print(
        "One look = exact unrolled pass over 8 sequences with dL/dh_t; hidden 32, batch 32, one thread"
    )
    print(
        f"{'cell':<6}{'T':>5}{'step ms':>10}{'look ms':>10}{'look/step':>11}{'looks/s':>9}{'share':>8}"
    )
    for length in (50, 100):
        for cell in ("rnn", "lstm", "gru"):
            m = measure(cell, length, repeats)
            print(
                f"{cell:<6}{length:>5}{m['step_ms']:>10.2f}{m['look_ms']:>10.2f}{m['ratio']:>10.2f}x"
                f"{m['looks_per_s']:>9.1f}{m['share']:>7.1%}"
            )
    build = figures_seconds(repeats)
    print(f"Building and serialising the page's five figures: {build * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
