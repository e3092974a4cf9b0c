"""The sentiment page in the real browser, in both languages: it opens with the shipped pretrained
model reading the review word by word (its held-out score in its caption, in the language's number
format), Play keeps the step counter moving, and nothing on the way raises or logs a console error."""

from __future__ import annotations

import pytest
import torch
from playwright.sync_api import Page, expect

from app.engine.sentiment.pretrained import PRETRAINED
from tests.e2e.conftest import APP_IDLE, EXCEPTION, PLOTLY, STEPS_METRIC, PressLog
from tests.e2e.test_pages import button
from tests.e2e.test_text_e2e import next_steps

pytestmark = pytest.mark.e2e

# The first visit of the process reads the review data and the word vectors (a few seconds).
FIRST_LOAD_MS = 60_000
READING = ".st-key-sentiment-reading-chart"


def stored_accuracy(decimal_comma: bool) -> str:
    """The shipped model's held-out accuracy as its caption writes it (74.2% / 74,2%)."""
    shown = f"{torch.load(PRETRAINED, weights_only=True)['info']['held_out_accuracy']:.1%}"
    return shown.replace(".", ",") if decimal_comma else shown


@pytest.mark.parametrize(
    ("query", "title", "score"),
    [
        ("", "Is this review positive?", f"accuracy {stored_accuracy(False)}"),
        ("?lang=pt", "Esta crítica é positiva?", f"acurácia {stored_accuracy(True)}"),
    ],
)
def test_sentiment_page_reads_with_the_pretrained_model_and_trains_live_without_errors(
    page: Page, app_url: str, console_errors: list[str], query: str, title: str, score: str
) -> None:
    log = PressLog(page)
    page.goto(app_url + "/sentiment" + query)
    expect(page.locator('[data-testid="stMain"] h1')).to_contain_text(title, timeout=FIRST_LOAD_MS)
    expect(page.locator(APP_IDLE)).to_have_count(1, timeout=FIRST_LOAD_MS)
    expect(page.locator(STEPS_METRIC)).to_have_text("0", timeout=FIRST_LOAD_MS)
    # Before anyone trains, the pretrained model reads the review: its chart and its caption.
    reading = page.locator(f"{READING} {PLOTLY}")
    reading.scroll_into_view_if_needed()
    expect(reading).to_be_visible(timeout=FIRST_LOAD_MS)
    expect(page.locator(f"{READING} .scatterlayer .point").first).to_be_attached()
    expect(page.get_by_text(score, exact=False).first).to_be_visible()
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
    log.press_in_section(page, "sentiment-pause", "sentiment-play")
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert console_errors == []
