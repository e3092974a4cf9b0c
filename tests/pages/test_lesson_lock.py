"""The lesson builder's lock: a student's link keeps its hidden settings out of reach."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from tests.pages.conftest import TRAIN, open_page

GRADIENTS = "../pages/gradients.py"
STUDENT = {"cell": "lstm", "learning_rate": "0.003", "hide": "cell,learning_rate", "lock": "1"}


def keys(at, kind: str) -> set[str]:
    return {widget.key for widget in at.get(kind)}


def test_a_locked_link_offers_no_way_to_unhide() -> None:
    at = open_page(TRAIN, **STUDENT)
    assert "shell-hide" not in keys(at, "multiselect")
    assert not at.sidebar.code  # nor the builder's links
    assert {"cfg-cell", "cfg-learning-rate"}.isdisjoint(
        keys(at, "number_input") | keys(at, "text_input") | keys(at, "radio")
    )
    assert "cfg-hidden-size" in keys(at, "number_input")  # the rest stays the student's
    assert dict(at.query_params) == STUDENT  # a reload keeps the lock


def test_locked_settings_hold_against_presets_and_other_pages() -> None:
    at = open_page(GRADIENTS, **STUDENT)
    # No preset keeps an LSTM at 0.003, so the sidebar offers none.
    assert "shell-preset" not in keys(at, "selectbox")
    at.button(key="grad-preset-vanishing").click().run()  # the page's own button: refused
    assert not at.exception
    assert any("locked" in warning.value for warning in at.warning)
    assert at.query_params["cell"] == "lstm" and at.query_params["learning_rate"] == "0.003"
    at.switch_page(TRAIN).run()
    assert dict(at.query_params) == STUDENT


def test_a_lock_offers_only_the_presets_that_keep_it() -> None:
    at = open_page(TRAIN, hide="hidden_size", lock="1")  # the default 16 units, locked
    offered = at.selectbox(key="shell-preset")
    assert len(offered.options) == 4  # lesson, sine, vanishing, exploding: not the 32-unit ones
    offered.set_value("sine").run()
    assert not at.exception
    assert at.query_params["task"] == "sine" and "hidden_size" not in at.query_params


def test_the_builder_gives_a_locked_link_and_the_teachers_own() -> None:
    at = open_page(TRAIN, cell="lstm")
    assert not at.sidebar.code  # nothing hidden yet: nothing to share
    at.multiselect(key="shell-hide").set_value(["learning_rate"]).run()
    student, teacher = (urlsplit(code.value) for code in at.sidebar.code)
    assert dict(parse_qsl(student.query)) == {"cell": "lstm", "hide": "learning_rate", "lock": "1"}
    assert dict(parse_qsl(teacher.query)) == {"cell": "lstm", "hide": "learning_rate"}

    students = open_page(TRAIN, **dict(parse_qsl(student.query)))
    assert "shell-hide" not in keys(students, "multiselect")
    teachers = open_page(TRAIN, **dict(parse_qsl(teacher.query)))
    assert teachers.multiselect(key="shell-hide").value == ["learning_rate"]  # and can unhide
