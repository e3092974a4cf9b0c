"""Shared look of every figure: readable on a laptop, larger on a projector.

Live pages redraw their figures several times a second for every session on the server, so figures
are built in one step from plain dicts (``figure``): plotly validates them once. Building a figure
with ``add_scatter`` and ``update_layout`` calls instead parses every property path anew and cost
about 8 times more (bench/bench_charts.py). A live refresh skips even that one validation
(``plain_figures``): the dicts go to the browser as they are, and tests check that they are
exactly what plotly's validation makes of them (tests/pages/test_plain_figures.py)."""

from __future__ import annotations

import contextvars
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.colors import get_colorscale

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


TITLE_CHARACTERS = 36  # what fits half a projector's width at the full title size


def title_size(title: str, big: bool) -> int:
    """A chart title never runs off its chart: plotly does not wrap titles, so on a projector a long
    (often translated) title gets a smaller type, down to about the tick labels' size."""
    if not big:
        return 16
    return max(17, min(26, int(26 * TITLE_CHARACTERS / max(len(title), 1))))


def style_layout(title: str, big: bool = False, height: int | None = None) -> dict[str, Any]:
    """Title, fonts, margins, the legend under the plot and a stable ``uirevision``."""
    return {
        "title": {"text": title, "font": {"size": title_size(title, big)}},
        "font": {"size": 20 if big else 13},
        "height": height or (520 if big else 360),
        "margin": {"l": 60, "r": 20, "t": 60 if big else 45, "b": 110 if big else 90},
        # Legend under the plot: above it, it collides with long (translated) titles.
        "legend": {
            "orientation": "h",
            "yanchor": "top",
            "y": -0.22 if big else -0.3,
            "x": 0,
            "xanchor": "left",
            "font": {"size": 17 if big else 12},
        },
        "uirevision": "keep",
    }


def axis(title: str = "", big: bool = False, **settings: Any) -> dict[str, Any]:
    """One axis: its title, the shared fonts and any other axis settings (type, dtick, range...).
    Streamlit's chart theme sets axis fonts itself, so the projector sizes go on the axes directly."""
    title_font, tick_font = _axis_fonts(big)
    return {"title": {"text": title, "font": title_font}, "tickfont": tick_font, **settings}


def counts(values: np.ndarray | Sequence[float] | int) -> dict[str, Any]:
    """Settings for an axis that counts (time steps, training steps, positions): plotly's own ticks
    fall on halves (0, 0.5, 1...) over a short range, and a step 0.5 does not exist. ``values`` are
    the positions drawn, or their number (0 .. n-1)."""
    points = np.arange(values) if isinstance(values, int) else np.asarray(values, dtype=np.float64)
    points = points[np.isfinite(points)]
    if not points.size or float(points.max() - points.min()) <= 10:
        # Under ten apart, plotly's at most ten ticks could be halves: one tick per whole number.
        return {"tick0": 0, "dtick": 1}
    return {}  # over more than ten, plotly's ticks are 1, 2 or 5 apart at least: whole numbers


def log_ticks(*arrays: np.ndarray) -> dict[str, Any]:
    """Settings for a log axis: over one to three decades plotly labels every digit (1 9 8 7 ... 2
    1, too crowded to read, or bare digits with no decade, in two sizes); tick 1, 2 and 5 of each
    decade instead, written as whole numbers. Over a narrower or a wider range plotly's own ticks
    read well."""
    values = np.concatenate([np.ravel(np.asarray(a, dtype=np.float64)) for a in arrays] or [[]])
    values = values[np.isfinite(values) & (values > 0)]
    if not values.size:
        return {}
    low, high = float(values.min()), float(values.max())
    if not 0.5 <= np.log10(high / low) < 3:
        return {}
    decades = 10.0 ** np.arange(np.floor(np.log10(low)) - 1, np.ceil(np.log10(high)) + 2)
    ladder = np.sort(np.concatenate([decades, 2 * decades, 5 * decades]))
    return {"tickmode": "array", "tickvals": [float(f"{v:.3g}") for v in ladder]}


def _axis_fonts(big: bool) -> tuple[dict[str, int], dict[str, int]]:
    """The axis title and tick label fonts: larger on a projector."""
    return {"size": 19 if big else 13}, {"size": 17 if big else 12}


def figure(
    traces: list[dict[str, Any]],
    title: str,
    big: bool = False,
    *,
    xaxis: dict[str, Any] | None = None,
    yaxis: dict[str, Any] | None = None,
    height: int | None = None,
    **layout: Any,
) -> go.Figure:
    """A styled figure built in one step from trace dicts (each with its ``type``) and layout."""
    full = style_layout(title, big, height)
    full["xaxis"] = xaxis if xaxis is not None else axis(big=big)
    # The left margin grows to fit the tick labels (2×10⁻⁷, 4,000) and puts the axis title beyond
    # them: with a fixed margin the title is drawn over long labels, on a projector above all.
    full["yaxis"] = {"automargin": True, **(yaxis if yaxis is not None else axis(big=big))}
    full.update(layout)
    if _PLAIN.get():
        return PlainFigure(data=traces, layout=full)
    return go.Figure(data=traces, layout=full)


class PlainFigure(dict):
    """A figure as the builders' own dicts, ``{"data": [...], "layout": {...}}``, not validated:
    what ``figure`` returns inside ``plain_figures``. ``st.plotly_chart`` takes it as it takes any
    figure dict (and validates it there)."""


_PLAIN: contextvars.ContextVar[bool] = contextvars.ContextVar("plain_figures", default=False)


@contextmanager
def plain_figures() -> Iterator[None]:
    """Within, ``figure`` returns a PlainFigure: a live refresh sends the dicts it built without
    plotly's validation, which cost more than half of drawing a refresh (bench/bench_refresh.py).
    Per thread of execution (a context variable): one session's refresh never changes another's."""
    token = _PLAIN.set(True)
    try:
        yield
    finally:
        _PLAIN.reset(token)


@cache
def colorscale(name: str) -> tuple[tuple[float, str], ...]:
    """A named colour scale written out, as plotly's validation writes it: plotly.js has scales
    of the same names that look different (its "Blues" runs from dark blue), and a live refresh
    sends its dicts unvalidated (``plain_figures``)."""
    return tuple((float(stop), color) for stop, color in get_colorscale(name))


def centred_note(text: str, big: bool = False) -> dict[str, Any]:
    """Words in the middle of a plot (what an empty chart is waiting for), as a layout annotation."""
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 0.5,
        "y": 0.5,
        "showarrow": False,
        "font": {"size": 20 if big else 14},
    }


def horizontal_line(y: float, color: str, dash: str = "dash") -> dict[str, Any]:
    """A line across the whole plot at height ``y`` (what ``add_hline`` draws), as a layout shape."""
    return {
        "type": "line",
        "xref": "x domain",
        "x0": 0,
        "x1": 1,
        "yref": "y",
        "y0": y,
        "y1": y,
        "line": {"color": color, "dash": dash},
    }


def line(
    x: Sequence[float] | np.ndarray | None,
    y: Sequence[float] | np.ndarray,
    name: str,
    color: str,
    width: float | None = None,
    dash: str | None = None,
) -> dict[str, Any]:
    """A named line trace (``x=None``: plotted against the index)."""
    stroke: dict[str, Any] = {"color": color}
    if width is not None:
        stroke["width"] = width
    if dash is not None:
        stroke["dash"] = dash
    trace = {"type": "scatter", "y": y, "name": name, "mode": "lines", "line": stroke}
    if x is not None:
        trace["x"] = x
    return trace


def horizontal_line_label(
    y: float, text: str, position: str = "top left", log_axis: bool = False
) -> dict[str, Any]:
    """The words beside a ``horizontal_line``, as a layout annotation (what ``add_hline`` adds for
    ``annotation_text`` and ``annotation_position``, e.g. "top left", "bottom right"). On a log
    axis plotly places an annotation at the log10 of its ``y`` (a shape at ``y`` itself)."""
    vertical, side = position.split()
    if log_axis:
        y = math.log10(y)
    return {
        "text": text,
        "showarrow": False,
        "xref": "x domain",
        "x": 0 if side == "left" else 1,
        "xanchor": side,
        "yref": "y",
        "y": y,
        "yanchor": "bottom" if vertical == "top" else "top",
        # Readable where the curves run through it (a duel's losses around its baseline), and
        # clear of the tick labels beside the plot.
        "bgcolor": "rgba(255, 255, 255, 0.85)",
        "xshift": 6 if side == "left" else -6,
    }


def styled(fig: go.Figure, title: str, big: bool = False, height: int | None = None) -> go.Figure:
    """The same look for a figure built step by step (subplots): every axis gets the fonts."""
    fig.update_layout(style_layout(title, big, height))
    title_font, tick_font = _axis_fonts(big)
    fig.update_xaxes(title_font=title_font, tickfont=tick_font)
    fig.update_yaxes(title_font=title_font, tickfont=tick_font, automargin=True)  # as ``figure``
    return fig
