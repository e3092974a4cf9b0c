"""A projector link at projector sizes: the page's main chart is on screen without scrolling, and no
label, title or metric is cut with "…" (app/ui/shell.py's presentation type, app/ui/live_chart.py's
fitted height, and each page's projector layout: the chart before its secondary panels)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import APP_IDLE, EXCEPTION, wait_for_css
from tests.e2e.test_pages import button, load

pytestmark = pytest.mark.e2e

HOSTS = '[data-testid="stMain"] .unrolled-live-chart'
# The first live chart's box and its plot area once plotly has drawn it, and every visible text
# Streamlit cut short.
LOOK = """(hosts) => {
    const chart = document.querySelector(hosts);
    const box = chart.getBoundingClientRect();
    const plot = chart.querySelector('.nsewdrag');
    const cut = [...document.querySelectorAll('[data-testid="stMain"] *')].filter(e =>
        e.offsetParent !== null && e.innerText && e.innerText.trim() &&
        getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1
    ).map(e => e.innerText.slice(0, 60));
    return {top: box.top, bottom: box.bottom, height: innerHeight, cut,
            plot: plot ? plot.getBoundingClientRect().height : 0};
}"""
DRAWN = "(hosts) => !!document.querySelector(hosts)?.querySelector('svg.main-svg')"
ON_SCREEN = "(hosts) => document.querySelector(hosts).getBoundingClientRect().bottom <= innerHeight"
# How many times a chart was drawn (app/ui/live_chart.js counts them).
UPDATES = "(key) => (window.unrolledCharts || {})[key]?.updates || 0"
PAGES = ("/train", "/gradients", "/duel")
SMALL, LARGE = (1280, 720), (1920, 1080)


@dataclass(frozen=True)
class LongPage:
    """A long page whose main chart a projector must show without scrolling, before and after a
    step: its link, the prefix of its controls, its main chart's key, one size and one language
    (languages alternate, to keep the suite fast), and the radio that picks its live model, if any."""

    path: str
    controls: str
    chart: str
    size: tuple[int, int]
    lang: str
    live_model: str | None = None


# At 1280x720, where the room is tightest; each case costs a page load, a model choice and a step,
# so only three. The character level shares the word level's layout (text_view.live_layout), the
# race and the Keras example the order demo's chart-first order (AppTest checks it:
# tests/pages/test_projector_layouts.py).
LONG_PAGES = (
    LongPage("/lesson?section=order", "order", "order-loss-chart", SMALL, "pt"),
    LongPage("/text?mode=words", "words", "words-bits-chart", SMALL, "en", "words-model"),
    LongPage("/sentiment", "sentiment", "sentiment-scores-chart", SMALL, "pt"),
)


@pytest.mark.parametrize(("width", "height", "lang"), [(*SMALL, "pt"), (*LARGE, "en")])
def test_the_main_chart_fits_the_projector_and_nothing_is_cut(
    browser: Browser, app_url: str, width: int, height: int, lang: str
) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        for path in PAGES:
            page.goto(f"{app_url}{path}?present=1&lang={lang}")
            expect(page.locator(APP_IDLE)).to_have_count(1)
            page.wait_for_function(
                f"() => [...document.querySelectorAll('{HOSTS}')].some(h =>"
                " h.querySelector('svg.main-svg'))"
            )
            expect(page.locator(EXCEPTION)).to_have_count(0)
            wait_for_css(page)
            look = page.evaluate(LOOK, HOSTS)
            assert_fits(look, path)
            if path == "/duel":  # its numbers stand beside the charts: the plot itself is tall
                assert look["plot"] >= 250, look
    finally:
        context.close()


@pytest.mark.parametrize("long_page", LONG_PAGES, ids=lambda p: p.path)
def test_a_long_page_shows_its_main_chart_first_on_a_projector(
    browser: Browser, app_url: str, long_page: LongPage
) -> None:
    width, height = long_page.size
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        joiner = "&" if "?" in long_page.path else "?"
        load(page, f"{app_url}{long_page.path}{joiner}present=1&lang={long_page.lang}")
        if long_page.live_model:  # the live model is the radio's last option, in any language
            page.locator(f".st-key-{long_page.live_model} [role='radiogroup'] label").last.click()
            # Its controls come with it (the page shows no run before the server's reply).
            expect(button(page, f"{long_page.controls}-step")).to_be_visible(timeout=60_000)
            expect(page.locator(APP_IDLE)).to_have_count(1)
        page.wait_for_function(DRAWN, arg=HOSTS)
        # The page above may still grow after the chart is drawn (it is then fitted again,
        # live_chart.js): what the room sees is the page once settled.
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(ON_SCREEN, arg=HOSTS, timeout=5_000)
        assert_fits(page.evaluate(LOOK, HOSTS), f"{long_page.path} before a step")
        drawn = page.evaluate(UPDATES, long_page.chart)
        button(page, f"{long_page.controls}-step").click()
        page.wait_for_function(f"(key) => ({UPDATES})(key) > {drawn}", arg=long_page.chart)
        expect(page.locator(APP_IDLE)).to_have_count(1)
        expect(page.locator(EXCEPTION)).to_have_count(0)
        page.evaluate("() => window.scrollTo(0, 0)")  # a click may scroll its button into view
        assert_fits(page.evaluate(LOOK, HOSTS), f"{long_page.path} after a step")
    finally:
        context.close()


def assert_fits(look: dict, where: str) -> None:
    """The chart whole on screen, a chart rather than a sliver, and no text cut short."""
    assert look["top"] > 0 and look["bottom"] <= look["height"], (where, look)
    assert look["bottom"] - look["top"] >= 250, (where, look)
    assert look["cut"] == [], (where, look["cut"])
