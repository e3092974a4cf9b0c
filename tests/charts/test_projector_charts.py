"""Charts on a projector: before the first step an empty live chart says what to press, in the
middle of its plot, and drops the words as soon as there is a curve (the lesson's demos, the text
levels and the sentiment page draw their charts from step 0 on a projector, where no note stands
above them); the confusion matrix's class names are never cut by its margin."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.charts.comparison import duel_loss_figure
from app.charts.sentiment import confusion_figure, scores_figure
from app.charts.text import bits_figure
from app.charts.training import Labels

NOTE = "Press Play"
LABELS = Labels("title", "x", "y", ("a", "b", "c"))


def _loss(n: int):
    steps = np.arange(1, n + 1, dtype=np.float32)
    return steps, np.linspace(1.0, 0.5, n, dtype=np.float32)


def _duel(n: int):
    return duel_loss_figure(
        {"rnn": _loss(n), "lstm": _loss(n)},
        {"rnn": "RNN", "lstm": "LSTM"},
        math.log(2),
        LABELS,
        big=True,
        empty_note=NOTE,
    )


def _bits(n: int):
    steps, bits = _loss(n)
    return bits_figure(steps, bits, np.full(n, np.nan, dtype=np.float32), 4.4, LABELS, True, NOTE)


def _scores(n: int):
    steps, values = _loss(n)
    return scores_figure(steps, [values, values, values], LABELS, big=True, empty_note=NOTE)


def notes(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations if a.text == NOTE]


@pytest.mark.parametrize("build", [_duel, _bits, _scores])
def test_an_empty_chart_says_what_to_press_and_a_drawn_one_does_not(build) -> None:
    empty = build(0)
    centre = [a for a in empty.layout.annotations if a.text == NOTE]
    assert len(centre) == 1 and (centre[0].x, centre[0].y) == (0.5, 0.5)
    assert notes(build(3)) == []


def test_the_note_keeps_the_baseline_label_and_is_off_by_default() -> None:
    empty = _duel(0)
    assert len(empty.layout.annotations) == 2  # the baseline's label and the note
    assert empty.layout.yaxis.showticklabels is False and _duel(3).layout.yaxis.showticklabels
    plain = duel_loss_figure({"rnn": _loss(0)}, {"rnn": "RNN"}, None, LABELS)
    assert not plain.layout.annotations


def test_the_confusion_matrix_makes_room_for_its_class_names() -> None:
    labels = Labels("Confusão", "previsto", "verdadeiro", ("negativa", "positiva"))
    fig = confusion_figure(np.array([[608, 245], [663, 190]]), labels, big=True)
    assert fig.layout.yaxis.automargin is True and list(fig.data[0].y) == ["negativa", "positiva"]
