"""Figures that put cells side by side: loss curves, gradients through time, accuracy against lag."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from app.charts.gradients import _positive
from app.charts.style import COLORS, styled
from app.charts.training import Labels


def duel_loss_figure(
    curves: dict[str, tuple[np.ndarray, np.ndarray]],
    names: dict[str, str],
    baseline: float | None,
    labels: Labels,
    big: bool = False,
) -> go.Figure:
    """curves: cell -> (steps, loss). The baseline is the loss of the naive answer, when there is one."""
    fig = go.Figure()
    for cell, (steps, loss) in curves.items():
        fig.add_scatter(
            x=steps,
            y=_positive(loss),
            name=names[cell],
            mode="lines",
            line={"color": COLORS[cell], "width": 3},
        )
    if baseline is not None:
        fig.add_hline(
            y=baseline,
            line={"color": COLORS["baseline"], "dash": "dash"},
            annotation_text=labels.series[0],
            annotation_position="top left",
        )
    fig.update_xaxes(title=labels.x)
    fig.update_yaxes(title=labels.y, type="log", exponentformat="power")
    return styled(fig, labels.title, big)


def duel_gradient_figure(
    norms: dict[str, np.ndarray], names: dict[str, str], labels: Labels, big: bool = False
) -> go.Figure:
    """||dL/dh_t|| of each model against t, normalised to 1 at the last step so shapes compare."""
    fig = go.Figure()
    for cell, values in norms.items():
        values = np.asarray(values, dtype=np.float64)
        last = values[-1] if np.isfinite(values[-1]) and values[-1] > 0 else 1.0
        fig.add_scatter(
            y=_positive(values / last),
            name=names[cell],
            mode="lines",
            line={"color": COLORS[cell], "width": 3},
        )
    fig.update_xaxes(title=labels.x)
    fig.update_yaxes(title=labels.y, type="log", exponentformat="power")
    return styled(fig, labels.title, big)


def sweep_figure(
    results: dict[str, tuple[list[int], list[float]]],
    names: dict[str, str],
    chance: float,
    labels: Labels,
    big: bool = False,
) -> go.Figure:
    """Final accuracy against lag, one line per cell, with the chance level."""
    fig = go.Figure()
    for cell, (lags, accuracy) in results.items():
        fig.add_scatter(
            x=lags,
            y=accuracy,
            name=names[cell],
            mode="lines+markers",
            line={"color": COLORS[cell], "width": 3},
            marker={"size": 9},
        )
    fig.add_hline(
        y=chance,
        line={"color": COLORS["baseline"], "dash": "dash"},
        annotation_text=labels.series[0],
        annotation_position="bottom right",
    )
    fig.update_xaxes(title=labels.x)
    fig.update_yaxes(title=labels.y, range=[0, 1.05], tickformat=".0%")
    return styled(fig, labels.title, big)
