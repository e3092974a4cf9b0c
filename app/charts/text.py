"""Figures of a character model: bits per character while training, the next-character distribution,
held-out text against the unigram baseline, one unit over a text, and the text coloured by a unit."""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from app.charts.envelope import envelope
from app.charts.style import (
    COLORS,
    axis,
    centred_note,
    figure,
    horizontal_line,
    horizontal_line_label,
    line,
)
from app.charts.training import Labels

SHOWN = {" ": "␣", "\n": "↵", "\t": "⇥"}  # characters that would otherwise be invisible on a bar
POSITIVE = (214, 39, 40)  # red, as on the hidden-state heatmap
NEGATIVE = (31, 119, 180)  # blue


def shown(char: str) -> str:
    """A character as a label a reader can see."""
    return SHOWN.get(char, char)


def bits_figure(
    steps: np.ndarray,
    bits: np.ndarray,
    val_bits: np.ndarray,
    unigram: float,
    labels: Labels,
    big: bool = False,
    empty_note: str = "",
) -> go.Figure:
    """Training and held-out bits per character, with the unigram baseline as a dashed line.
    labels.series: (train, held-out, unigram). Before the first step the empty plot says
    ``empty_note`` (what to press)."""
    measured = ~np.isnan(val_bits)
    thinned = envelope(steps, bits)
    traces = [
        {
            "type": "scatter",
            "x": thinned[0],
            "y": thinned[1],
            "name": labels.series[0],
            "line": {"color": COLORS["train"]},
        },
        {
            **line(steps[measured], val_bits[measured], labels.series[1], COLORS["val"]),
            "mode": "lines+markers",
            "marker": {"size": 5},
        },
    ]
    return figure(
        traces,
        labels.title,
        big,
        xaxis=axis(labels.x, big),
        yaxis=axis(labels.y, big, rangemode="tozero"),
        shapes=[horizontal_line(unigram, COLORS["baseline"])],
        annotations=[
            horizontal_line_label(unigram, labels.series[2], "top right"),
            *([centred_note(empty_note, big)] if empty_note and not len(steps) else []),
        ],
    )


def next_char_figure(
    chars: list[str],
    probabilities: np.ndarray,
    actual: str | None,
    labels: Labels,
    tempered: np.ndarray | None = None,
    big: bool = False,
) -> go.Figure:
    """The most likely next characters as bars (the one that really came next in orange).

    probabilities (and tempered, the same at the sampling temperature) are already the top few,
    in the order of ``chars``. labels.series: (model, at temperature)."""
    names = [shown(c) for c in chars]
    colors = [COLORS["val"] if c == actual else COLORS["train"] for c in chars]
    text_font = {"size": 18 if big else 12}
    bars = [
        {
            "type": "bar",
            "x": names,
            "y": probabilities.astype(np.float32),
            "name": labels.series[0],
            "marker": {"color": colors},
            "text": [f"{p:.0%}" for p in probabilities],
            "textposition": "outside",
            "textfont": text_font,
            "cliponaxis": False,
        }
    ]
    if tempered is not None:
        bars.append(
            {
                "type": "bar",
                "x": names,
                "y": tempered.astype(np.float32),
                "name": labels.series[1],
                "marker": {"color": COLORS["clipped"], "opacity": 0.6},
                "textfont": text_font,
                "cliponaxis": False,
            }
        )
    return figure(
        bars,
        labels.title,
        big,
        # Characters are the point of this chart, so they get the largest type on it.
        xaxis={
            **axis(labels.x, big, type="category", tickmode="linear"),
            "tickfont": {"size": 30 if big else 20},
        },
        yaxis=axis(labels.y, big, range=[0, 1.15], tickformat=".0%"),
        barmode="group",
        showlegend=tempered is not None,
        uniformtext={"minsize": 16 if big else 11, "mode": "show"},
    )


def held_out_figure(bits: dict[str, float], labels: Labels, big: bool = False) -> go.Figure:
    """Bits per character on held-out text, one bar per model (the unigram baseline among them)."""
    names = list(bits)
    values = np.asarray([bits[n] for n in names], dtype=np.float32)
    bar = {
        "type": "bar",
        "x": names,
        "y": values,
        "marker": {"color": [COLORS["baseline"]] + [COLORS["model"]] * (len(names) - 1)},
        "texttemplate": "%{y:.2f}",  # plotly's format: follows the language's decimal mark
        "textposition": "outside",
    }
    return figure(
        [bar],
        labels.title,
        big,
        xaxis=axis(labels.x, big),
        yaxis=axis(labels.y, big, range=[0, float(values.max()) * 1.2]),
    )


def unit_trace_figure(
    values: np.ndarray, feature: np.ndarray, labels: Labels, big: bool = False
) -> go.Figure:
    """One unit over the text and the feature it was compared with, on two y axes.
    labels.series: (unit, feature); labels.y is the unit's axis."""
    traces = [
        {
            "type": "scatter",
            "y": values.astype(np.float32),
            "name": labels.series[0],
            "line": {"color": COLORS["model"]},
        },
        {
            "type": "scatter",
            "y": feature.astype(np.float32),
            "name": labels.series[1],
            "yaxis": "y2",
            "line": {"color": COLORS["baseline"], "width": 1, "shape": "hv"},
        },
    ]
    return figure(
        traces,
        labels.title,
        big,
        xaxis=axis(labels.x, big),
        yaxis=axis(labels.y, big),
        height=420 if big else 300,
        yaxis2=axis(
            labels.series[1],
            big,
            overlaying="y",
            side="right",
            showgrid=False,
            rangemode="tozero",
            tickmode="auto",  # not synced to the unit's grid: the feature keeps round ticks
            nticks=5,
        ),
    )


def coloured_text_html(
    text: str,
    values: np.ndarray | None,
    scale: float = 1.0,
    cursor: int | None = None,
    legend: tuple[str, str] | None = None,
    big: bool = False,
    wrap: bool = False,
) -> str:
    """The text as HTML, each character's background red (positive) or blue (negative) by its
    value / scale. ``cursor`` outlines the character last read and marks the one after it in the
    next-character chart's orange. Code keeps its lines (``wrap=False``: indentation and line
    position are what units follow); prose wraps. Every character is escaped."""
    spans = []
    for t, char in enumerate(text):
        style = ""
        title = ""
        if values is not None:
            v = float(values[t])
            style = f"background:{_colour(v / scale if scale > 0 else 0.0)};"
            title = f' title="{v:+.3f}"'
        if t == cursor:
            style += "outline:3px solid #111;outline-offset:-1px;"
        elif cursor is not None and t == cursor + 1:
            style += f"background:{COLORS['val']};color:#fff;"
        shown_char = "↵\n" if char == "\n" else char
        spans.append(f'<span style="{style}"{title}>{html.escape(shown_char)}</span>')
    size = 24 if big else 15
    body = (
        f'<div style="font-family:monospace;font-size:{size}px;line-height:1.55;'
        f"white-space:{'pre-wrap' if wrap else 'pre'};max-height:{'34em' if big else '30em'};"
        f'overflow:auto;padding:0.6em;border:1px solid #ddd;border-radius:6px">'
        + "".join(spans)
        + "</div>"
    )
    if legend is None:
        return body
    negative, positive = (html.escape(word) for word in legend)
    key = (
        f'<div style="font-size:{size - 2}px;margin-bottom:0.3em">'
        f'<span style="background:{_colour(-1)};padding:0 0.5em">{negative}</span> '
        f'<span style="padding:0 0.5em">0</span> '
        f'<span style="background:{_colour(1)};padding:0 0.5em">{positive}</span></div>'
    )
    return key + body


def _colour(share: float) -> str:
    """White at 0, saturating to red at +1 and blue at -1."""
    share = max(-1.0, min(1.0, share))
    r, g, b = POSITIVE if share >= 0 else NEGATIVE
    return f"rgba({r},{g},{b},{abs(share) * 0.85:.2f})"
