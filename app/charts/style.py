"""Shared look of every figure: readable on a laptop, larger on a projector."""

from __future__ import annotations

import plotly.graph_objects as go

COLORS = {
    "train": "#1f77b4",
    "val": "#ff7f0e",
    "truth": "#333333",
    "model": "#d62728",
    "baseline": "#7f7f7f",
    "clipped": "#9467bd",
    "rnn": "#1f77b4",
    "lstm": "#2ca02c",
    "gru": "#ff7f0e",
}


def styled(fig: go.Figure, title: str, big: bool = False, height: int | None = None) -> go.Figure:
    """Title, fonts, margins and a stable ``uirevision`` so zoom survives live refreshes."""
    fig.update_layout(
        title={"text": title, "font": {"size": 26 if big else 16}},
        font={"size": 20 if big else 13},
        height=height or (480 if big else 330),
        margin={"l": 60, "r": 20, "t": 60 if big else 45, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 1, "xanchor": "right"},
        uirevision="keep",
    )
    return fig
