"""Figures of a word model: the next-word distribution, the two levels' bits per character side by
side, and a 2-D map of word vectors."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from app.charts.style import COLORS, axis, figure
from app.charts.training import Labels


def next_word_figure(
    words: Sequence[str], probabilities: np.ndarray, labels: Labels, big: bool = False
) -> go.Figure:
    """The likeliest next words as horizontal bars, the likeliest on top."""
    bar = {
        "type": "bar",
        "orientation": "h",
        "y": list(words)[::-1],
        "x": probabilities[::-1].astype(np.float32),
        "marker": {"color": COLORS["train"]},
        "text": [f"{p:.1%}" for p in probabilities[::-1]],
        "textposition": "outside",
        "cliponaxis": False,
    }
    top = float(probabilities.max(initial=0.0))
    return figure(
        [bar],
        labels.title,
        big,
        xaxis=axis(labels.x, big, range=[0, min(1.0, top * 1.3 + 0.02)], tickformat=".0%"),
        yaxis={**axis(labels.y, big, type="category"), "tickfont": {"size": 22 if big else 15}},
        height=(560 if big else 400),
    )


def levels_figure(
    bits: dict[str, float], baselines: set[str], labels: Labels, big: bool = False
) -> go.Figure:
    """Bits per character of each model and baseline on the same held-out text (baselines grey)."""
    names = list(bits)
    values = np.asarray([bits[n] for n in names], dtype=np.float32)
    colors = [COLORS["baseline"] if n in baselines else COLORS["model"] for n in names]
    bar = {
        "type": "bar",
        "x": names,
        "y": values,
        "marker": {"color": colors},
        "texttemplate": "%{y:.2f}",  # plotly's format: follows the language's decimal mark
        "textposition": "outside",
    }
    return figure(
        [bar],
        labels.title,
        big,
        xaxis=axis(labels.x, big),
        yaxis=axis(labels.y, big, range=[0, float(values.max(initial=1.0)) * 1.2]),
    )


def word_map_figure(
    words: Sequence[str],
    points: np.ndarray,
    highlight: set[str],
    labels: Labels,
    big: bool = False,
) -> go.Figure:
    """Words placed by their first two principal components; ``highlight`` (a word and its
    neighbours) in red."""
    colors = [COLORS["model"] if w in highlight else COLORS["train"] for w in words]
    scatter = {
        "type": "scatter",
        "mode": "markers+text",
        "x": points[:, 0],
        "y": points[:, 1],
        "text": list(words),
        "textposition": "top center",
        "marker": {"color": colors, "size": 7},
        "textfont": {"size": 15 if big else 10, "color": colors},
        "hoverinfo": "text",
    }
    return figure(
        [scatter],
        labels.title,
        big,
        xaxis=axis(labels.x, big, zeroline=False),
        yaxis=axis(labels.y, big, zeroline=False),
        height=(620 if big else 460),
        showlegend=False,
    )
