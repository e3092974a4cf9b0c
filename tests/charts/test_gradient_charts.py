"""Gradient figures carry the numbers they are given."""

from __future__ import annotations

import numpy as np
import pytest

from app.charts.gradients import horizon_figure, spectrum_figure, time_gradient_figure
from app.charts.training import Labels

LABELS = Labels("title", "x", "y", ("a", "b", "c"))


def test_time_gradient_figure_draws_the_theory_line_from_the_last_step() -> None:
    norms = np.array([0.0, 1e-3, 1e-2, 1e-1, 1.0], dtype=np.float32)
    fig = time_gradient_figure(norms, 0.1, LABELS)
    measured, theory = fig.data
    assert np.isnan(measured.y[0])  # a zero cannot sit on a log axis
    np.testing.assert_allclose(measured.y[1:], norms[1:])
    np.testing.assert_allclose(theory.y, [1e-4, 1e-3, 1e-2, 1e-1, 1.0], rtol=1e-5)
    assert fig.layout.yaxis.type == "log"


def test_the_log_axis_ticks_follow_every_line_drawn_on_it() -> None:
    """The measured norms span under half a decade, the bound drawn beside them more than one: the
    ticks are the 1-2-5 ladder of the whole range, not plotly's crowded digits (the page's RNN
    preset at a few thousand steps)."""
    norms = np.array([5e-9, 9e-9, 1.3e-8], dtype=np.float32)
    fig = time_gradient_figure(norms, 2.6, LABELS)
    assert fig.layout.yaxis.tickmode == "array"
    assert {1e-7, 5e-8, 2e-8, 1e-8, 5e-9} <= set(fig.layout.yaxis.tickvals)


def test_time_gradient_figure_adds_the_cell_state_for_an_lstm() -> None:
    norms = np.ones(4, dtype=np.float32)
    fig = time_gradient_figure(norms, float("nan"), LABELS, cell_norms=norms * 2)
    assert [trace.name for trace in fig.data] == ["a", "c"]


def test_horizon_heatmap_holds_the_matrix() -> None:
    matrix = np.arange(12, dtype=np.float32).reshape(3, 4)
    fig = horizon_figure(np.array([0, 5, 10]), matrix, LABELS)
    np.testing.assert_array_equal(np.asarray(fig.data[0].z), matrix)
    assert list(fig.data[0].y) == [0, 5, 10]


def test_spectrum_figure_has_unit_circle_eigenvalues_and_singular_values() -> None:
    eigenvalues = np.array([0.5 + 0.5j, 0.5 - 0.5j, -0.9 + 0j])
    singular = np.array([1.2, 0.7, 0.1])
    fig = spectrum_figure(eigenvalues, singular, LABELS)
    circle, points, bars = fig.data
    radius = np.hypot(np.asarray(circle.x), np.asarray(circle.y))
    assert radius == pytest.approx(np.ones_like(radius))
    np.testing.assert_allclose(points.x, eigenvalues.real)
    np.testing.assert_allclose(points.y, eigenvalues.imag)
    np.testing.assert_allclose(bars.y, singular)
