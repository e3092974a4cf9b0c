"""Figures that put cells side by side: loss curves, gradients through time, accuracy against lag."""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from app.charts.envelope import envelope
from app.charts.gradients import _positive
from app.charts.style import (
    COLORS,
    axis,
    centred_note,
    counts,
    figure,
    horizontal_line,
    horizontal_line_label,
    line,
    log_ticks,
)
from app.charts.training import Labels


def duel_loss_figure(
    curves: dict[str, tuple[np.ndarray, np.ndarray]],
    names: dict[str, str],
    baseline: float | None,
    labels: Labels,
    big: bool = False,
    empty_note: str = "",
) -> go.Figure:
    """curves: cell -> (steps, loss). The baseline is the loss of the naive answer, when there is one.
    Before the first step the empty plot says ``empty_note`` (what to press)."""
    traces = [
        line(*envelope(steps, _positive(loss)), names[cell], COLORS[cell], width=3)
        for cell, (steps, loss) in curves.items()
    ]
    layout: dict[str, Any] = {"annotations": []}
    if baseline is not None:
        layout["shapes"] = [horizontal_line(baseline, COLORS["baseline"])]
        layout["annotations"].append(
            horizontal_line_label(baseline, labels.series[0], "top left", log_axis=True)
        )
    empty = not any(len(steps) for steps, _ in curves.values())
    if empty and empty_note:
        layout["annotations"].append(centred_note(empty_note, big))
    return figure(
        traces,
        labels.title,
        big,
        xaxis=axis(
            labels.x, big, **counts(np.concatenate([s for s, _ in curves.values()] or [[]]))
        ),
        yaxis=axis(
            labels.y,
            big,
            type="log",
            exponentformat="power",
            # Around the baseline alone plotly labels every digit of a decade: nothing to read yet.
            showticklabels=not empty,
            **log_ticks(*(loss for _, loss in curves.values()), np.array([baseline or np.nan])),
        ),
        **layout,
    )


def duel_gradient_figure(
    norms: dict[str, np.ndarray], names: dict[str, str], labels: Labels, big: bool = False
) -> go.Figure:
    """||dL/dh_t|| of each model against t, normalised to 1 at the last step so shapes compare."""
    traces = []
    for cell, values in norms.items():
        values = np.asarray(values, dtype=np.float64)
        last = values[-1] if np.isfinite(values[-1]) and values[-1] > 0 else 1.0
        traces.append(line(None, _positive(values / last), names[cell], COLORS[cell], width=3))
    return figure(
        traces,
        labels.title,
        big,
        xaxis=axis(labels.x, big, **counts(max((len(v) for v in norms.values()), default=0))),
        yaxis=axis(labels.y, big, type="log", exponentformat="power"),
    )


def sweep_figure(
    results: dict[str, tuple[list[int], list[float]]],
    names: dict[str, str],
    chance: float,
    labels: Labels,
    big: bool = False,
) -> go.Figure:
    """Final accuracy against lag, one line per cell, with the chance level."""
    traces = [
        {
            **line(lags, accuracy, names[cell], COLORS[cell], width=3),
            "mode": "lines+markers",
            "marker": {"size": 9},
        }
        for cell, (lags, accuracy) in results.items()
    ]
    return figure(
        traces,
        labels.title,
        big,
        xaxis=axis(labels.x, big),
        yaxis=axis(labels.y, big, range=[0, 1.05], tickformat=".0%"),
        shapes=[horizontal_line(chance, COLORS["baseline"])],
        annotations=[horizontal_line_label(chance, labels.series[0], "bottom right")],
    )
