"""The lesson page through AppTest: every section renders in both languages, previous and next walk
the path, ?section= opens a section, the section survives a visit to another page, a preset button
opens its page set up, and the live demonstrations and the exercise check answer."""

from __future__ import annotations

import pytest

from app.engine.lesson_exercise import STARTING_POINT
from app.engine.presets import PRESETS
from app.ui.i18n import catalog
from app.ui.lesson_path import ORDER
from tests.pages.conftest import HOME, charts, control, open_page

LESSON = "../pages/lesson.py"


def open_lesson(language: str = "en", section: str | None = None):
    at = open_page(lang=language)
    if section is not None:
        at.query_params["section"] = (
            section  # as a shared link gives it, on the lesson's first visit
        )
    at.switch_page(LESSON).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def header(at) -> str:
    return at.header[0].value


def run_config(at):
    return at.session_state["live:run"].config


@pytest.mark.parametrize("language", ["en", "pt"])
def test_next_walks_every_section_and_previous_comes_back(language: str) -> None:
    words = catalog(language)
    at = open_lesson(language)
    assert at.button(key="lesson-previous").disabled
    seen = [header(at)]
    for section in ORDER[1:]:
        at.button(key="lesson-next").click().run()
        assert not at.exception, (section, [e.value for e in at.exception])
        assert at.query_params["section"] == section  # the link follows
        seen.append(header(at))
    assert seen == [words[f"lesson.{s}.title"] for s in ORDER]
    assert at.button(key="lesson-next").disabled
    at.button(key="lesson-previous").click().run()
    assert header(at) == words[f"lesson.{ORDER[-2]}.title"]


def test_a_link_opens_its_section_and_a_bad_one_says_so() -> None:
    at = open_lesson(section="gates")
    assert header(at) == catalog("en")["lesson.gates.title"]
    assert at.selectbox(key="lesson-pick").value == "gates"
    bad = open_lesson(section="nonsense")
    assert header(bad) == catalog("en")["lesson.order.title"]
    assert any("nonsense" in note.value for note in bad.info)


def test_the_section_survives_a_visit_to_another_page() -> None:
    at = open_lesson()
    at.selectbox(key="lesson-pick").set_value("stacked").run()
    assert header(at) == catalog("en")["lesson.stacked.title"]
    at.switch_page(HOME).run()
    at.switch_page(LESSON).run()
    assert header(at) == catalog("en")["lesson.stacked.title"]


def test_a_preset_button_opens_its_page_set_up() -> None:
    at = open_lesson(section="gradients")
    at.button(key="lesson-open-gradients-1").click().run()
    assert not at.exception
    assert at.title[0].value == catalog("en")["grad.title"]
    assert run_config(at) == PRESETS["exploding"]
    at.switch_page(LESSON).run()
    assert header(at) == catalog("en")["lesson.gradients.title"]  # the way back


def test_the_order_demo_and_the_keras_example_step_live() -> None:
    at = open_lesson()
    at.button(key="order-step10").click().run()
    assert at.metric[0].value == "10"
    assert len(charts(at)) == 1
    at.selectbox(key="lesson-pick").set_value("examples").run()
    assert not at.exception
    at.button(key="keras-step10").click().run()
    assert at.metric[0].value == "10"
    assert any("°C²" in m.value for m in at.metric[1:])


def test_the_exercise_is_set_up_and_checked() -> None:
    at = open_lesson(section="exercises")
    at.button(key="lesson-exercise-check").click().run()
    # The session's default run learns the lesson's seven windows: nothing unseen to judge.
    assert any("seven windows" in w.value for w in at.warning)
    at.button(key="lesson-exercise-start").click().run()
    assert at.title[0].value == catalog("en")["train.title"]
    assert run_config(at) == STARTING_POINT
    at.switch_page(LESSON).run()
    at.button(key="lesson-exercise-check").click().run()
    assert any("not trained" in w.value for w in at.warning)


def test_the_optimiser_race_steps_and_takes_a_new_rate_live() -> None:
    at = open_lesson(section="next")
    at.button(key="race-step10").click().run()
    assert at.metric[0].value == "10"
    at.select_slider(key="race-lr").set_value(0.001).run()
    assert not at.exception
    assert at.metric[0].value == "10"  # the same race, retuned, not restarted
    assert at.session_state["live:race"].thing.config.learning_rate == 0.001


def test_the_advanced_checklist_keeps_its_ticks_across_pages() -> None:
    at = open_lesson(section="exercises")
    at.checkbox(key="lesson-advanced-glove").check().run()
    at.switch_page(HOME).run()
    at.switch_page(LESSON).run()
    assert at.checkbox(key="lesson-advanced-glove").value is True
    assert at.checkbox(key="lesson-advanced-lstm").value is False


def test_step_pauses_a_playing_demo_and_leaving_the_section_pauses_it() -> None:
    at = open_lesson()
    control(at, "order-play").click().run()
    assert control(at, "order-pause")  # playing
    played = int(at.metric[0].value.replace(",", ""))
    at.button(key="order-step").click().run()
    assert control(at, "order-play")  # paused by the step
    assert int(at.metric[0].value.replace(",", "")) == played + 1
    control(at, "order-play").click().run()
    at.button(key="lesson-next").click().run()
    assert at.session_state["live:order"].playing is False  # nothing trains out of sight
