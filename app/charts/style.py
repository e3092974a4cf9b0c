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
        height=height or (520 if big else 360),
        margin={"l": 60, "r": 20, "t": 60 if big else 45, "b": 110 if big else 90},
        # Legend under the plot: above it, it collides with long (translated) titles.
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -0.22 if big else -0.3,
            "x": 0,
            "xanchor": "left",
        },
        uirevision="keep",
    )
    # Streamlit's chart theme sets axis fonts itself, so the projector sizes go on the axes directly.
    axis_fonts = {
        "tickfont": {"size": 17 if big else 12},
        "title_font": {"size": 19 if big else 13},
    }
    fig.update_xaxes(**axis_fonts)
    fig.update_yaxes(**axis_fonts)
    fig.update_layout(legend_font_size=17 if big else 12)
    return fig
