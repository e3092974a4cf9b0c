"""Figures of a review classifier: held-out scores while training, the confusion matrix, P(positive)
word by word, the precision/recall curve, the imbalance remedies side by side and a map of words."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from app.charts.envelope import envelope
from app.charts.style import COLORS, axis, centred_note, colorscale, figure, horizontal_line, line
from app.charts.training import Labels

SCORE_COLORS = (COLORS["val"], COLORS["lstm"], COLORS["clipped"])


def scores_figure(
    steps: np.ndarray,
    series: Sequence[np.ndarray],
    labels: Labels,
    big: bool = False,
    empty_note: str = "",
) -> go.Figure:
    """Held-out scores (accuracy, F1...) where they were measured; labels.series names them.
    Before the first step the empty plot says ``empty_note`` (what to press)."""
    traces = []
    for values, name, color in zip(series, labels.series, SCORE_COLORS, strict=False):
        measured = ~np.isnan(values)
        traces.append(
            {
                **line(*envelope(steps[measured], values[measured]), name, color),
                "mode": "lines+markers",
                "marker": {"size": 5},
            }
        )
    return figure(
        traces,
        labels.title,
        big,
        xaxis=axis(labels.x, big),
        yaxis=axis(labels.y, big, range=[0, 1.02]),
        shapes=[horizontal_line(0.5, COLORS["baseline"], "dot")],
        annotations=[centred_note(empty_note, big)] if empty_note and not len(steps) else [],
    )


def confusion_figure(matrix: np.ndarray, labels: Labels, big: bool = False) -> go.Figure:
    """2x2 counts, rows the true class, columns the predicted one. labels.series: class names."""
    names = list(labels.series)
    text_font = {"size": 28 if big else 18}
    trace = {
        "type": "heatmap",
        "z": matrix.astype(np.float32),
        "x": names,
        "y": names,
        "text": matrix.astype(str),
        "texttemplate": "%{text}",
        "textfont": text_font,
        "colorscale": colorscale("Blues"),
        "showscale": False,
        "hovertemplate": "%{y} → %{x}: %{z}<extra></extra>",
    }
    return figure(
        [trace],
        labels.title,
        big,
        xaxis=axis(labels.x, big, side="bottom"),
        # The class names are the tick labels: the margin grows to fit them, in any language.
        yaxis=axis(labels.y, big, autorange="reversed", automargin=True),
        height=420 if big else 300,
    )


def reading_figure(
    tokens: Sequence[str],
    p_positive: np.ndarray,
    before: float,
    threshold: float,
    labels: Labels,
    big: bool = False,
) -> go.Figure:
    """P(positive) before any word and after each word, words along the x axis."""
    x = np.arange(len(tokens) + 1)
    y = np.r_[before, p_positive].astype(np.float32)
    trace = {
        **line(x, y, labels.series[0], COLORS["model"], width=2),
        "mode": "lines+markers",
        "hovertext": ["·", *tokens],
        "hovertemplate": "%{hovertext}: %{y:.2f}<extra></extra>",
    }
    many = len(tokens) > 40
    return figure(
        [trace],
        labels.title,
        big,
        xaxis=axis(
            labels.x,
            big,
            tickmode="array",
            tickvals=x,
            ticktext=["·", *tokens],
            tickangle=-60 if many else -30,
            showticklabels=not len(tokens) > 120,
        ),
        yaxis=axis(labels.y, big, range=[0, 1]),
        shapes=[horizontal_line(threshold, COLORS["baseline"])],
    )


def precision_recall_figure(
    recall: np.ndarray,
    precision: np.ndarray,
    point: tuple[float, float],
    labels: Labels,
    big: bool = False,
) -> go.Figure:
    """Precision against recall over every threshold; ``point`` (recall, precision) is the
    threshold in use. labels.series: (curve, threshold in use)."""
    traces = [
        line(
            recall.astype(np.float32),
            precision.astype(np.float32),
            labels.series[0],
            COLORS["train"],
        ),
        {
            "type": "scatter",
            "x": [point[0]],
            "y": [point[1]],
            "mode": "markers",
            "name": labels.series[1],
            "marker": {"size": 14 if big else 10, "color": COLORS["model"]},
        },
    ]
    return figure(
        traces,
        labels.title,
        big,
        xaxis=axis(labels.x, big, range=[0, 1.02]),
        yaxis=axis(labels.y, big, range=[0, 1.02]),
    )


def remedies_figure(
    names: Sequence[str], values: Sequence[Sequence[float]], labels: Labels, big: bool = False
) -> go.Figure:
    """One bar per remedy (the mean over seeds) with each seed's value as a dot."""
    means = [float(np.mean(v)) for v in values]
    dots_x = [name for name, v in zip(names, values, strict=True) for _ in v]
    dots_y = [float(x) for v in values for x in v]
    traces = [
        {
            "type": "bar",
            "x": list(names),
            "y": means,
            "name": labels.series[0],
            "marker": {"color": COLORS["train"]},
            "texttemplate": "%{y:.2f}",  # plotly's format: follows the language's decimal mark
            "textposition": "outside",
        },
        {
            "type": "scatter",
            "x": dots_x,
            "y": dots_y,
            "mode": "markers",
            "name": labels.series[1],
            "marker": {"color": COLORS["truth"], "size": 9 if big else 6},
        },
    ]
    return figure(
        traces,
        labels.title,
        big,
        xaxis=axis(labels.x, big),
        yaxis=axis(labels.y, big, range=[0, 1.05]),
    )


MAP_COLORS = {1: COLORS["lstm"], -1: COLORS["model"], 0: COLORS["baseline"]}


def word_map_figure(
    words: Sequence[str],
    xy: np.ndarray,
    sentiment: np.ndarray,
    labels: Labels,
    big: bool = False,
) -> go.Figure:
    """Words at their 2-D positions, as text; ``sentiment`` (1, -1, 0) picks the colour.
    labels.series names the groups: (positive, negative, other)."""
    traces = []
    for group, name in zip((1, -1, 0), labels.series, strict=True):
        chosen = np.flatnonzero(np.asarray(sentiment) == group)
        if not len(chosen):
            continue
        traces.append(
            {
                "type": "scatter",
                "x": xy[chosen, 0],
                "y": xy[chosen, 1],
                "mode": "text",
                "text": [words[i] for i in chosen],
                "name": name,
                "textfont": {
                    "color": MAP_COLORS[group],
                    "size": (18 if big else 12) if group else (13 if big else 9),
                },
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    return figure(
        traces,
        labels.title,
        big,
        xaxis=axis(labels.x, big, zeroline=False),
        yaxis=axis(labels.y, big, zeroline=False),
        height=640 if big else 520,
    )
