"""A projector link at projector sizes: the page's main chart is on screen without scrolling, and no
label, title or metric is cut with "…" (app/ui/shell.py's presentation type, app/ui/live_chart.py's
fitted height)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import APP_IDLE, EXCEPTION

pytestmark = pytest.mark.e2e

HOSTS = '[data-testid="stMain"] .unrolled-live-chart'
# The first live chart's box once plotly has drawn it, and every visible text Streamlit cut short.
LOOK = """(hosts) => {
    const chart = document.querySelector(hosts);
    const box = chart.getBoundingClientRect();
    const cut = [...document.querySelectorAll('[data-testid="stMain"] *')].filter(e =>
        e.offsetParent !== null && e.innerText && e.innerText.trim() &&
        getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1
    ).map(e => e.innerText.slice(0, 60));
    return {top: box.top, bottom: box.bottom, height: innerHeight, cut};
}"""
PAGES = ("/train", "/gradients", "/duel")


@pytest.mark.parametrize(("width", "height", "lang"), [(1280, 720, "en"), (1920, 1080, "pt")])
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
            look = page.evaluate(LOOK, HOSTS)
            assert look["top"] > 0 and look["bottom"] <= look["height"], (path, look)
            assert look["bottom"] - look["top"] >= 250, (path, look)  # a chart, not a sliver
            assert look["cut"] == [], (path, look["cut"])
    finally:
        context.close()
