"""The sentiment page through AppTest, in both languages: it opens on a review turned into tokens,
ids and a padded batch; Step trains; the held-out metrics and the word-by-word reading show."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app.engine.sentiment.reading import PROBES
from app.ui import i18n, sentiment_inside
from app.ui.i18n import LANGUAGES, catalog
from tests.pages.conftest import (
    LIVE_CHART,
    component_data,
    control,
    open_page,
    open_tab,
    steps,
)

SENTIMENT = "../pages/sentiment.py"


def frame(at: AppTest, label: str) -> pd.DataFrame:
    """The drawn table whose columns or row labels include ``label`` (tables carry no key here)."""
    for table in at.dataframe:
        value = table.value
        if label in value.columns or label in value.index:
            return value
    raise AssertionError(f"no table with {label!r}")


def chart(at: AppTest, key: str) -> dict:
    """The figure drawn under ``key``: a plain plotly chart, or a live one (app/ui/live_chart.py)."""
    found = [json.loads(c.proto.spec) for c in at.get("plotly_chart") if key in c.proto.id]
    for live in at.get("bidi_component"):
        data = component_data(live) if live.proto.component_name == LIVE_CHART else {}
        if data.get("key") == key:
            found.append(data["figure"])
    assert found, f"no chart {key}"
    return found[0]


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_page_opens_steps_and_shows_metrics_and_reading(language: str, monkeypatch) -> None:
    # AppTest formats the options of a widget again in the test's own thread, where no session
    # holds the language: without this it would look for English labels among Portuguese ones.
    monkeypatch.setattr(i18n, "current_language", lambda: language)
    at = open_page(SENTIMENT, lang=language)
    words = catalog(language)
    assert at.title[0].value == words["sentiment.title"]
    assert steps(at) == 0
    # From text to tensors: the token table and the padded batch with its lengths.
    tokens = frame(at, words["sentiment.token"])
    assert tokens.shape[0] == 3  # tokens, ids, what the model reads
    batch = frame(at, words["sentiment.length"])
    assert batch.shape[0] == 4 and (batch.iloc[:, 1:] == 0).any().any()  # <pad> = 0 visible

    at.button(key="sentiment-step10").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert steps(at) == 10
    labels = {m.label for m in at.metric}
    for name in ("accuracy", "precision", "recall", "f1"):
        assert words[f"sentiment.{name}"] in labels
    confusion = chart(at, "sentiment-confusion-chart")
    counts = [int(n) for row in confusion["data"][0]["text"] for n in row]
    assert len(counts) == 4 and sum(counts) == 1706  # every held-out sentence counted
    loss = chart(at, "sentiment-loss-chart")
    assert len(loss["data"]) == 2  # training loss and held-out loss
    reading = chart(at, "sentiment-reading-chart")
    assert len(reading["data"][0]["hovertext"]) > 2  # P before any word, then after each word
    with pytest.raises(AssertionError, match="no table"):  # the probes' tab is closed
        frame(at, words["sentiment.probe"])
    open_tab(at, "sentiment-tabs", 1)  # only the open tab reads the model
    assert len(frame(at, words["sentiment.probe"])) == len(PROBES)


def test_typed_text_is_read_word_by_word_with_unknown_words() -> None:
    at = open_page(SENTIMENT)
    at.text_input(key="sentiment-typed").set_value("not bad at all qwzxv").run()
    assert not at.exception
    table = frame(at, "token")
    assert list(table.iloc[0]) == ["not", "bad", "at", "all", "qwzxv"]
    assert list(table.iloc[2])[-1] == "<unk>"
    reading = chart(at, "sentiment-reading-chart")
    assert len(reading["data"][0]["hovertext"]) == 6
    assert any("~~qwzxv~~" in m.value for m in at.markdown)  # the unknown word struck through


def test_play_then_step_pauses_and_reset_starts_again() -> None:
    at = open_page(SENTIMENT)
    control(at, "sentiment-play").click().run()
    assert control(at, "sentiment-pause")  # playing
    played = steps(at)
    at.button(key="sentiment-step").click().run()
    assert control(at, "sentiment-play")  # paused by the step
    assert steps(at) == played + 1
    at.button(key="sentiment-reset").click().run()
    assert steps(at) == 0
    assert not at.exception


def test_imbalance_remedies_are_measured_on_the_page(monkeypatch) -> None:
    monkeypatch.setattr(sentiment_inside, "REMEDY_STEPS", 3)  # the engine test checks the effect
    at = open_page(SENTIMENT)
    at.select_slider(key="sentiment-share").set_value(0.2).run()
    at.radio(key="sentiment-remedy").set_value("weights").run()
    assert not at.exception
    open_tab(at, "sentiment-tabs", 2)
    at.button(key="sentiment-measure").click().run()
    assert not at.exception, [e.value for e in at.exception]
    remedies = chart(at, "sentiment-remedies-chart")
    assert len(remedies["data"][0]["x"]) == 4  # none, weights, resample, threshold
    assert "positive" in remedies["layout"]["title"]["text"]  # 20% positive: the rare class


def test_the_share_slider_writes_its_decimals_in_the_session_language() -> None:
    from tests.pages.conftest import open_link

    for lang, shown in (("pt", "0,50"), ("en", "0.50")):
        at = open_link("../pages/sentiment.py", lang=lang)
        assert shown in at.select_slider(key="sentiment-share").options, lang


@pytest.mark.parametrize(("share", "lines"), [(0.5, 2), (0.2, 2), (0.8, 3)])
def test_the_scores_chart_draws_the_rare_class_f1_only_when_it_is_another_line(
    share: float, lines: int
) -> None:
    """Where the positive reviews are the rare class (or the classes are even), the F1 of the rare
    class is the F1: one line, named as both, instead of a line hidden under another."""
    at = open_page(SENTIMENT)
    at.select_slider(key="sentiment-share").set_value(share).run()
    at.button(key="sentiment-step").click().run()
    assert not at.exception, [e.value for e in at.exception]
    words = catalog("en")
    names = [trace["name"] for trace in chart(at, "sentiment-scores-chart")["data"]]
    assert len(names) == lines
    if lines == 2:
        assert names == [words["sentiment.accuracy"], words["sentiment.f1_rare_positive"]]
    else:
        assert names[2] == words["sentiment.rare_f1"]
