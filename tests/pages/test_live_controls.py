"""The controls every live page shares (one live slot each): Step pauses a playing run and trains
exactly its steps, Reset goes back to step 0, and each page drives only its own slot."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import TRAIN, control, open_link, open_page, steps

LIVE_PAGES = [
    (TRAIN, "train"),
    ("../pages/gradients.py", "grad"),
    ("../pages/duel.py", "duel"),
]


def open_live(page: str, prefix: str) -> AppTest:
    if prefix == "words":  # the text page's word level, from its link
        at = open_link(page, mode="words")
        at.radio(key="words-model").set_value("live").run()
        return at
    at = open_page(page)
    if page.endswith("text.py"):
        at.radio(key="text-model").set_value("live").run()
    return at


@pytest.mark.parametrize(
    ("page", "prefix"),
    [*LIVE_PAGES, ("../pages/text.py", "text"), ("../pages/text.py", "words")],
)
def test_step_pauses_a_playing_run(page: str, prefix: str) -> None:
    at = open_live(page, prefix)
    control(at, f"{prefix}-play").click().run()
    assert control(at, f"{prefix}-pause")  # playing
    played = steps(at)
    at.button(key=f"{prefix}-step").click().run()
    assert control(at, f"{prefix}-play")  # paused by the step
    assert steps(at) == played + 1
    at.run()  # a paused run does not move on a rerun
    assert steps(at) == played + 1
    at.button(key=f"{prefix}-reset").click().run()
    assert steps(at) == 0
    assert not at.exception


def test_the_duel_has_its_own_slot() -> None:
    at = open_page(TRAIN)
    at.button(key="train-step10").click().run()
    at.switch_page("../pages/duel.py").run()
    assert steps(at) == 0  # the duel did not take the run's steps
    at.button(key="duel-step").click().run()
    at.switch_page(TRAIN).run()
    assert steps(at) == 10
    assert not at.exception
