"""The text page in the real browser: the shipped model shows coloured text at once, and live training
keeps the page refreshing (the step counter moves again and again while Play is on)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import APP_IDLE, EXCEPTION, STEPS_METRIC, PressLog
from tests.e2e.test_pages import LIVE_MS, button, load, steps

pytestmark = pytest.mark.e2e


def next_steps(page: Page, shown: str) -> str:
    """Wait (bounded) until the step counter shows something other than ``shown``."""
    page.wait_for_function(
        "([selector, text]) => { const e = document.querySelector(selector);"
        " return e && e.innerText !== text; }",
        arg=[STEPS_METRIC.split(" >> ")[0], shown],
        timeout=LIVE_MS,
    )
    return steps(page)


def test_text_page_colours_text_and_keeps_refreshing_while_training(
    page: Page, app_url: str, console_errors: list[str]
) -> None:
    log = PressLog(page)
    load(page, app_url + "/text")
    expect(page.locator('[data-testid="stMain"] h1')).to_contain_text("Write text")
    page.get_by_role("tab", name="What one unit sees").click()
    coloured = page.locator('[data-testid="stHtml"] span[title]')
    expect(coloured.first).to_be_visible()
    assert coloured.count() > 1000  # one span per character of the excerpt

    page.locator(".st-key-text-model").get_by_text("Your model, trained live").click()
    expect(button(page, "text-play")).to_be_visible()
    expect(page.locator(APP_IDLE)).to_have_count(1)
    button(page, "text-play").click()
    first = next_steps(page, "0")
    second = next_steps(page, first)
    third = next_steps(page, second)
    assert (
        0 < int(first.replace(",", "")) < int(second.replace(",", "")) < int(third.replace(",", ""))
    )
    log.press_in_section(page, "text-pause", "text-play")  # the tabs redrawn, not the page
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert console_errors == []
