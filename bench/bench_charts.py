"""What one redraw of the live pages' figures costs on the server: building each figure with the chart
builders (plain dicts, validated once by ``go.Figure(data=..., layout=...)``), against the same 2000-step
loss figure (thinned to the same points for drawing, app/charts/envelope.py) built step by step (``go.Figure()`` + ``add_scatter`` + ``update_layout`` / ``update_xaxes`` /
``update_yaxes``, written here as the baseline), and Streamlit's own serialisation of each figure.

The serialisation is what ``st.plotly_chart`` does with a figure in streamlit 1.67:
``plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)`` (a ``to_dict()``), then
``plotly.io.to_json(..., validate=False)``. Every page refresh of every session pays build + send.

Figures, on synthetic data of the live pages' sizes: training loss (2000 steps, validation every 10),
forecast (300 validation points: truth, model, persistence), gradient norm (2000 steps, clipping
threshold), the duel's loss (three cells x 2000 steps, baseline line), the text page's bits per
character (2000 steps, unigram line) and the gradients page's dL/dh_t through time (T = 100, LSTM:
hidden and cell state, theory line). Each timing is the median of --repeats interleaved rounds after a
warm-up; ratios are against the step-by-step loss figure measured in the same run. The machine's load
average is printed first: compare ratios rather than absolute times across runs.

Run: python bench/bench_charts.py [--quick] [--repeats N]   (~5 s; --quick ~1 s)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable

import numpy as np
import plotly
import plotly.graph_objects as go
import plotly.io as pio
import plotly.tools

from app.charts.comparison import duel_loss_figure
from app.charts.envelope import envelope
from app.charts.gradients import time_gradient_figure
from app.charts.style import COLORS, styled
from app.charts.text import bits_figure
from app.charts.training import Labels, forecast_figure, grad_norm_figure, loss_figure

STEPS = 2000
RNG = np.random.default_rng(0)


def step_by_step_loss_figure(
    steps: np.ndarray, loss: np.ndarray, val_loss: np.ndarray, labels: Labels, big: bool = False
) -> go.Figure:
    """The loss figure as it was built before the one-step builders (the same thinned points, then
    ``add_scatter`` and the ``update_*`` calls of ``styled``): the baseline."""
    measured = ~np.isnan(val_loss)
    x, y = envelope(steps, loss)
    val_x, val_y = envelope(steps[measured], val_loss[measured])
    fig = go.Figure()
    fig.add_scatter(x=x, y=y, name=labels.series[0], mode="lines", line={"color": COLORS["train"]})
    fig.add_scatter(
        x=val_x,
        y=val_y,
        name=labels.series[1],
        mode="lines+markers",
        line={"color": COLORS["val"]},
        marker={"size": 5},
    )
    fig.update_xaxes(title=labels.x)
    fig.update_yaxes(title=labels.y, type="log", exponentformat="power")
    return styled(fig, labels.title, big)


def streamlit_send(fig: go.Figure) -> str:
    """What st.plotly_chart does with a figure (streamlit 1.67): the spec it puts in the message."""
    checked = plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)
    return pio.to_json(checked, validate=False)


def page_figures() -> dict[str, Callable[[], go.Figure]]:
    """Builders of the live pages' figures, on fixed synthetic data; the step-by-step baseline last."""
    steps = np.arange(1, STEPS + 1, dtype=np.int64)
    loss = (np.exp(-steps / 600) + 0.02 * RNG.random(STEPS)).astype(np.float32)
    val = np.full(STEPS, np.nan, dtype=np.float32)
    val[::10] = loss[::10] * 1.1
    labels = Labels("Loss", "training step", "loss", ("training", "validation"))
    truth = np.sin(np.arange(300) / 9).astype(np.float32) * 10 + 12
    prediction = truth + RNG.normal(0, 1, 300).astype(np.float32)
    norm = (np.abs(RNG.normal(1, 0.5, STEPS)) + 0.01).astype(np.float32)
    clipped = (norm > 1.5).astype(np.float32)
    curves = {
        cell: (steps, loss * scale) for cell, scale in (("rnn", 3.0), ("lstm", 1.0), ("gru", 1.2))
    }
    names = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
    norms = (0.9 ** np.arange(100)[::-1]).astype(np.float32)
    forecast_labels = Labels("Forecast", "day", "°C", ("truth", "model", "persistence"))
    grad_labels = Labels("Gradient norm", "training step", "‖∇‖", ("norm", "clipped"))
    duel_labels = Labels("Loss", "training step", "loss", ("always 1.0",))
    bits_labels = Labels("Bits per character", "step", "bits", ("training", "held-out", "unigram"))
    time_labels = Labels("‖∂L/∂hₜ‖", "time step", "‖∂L/∂hₜ‖", ("h", "theory", "c"))
    return {
        "training loss": lambda: loss_figure(steps, loss, val, labels),
        "forecast": lambda: forecast_figure(truth, prediction, np.roll(truth, 1), forecast_labels),
        "grad norm": lambda: grad_norm_figure(steps, norm, clipped, 1.5, grad_labels),
        "duel loss": lambda: duel_loss_figure(curves, names, 0.167, duel_labels),
        "text bits": lambda: bits_figure(steps, loss * 4, val * 4, 4.4, bits_labels),
        "time gradient": lambda: time_gradient_figure(norms, 0.9, time_labels, norms * 2),
        "loss step by step": lambda: step_by_step_loss_figure(steps, loss, val, labels),
    }


def same_figure(a: go.Figure, b: go.Figure) -> bool:
    """The same plotly JSON, the default template aside."""
    specs = [json.loads(pio.to_json(fig)) for fig in (a, b)]
    for spec in specs:
        spec["layout"].pop("template", None)
    return specs[0] == specs[1]


def measure(repeats: int) -> dict[str, dict[str, float]]:
    """Median ms of building, and of Streamlit's serialisation, per figure: interleaved rounds."""
    builders = page_figures()
    built = {name: build() for name, build in builders.items()}  # warm-up, and what is sent
    for fig in built.values():
        streamlit_send(fig)
    times: dict[str, dict[str, list[float]]] = {n: {"build": [], "send": []} for n in builders}
    for _ in range(repeats):
        for name, build in builders.items():
            start = time.perf_counter()
            build()
            middle = time.perf_counter()
            streamlit_send(built[name])
            end = time.perf_counter()
            times[name]["build"].append((middle - start) * 1e3)
            times[name]["send"].append((end - middle) * 1e3)
    return {
        name: {kind: statistics.median(values) for kind, values in kinds.items()}
        for name, kinds in times.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a smoke run")
    parser.add_argument("--repeats", type=int, default=None, help="interleaved rounds (101)")
    args = parser.parse_args()
    repeats = args.repeats or (11 if args.quick else 101)
    print(
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
        f"plotly {plotly.__version__}; median of {repeats} interleaved rounds"
    )
    builders = page_figures()
    if not same_figure(builders["training loss"](), builders["loss step by step"]()):
        raise SystemExit("the step-by-step baseline no longer draws the same loss figure")

    result = measure(repeats)
    base = result["loss step by step"]
    base_total = base["build"] + base["send"]
    print(
        f"{'figure':<19}{'build ms':>9}{'/ base':>8}{'send ms':>9}"
        f"{'total ms':>10}{'/ base':>8}{'JSON kB':>9}"
    )
    for name, m in result.items():
        total = m["build"] + m["send"]
        size = len(streamlit_send(builders[name]())) / 1e3
        print(
            f"{name:<19}{m['build']:>9.2f}{m['build'] / base['build']:>7.2f}x{m['send']:>9.2f}"
            f"{total:>10.2f}{total / base_total:>7.2f}x{size:>9.1f}"
        )
    one = result["training loss"]
    print(
        f"loss figure, {STEPS} steps: building step by step costs "
        f"{base['build'] / one['build']:.1f}x building in one step; with Streamlit's serialisation "
        f"{base_total / (one['build'] + one['send']):.1f}x"
    )
    live = [name for name in result if name != "loss step by step"]
    build = sum(result[n]["build"] for n in live)
    send = sum(result[n]["send"] for n in live)
    print(
        f"all {len(live)} live figures once: build {build:.1f} ms + send {send:.1f} ms "
        f"= {build + send:.1f} ms (send {send / (build + send):.0%})"
    )


if __name__ == "__main__":
    main()
