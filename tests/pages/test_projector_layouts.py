"""The long live pages on a projector (?present=1): the main chart comes before the panels a
student reads later, and from step 0 (its empty plot says what to press, no note above it); the
same pages for a student at home keep their order and their notes."""

from __future__ import annotations

import pytest

from app.ui.i18n import catalog
from tests.pages.conftest import LIVE_CHART, charts, open_page

LESSON = "../pages/lesson.py"
SENTIMENT = "../pages/sentiment.py"


def open_lesson(section: str, language: str, **query: str):
    """The lesson at ``section``, as a shared link gives it on the lesson's first visit."""
    at = open_page(lang=language, **query)
    at.query_params["section"] = section
    at.switch_page(LESSON).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def in_order(at) -> list[str]:
    """The main area's rate slider, live charts and subheaders, in page order."""
    seen = []
    for element in at.main:
        if element.type == "bidi_component" and element.proto.component_name == LIVE_CHART:
            seen.append("chart")
        elif element.type == "subheader":
            seen.append(element.value)
        elif getattr(element, "key", None) == "race-lr":
            seen.append("rate")
    return seen


def notes(figure: dict) -> list[str]:
    return [a.get("text") for a in figure["layout"].get("annotations", [])]


@pytest.mark.parametrize("language", ["en", "pt"])
def test_a_lesson_demo_on_a_projector_draws_its_chart_from_step_0(language: str) -> None:
    words = catalog(language)
    at = open_lesson("order", language, present="1")
    drawn = charts(at)
    assert len(drawn) == 1 and words["lesson.order.verdict_pending"] in notes(drawn[0])
    assert words["lesson.order.verdict_pending"] not in [i.value for i in at.info]
    # The position in the path is the picker's label, not a row of its own.
    assert at.selectbox(key="lesson-pick").label == words["lesson.position"].format(
        index=1, count=10
    )
    at.button(key="order-step").click().run()
    drawn = charts(at)
    assert len(drawn) == 1 and words["lesson.order.verdict_pending"] not in notes(drawn[0])
    assert not at.exception


def test_at_home_a_lesson_demo_says_press_play_above_and_draws_after_a_step() -> None:
    words = catalog("en")
    at = open_lesson("order", "en")
    assert charts(at) == []
    assert words["lesson.order.verdict_pending"] in [i.value for i in at.info]
    at.button(key="order-step").click().run()
    assert len(charts(at)) == 1 and not at.exception


def test_the_race_rate_sits_beside_its_chart_on_a_projector() -> None:
    at = open_lesson("next", "en", present="1")
    # The rate in the words column (drawn first), then the chart, then the race's own heading.
    assert in_order(at) == ["rate", "chart", catalog("en")["lesson.race.title"]]
    assert at.select_slider(key="race-lr").value == 0.01
    drawn = charts(at)
    assert len(drawn) == 1 and catalog("en")["lesson.race.pending"] in notes(drawn[0])
    at.select_slider(key="race-lr").set_value(0.1).run()
    assert at.session_state["live:race"].config.learning_rate == 0.1


def test_sentiment_on_a_projector_trains_first_and_shows_the_tensors_after() -> None:
    words = catalog("pt")
    projector = open_page(SENTIMENT, present="1", lang="pt")
    titles = [s.value for s in projector.subheader]
    assert titles.index(words["sentiment.training"]) < titles.index(words["sentiment.tensors"])
    assert notes(charts(projector)[0]) == [words["train.press_play_short"]]
    home = open_page(SENTIMENT, lang="pt")
    titles = [s.value for s in home.subheader]
    assert titles.index(words["sentiment.tensors"]) < titles.index(words["sentiment.training"])
