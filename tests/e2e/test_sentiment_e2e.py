"""The sentiment page in the real browser, in both languages: it opens with its charts, Play keeps the
step counter moving, and nothing on the way raises or logs a console error."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import APP_IDLE, EXCEPTION, PLOTLY, STEPS_METRIC
from tests.e2e.test_pages import button
from tests.e2e.test_text_e2e import next_steps

pytestmark = pytest.mark.e2e

# The first visit of the process reads the review data and the word vectors (a few seconds).
FIRST_LOAD_MS = 60_000


@pytest.mark.parametrize(
    ("query", "title"),
    [("", "Is this review positive?"), ("?lang=pt", "Esta crítica é positiva?")],
)
def test_sentiment_page_trains_live_without_errors(
    page: Page, app_url: str, console_errors: list[str], query: str, title: str
) -> None:
    page.goto(app_url + "/sentiment" + query)
    expect(page.locator('[data-testid="stMain"] h1')).to_contain_text(title, timeout=FIRST_LOAD_MS)
    expect(page.locator(APP_IDLE)).to_have_count(1, timeout=FIRST_LOAD_MS)
    expect(page.locator(STEPS_METRIC)).to_have_text("0", timeout=FIRST_LOAD_MS)
    # Plotly draws a chart once it scrolls into view: the first one sits below the tensors.
    page.locator(PLOTLY).first.scroll_into_view_if_needed()
    expect(page.locator(PLOTLY).first).to_be_visible()
    button(page, "sentiment-play").click()
    first = next_steps(page, "0")
    second = next_steps(page, first)
    assert (
        0
        < int(first.replace(",", "").replace(".", ""))
        < int(second.replace(",", "").replace(".", ""))
    )
    button(page, "sentiment-pause").click()
    expect(button(page, "sentiment-play")).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert console_errors == []
