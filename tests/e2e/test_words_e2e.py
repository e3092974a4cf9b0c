"""The text page's word level in the real browser, opened in a fresh tab from a link in each
language: Play trains it live and the sample above the tabs is words, with no exception."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import APP_IDLE, EXCEPTION, PressLog
from tests.e2e.test_pages import button, load
from tests.e2e.test_text_e2e import next_steps

pytestmark = pytest.mark.e2e

TITLES = {"en": "one word at a time", "pt": "uma palavra de cada vez"}
LIVE_SAMPLE = '[data-testid="stMain"] [data-testid="stCode"] >> nth=0'
# The first live word model of a server builds its corpus in the vocabulary (shared afterwards):
# this test may be the first to ask, whichever browser group and worker it runs in.
FIRST_MODEL_MS = 60_000


@pytest.mark.parametrize("language", list(TITLES))
def test_a_link_opens_the_word_level_and_play_writes_words(
    new_page, app_url: str, console_errors: list[str], language: str
) -> None:
    page: Page = new_page()  # a fresh tab: its own session, set up by the link alone
    log = PressLog(page)
    load(page, f"{app_url}/text?mode=words&lang={language}")
    expect(page.locator('[data-testid="stMain"] h1')).to_contain_text(TITLES[language])
    # The live model is the radio's last option, in any language (the shipped one comes first).
    page.locator(".st-key-words-model [role='radiogroup'] label").last.click()
    expect(button(page, "words-play")).to_be_visible(timeout=FIRST_MODEL_MS)
    expect(page.locator(APP_IDLE)).to_have_count(1, timeout=FIRST_MODEL_MS)
    button(page, "words-play").click()
    next_steps(page, "0")  # the live fragment trains and redraws
    # Pause reruns the live section, which redraws the tabs for the paused model: with the other
    # worker's browser tests beside it on CI's two cores, that has taken over 20 s.
    log.press_in_section(page, "words-pause", "words-play", timeout=FIRST_MODEL_MS)
    sample = page.locator(LIVE_SAMPLE).inner_text()
    words = re.findall(r"[a-z']+", sample)
    assert sample.startswith("the film is") and len(words) >= 20
    assert "mode=words" in page.url
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert console_errors == []
