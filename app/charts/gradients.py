"""Figures of the gradient through time, its history over training, and the spectrum of W_hh."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from app.charts.style import COLORS, styled
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
    fig = go.Figure()
    fig.add_scatter(
        x=t,
        y=shown,
        name=labels.series[0],
        mode="lines+markers",
        line={"color": COLORS["train"], "width": 3},
        marker={"size": 4},
    )
    if cell_norms is not None:
        fig.add_scatter(
            x=t,
            y=_positive(cell_norms),
            name=labels.series[2],
            mode="lines",
            line={"color": COLORS["lstm"], "width": 3},
        )
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
        fig.add_scatter(
            x=t,
            y=_positive(reference.astype(np.float32)),
            name=labels.series[1],
            mode="lines",
            line={"color": COLORS["baseline"], "dash": "dash"},
        )
    fig.update_xaxes(title=labels.x)
    fig.update_yaxes(title=labels.y, type="log", exponentformat="power")
    return styled(fig, labels.title, big)


def horizon_figure(
    steps: np.ndarray, log_norms: np.ndarray, labels: Labels, big: bool = False
) -> go.Figure:
    """log10 ||dL/dh_t||: time step across, training step down. The gradient horizon is where the
    colour fades out."""
    fig = go.Figure(
        go.Heatmap(
            z=log_norms,
            x=np.arange(log_norms.shape[1]) if log_norms.ndim == 2 else None,
            y=steps,
            colorscale="Viridis",
            zmin=max(float(np.nanmin(log_norms)) if log_norms.size else -8, -12),
            colorbar={"title": "log₁₀"},
        )
    )
    fig.update_xaxes(title=labels.x)
    fig.update_yaxes(title=labels.y)
    return styled(fig, labels.title, big)


def parameter_norms_figure(
    steps: np.ndarray, norms: dict[str, np.ndarray], labels: Labels, big: bool = False
) -> go.Figure:
    """Gradient norm of each parameter tensor over training (log axis)."""
    fig = go.Figure()
    for k, (name, values) in enumerate(norms.items()):
        fig.add_scatter(
            x=steps,
            y=_positive(values),
            name=name,
            mode="lines",
            line={"color": PARAMETER_COLORS[k % len(PARAMETER_COLORS)]},
        )
    fig.update_xaxes(title=labels.x)
    fig.update_yaxes(title=labels.y, type="log", exponentformat="power")
    return styled(fig, labels.title, big)


def spectrum_figure(
    eigenvalues: np.ndarray, singular_values: np.ndarray, labels: Labels, big: bool = False
) -> go.Figure:
    """Eigenvalues of W_hh in the complex plane with the unit circle; singular values beside."""
    fig = make_subplots(
        rows=1, cols=2, subplot_titles=labels.series[:2], column_widths=[0.55, 0.45]
    )
    angle = np.linspace(0, 2 * np.pi, 181)
    fig.add_scatter(
        x=np.cos(angle),
        y=np.sin(angle),
        mode="lines",
        line={"color": COLORS["baseline"], "dash": "dot"},
        name=labels.series[2],
        row=1,
        col=1,
    )
    fig.add_scatter(
        x=eigenvalues.real.astype(np.float32),
        y=eigenvalues.imag.astype(np.float32),
        mode="markers",
        marker={"color": COLORS["model"], "size": 9 if big else 7},
        name=labels.series[0],
        row=1,
        col=1,
    )
    fig.add_bar(
        x=np.arange(1, len(singular_values) + 1),
        y=singular_values.astype(np.float32),
        marker={"color": COLORS["train"]},
        name=labels.series[1],
        row=1,
        col=2,
    )
    fig.add_hline(y=1.0, line={"color": COLORS["baseline"], "dash": "dot"}, row=1, col=2)
    reach = max(1.2, float(np.abs(eigenvalues).max()) * 1.1)
    fig.update_xaxes(range=[-reach, reach], title="Re", row=1, col=1)
    fig.update_yaxes(range=[-reach, reach], title="Im", scaleanchor="x", row=1, col=1)
    fig.update_xaxes(title=labels.x, row=1, col=2)
    fig.update_layout(showlegend=False)
    return styled(fig, labels.title, big)


def _positive(values: np.ndarray) -> np.ndarray:
    """Zeros and non-finite values cannot sit on a log axis: leave a gap instead."""
    out = np.asarray(values, dtype=np.float32).copy()
    out[~np.isfinite(out) | (out <= 0)] = np.nan
    return out
