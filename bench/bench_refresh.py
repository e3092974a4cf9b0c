"""What one live refresh of /train costs the server beside its training: the CPU time of drawing
(the run's evaluation, the three figures, their messages: everything the live fragment times as
its drawing cost) and the bytes of the live charts' messages, when a refresh sends only what changed
(app/ui/chart_delta.py) beside the same refreshes sending every figure whole (the baseline, in the
same run, on the same run's states).

It drives the real page with Streamlit's AppTest in this process, on the default setup trained to
a long history (``--steps``, 2,000 by default: the history's full size), then, for ``--rounds``
refreshes, trains the steps of one refresh (``--per-refresh``, about what a 0.3 s tick trains at
full speed) and reruns the page, timing the page's draw function (``time.thread_time``: this thread's
CPU, not other processes' work). Changes and whole figures alternate round by round, so both see the
same machine. Training itself is not counted: its cost per refresh is whatever the slice is given.

Run: python bench/bench_refresh.py [--rounds 30] [--steps 2000] [--per-refresh 130]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from contextlib import nullcontext
from pathlib import Path

import torch
from streamlit.testing.v1 import AppTest

from app.ui import live_chart, live_fragment, state, training_view

MAIN = str(Path(__file__).resolve().parents[1] / "app" / "main.py")
TRAIN = "../pages/train.py"  # relative to app/main.py, as st.navigation has it

CPU_AIM_MS = 10.0
BYTES_AIM = 8000
CHARTS = ("train-loss-chart", "train-grad-chart", "train-prediction-chart")

torch.set_num_threads(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--per-refresh", type=int, default=130)
    args = parser.parse_args()

    modes = ("changes", "whole", "before")
    costs: dict[str, list[float]] = {mode: [] for mode in modes}
    sizes: dict[str, list[int]] = {mode: [] for mode in modes}
    draw = training_view._draw
    plain = live_fragment.plain_figures

    def timed(run) -> None:
        start = time.thread_time()
        draw(run)
        timed.last = time.thread_time() - start

    training_view._draw = timed
    at = AppTest.from_file(MAIN, default_timeout=120)
    at.run()
    at.switch_page(TRAIN)
    at.run()
    run = at.session_state[f"live:{state.RUN.name}"].thing
    run.train(steps=args.steps)
    for round_ in range(len(modes) * (args.rounds + 1)):
        run.train(steps=args.per_refresh)
        mode = modes[round_ % len(modes)]
        # changes: what a live refresh sends now; whole: every figure whole (a full-app run);
        # before: whole figures validated by plotly, as every refresh was drawn before.
        live_chart._fragment_run = (lambda: True) if mode == "changes" else (lambda: False)
        live_fragment.plain_figures = nullcontext if mode == "before" else plain
        at.run()
        if round_ < len(modes):
            continue  # warm-up, and the first whole figures a change is made against
        costs[mode].append(timed.last * 1000)
        sizes[mode].append(_chart_bytes(at))
    # Each change is against the figures sent two and three rounds back (the other modes' rounds
    # came between): what a browser that missed a message holds (app/ui/live_chart.py WINDOW).
    report(costs, sizes, args, run.step)


def _chart_bytes(at: AppTest) -> int:
    total = 0
    for element in at.get("bidi_component"):
        data = json.loads(element.proto.bytes)  # app/ui/static_code.py packed
        if data.get("key") in CHARTS:
            total += len(element.proto.bytes)
    return total


def report(costs, sizes, args, step: int) -> None:
    print(
        f"Unrolled /train refresh on the server ({os.cpu_count()} CPUs, load average"
        f" {os.getloadavg()[0]:.1f}; default setup, history of {args.steps:,} steps and more, ending at"
        f" step {step:,}; {args.per_refresh} steps per refresh; medians of {args.rounds} rounds each)"
    )
    base_ms, base_b = statistics.median(costs["before"]), statistics.median(sizes["before"])
    print(f"{'':52} {'CPU ms':>8} {'ratio':>6} {'chart bytes':>12} {'ratio':>6}")
    labels = {
        "before": "every figure whole and validated (the baseline)",
        "whole": "every figure whole, plain dicts (a full-app run)",
        "changes": "changes only, plain dicts (a live refresh)",
    }
    for mode in ("before", "whole", "changes"):
        ms, size = statistics.median(costs[mode]), statistics.median(sizes[mode])
        print(
            f"  {labels[mode]:50} {ms:8.1f} {ms / base_ms:6.2f} {size:12,.0f} {size / base_b:6.2f}"
        )
    verdict = "HELD" if statistics.median(costs["changes"]) <= CPU_AIM_MS else "NOT HELD"
    print(f"Aim: at most {CPU_AIM_MS:.0f} ms of server CPU to draw a live refresh: {verdict}")
    print(
        "(drawing: the run's evaluation, the figures and Streamlit's messages, not the training"
        f" slice; bytes on the wire in a browser: bench/bench_live.py, aim {BYTES_AIM / 1000:.0f} KB)"
    )


if __name__ == "__main__":
    main()
