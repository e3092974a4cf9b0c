"""Figures of the gradient through time, its history over training, and the spectrum of W_hh."""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from app.charts.envelope import envelope
from app.charts.style import (
    COLORS,
    axis,
    colorscale,
    counts,
    figure,
    horizontal_line,
    line,
    log_ticks,
)
from app.charts.training import Labels

PARAMETER_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")


def time_gradient_figure(
    norms: np.ndarray,
    predicted_factor: float,
    labels: Labels,
    cell_norms: np.ndarray | None = None,
    big: bool = False,
) -> go.Figure:
    """||dL/dh_t|| against t on a log axis, with the line theory draws from the last step back:
    ||dL/dh_t|| ~ ||dL/dh_T|| * factor^(T - t)."""
    t = np.arange(len(norms))
    shown = _positive(norms)
    drawn = [shown]  # every line on the log axis: its ticks follow the range they span
    traces = [
        {
            **line(t, shown, labels.series[0], COLORS["train"], width=3),
            "mode": "lines+markers",
            "marker": {"size": 4},
        }
    ]
    if cell_norms is not None:
        drawn.append(_positive(cell_norms))
        traces.append(line(t, drawn[-1], labels.series[2], COLORS["lstm"], width=3))
    if (
        np.isfinite(predicted_factor)
        and predicted_factor > 0
        and np.isfinite(norms[-1])
        and norms[-1] > 0
    ):
        with np.errstate(over="ignore", under="ignore"):
            reference = norms[-1] * np.power(
                predicted_factor, (len(norms) - 1 - t).astype(np.float64)
            )
        theory = _positive(reference.astype(np.float32))
        drawn.append(theory)
        traces.append(line(t, theory, labels.series[1], COLORS["baseline"], dash="dash"))
    return figure(
        traces,
        labels.title,
        big,
        xaxis=axis(labels.x, big, **counts(t)),
        yaxis=axis(labels.y, big, type="log", exponentformat="power", **log_ticks(*drawn)),
    )


def horizon_figure(
    steps: np.ndarray, log_norms: np.ndarray, labels: Labels, big: bool = False
) -> go.Figure:
    """log10 ||dL/dh_t||: time step across, training step down. The gradient horizon is where the
    colour fades out."""
    heatmap = {
        "type": "heatmap",
        "z": log_norms,
        "x": np.arange(log_norms.shape[1]) if log_norms.ndim == 2 else None,
        "y": steps,
        "colorscale": colorscale("Viridis"),
        "zmin": max(float(np.nanmin(log_norms)) if log_norms.size else -8, -12),
        "colorbar": {"title": {"text": "log₁₀"}},
    }
    return figure(
        [heatmap],
        labels.title,
        big,
        xaxis=axis(labels.x, big, **counts(log_norms.shape[-1] if log_norms.size else 0)),
        yaxis=axis(labels.y, big, **counts(steps)),
    )


def parameter_norms_figure(
    steps: np.ndarray, norms: dict[str, np.ndarray], labels: Labels, big: bool = False
) -> go.Figure:
    """Gradient norm of each parameter tensor over training (log axis)."""
    traces = [
        line(*envelope(steps, _positive(values)), name, PARAMETER_COLORS[k % len(PARAMETER_COLORS)])
        for k, (name, values) in enumerate(norms.items())
    ]
    return figure(
        traces,
        labels.title,
        big,
        xaxis=axis(labels.x, big, **counts(steps)),
        yaxis=axis(labels.y, big, type="log", exponentformat="power"),
    )


def spectrum_figure(
    eigenvalues: np.ndarray, singular_values: np.ndarray, labels: Labels, big: bool = False
) -> go.Figure:
    """Eigenvalues of W_hh in the complex plane with the unit circle; singular values beside."""
    angle = np.linspace(0, 2 * np.pi, 181)
    circle = line(np.cos(angle), np.sin(angle), labels.series[2], COLORS["baseline"], dash="dot")
    traces = [
        {**circle, "xaxis": "x", "yaxis": "y"},
        {
            "type": "scatter",
            "x": eigenvalues.real.astype(np.float32),
            "y": eigenvalues.imag.astype(np.float32),
            "mode": "markers",
            "marker": {"color": COLORS["model"], "size": 9 if big else 7},
            "name": labels.series[0],
            "xaxis": "x",
            "yaxis": "y",
        },
        {
            "type": "bar",
            "x": np.arange(1, len(singular_values) + 1),
            "y": singular_values.astype(np.float32),
            "marker": {"color": COLORS["train"]},
            "name": labels.series[1],
            "xaxis": "x2",
            "yaxis": "y2",
        },
    ]
    # The grid make_subplots drew here (columns 0.55 : 0.45 of what a 0.1 gap leaves), written out.
    split = (1.0 - 0.1) * 0.55
    right = split + 0.1
    reach = max(1.2, float(np.abs(eigenvalues).max()) * 1.1)
    singular_axis = axis(big=big, anchor="x2", domain=[0.0, 1.0])
    del singular_axis["title"]["text"]  # no title, only the fonts every axis has
    unit_line = horizontal_line(1.0, COLORS["baseline"], dash="dot")
    return figure(
        traces,
        labels.title,
        big,
        xaxis=axis("Re", big, anchor="y", domain=[0.0, split], range=[-reach, reach]),
        yaxis=axis(
            "Im", big, anchor="x", domain=[0.0, 1.0], range=[-reach, reach], scaleanchor="x"
        ),
        xaxis2=axis(labels.x, big, anchor="y2", domain=[right, 1.0]),
        yaxis2=singular_axis,
        annotations=[
            _subplot_title(labels.series[0], split / 2),
            _subplot_title(labels.series[1], (right + 1.0) / 2),
        ],
        shapes=[{**unit_line, "xref": "x2 domain", "yref": "y2"}],
        showlegend=False,
    )


def _positive(values: np.ndarray) -> np.ndarray:
    """Zeros and non-finite values cannot sit on a log axis: leave a gap instead."""
    out = np.asarray(values, dtype=np.float32).copy()
    out[~np.isfinite(out) | (out <= 0)] = np.nan
    return out


def _subplot_title(text: str, x: float) -> dict[str, Any]:
    """A title over one column of a grid, as make_subplots writes it."""
    return {
        "text": text,
        "font": {"size": 16},
        "showarrow": False,
        "xref": "paper",
        "x": x,
        "xanchor": "center",
        "yref": "paper",
        "y": 1.0,
        "yanchor": "bottom",
    }
