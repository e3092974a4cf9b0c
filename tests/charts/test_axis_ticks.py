"""Axes count what they count: whole time steps and training steps, and a readable log axis."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from app.charts.comparison import duel_gradient_figure, duel_loss_figure
from app.charts.gradients import horizon_figure, time_gradient_figure
from app.charts.hidden import hidden_heatmap, sequence_figure, unit_lines
from app.charts.style import counts, log_ticks
from app.charts.training import Labels, forecast_figure, grad_norm_figure, loss_figure

LABELS = Labels("title", "x", "y", ("a", "b", "c"))


@pytest.mark.parametrize("n", [1, 2, 3, 7, 11])
def test_short_counting_axes_tick_every_whole_number(n: int) -> None:
    assert counts(n) == {"tick0": 0, "dtick": 1}
    assert counts(np.arange(n) + 400) == {"tick0": 0, "dtick": 1}


def test_long_counting_axes_are_left_to_plotly_which_then_steps_by_one_two_or_five() -> None:
    assert counts(np.arange(0, 500)) == {}
    assert counts(np.array([np.nan, 0.0, 30.0])) == {}


def test_a_one_row_heatmap_over_training_shows_its_step_not_halves_around_it() -> None:
    fig = horizon_figure(np.array([400]), np.log10(np.full((1, 3), 0.1)), LABELS)
    assert fig.layout.yaxis.dtick == 1 and fig.layout.xaxis.dtick == 1


def test_every_time_and_step_axis_counts_in_whole_numbers() -> None:
    steps = np.arange(3)
    loss = np.array([1.0, 0.5, 0.2])
    figures: list[go.Figure] = [
        loss_figure(steps, loss, np.full(3, np.nan), LABELS),
        grad_norm_figure(steps, loss, np.zeros(3), None, LABELS),
        forecast_figure(loss, loss, loss, LABELS),
        time_gradient_figure(loss, 0.5, LABELS),
        duel_loss_figure({"rnn": (steps, loss)}, {"rnn": "RNN"}, 0.167, LABELS),
        duel_gradient_figure({"rnn": loss}, {"rnn": "RNN"}, LABELS),
        hidden_heatmap(np.zeros((3, 4)), 1, LABELS),
        unit_lines(np.zeros((3, 4)), [0, 1], 1, LABELS),
        sequence_figure(np.zeros((3, 1)), None, 1, LABELS),
    ]
    for fig in figures:
        assert fig.layout.xaxis.dtick == 1, fig.layout.title.text


def test_a_log_axis_over_less_than_three_decades_labels_one_two_five() -> None:
    ticks = log_ticks(np.array([0.16, 0.9]))
    assert {0.2, 0.5, 1.0} <= set(ticks["tickvals"]) and 0.3 not in ticks["tickvals"]
    # A duel whose LSTM solved the task: its loss from 1 down to 0.008 (2.1 decades).
    ticks = log_ticks(np.array([0.008, 1.05]))
    assert {0.01, 0.02, 0.05, 0.1, 1.0} <= set(ticks["tickvals"]) and 0.03 not in ticks["tickvals"]
    assert log_ticks(np.array([1e-6, 1.0])) == {}  # many decades: plotly's own decade ticks
    assert log_ticks(np.array([0.16, 0.18])) == {}  # a sliver: plotly's digits are few
    fig = duel_loss_figure(
        {"rnn": (np.arange(50), np.linspace(1.0, 0.16, 50))}, {"rnn": "RNN"}, 0.167, LABELS
    )
    assert fig.layout.yaxis.tickmode == "array"


def test_a_long_title_on_a_projector_gets_smaller_type_so_it_fits_its_chart() -> None:
    from app.charts.style import title_size

    short, long = "Loss", "Gradiente através do tempo, ao longo do treino (log₁₀)"
    assert title_size(short, big=True) == 26
    assert 17 <= title_size(long, big=True) < 26
    assert len(long) * title_size(long, big=True) * 0.55 < 560  # half of a 1280 px projector
    assert title_size(long, big=False) == 16


def test_the_duel_baseline_label_sits_on_its_line_of_the_log_axis() -> None:
    """Plotly places an annotation on a log axis at the log10 of its y, a shape at y itself: the
    words "always 1.0 (0.167)" must sit at the dashed line, not near the top of the chart."""
    fig = duel_loss_figure(
        {"rnn": (np.arange(50), np.linspace(1.0, 0.01, 50))}, {"rnn": "RNN"}, 0.167, LABELS
    )
    (shape,) = fig.layout.shapes
    (label,) = fig.layout.annotations
    assert shape.y0 == 0.167 and label.y == pytest.approx(np.log10(0.167))
