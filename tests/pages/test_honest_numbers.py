"""Each page names what it measured: a training fit is not "validation", a bound is not a prediction."""

from __future__ import annotations

import pytest

from tests.pages.conftest import TRAIN, open_page

GRADIENTS = "../pages/gradients.py"


def score(at) -> tuple[str, str]:
    metric = at.metric[2]
    return metric.label, metric.proto.help


@pytest.mark.parametrize(
    ("lang", "label", "note"),
    [
        ("en", "Training fit (MAE)", "Seattle"),
        ("pt", "Ajuste no treino (MAE)", "Seattle"),
    ],
)
def test_the_lesson_calls_its_score_a_training_fit(lang: str, label: str, note: str) -> None:
    at = open_page(TRAIN, lang=lang)
    shown, help_text = score(at)
    assert shown == label and "7" in help_text  # the help names the windows it is fitted on
    assert "valid" not in shown.lower()
    assert any(note in caption.value for caption in at.caption)


@pytest.mark.parametrize(
    ("lang", "label", "where"),
    [
        ("en", "Validation error (MAE)", "last fifth"),
        ("pt", "Erro de validação (MAE)", "último quinto"),
    ],
)
def test_seattle_scores_on_the_held_out_future(lang: str, label: str, where: str) -> None:
    at = open_page(TRAIN, lang=lang, task="seattle_temperature")
    shown, help_text = score(at)
    assert shown == label and where in help_text


@pytest.mark.parametrize(
    ("lang", "label", "word"),
    [
        ("en", "Upper bound from W_hh", "Not a prediction"),
        ("pt", "Limite superior dado por W_hh", "Não é uma previsão"),
    ],
)
def test_tanh_rnn_shows_a_bound_above_its_measurement(lang: str, label: str, word: str) -> None:
    at = open_page(GRADIENTS, lang=lang)  # the page takes a look at step 0 by itself
    metrics = {m.label: m for m in at.metric}
    bound = metrics[label]
    assert word in bound.proto.help
    measured = next(m for m in at.metric[1:2])
    as_float = lambda m: float(m.value.removeprefix("× ").replace(",", "."))  # noqa: E731
    assert as_float(measured) <= as_float(bound)


def test_a_bouncing_loss_is_explained_on_the_training_page() -> None:
    # English only: AppTest cannot re-run a Portuguese page whose selectboxes it first saw in English
    # (its widget values keep the first run's labels); the catalog test checks pt has the key.
    words = "Not a bug"
    at = open_page(TRAIN, learning_rate="0.01")
    assert not any(words in note.value for note in at.info)
    at.session_state["live:run"].thing.train(
        steps=1200
    )  # AppTest fires no timers (rebounds at step 1032)
    at.run()
    assert any(words in note.value for note in at.info)
