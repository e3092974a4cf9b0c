"""Moving between the pages that share the settings keeps every setting and the run itself."""

from __future__ import annotations

import pytest

from tests.pages.conftest import open_page, steps

PAGES = {
    "train": "../pages/train.py",
    "steps": "../pages/time_steps.py",
    "gradients": "../pages/gradients.py",
}
LINK = {"task": "sine", "hidden_size": "24", "learning_rate": "0.003", "batch_size": "16"}


def settings(at) -> dict[str, object]:
    return {
        "task": at.selectbox(key="cfg-task").value,
        "hidden_size": at.number_input(key="cfg-hidden-size").value,
        "learning_rate": at.text_input(key="cfg-learning-rate").value,
        "batch_size": at.number_input(key="cfg-batch-size").value,
        "clip": at.toggle(key="cfg-clip").value,
    }


WANTED = {
    "task": "sine",
    "hidden_size": 24,
    "learning_rate": "0.003",
    "batch_size": 16,
    "clip": True,
}


@pytest.mark.parametrize(("first", "second"), [("train", "gradients"), ("steps", "train")])
def test_a_link_keeps_its_settings_on_the_next_page(first: str, second: str) -> None:
    at = open_page(PAGES[first], **LINK)
    assert settings(at) == WANTED
    at.switch_page(PAGES[second]).run()
    assert not at.exception
    assert settings(at) == WANTED
    assert dict(at.query_params) == LINK


def test_the_run_survives_a_page_change() -> None:
    at = open_page(PAGES["train"], **LINK)
    at.button(key="train-step10").click().run()
    assert steps(at) == 10
    at.switch_page(PAGES["gradients"]).run()
    at.switch_page(PAGES["train"]).run()
    assert steps(at) == 10
    assert settings(at) == WANTED


def test_edits_on_each_page_follow_to_the_next() -> None:
    at = open_page(PAGES["train"])
    at.number_input(key="cfg-hidden-size").set_value(24).run()
    at.switch_page(PAGES["gradients"]).run()
    assert at.number_input(key="cfg-hidden-size").value == 24
    at.number_input(key="cfg-hidden-size").set_value(30).run()
    at.switch_page(PAGES["train"]).run()
    assert at.number_input(key="cfg-hidden-size").value == 30
    assert at.query_params["hidden_size"] == "30"


def test_a_preset_picked_on_home_then_edited_stays_edited() -> None:
    # A preset loaded before any settings widget exists must not leave values behind that a later
    # page would prefer to the config.
    at = open_page()
    at.selectbox(key="shell-preset").set_value("adding").run()
    at.switch_page(PAGES["train"]).run()
    assert at.number_input(key="cfg-hidden-size").value == 32  # the preset's
    at.number_input(key="cfg-hidden-size").set_value(12).run()
    at.radio(key="cfg-cell").set_value("gru").run()
    at.switch_page(PAGES["steps"]).run()
    assert at.number_input(key="cfg-hidden-size").value == 12
    assert at.radio(key="cfg-cell").value == "gru"
    assert at.query_params["hidden_size"] == "12"
