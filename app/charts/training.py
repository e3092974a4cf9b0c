"""Figures of a live training run: loss, predictions against the truth, gradient norm."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from app.charts.envelope import MAX_POINTS, envelope
from app.charts.style import (
    COLORS,
    axis,
    centred_note,
    colorscale,
    counts,
    figure,
    horizontal_line,
    line,
    log_ticks,
)


@dataclass(frozen=True)
class Labels:
    """Translated words for one figure (charts never look up translations themselves)."""

    title: str
    x: str = ""
    y: str = ""
    series: tuple[str, ...] = ()


def loss_figure(
    steps: np.ndarray,
    loss: np.ndarray,
    val_loss: np.ndarray,
    labels: Labels,
    log_scale: bool = True,
    big: bool = False,
    empty_note: str = "",
) -> go.Figure:
    """Training loss every step; validation loss where it was measured (NaN elsewhere). Before the
    first step the empty plot says ``empty_note`` (what to press), in the place the curve will take."""
    measured = ~np.isnan(val_loss)
    traces = [
        line(*envelope(steps, loss), labels.series[0], COLORS["train"]),
        {
            **line(*envelope(steps[measured], val_loss[measured]), labels.series[1], COLORS["val"]),
            "mode": "lines+markers",
            "marker": {"size": 5},
        },
    ]
    scale = "log" if log_scale else "linear"
    return figure(
        traces,
        labels.title,
        big,
        xaxis=axis(labels.x, big, **counts(steps)),
        yaxis=axis(
            labels.y,
            big,
            type=scale,
            exponentformat="power",
            **(log_ticks(loss, val_loss) if log_scale else {}),
        ),
        annotations=[centred_note(empty_note, big)] if empty_note and not len(steps) else [],
    )


def forecast_figure(
    truth: np.ndarray,
    prediction: np.ndarray,
    persistence: np.ndarray,
    labels: Labels,
    big: bool = False,
) -> go.Figure:
    """Validation series in the data's own units: truth, the model, and 'tomorrow = today'."""
    x = np.arange(len(truth))
    names = labels.series
    traces = [
        line(x, truth, names[0], COLORS["truth"], width=2),
        line(x, prediction, names[1], COLORS["model"], width=2),
        line(x, persistence, names[2], COLORS["baseline"], dash="dot"),
    ]
    return figure(
        traces, labels.title, big, xaxis=axis(labels.x, big, **counts(x)), yaxis=axis(labels.y, big)
    )


def scatter_figure(
    truth: np.ndarray, prediction: np.ndarray, labels: Labels, big: bool = False
) -> go.Figure:
    """Predicted against true values: a perfect model sits on the diagonal."""
    low = float(min(truth.min(), prediction.min(), 0.0))
    high = float(max(truth.max(), prediction.max(), 2.0))
    traces = [
        line([low, high], [low, high], labels.series[1], COLORS["baseline"], dash="dot"),
        {
            "type": "scatter",
            "x": truth,
            "y": prediction,
            "mode": "markers",
            "name": labels.series[0],
            "marker": {"color": COLORS["model"], "size": 6, "opacity": 0.6},
        },
    ]
    return figure(traces, labels.title, big, xaxis=axis(labels.x, big), yaxis=axis(labels.y, big))


def confusion_figure(
    truth: np.ndarray, prediction: np.ndarray, classes: int, labels: Labels, big: bool = False
) -> go.Figure:
    """How often each symbol (rows) was answered as each symbol (columns)."""
    counts = np.zeros((classes, classes), dtype=np.float32)
    np.add.at(counts, (truth.astype(int), prediction.astype(int)), 1)
    heatmap = {
        "type": "heatmap",
        "z": counts,
        "colorscale": colorscale("Blues"),
        "showscale": False,
        "texttemplate": "%{z:.0f}",
    }
    return figure(
        [heatmap],
        labels.title,
        big,
        xaxis=axis(labels.x, big, dtick=1),
        yaxis=axis(labels.y, big, dtick=1, autorange="reversed"),
    )


def grad_norm_figure(
    steps: np.ndarray,
    norm: np.ndarray,
    clipped: np.ndarray,
    threshold: float | None,
    labels: Labels,
    big: bool = False,
    after: np.ndarray | None = None,
) -> go.Figure:
    """Global gradient norm before clipping (and after, if given); the threshold when clipping is on."""
    traces = [line(*envelope(steps, norm), labels.series[0], COLORS["train"])]
    if after is not None:
        traces.append(line(*envelope(steps, after), labels.series[2], COLORS["val"], dash="dot"))
    fired = np.flatnonzero(clipped > 0.5)
    fired = fired[:: -(-len(fired) // MAX_POINTS) or 1]  # at most MAX_POINTS markers
    if len(fired):
        traces.append(
            {
                "type": "scatter",
                "x": steps[fired],
                "y": norm[fired],
                "name": labels.series[1],
                "mode": "markers",
                "marker": {"color": COLORS["clipped"], "size": 5},
            }
        )
    shapes = [] if threshold is None else [horizontal_line(threshold, COLORS["clipped"])]
    return figure(
        traces,
        labels.title,
        big,
        xaxis=axis(labels.x, big, **counts(steps)),
        yaxis=axis(labels.y, big, type="log", exponentformat="power", **log_ticks(norm)),
        shapes=shapes,
    )
