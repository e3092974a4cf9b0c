"""What the step-through-time page costs the server: one inspection per sequence, then each cursor move.

When a sequence is chosen the page traces it once (``inspect``) and fits the PCA path over 64 validation
sequences (``pca_trajectory``); both are cached. Every cursor move then recomputes the step's terms
(``step_terms``), moves the cursor of the page's cached figures (hidden-state heatmap, 4 unit lines,
input/output sequence, PCA path and, for gated cells, the gates) and serialises them: that is the
server's share of a round trip. For comparison it also times rebuilding every figure at each move,
which is what the page did before it cached them. This prints medians for hidden 64 on the adding problem at T = 50 and T = 200, for an RNN and an
LSTM, with the bytes of figure JSON sent per move, and says whether a move stays well under 100 ms. A move
is timed twice: wall time, and this process's CPU time (what it costs with a core to itself, so a machine
busy with other work shows up as the gap between the two, and in the printed interquartile range).

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
    move_cursor,
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


def median_seconds(
    action: Callable[[], object], repeats: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    """Median time of ``action`` on ``clock`` (wall time unless told); the interquartile range,
    relative, goes to SPREAD."""
    action()  # warm-up
    times = []
    for _ in range(repeats):
        start = clock()
        action()
        times.append(clock() - start)
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

    def rebuild_move() -> None:
        """The page before figure caching: every figure rebuilt at each cursor position."""
        cursor = next(cursors) % length
        step_terms(run, seen, cursor)
        [fig.to_json() for fig in build_figures(seen, path, cursor)]

    cached = build_figures(seen, path, 0)

    def cursor_move() -> None:
        """What the page does now: figures built once per sequence, only their cursors move."""
        cursor = next(cursors) % length
        step_terms(run, seen, cursor)
        sizes.append(sum(len(move_cursor(fig, cursor).to_json()) for fig in cached))

    terms_s = median_seconds(lambda: step_terms(run, seen, length // 2), repeats * 4)
    rebuild_s = median_seconds(rebuild_move, repeats)
    move_s = median_seconds(cursor_move, repeats)
    # CPU time of this process: on a busy machine, what a move costs when it gets a core.
    move_cpu_s = median_seconds(cursor_move, repeats, time.process_time)
    built = build_figures(seen, path, length // 2)
    json_s = median_seconds(lambda: [fig.to_json() for fig in built], repeats)
    return {
        "inspect_ms": inspect_s * 1e3,
        "terms_ms": terms_s * 1e3,
        "move_ms": move_s * 1e3,
        "rebuild_ms": rebuild_s * 1e3,
        "move_cpu_ms": move_cpu_s * 1e3,
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
        "inspect + pca_trajectory (once per sequence); move = step_terms + moving the cursors of the "
        f"cached figures + to_json() ({UNITS} unit lines); rebuild = building every figure anew"
    )
    print(
        f"{'cell':<6}{'T':>5}{'inspect ms':>12}{'terms ms':>10}{'move ms':>9}{'move cpu':>10}"
        f"{'of it json':>12}{'rebuild ms':>12}{'figures':>9}{'bytes/move':>12}"
    )
    limit = WELL_UNDER * BUDGET_MS
    verdicts: dict[str, list[str]] = {"wall": [], "cpu": []}
    for length in LENGTHS:
        for cell in CELLS:
            m = measure(cell, length, repeats)
            name = f"{cell} T={length}"
            if m["move_ms"] <= limit:
                verdicts["wall"].append(name)
            if m["move_cpu_ms"] <= limit:
                verdicts["cpu"].append(name)
            print(
                f"{cell:<6}{length:>5}{m['inspect_ms']:>12.1f}{m['terms_ms']:>10.3f}"
                f"{m['move_ms']:>9.1f}{m['move_cpu_ms']:>10.1f}{m['json_ms']:>12.1f}"
                f"{m['rebuild_ms']:>12.1f}{m['figures']:>9.0f}{m['bytes']:>12,.0f}"
            )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Widest interquartile range / median: {max(SPREAD):.0%}; load average over the last "
        f"minute: {load:.1f} on {os.cpu_count()} cores"
    )
    print(
        f"A round trip stays well under {BUDGET_MS:.0f} ms when the server's part of a cursor move "
        f"takes at most {limit:.0f} ms (network and the browser's redraw come on top)."
    )
    everything = [f"{cell} T={length}" for length in LENGTHS for cell in CELLS]
    for clock, words in (("wall", "wall time, as measured"), ("cpu", "CPU time, a core to itself")):
        good = verdicts[clock]
        bad = [name for name in everything if name not in good]
        print(
            f"  by {words}: well under for {', '.join(good) or 'none'}; "
            f"NOT well under for {', '.join(bad) or 'none'}"
        )


if __name__ == "__main__":
    main()
