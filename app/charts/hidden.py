"""Figures of one sequence through time: hidden units, chosen units, gates and cell state, the
2-D path of the hidden state, and inputs with outputs. A vertical cursor marks the current step."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from app.charts.style import COLORS, axis, colorscale, counts, figure, line, styled
from app.charts.training import Labels

UNIT_COLORS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#8c564b",
    "#e377c2",
    "#17becf",
)
CURSOR = {"color": "#111111", "width": 2, "dash": "dot"}


def hidden_heatmap(hidden: np.ndarray, cursor: int, labels: Labels, big: bool = False) -> go.Figure:
    """hidden: (time, units). Units down, time across, a box around the current step."""
    heatmap = {
        "type": "heatmap",
        "z": hidden.T.astype(np.float32),
        "colorscale": colorscale("RdBu"),
        "reversescale": True,  # positive red, negative blue, as the reading aid says
        "zmid": 0,
        "colorbar": {"title": {"text": labels.series[0]}},
    }
    return figure(
        [heatmap],
        labels.title,
        big,
        xaxis=axis(labels.x, big, **counts(len(hidden))),
        yaxis=axis(labels.y, big, autorange="reversed", **counts(hidden.shape[1])),
        shapes=[_cursor_shape(cursor, width=1.0)],
    )


def unit_lines(
    values: np.ndarray, units: list[int], cursor: int, labels: Labels, big: bool = False
) -> go.Figure:
    """values: (time, units): one line per chosen unit."""
    traces = [
        {
            **line(
                None,
                values[:, unit].astype(np.float32),
                f"{labels.series[0]} {unit}",
                UNIT_COLORS[k % len(UNIT_COLORS)],
            ),
            "mode": "lines+markers",
            "marker": {"size": 4},
        }
        for k, unit in enumerate(units)
    ]
    return figure(
        traces,
        labels.title,
        big,
        xaxis=axis(labels.x, big, **counts(len(values))),
        yaxis=axis(labels.y, big),
        shapes=[_cursor_shape(cursor)],
    )


def gates_figure(
    rows: dict[str, np.ndarray], units: list[int], cursor: int, labels: Labels, big: bool = False
) -> go.Figure:
    """One row per gate (and the cell state), each (time, units), the chosen units drawn in each."""
    names = list(rows)
    fig = make_subplots(
        rows=len(names), cols=1, shared_xaxes=True, vertical_spacing=0.04, subplot_titles=names
    )
    for row, name in enumerate(names, start=1):
        for k, unit in enumerate(units):
            fig.add_scatter(
                y=rows[name][:, unit].astype(np.float32),
                mode="lines",
                name=f"{labels.series[0]} {unit}",
                line={"color": UNIT_COLORS[k % len(UNIT_COLORS)]},
                showlegend=row == 1,
                row=row,
                col=1,
            )
    # Plain shape dicts: add_vline per subplot row cost ~26 ms each, and the cursor moves often.
    suffix = [""] + [str(row) for row in range(2, len(names) + 1)]
    fig.update_layout(shapes=[_cursor_shape(cursor, axis=k) for k in suffix])
    fig.update_xaxes(title=labels.x, row=len(names), col=1)
    return styled(fig, labels.title, big, height=(150 if not big else 210) * len(names) + 80)


def trajectory_figure(
    points: np.ndarray, cloud: np.ndarray, cursor: int, labels: Labels, big: bool = False
) -> go.Figure:
    """The hidden state's path in the plane of its first two principal components."""
    traces = []
    if len(cloud):
        traces.append(
            {
                "type": "scatter",
                "x": cloud[:, 0],
                "y": cloud[:, 1],
                "mode": "markers",
                "name": labels.series[0],
                "marker": {"color": "#cccccc", "size": 4},
                "hoverinfo": "skip",
            }
        )
    traces.append(
        {
            **line(points[:, 0], points[:, 1], labels.series[1], COLORS["train"]),
            "mode": "lines+markers",
            "marker": {
                "size": 6,
                "color": np.arange(len(points)),
                "colorscale": colorscale("Blues"),
            },
            "text": [f"t = {t}" for t in range(len(points))],
        }
    )
    traces.append(
        {
            "type": "scatter",
            "x": points[cursor : cursor + 1, 0],
            "y": points[cursor : cursor + 1, 1],
            "mode": "markers",
            "name": labels.series[2],
            "marker": {"size": 18 if big else 14, "color": COLORS["model"], "symbol": "star"},
            "meta": "cursor",
        }
    )
    return figure(traces, labels.title, big, xaxis=axis(labels.x, big), yaxis=axis(labels.y, big))


def sequence_figure(
    inputs: np.ndarray, outputs: np.ndarray | None, cursor: int, labels: Labels, big: bool = False
) -> go.Figure:
    """Inputs (time, features) as lines, and y_t at every step when it is one value."""
    traces = []
    for k in range(inputs.shape[1]):
        name = labels.series[0] if inputs.shape[1] == 1 else f"{labels.series[0]} {k}"
        color = UNIT_COLORS[k % len(UNIT_COLORS)]
        trace = line(None, inputs[:, k].astype(np.float32), name, color)
        traces.append({**trace, "mode": "lines+markers"})
    if outputs is not None and outputs.ndim == 2 and outputs.shape[1] == 1:
        answers = line(
            None, outputs[:, 0].astype(np.float32), labels.series[1], COLORS["model"], dash="dash"
        )
        traces.append({**answers, "mode": "lines+markers"})
    return figure(
        traces,
        labels.title,
        big,
        xaxis=axis(labels.x, big, **counts(len(inputs))),
        yaxis=axis(labels.y, big),
        shapes=[_cursor_shape(cursor)],
    )


def move_cursor(fig: go.Figure, cursor: int) -> go.Figure:
    """Move every cursor of a figure built by this module to ``cursor``, in place: moving the time
    cursor then costs a few property sets instead of rebuilding the figure."""
    for shape in fig.layout.shapes:
        if shape.name == "cursor":
            half = (shape.x1 - shape.x0) / 2
            shape.x0, shape.x1 = cursor - half, cursor + half
    for trace in fig.data:
        if trace.meta == "cursor":
            path = next(t for t in fig.data if t.mode == "lines+markers")
            trace.x, trace.y = [path.x[cursor]], [path.y[cursor]]
    return fig


def _cursor_shape(cursor: int, axis: str = "", width: float = 0.0) -> dict:
    """A vertical line (or a box ``width`` wide) at the cursor, spanning the plot's height."""
    return {
        "type": "rect" if width else "line",
        "name": "cursor",
        "xref": f"x{axis}",
        "yref": f"y{axis} domain",
        "x0": cursor - width / 2,
        "x1": cursor + width / 2,
        "y0": 0,
        "y1": 1,
        "line": CURSOR,
        "fillcolor": "rgba(0,0,0,0)",
    }
