"""The real app in headless Chromium: pages render cleanly, live training moves, links and sessions hold."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    APP_IDLE,
    EXCEPTION,
    METRICS,
    PLOTLY,
    STEPS_METRIC,
    PressLog,
    button,
    sent_as,
    wait_for_css,
)

pytestmark = pytest.mark.e2e

TRAIN_CHARTS = 3  # loss, gradient norm, predictions
LIVE_MS = 10_000  # "within a few seconds" for anything the live fragment should show
# Points in the loss chart's training curve, as plotly drew them (_fullData holds the decoded arrays;
# `data` keeps the float32 arrays base64-encoded). While the fragment reruns, Streamlit keeps the
# previous chart hidden and marked stale next to the new one: read the fresh one.
LOSS_POINTS = """() => {
    const chart = [...document.querySelectorAll('.st-key-train-loss-chart .js-plotly-plot')]
        .find(e => !e.closest('[data-stale="true"]'));
    const curve = chart && chart._fullData && chart._fullData[0];
    return curve && curve.x ? curve.x.length : 0;
}"""


def load(page: Page, url: str, charts: int = 0) -> None:
    """Open ``url`` and wait until Streamlit has drawn the page (and its charts) and stopped running."""
    page.goto(url)
    expect(page.locator('[data-testid="stMain"] h1')).to_be_visible()
    if charts:
        expect(page.locator(PLOTLY)).to_have_count(charts)
    expect(page.locator(APP_IDLE)).to_have_count(1)
    wait_for_css(page)


def steps(page: Page) -> str:
    return page.locator(STEPS_METRIC).inner_text()


def loss_points(page: Page) -> int:
    return page.evaluate(LOSS_POINTS)


def wait_for_loss_points_above(page: Page, count: int) -> None:
    page.wait_for_function(f"() => ({LOSS_POINTS})() > {count}", timeout=LIVE_MS)


def stays(page: Page, selector: str, text: str, ms: int) -> bool:
    """True when the element's text stays ``text`` for ``ms`` (a bounded wait that returns early on change)."""
    try:
        page.wait_for_function(
            "([selector, text]) => { const e = document.querySelector(selector);"
            " return !e || e.innerText !== text; }",
            arg=[selector, text],
            timeout=ms,
        )
    except PlaywrightError:
        return True
    return False


@pytest.mark.parametrize(
    ("path", "charts", "title"),
    [
        ("/", 0, "Unrolled: look inside"),
        ("/train", TRAIN_CHARTS, "Train a recurrent network live"),
        ("/train?lang=pt", TRAIN_CHARTS, "Treine uma rede recorrente ao vivo"),
    ],
)
def test_page_renders_without_errors(
    page: Page, app_url: str, console_errors: list[str], path: str, charts: int, title: str
) -> None:
    load(page, app_url + path, charts)
    expect(page.locator('[data-testid="stMain"] h1')).to_contain_text(title)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert page.locator(PLOTLY).count() == charts
    assert not console_errors


def test_play_trains_live_and_pause_stops(
    page: Page, app_url: str, console_errors: list[str]
) -> None:
    load(page, app_url + "/train", TRAIN_CHARTS)
    counter = page.locator(STEPS_METRIC)
    expect(counter).to_have_text("0")
    assert loss_points(page) == 0

    button(page, "train-play").click()
    expect(counter).not_to_have_text("0", timeout=LIVE_MS)
    wait_for_loss_points_above(page, 0)
    # Keeps going on its own: both the counter and the chart move past what they showed a moment ago.
    seen_steps, seen_points = steps(page), loss_points(page)
    expect(counter).not_to_have_text(seen_steps, timeout=LIVE_MS)
    wait_for_loss_points_above(page, seen_points)

    button(page, "train-pause").click()
    expect(button(page, "train-play")).to_be_visible()
    expect(page.locator(APP_IDLE)).to_have_count(1)
    paused = steps(page)
    assert int(paused.replace(",", "")) > 0
    assert stays(page, METRICS, paused, 1_500), "the step counter kept moving after Pause"
    expect(page.locator(PLOTLY)).to_have_count(TRAIN_CHARTS)  # no stale copies left behind
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert not console_errors


def test_a_press_reruns_its_live_section_not_the_page(
    page: Page, app_url: str, console_errors: list[str]
) -> None:
    """Pause and Step are sent as reruns of the live section they sit in (the browser names its
    fragment), and answered without a full-app run; Reset still gets the whole page."""
    log = PressLog(page)
    load(page, app_url + "/train", TRAIN_CHARTS)
    counter = page.locator(STEPS_METRIC)
    button(page, "train-play").click()
    expect(counter).not_to_have_text("0", timeout=LIVE_MS)
    log.press_in_section(page, "train-pause", "train-play")
    log.press_in_section(page, "train-step", "train-play")
    before = len(log.runs)
    log.press(page, "train-reset")
    expect(counter).to_have_text("0")
    expect(page.locator(APP_IDLE)).to_have_count(1)
    assert any(log.runs[before:]), "Reset was not answered by a full-app run"
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert not console_errors


# Clicks the element named by window.unrolledPressWithRefresh in the same moment as a pacer's
# request for the next refresh (right after it, before anything else happens in the page), as a
# click landing with that request would: the pacers count their requests (live_pacer.js).
PRESS_WITH_REFRESH = """(() => {
  const watched = (count) => new Proxy(count, {
    set(target, name, value) {
      target[name] = value;
      const selector = window.unrolledPressWithRefresh;
      if (name === "asked" && selector) {
        window.unrolledPressWithRefresh = null;
        queueMicrotask(() => document.querySelector(selector).click());
      }
      return true;
    },
  });
  window.unrolledPacers = new Proxy({}, {
    set(target, name, value) {
      target[name] = watched(value);
      return true;
    },
  });
})();"""


def test_a_press_landing_with_a_refresh_reruns_its_section_not_the_page(
    page: Page, app_url: str, console_errors: list[str]
) -> None:
    """The browser sends a click and the pacer's request of the same moment as one rerun, of the
    live fragment. Pause is still answered by a run of its section (its buttons drawn again, the
    run stopped), without a full-app run."""
    page.add_init_script(PRESS_WITH_REFRESH)
    log = PressLog(page)
    load(page, app_url + "/train", TRAIN_CHARTS)
    counter = page.locator(STEPS_METRIC)
    button(page, "train-play").click()
    expect(counter).not_to_have_text("0", timeout=LIVE_MS)
    since = len(log.carried)
    page.evaluate(
        "selector => { window.unrolledPressWithRefresh = selector; }",
        ".st-key-train-pause button",
    )
    expect(button(page, "train-play")).to_be_visible(timeout=LIVE_MS)
    expect(page.locator(APP_IDLE)).to_have_count(1)
    together = [keys for keys in log.of("sent", since) if sent_as("train-pause") in keys]
    assert together, "no Pause was sent"
    assert len(together[0]) > 1, f"Pause was sent alone, not with the refresh's request: {together}"
    assert not any(log.of("run", since)), "Pause was answered by a full-app run"
    paused = steps(page)
    assert stays(page, METRICS, paused, 1_500), "the step counter kept moving after Pause"
    expect(page.locator(PLOTLY)).to_have_count(TRAIN_CHARTS)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert not console_errors


def test_shared_link_opens_its_setup(page: Page, app_url: str, console_errors: list[str]) -> None:
    load(page, app_url + "/train?task=adding&cell=lstm&hidden_size=32", TRAIN_CHARTS)
    expect(page.locator(".st-key-cfg-task input")).to_have_value("Adding problem")
    expect(page.locator(".st-key-cfg-cell").get_by_role("radio", name="LSTM")).to_be_checked()
    expect(page.locator(".st-key-cfg-hidden-size input")).to_have_value("32")
    expect(page.get_by_text("Add the two marked numbers")).to_be_visible()
    expect(page.locator('[data-testid="stAlert"]', has_text="could not be used")).to_have_count(0)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert not console_errors


def test_bad_link_shows_a_notice_not_an_exception(
    page: Page, app_url: str, console_errors: list[str]
) -> None:
    load(page, app_url + "/train?hidden_size=abc", TRAIN_CHARTS)
    expect(page.locator('[data-testid="stAlert"]', has_text="could not be used")).to_be_visible()
    expect(page.locator('[data-testid="stAlert"]', has_text='"abc"')).to_be_visible()
    expect(page.locator(".st-key-cfg-hidden-size input")).to_have_value("16")  # the default
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert not console_errors


def test_sessions_do_not_share_a_run(new_page, app_url: str, console_errors: list[str]) -> None:
    first, second = new_page(), new_page()
    load(first, app_url + "/train", TRAIN_CHARTS)
    load(second, app_url + "/train", TRAIN_CHARTS)

    button(first, "train-step10").click()
    expect(first.locator(STEPS_METRIC)).to_have_text("10")
    # The second session reruns its script after the first trained: a shared run would show 11.
    button(second, "train-step").click()
    expect(second.locator(STEPS_METRIC)).to_have_text("1")
    button(first, "train-step").click()
    expect(first.locator(STEPS_METRIC)).to_have_text("11")
    for page in (first, second):
        expect(page.locator(EXCEPTION)).to_have_count(0)
    assert not console_errors


def test_a_projector_link_opens_with_the_sidebar_folded(page: Page, app_url: str) -> None:
    load(page, app_url + "/train?present=1", TRAIN_CHARTS)
    expect(page.locator('[data-testid="stSidebar"]')).to_have_attribute("data-collapsed", "true")
    load(page, app_url + "/train", TRAIN_CHARTS)  # a fresh load without it: the sidebar is there
    expect(page.locator('[data-testid="stSidebar"]')).to_have_attribute("data-collapsed", "false")
