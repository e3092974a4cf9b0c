"""The lesson page in the real browser: every section, in both languages, walked with the Next
button (and PageDown, as a presenter's clicker sends it), with no exception and no console error."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.ui.i18n import catalog
from app.ui.lesson_path import ORDER
from tests.e2e.conftest import APP_IDLE, EXCEPTION, PressLog
from tests.e2e.test_pages import button

pytestmark = pytest.mark.e2e
HEADER = '[data-testid="stMain"] h2'
# The sections with a live demonstration, and its controls' prefix (app/ui/lesson_live.py).
LIVE = {"order": "order", "examples": "keras", "next": "race"}
# Every chart of the main area drawn: plotly's svg in each st.plotly_chart and live chart.
DRAWN = """() => [...document.querySelectorAll(
    '[data-testid="stMain"] :is([data-testid="stPlotlyChart"], .unrolled-live-chart)')]
    .every(chart => chart.querySelector('svg.main-svg'))"""
FIRST_LOAD_MS = 90_000  # the first lesson page of a fresh server imports torch and plotly


def idle(page: Page) -> None:
    expect(page.locator(APP_IDLE)).to_have_count(1)


def press_step(page: Page, log: PressLog, section: str) -> None:
    """A live demonstration's Step reruns its section alone, not the lesson page."""
    if section in LIVE:
        # Once every chart is drawn: a chart drawn after the run ends moves what is below it,
        # and a click landing as the button moves is lost.
        page.wait_for_function(DRAWN)
        log.press_in_section(page, f"{LIVE[section]}-step", f"{LIVE[section]}-play")


@pytest.mark.parametrize("language", ["en", "pt"])
def test_every_section_renders_in_both_languages(
    page: Page, app_url: str, console_errors: list[str], language: str
) -> None:
    words = catalog(language)
    log = PressLog(page)
    page.goto(f"{app_url}/lesson?lang={language}&section={ORDER[0]}")
    expect(page.locator(HEADER).first).to_contain_text(
        words[f"lesson.{ORDER[0]}.title"], timeout=FIRST_LOAD_MS
    )
    idle(page)
    press_step(page, log, ORDER[0])
    for k, section in enumerate(ORDER[1:]):
        if k % 2:  # every other one by the clicker's key
            page.locator('[data-testid="stMain"] h1').click()  # focus on the page, not a widget
            page.keyboard.press("PageDown")
        else:
            button(page, "lesson-next").click()
        # The worked examples measure the lesson's Keras example once per server (five seeds).
        expect(page.locator(HEADER).first).to_contain_text(
            words[f"lesson.{section}.title"], timeout=FIRST_LOAD_MS
        )
        idle(page)
        expect(page.locator(EXCEPTION)).to_have_count(0)
        assert f"section={section}" in page.url
        press_step(page, log, section)
    assert console_errors == []
