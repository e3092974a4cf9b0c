"""Live charts never blink: while a page plays, every chart stays drawn and fully opaque, is
updated in place (never re-created), and a zoom survives the refreshes (app/ui/live_chart.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import APP_IDLE, EXCEPTION, PressLog, button

pytestmark = pytest.mark.e2e

FRAMES = 32  # sampled every FRAME_MS while playing, as the issue measured
FRAME_MS = 250
# FRAMES looks with FRAME (passed as its source), FRAME_MS apart, taken inside the page by one
# call: no round trip to the test per frame.
SAMPLE = """async ([frame, hosts, frames, every]) => {
    const look = (0, eval)(frame);
    const seen = [];
    for (let i = 0; i < frames; i++) {
        seen.push(look(hosts));
        await new Promise(done => setTimeout(done, every));
    }
    return seen;
}"""
HOSTS = '[data-testid="stMain"] .unrolled-live-chart'
# Per live chart: drawn (plotly's svg is there) and its opacity through every ancestor.
FRAME = """(hosts) => [...document.querySelectorAll(hosts)].map(c => {
    let opacity = 1;
    for (let e = c; e; e = e.parentElement) opacity *= parseFloat(getComputedStyle(e).opacity);
    return {drawn: !!c.querySelector('svg.main-svg'), opacity};
})"""
COUNTS = "() => JSON.parse(JSON.stringify(window.unrolledCharts || {}))"
PACERS = "() => JSON.parse(JSON.stringify(window.unrolledPacers || {}))"  # app/ui/live_pacer.js


def open_live(page: Page, url: str, prefix: str) -> int:
    """Open ``url`` and wait until every live chart is drawn; returns how many there are."""
    page.goto(url)
    expect(page.locator(APP_IDLE)).to_have_count(1)
    if prefix == "text":  # the live model, not the shipped one
        page.locator(".st-key-text-model [role=radiogroup] label").nth(1).click()
        # Its controls come once it has read its corpus (the page shows no run before the reply).
        expect(button(page, "text-play")).to_be_visible(timeout=60_000)
        expect(page.locator(APP_IDLE)).to_have_count(1)
    page.wait_for_function(
        f"() => {{ const c = document.querySelectorAll('{HOSTS}');"
        " return c.length > 0 && [...c].every(h => h.querySelector('svg.main-svg')); }"
    )
    return page.locator(HOSTS).count()


def play(page: Page, prefix: str) -> None:
    button(page, f"{prefix}-play").click()
    expect(button(page, f"{prefix}-pause")).to_be_visible()
    # Play and Pause are one element: the moment Pause shows, no Play is left beside it (two
    # elements were: the old one stayed until the run ended and, vanishing, shifted the row
    # under a click on Pause).
    assert button(page, f"{prefix}-play").count() == 0


@pytest.mark.parametrize(
    ("path", "prefix"),
    [
        # The training page once: on a projector and in Portuguese.
        ("/train?present=1&lang=pt", "train"),
        ("/gradients", "grad"),
        ("/duel", "duel"),
        ("/text", "text"),
        ("/sentiment?lang=pt", "sentiment"),
    ],
)
def test_playing_charts_never_blink_and_are_never_re_created(
    page: Page, app_url: str, console_errors: list[str], path: str, prefix: str
) -> None:
    log = PressLog(page)
    charts = open_live(page, app_url + path, prefix)
    since = len(log.finished)
    play(page, prefix)
    page.wait_for_timeout(1000)  # past the press: the timer's refreshes from here on
    before = page.evaluate(COUNTS)
    blinks = [
        (frame, seen)
        for frame, seen in enumerate(page.evaluate(SAMPLE, [FRAME, HOSTS, FRAMES, FRAME_MS]))
        if len(seen) < charts or any(not c["drawn"] or c["opacity"] < 0.99 for c in seen)
    ]
    cut_short, finished = log.cut_short(since), log.finished[since:]
    after = page.evaluate(COUNTS)
    pacers = page.evaluate(PACERS)
    page.locator(f".st-key-{prefix}-pause button").filter(visible=True).click()
    expect(page.locator(f".st-key-{prefix}-play button").filter(visible=True)).to_be_visible()
    expect(page.locator(APP_IDLE)).to_have_count(1)
    # Once the pacer has the paused run: a request its timer sent before is not one after Pause.
    page.wait_for_function(f"() => Object.values(({PACERS})()).every(p => p.playing === false)")
    paused = page.evaluate(PACERS)
    page.wait_for_timeout(1000)  # longer than a tick: a pacer still asking would have asked
    assert not blinks, blinks
    # No run was cut short by a refresh while playing: the live fragment's next run is asked for
    # once the run before it has ended, a press's run of the whole live section too
    # (live_pacer.js). (Pause may cut one short: the press does not wait for the refresh.)
    assert cut_short == 0, finished
    # The refreshes came from the pacer, one request per run that arrived, none asked again
    # (nothing was lost), and none after Pause.
    [(name, pacer)] = pacers.items()
    assert pacer["asked"] >= FRAMES * 0.25 / 4.8, pacers  # at least one per longest tick
    assert pacer["asked"] <= pacer["runs"] and pacer["again"] == 0, pacers
    assert page.evaluate(PACERS)[name]["asked"] == paused[name]["asked"]
    assert {k: v["mounts"] for k, v in after.items()} == {k: v["mounts"] for k, v in before.items()}
    # Every chart kept up: a chart that holds none of the versions its messages are for (changes
    # since the last figure, app/ui/chart_delta.py) would stay still.
    stalled = [k for k, v in after.items() if v["updates"] <= before.get(k, {}).get("updates", 0)]
    assert not stalled, (before, after)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert not console_errors


def test_a_zoom_survives_the_refreshes(page: Page, app_url: str) -> None:
    open_live(page, app_url + "/train", "train")
    loss = ".st-key-train-loss-chart .unrolled-live-chart"
    page.evaluate(
        f"() => window.Plotly.relayout(document.querySelector('{loss}'), {{'xaxis.range': [2, 5]}})"
    )
    play(page, "train")
    updates = page.evaluate(COUNTS)["train-loss-chart"]["updates"]
    page.wait_for_function(
        f"() => window.unrolledCharts['train-loss-chart'].updates > {updates + 2}"
    )
    shown = page.evaluate(f"() => document.querySelector('{loss}').layout.xaxis.range")
    assert shown == [2, 5]
