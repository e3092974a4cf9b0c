"""Decimal settings in each language: shown with its decimal mark, typed either way, bad text
answered under the input with the last good value kept, links arriving exactly."""

from __future__ import annotations

import pytest
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app.ui import i18n
from tests.pages.conftest import TRAIN, open_link, open_page, steps

DUEL = "../pages/duel.py"


@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    """The language the page was last drawn in, for this test's own thread: AppTest formats a
    selectbox's options there again (outside the script, where the session's language is not
    known) and must find what the page drew. Set it after a run that changes the language."""
    language = ["pt"]
    session_language = i18n.current_language
    monkeypatch.setattr(
        i18n,
        "current_language",
        lambda: session_language() if get_script_run_ctx() is not None else language[0],
    )
    return language


def run_rate(at) -> float:
    """The learning rate the training run itself uses (its optimiser's)."""
    run = at.session_state["live:run"].thing
    return run.optimizer.param_groups[0]["lr"]


@pytest.mark.parametrize(
    ("page", "key", "language", "shown"),
    [
        (TRAIN, "cfg-learning-rate", "pt", "0,002"),
        (TRAIN, "cfg-learning-rate", "en", "0.002"),
        (DUEL, "duel-lr", "pt", "0,01"),
        (DUEL, "duel-lr", "en", "0.01"),
    ],
)
def test_the_learning_rate_shows_the_language_decimal_mark(
    page: str, key: str, language: str, shown: str
) -> None:
    at = open_page(page, lang=language)
    assert at.text_input(key=key).value == shown


def test_typing_a_decimal_comma_in_portuguese_sets_the_run(drawn) -> None:
    at = open_page(TRAIN, lang="pt")
    at.button(key="train-step").click().run()
    at.text_input(key="cfg-learning-rate").input("0,01").run()
    assert run_rate(at) == 0.01 and steps(at) == 1  # changed live: the same run goes on
    assert at.query_params["learning_rate"] == "0.01"  # the link stays language-free
    at.text_input(key="cfg-learning-rate").input("0.005").run()  # copied from a paper: a point
    assert at.text_input(key="cfg-learning-rate").value == "0,005"  # what was understood
    at.text_input(key="cfg-learning-rate").input("2e-3").run()
    assert at.text_input(key="cfg-learning-rate").value == "0,002"
    assert run_rate(at) == 0.002 and "learning_rate" not in at.query_params  # the default


def test_typing_a_point_in_english_sets_the_run() -> None:
    at = open_page(TRAIN)
    at.text_input(key="cfg-learning-rate").input("0.01").run()
    assert run_rate(at) == 0.01
    assert at.text_input(key="cfg-learning-rate").value == "0.01"


BAD = {
    "abc": "“abc” não é um número",
    "20": "deve ficar entre 0,000001 e 10 (você digitou 20)",
    "": "Taxa de aprendizado: digite um número",
}


def test_bad_text_is_answered_and_the_last_good_value_kept(drawn) -> None:
    at = open_page(TRAIN, lang="pt")
    at.text_input(key="cfg-learning-rate").input("0,01").run()
    for count, (typed, said) in enumerate(BAD.items(), start=1):
        at.text_input(key="cfg-learning-rate").input(typed).run()
        assert not at.exception
        (error,) = at.error
        assert said in error.value and "0,01 continua valendo" in error.value
        assert at.text_input(key="cfg-learning-rate").value == typed  # nothing typed is lost
        at.button(key="train-step").click().run()  # the run goes on with the last good value
        assert steps(at) == count and run_rate(at) == 0.01
        assert at.query_params["learning_rate"] == "0.01"
    at.text_input(key="cfg-learning-rate").input("0,03").run()
    assert not at.error and run_rate(at) == 0.03


def test_bad_text_in_english_is_answered_in_english() -> None:
    at = open_page(TRAIN)
    at.text_input(key="cfg-learning-rate").input("fast").run()
    (error,) = at.error
    assert "“fast” is not a number" in error.value and "0.002 stays in use" in error.value


@pytest.mark.parametrize(("language", "shown"), [("pt", "0,00123456789"), ("en", "0.00123456789")])
def test_a_link_value_arrives_exactly(drawn, language: str, shown: str) -> None:
    drawn[0] = language
    at = open_page(TRAIN, lang=language, learning_rate="0.00123456789", clip_threshold="2500")
    assert at.text_input(key="cfg-learning-rate").value == shown
    assert at.text_input(key="cfg-clip-threshold").value == (
        "2.500" if language == "pt" else "2,500"
    )
    at.button(key="train-step").click().run()
    assert run_rate(at) == 0.00123456789
    assert at.session_state["live:run"].config.clip_threshold == 2500.0
    assert at.query_params["learning_rate"] == "0.00123456789"  # not rounded by the widget


def test_a_change_of_language_keeps_the_number(drawn) -> None:
    at = open_page(TRAIN, lang="pt", clip_threshold="1500")
    assert at.text_input(key="cfg-clip-threshold").value == "1.500"  # a thousand and a half
    at.selectbox(key="lang").select("en").run()
    drawn[0] = "en"
    assert at.text_input(key="cfg-clip-threshold").value == "1,500"  # not 1.5
    assert at.query_params["clip_threshold"] == "1500"


def test_the_duel_takes_a_decimal_comma(drawn) -> None:
    at = open_page(DUEL, lang="pt")
    at.text_input(key="duel-lr").input("0,002").run()
    assert at.session_state["live:duel"].config.learning_rate == 0.002
    at.text_input(key="duel-lr").input("5").run()  # the duel's own bound is 1
    assert "deve ficar entre 0,0001 e 1" in at.error[0].value
    assert at.session_state["live:duel"].config.learning_rate == 0.002


@pytest.mark.parametrize(
    ("page", "key", "link"),
    [
        ("../pages/sentiment.py", "sentiment-lr", {"sentiment_learning_rate": "0.0025"}),
        (
            "../pages/text.py",
            "words-learning-rate",
            {"mode": "words", "words_learning_rate": "0.0025"},
        ),
    ],
)
def test_a_page_s_own_link_value_arrives_exactly(page: str, key: str, link: dict) -> None:
    at = open_link(page, lang="pt", **link)  # read on the page's first visit
    assert not at.exception
    assert at.text_input(key=key).value == "0,0025"
    assert {name: at.query_params[name] for name in link} == link
