"""The live chart's browser code (app/ui/live_chart.js) rebuilds the figure the server drew from
the messages app/ui/chart_delta.py makes: whole, changed since the last one, after a missed one;
and asks for the whole figure when it holds none of the versions a message is for.

Runs the real module in Chromium with a stand-in for plotly (what it would draw is recorded)."""

from __future__ import annotations

import base64
import json

import numpy as np

from app.charts.training import Labels, loss_figure
from app.ui.chart_delta import delta
from app.ui.live_chart import payload
from tests.conftest import ROOT

LABELS = Labels("loss", "step", "loss", ("train", "val"))

# The module, its default export called as Streamlit calls it; what Plotly.react got, in lists.
HARNESS = """
async ({code, messages}) => {
  window.Plotly = {react: (host, data, layout) => { window.drawn = {data, layout}; }};
  const module = await import("data:text/javascript;base64," + code);
  const root = document.createElement("div");
  root.innerHTML = '<div class="unrolled-live-chart"></div>';
  document.body.appendChild(root);
  const asked = [];
  const seen = [];
  const layouts = [];
  for (const message of messages) {
    window.drawn = null;
    const data = new TextEncoder().encode(JSON.stringify(message));  // as the server packs it
    module.default({data, parentElement: root, setStateValue: (name, value) => asked.push(name)});
    await new Promise((resolve) => setTimeout(resolve, 0));
    seen.push(window.drawn && window.drawn.data.map((trace) => ({
      x: Array.from(trace.x), y: Array.from(trace.y), name: trace.name})));
    layouts.push(window.drawn && window.drawn.layout);
  }
  return {seen, asked, layouts};
}
"""


def _loss(steps: int) -> dict:
    x = np.arange(1, steps + 1)
    loss = np.exp(-x / 300.0) + 0.01 * np.random.default_rng(steps).random(steps)
    val = np.where(x % 25 == 0, loss * 1.1, np.nan)
    return payload(loss_figure(x, loss, val, LABELS))


def _lists(spec: dict) -> list[dict]:
    def values(array: dict) -> list[float]:
        raw = np.frombuffer(base64.b64decode(array["bdata"]), dtype=f"<{array['dtype']}")
        return [None if np.isnan(v) else float(v) for v in raw.astype(np.float64)]

    return [{"x": values(t["x"]), "y": values(t["y"]), "name": t["name"]} for t in spec["data"]]


def test_the_browser_draws_exactly_the_server_figure_from_changes(page) -> None:
    specs = [_loss(n) for n in (280, 420, 1650, 1700, 1750, 1800)]
    messages, window = [], ()
    for version, spec in enumerate(specs, start=1):
        message, drawn = delta(window, spec, version)
        messages.append({"key": "loss", "fit": False, **message})
        window = (*window[-1:], drawn)  # the app's window of two
    assert "figure" in messages[0] and all("delta" in m for m in messages[1:])
    foreign = {**messages[-1], "bases": [999]}  # for versions this browser never held
    sent = [messages[0], messages[1], messages[3], messages[4], messages[5], foreign]
    # messages[2] is missed, as a busy browser misses one: messages[3] is for versions 2 and 3
    page.goto("about:blank")
    code = base64.b64encode((ROOT / "app/ui/live_chart.js").read_bytes()).decode()
    result = page.evaluate(HARNESS, {"code": code, "messages": json.loads(json.dumps(sent))})
    expected = [specs[0], specs[1], specs[3], specs[4], specs[5]]
    for drawn, spec in zip(result["seen"][:5], expected, strict=True):
        assert drawn is not None
        got = json.loads(json.dumps(drawn).replace("NaN", "null"))
        assert got == json.loads(json.dumps(_lists(spec)))
    assert result["seen"][5] is None  # nothing drawn from a message it cannot apply...
    assert result["asked"] == ["resync"]  # ...it asks for the whole figure, once


def _run(page, messages: list[dict]) -> dict:
    page.goto("about:blank")
    code = base64.b64encode((ROOT / "app/ui/live_chart.js").read_bytes()).decode()
    return page.evaluate(HARNESS, {"code": code, "messages": json.loads(json.dumps(messages))})


def _drawn(seen: dict) -> list[dict]:
    return json.loads(json.dumps(seen).replace("NaN", "null"))


def test_the_browser_rebuilds_a_curve_from_old_points_picked_across_a_doubling(page) -> None:
    """Across the envelope's bucket doublings (298 and 596 points) a refresh picks the held
    figure's old points by a bit mask (app/ui/chart_delta.py ``_pick``): the browser draws
    exactly the server's figure, from either figure of the window; a pick without a mask for the
    version it holds makes it ask for the whole figure."""
    x = np.arange(1, 700)
    loss = np.exp(-x / 300.0) + 0.01 * np.random.default_rng(3).random(len(x))
    loss[::37] = np.nan  # gaps in the curve travel too
    val = np.where(x % 25 == 0, loss * 1.1, np.nan)
    lengths = (290, 297, 310, 320, 585, 594, 603, 610)
    specs = [payload(loss_figure(x[:n], loss[:n], val[:n], LABELS)) for n in lengths]
    messages, window = [], ()
    for version, spec in enumerate(specs, start=1):
        message, drawn = delta(window, spec, version)
        messages.append({"key": "loss", "fit": False, **message})
        window = (*window[-1:], drawn)
    picks = [
        i
        for i, m in enumerate(messages)
        if "delta" in m
        and any(p and "pick" in p for t in m["delta"]["traces"] for p in t["arrays"].values())
    ]
    assert 2 in picks and 6 in picks, picks  # right after each doubling
    sent = [messages[i] for i in (0, 1, 2, 3, 4, 6, 7)]  # misses messages[5]: 6 is for 5 and 6
    foreign = json.loads(json.dumps(messages[6]))
    foreign["bases"] = [7, 8]  # one it holds (8), but no mask for it
    for trace in foreign["delta"]["traces"]:
        for part in trace["arrays"].values():
            if part and "pick" in part:
                part["pick"] = {"7": next(iter(part["pick"].values()))}
    result = _run(page, [*sent, foreign])
    expected = [specs[i] for i in (0, 1, 2, 3, 4, 6, 7)]
    for drawn, spec in zip(result["seen"][:-1], expected, strict=True):
        assert drawn is not None
        assert _drawn(drawn) == json.loads(json.dumps(_lists(spec)))
    assert result["seen"][-1] is None and result["asked"] == ["resync"]


def test_the_browser_sets_and_drops_the_layout_entries_a_refresh_changed(page) -> None:
    """A refresh sends only the layout's entries that changed (an axis gaining or losing its
    ticks, a note): the browser draws the server's whole layout, the untouched entries included."""
    plain = _loss(600)
    ticked = json.loads(json.dumps(plain))
    ticked["layout"]["yaxis"] = {**plain["layout"]["yaxis"], "tickvals": [0.1, 1.0]}
    ticked["layout"]["shapes"] = [{"type": "line", "x0": 0, "x1": 1, "y0": 1, "y1": 1}]
    specs = [ticked, plain, ticked]
    messages, window = [], ()
    for version, spec in enumerate(specs, start=1):
        message, drawn = delta(window, spec, version)
        messages.append({"key": "loss", "fit": False, **message})
        window = (*window[-1:], drawn)
    assert messages[1]["delta"]["layout"]["drop"] == ["shapes"]
    assert set(messages[2]["delta"]["layout"]["set"]) == {"yaxis", "shapes"}
    result = _run(page, messages)
    for layout, spec in zip(result["layouts"], specs, strict=True):
        assert layout is not None
        for key, value in spec["layout"].items():
            if key != "font":  # the page's font family and colour are added to it
                assert layout[key] == value, key
        assert ("shapes" in layout) == ("shapes" in spec["layout"])
        assert layout["font"]["size"] == spec["layout"]["font"]["size"]


REFIT = """
async ({code, message}) => {
  const heights = [];
  window.Plotly = {react: (host, data, layout) => { heights.push(layout.height); }};
  const module = await import("data:text/javascript;base64," + code);
  const spacer = document.createElement("div");
  document.body.appendChild(spacer);
  const root = document.createElement("div");
  root.innerHTML = '<div class="unrolled-live-chart"></div>';
  document.body.appendChild(root);
  const data = new TextEncoder().encode(JSON.stringify(message));
  module.default({data, parentElement: root, setStateValue: () => {}});
  const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
  await settle();
  const first = heights.length;
  spacer.style.height = "120px";  // the page above the chart grows after it was drawn
  await settle();
  const host = root.querySelector(".unrolled-live-chart");
  return {first, heights, bottom: host.getBoundingClientRect().bottom, room: innerHeight};
}
"""


def test_a_fitted_chart_is_fitted_again_when_the_page_above_it_grows(page) -> None:
    """On a projector a paused chart's bottom stays on screen when an element above it arrives
    late: it is fitted again, not left cut off until the next refresh."""
    message, _ = delta((), _loss(300), 1)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto("about:blank")
    code = base64.b64encode((ROOT / "app/ui/live_chart.js").read_bytes()).decode()
    result = page.evaluate(
        REFIT, {"code": code, "message": {"key": "loss", "fit": True, **message}}
    )
    assert result["first"] == 1
    assert len(result["heights"]) == 2, result  # drawn again, once
    assert result["heights"][1] <= result["heights"][0] - 120 + 16, result
    assert result["bottom"] <= result["room"], result
