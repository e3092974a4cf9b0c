"""Figures of a live training run: loss, predictions against the truth, gradient norm."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from app.charts.style import COLORS, styled


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
) -> go.Figure:
    """Training loss every step; validation loss where it was measured (NaN elsewhere)."""
    measured = ~np.isnan(val_loss)
    fig = go.Figure()
    fig.add_scatter(
        x=steps, y=loss, name=labels.series[0], mode="lines", line={"color": COLORS["train"]}
    )
    fig.add_scatter(
        x=steps[measured],
        y=val_loss[measured],
        name=labels.series[1],
        mode="lines+markers",
        line={"color": COLORS["val"]},
        marker={"size": 5},
    )
    fig.update_xaxes(title=labels.x)
    fig.update_yaxes(title=labels.y, type="log" if log_scale else "linear", exponentformat="power")
    return styled(fig, labels.title, big)


def forecast_figure(
    truth: np.ndarray,
    prediction: np.ndarray,
    persistence: np.ndarray,
    labels: Labels,
    big: bool = False,
) -> go.Figure:
    """Validation series in the data's own units: truth, the model, and 'tomorrow = today'."""
    x = np.arange(len(truth))
    fig = go.Figure()
    names = labels.series
    fig.add_scatter(
        x=x, y=truth, name=names[0], mode="lines", line={"color": COLORS["truth"], "width": 2}
    )
    fig.add_scatter(
        x=x, y=prediction, name=names[1], mode="lines", line={"color": COLORS["model"], "width": 2}
    )
    fig.add_scatter(
        x=x,
        y=persistence,
        name=names[2],
        mode="lines",
        line={"color": COLORS["baseline"], "dash": "dot"},
    )
    fig.update_xaxes(title=labels.x)
    fig.update_yaxes(title=labels.y)
    return styled(fig, labels.title, big)


def scatter_figure(
    truth: np.ndarray, prediction: np.ndarray, labels: Labels, big: bool = False
) -> go.Figure:
    """Predicted against true values: a perfect model sits on the diagonal."""
    low = float(min(truth.min(), prediction.min(), 0.0))
    high = float(max(truth.max(), prediction.max(), 2.0))
    fig = go.Figure()
    fig.add_scatter(
        x=[low, high],
        y=[low, high],
        mode="lines",
        name=labels.series[1],
        line={"color": COLORS["baseline"], "dash": "dot"},
    )
    fig.add_scatter(
        x=truth,
        y=prediction,
        mode="markers",
        name=labels.series[0],
        marker={"color": COLORS["model"], "size": 6, "opacity": 0.6},
    )
    fig.update_xaxes(title=labels.x)
    fig.update_yaxes(title=labels.y)
    return styled(fig, labels.title, big)


def confusion_figure(
    truth: np.ndarray, prediction: np.ndarray, classes: int, labels: Labels, big: bool = False
) -> go.Figure:
    """How often each symbol (rows) was answered as each symbol (columns)."""
    counts = np.zeros((classes, classes), dtype=np.float32)
    np.add.at(counts, (truth.astype(int), prediction.astype(int)), 1)
    fig = go.Figure(
        go.Heatmap(z=counts, colorscale="Blues", showscale=False, texttemplate="%{z:.0f}")
    )
    fig.update_xaxes(title=labels.x, dtick=1)
    fig.update_yaxes(title=labels.y, dtick=1, autorange="reversed")
    return styled(fig, labels.title, big)


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
    fig = go.Figure()
    fig.add_scatter(
        x=steps, y=norm, name=labels.series[0], mode="lines", line={"color": COLORS["train"]}
    )
    if after is not None:
        fig.add_scatter(
            x=steps,
            y=after,
            name=labels.series[2],
            mode="lines",
            line={"color": COLORS["val"], "dash": "dot"},
        )
    fired = clipped > 0.5
    if fired.any():
        fig.add_scatter(
            x=steps[fired],
            y=norm[fired],
            name=labels.series[1],
            mode="markers",
            marker={"color": COLORS["clipped"], "size": 5},
        )
    if threshold is not None:
        fig.add_hline(y=threshold, line={"color": COLORS["clipped"], "dash": "dash"})
    fig.update_xaxes(title=labels.x)
    fig.update_yaxes(title=labels.y, type="log", exponentformat="power")
    return styled(fig, labels.title, big)
