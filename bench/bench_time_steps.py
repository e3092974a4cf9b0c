"""What the step-through-time page costs the server: one inspection per sequence, then each cursor move.

When a sequence is chosen the page traces it once (``inspect``) and fits the PCA path over 64 validation
sequences (``pca_trajectory``); both are cached. Every cursor move then recomputes the step's terms
(``step_terms``) and rebuilds and serialises the page's figures (hidden-state heatmap, 4 unit lines,
input/output sequence, PCA path and, for gated cells, the gates): that is the server's share of a round
trip. This prints medians for hidden 64 on the adding problem at T = 50 and T = 200, for an RNN and an
LSTM, with the bytes of figure JSON sent per move, and says whether a move stays well under 100 ms.

Run: python bench/bench_time_steps.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import numpy as np
import torch

from app.charts.hidden import (
    gates_figure,
    hidden_heatmap,
    sequence_figure,
    trajectory_figure,
    unit_lines,
)
from app.charts.training import Labels
from app.engine.config import RunConfig
from app.engine.run import Run
from app.engine.tasks import TaskConfig
from app.engine.time_steps import Inspection, Trajectory, inspect, pca_trajectory, step_terms

HIDDEN = 64
LENGTHS = (50, 200)
CELLS = ("rnn", "lstm")
UNITS = 4
BUDGET_MS = 100.0  # a cursor move should feel immediate
WELL_UNDER = 0.5  # "well under": the server's part takes at most half the budget
LABELS = Labels("title", "time step t", "unit", ("a", "b", "c"))
SPREAD: list[float] = []  # interquartile range / median of every timing, to show a busy machine


def median_seconds(action: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``action``; the interquartile range, relative, goes to SPREAD."""
    action()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    if len(times) >= 4:
        low, _, high = statistics.quantiles(times, n=4)
        SPREAD.append((high - low) / statistics.median(times))
    return statistics.median(times)


def build_figures(seen: Inspection, path: Trajectory, cursor: int) -> list:
    """The figures the page draws at one cursor position (as app.ui.time_view._charts does)."""
    found = seen.trace.layers[0]
    hidden = found.hidden[0].numpy()
    units = sorted(int(u) for u in np.argsort(-hidden.var(axis=0))[:UNITS])
    figures = [
        hidden_heatmap(hidden, cursor, LABELS),
        unit_lines(hidden, units, cursor, LABELS),
        sequence_figure(seen.inputs, seen.outputs, cursor, LABELS),
        trajectory_figure(path.points, path.cloud, cursor, LABELS),
    ]
    if found.gates:
        rows = {name: values[0].numpy() for name, values in found.gates.items()}
        if found.cell is not None:
            rows["c"] = found.cell[0].numpy()
        figures.append(gates_figure(rows, units, cursor, LABELS))
    return figures


def measure(cell: str, length: int, repeats: int) -> dict[str, float]:
    run = Run(
        RunConfig(task=TaskConfig(name="adding", length=length), cell=cell, hidden_size=HIDDEN)
    )
    run.train(steps=20)
    x = run.task.x_val[:1]

    def inspection() -> tuple[Inspection, Trajectory]:
        seen = inspect(run, x)
        return seen, pca_trajectory(run, seen)

    inspect_s = median_seconds(inspection, repeats)
    seen, path = inspection()
    cursors = iter(range(10**9))
    sizes: list[int] = []

    def cursor_move() -> None:
        cursor = next(cursors) % length
        step_terms(run, seen, cursor)
        sizes.append(sum(len(fig.to_json()) for fig in build_figures(seen, path, cursor)))

    terms_s = median_seconds(lambda: step_terms(run, seen, length // 2), repeats * 4)
    move_s = median_seconds(cursor_move, repeats)
    built = build_figures(seen, path, length // 2)
    json_s = median_seconds(lambda: [fig.to_json() for fig in built], repeats)
    return {
        "inspect_ms": inspect_s * 1e3,
        "terms_ms": terms_s * 1e3,
        "move_ms": move_s * 1e3,
        "json_ms": json_s * 1e3,
        "figures": float(len(built)),
        "bytes": float(statistics.median(sizes)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a smoke run")
    args = parser.parse_args()
    torch.set_num_threads(1)
    repeats = 3 if args.quick else 15
    print(
        f"Adding problem, hidden {HIDDEN}, one thread, median of {repeats} repeats. Inspection = "
        "inspect + pca_trajectory (once per sequence); move = step_terms + building and to_json() "
        f"of every figure ({UNITS} unit lines)"
    )
    print(
        f"{'cell':<6}{'T':>5}{'inspect ms':>12}{'terms ms':>10}{'move ms':>9}{'of it json':>12}"
        f"{'figures':>9}{'bytes/move':>12}"
    )
    fast, slow = [], []
    for length in LENGTHS:
        for cell in CELLS:
            m = measure(cell, length, repeats)
            (fast if m["move_ms"] <= WELL_UNDER * BUDGET_MS else slow).append(f"{cell} T={length}")
            print(
                f"{cell:<6}{length:>5}{m['inspect_ms']:>12.1f}{m['terms_ms']:>10.3f}"
                f"{m['move_ms']:>9.1f}{m['json_ms']:>12.1f}{m['figures']:>9.0f}{m['bytes']:>12,.0f}"
            )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Widest interquartile range / median: {max(SPREAD):.0%}; load average over the last "
        f"minute: {load:.1f} on {os.cpu_count()} cores"
    )
    limit = WELL_UNDER * BUDGET_MS
    print(
        f"Well under {BUDGET_MS:.0f} ms per round trip means at most {limit:.0f} ms on the server "
        "(network and the browser's redraw of the figures come on top)."
    )
    if fast:
        print(f"  stays well under: {', '.join(fast)}")
    if slow:
        print(f"  does NOT stay well under: {', '.join(slow)}")


if __name__ == "__main__":
    main()
