"""The duel's words follow the task on screen and what happened in this run."""

from __future__ import annotations

import pytest

from tests.pages.conftest import open_page

DUEL = "../pages/duel.py"


@pytest.mark.parametrize(
    ("lang", "nobody", "recall_word"),
    [
        ("en", "No network has reached", "Delayed recall"),
        ("pt", "Nenhuma rede atingiu", "recordação"),
    ],
)
def test_intro_and_question_follow_task_and_outcome(lang, nobody, recall_word) -> None:
    at = open_page(DUEL, lang=lang)
    assert at.expander[0].label.startswith(nobody)
    assert "adding" in at.markdown[0].value or "adição" in at.markdown[0].value
    assert all(len(m.value) <= 10 for m in at.metric[1:])  # "MSE 0.187": nothing to cut off


def test_recall_intro_and_the_winner_named_in_the_question() -> None:
    at = open_page(DUEL)
    at.selectbox(key="duel-task").select("recall").run()
    assert "Delayed recall" in at.markdown[0].value
    duel = at.session_state["live:duel"].thing
    duel.reached["rnn"] = 50  # as _check_targets records it
    at.run()
    assert at.expander[0].label.startswith("RNN reached the target first (step 50)")


def test_the_sweep_says_when_it_cannot_tell_the_cells_apart() -> None:
    from app.ui.duel_view import sweep_summary

    tie = {"rnn": ([5, 10], [1.0, 0.99]), "lstm": ([5, 10], [1.0, 1.0])}
    assert "does not tell them apart" in sweep_summary(tie)
    apart = {"rnn": ([5, 10], [1.0, 0.3]), "lstm": ([5, 10], [1.0, 0.97])}
    assert sweep_summary(apart).startswith("Over the lags 5, 10, LSTM scored best")
