"""Figures of one sequence through time carry the numbers they are given, with the cursor in place."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from app.charts.hidden import (
    gates_figure,
    hidden_heatmap,
    sequence_figure,
    trajectory_figure,
    unit_lines,
)
from app.charts.training import Labels

LABELS = Labels("title", "x", "y", ("a", "b", "c"))
RNG = np.random.default_rng(0)
HIDDEN = RNG.standard_normal((9, 6)).astype(np.float32)  # (time, units)


def _cursor_shapes(fig) -> list:
    return [shape for shape in fig.layout.shapes if shape.line.dash == "dot"]


@pytest.mark.parametrize("cursor", [0, 4, 8])
def test_heatmap_holds_units_by_time_with_a_box_at_the_cursor(cursor: int) -> None:
    fig = hidden_heatmap(HIDDEN, cursor, LABELS)
    (heat,) = fig.data
    np.testing.assert_array_equal(np.asarray(heat.z), HIDDEN.T)
    assert heat.zmid == 0
    (box,) = _cursor_shapes(fig)
    assert box.type == "rect"
    assert (box.x0, box.x1) == (cursor - 0.5, cursor + 0.5)
    assert fig.layout.title.text == "title"
    assert fig.layout.xaxis.title.text == "x" and fig.layout.yaxis.title.text == "y"
    assert fig.layout.yaxis.autorange == "reversed"  # unit 0 on top


def test_big_figures_are_larger() -> None:
    small = hidden_heatmap(HIDDEN, 0, LABELS)
    big = hidden_heatmap(HIDDEN, 0, LABELS, big=True)
    assert big.layout.height > small.layout.height
    assert big.layout.font.size > small.layout.font.size


def test_unit_lines_draw_one_line_per_chosen_unit() -> None:
    units = [5, 0, 3]
    fig = unit_lines(HIDDEN, units, 2, LABELS)
    assert len(fig.data) == len(units)
    for line, unit in zip(fig.data, units, strict=True):
        np.testing.assert_array_equal(np.asarray(line.y), HIDDEN[:, unit])
        assert line.name == f"a {unit}"
    assert len({line.line.color for line in fig.data}) == len(units)
    (cursor,) = _cursor_shapes(fig)
    assert cursor.type == "line" and cursor.x0 == cursor.x1 == 2


def test_unit_lines_with_more_units_than_colours() -> None:
    values = RNG.standard_normal((4, 12))
    fig = unit_lines(values, list(range(12)), 3, LABELS)
    assert len(fig.data) == 12
    np.testing.assert_allclose(np.asarray(fig.data[11].y), values[:, 11], rtol=1e-6)


def test_gates_figure_has_one_subplot_per_row_with_its_cursor() -> None:
    rows = {name: RNG.standard_normal((7, 5)).astype(np.float32) for name in "ifgoc"}
    units = [1, 4]
    fig = gates_figure(rows, units, 3, LABELS)
    titles = [annotation.text for annotation in fig.layout.annotations]
    assert titles == list(rows)
    assert len(fig.data) == len(rows) * len(units)
    axes = ["y"] + [f"y{k}" for k in range(2, len(rows) + 1)]
    for k, values in enumerate(rows.values()):
        drawn = [trace for trace in fig.data if trace.yaxis == axes[k]]
        assert len(drawn) == len(units)
        for trace, unit in zip(drawn, units, strict=True):
            np.testing.assert_array_equal(np.asarray(trace.y), values[:, unit])
            assert trace.showlegend == (k == 0)  # one legend entry per unit
    cursors = _cursor_shapes(fig)
    assert len(cursors) == len(rows)
    assert all(c.x0 == c.x1 == 3 for c in cursors)
    assert sorted(c.yref for c in cursors) == sorted(f"{axis} domain" for axis in axes)
    assert fig.layout.height > hidden_heatmap(HIDDEN, 0, LABELS).layout.height


def test_gates_figure_height_grows_with_the_rows() -> None:
    three = gates_figure({n: HIDDEN for n in "rzn"}, [0], 0, LABELS)
    five = gates_figure({n: HIDDEN for n in "ifgoc"}, [0], 0, LABELS)
    assert five.layout.height > three.layout.height
    assert len(five.layout.annotations) == 5 and len(three.layout.annotations) == 3


@pytest.mark.parametrize("cursor", [0, 3, 5])
def test_trajectory_draws_cloud_path_and_the_current_point(cursor: int) -> None:
    points = RNG.standard_normal((6, 2)).astype(np.float32)
    cloud = RNG.standard_normal((40, 2)).astype(np.float32)
    fig = trajectory_figure(points, cloud, cursor, LABELS)
    others, path, now = fig.data
    np.testing.assert_array_equal(np.asarray(others.x), cloud[:, 0])
    np.testing.assert_array_equal(np.asarray(others.y), cloud[:, 1])
    np.testing.assert_array_equal(np.asarray(path.x), points[:, 0])
    np.testing.assert_array_equal(np.asarray(path.y), points[:, 1])
    assert list(path.text) == [f"t = {t}" for t in range(6)]
    assert "lines" in path.mode
    np.testing.assert_array_equal(np.asarray(now.x), points[cursor : cursor + 1, 0])
    np.testing.assert_array_equal(np.asarray(now.y), points[cursor : cursor + 1, 1])
    assert [trace.name for trace in fig.data] == ["a", "b", "c"]


def test_trajectory_without_a_cloud() -> None:
    points = np.array([[0.0, 1.0], [2.0, 3.0]], dtype=np.float32)
    fig = trajectory_figure(points, np.zeros((0, 2), dtype=np.float32), 1, LABELS)
    path, now = fig.data
    assert (list(now.x), list(now.y)) == ([2.0], [3.0])
    assert len(path.x) == 2


def test_sequence_figure_draws_inputs_and_one_value_outputs() -> None:
    inputs = RNG.standard_normal((8, 1))
    outputs = RNG.standard_normal((8, 1))
    fig = sequence_figure(inputs, outputs, 5, LABELS)
    line, answers = fig.data
    np.testing.assert_allclose(np.asarray(line.y), inputs[:, 0], rtol=1e-6)
    np.testing.assert_allclose(np.asarray(answers.y), outputs[:, 0], rtol=1e-6)
    assert (line.name, answers.name) == ("a", "b")
    (cursor,) = _cursor_shapes(fig)
    assert cursor.x0 == cursor.x1 == 5


def test_sequence_figure_with_two_features_and_no_or_many_outputs() -> None:
    inputs = RNG.standard_normal((8, 2))
    fig = sequence_figure(inputs, None, 0, LABELS)
    assert [trace.name for trace in fig.data] == ["a 0", "a 1"]
    np.testing.assert_allclose(np.asarray(fig.data[1].y), inputs[:, 1], rtol=1e-6)
    logits = RNG.standard_normal((8, 4))
    assert len(sequence_figure(inputs, logits, 0, LABELS).data) == 2  # classes are not one line


def test_figures_serialise_their_numbers() -> None:
    """What the browser receives holds the numbers, compactly (typed arrays, not decimal text)."""
    fig = hidden_heatmap(HIDDEN, 1, LABELS)
    spec = json.loads(fig.to_json())
    z = spec["data"][0]["z"]
    assert isinstance(z, dict) and z["dtype"] == "f4"
    decoded = np.frombuffer(base64.b64decode(z["bdata"]), dtype=np.float32).reshape(HIDDEN.T.shape)
    np.testing.assert_array_equal(decoded, HIDDEN.T)
