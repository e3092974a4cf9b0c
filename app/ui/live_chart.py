"""A plotly chart that a live page redraws in place: mounted once, then updated with Plotly.react.

``st.plotly_chart`` inside a fragment that reruns several times a second re-creates its chart on
every refresh: the new copy is blank until plotly has drawn it and the old one fades while the run
is on, so a playing chart blinks. This chart is a Streamlit component (components v2, no iframe)
that keeps one plotly.js plot per key in the page and hands it each refresh's figure, so it never
blinks and zoom and hover survive (``uirevision``). plotly.js is the installed plotly package's own
copy, served by Streamlit's static serving from ``app/static/`` (copied there at start-up, never
committed, never fetched from a CDN).
"""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import numpy as np
import plotly
import plotly.graph_objects as go
import streamlit as st

from app.ui import state
from app.ui.i18n import localised

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
STATIC = (
    Path(__file__).resolve().parent.parent / "static"
)  # beside app/main.py: Streamlit serves it
HOST_CLASS = "unrolled-live-chart"

# Streamlit marks the elements of a running fragment as stale and fades them after a moment;
# a chart redrawn in place is never stale, so it keeps full opacity.
CSS = f"""
[data-stale="true"]:has(.{HOST_CLASS}) {{ opacity: 1 !important; transition: none !important; }}
.{HOST_CLASS} {{ width: 100%; height: 100%; }}
"""

# Runs in the app's page (no iframe). Counts mounts and updates per chart on window.unrolledCharts,
# so a browser test can tell an update in place from a re-created chart.
JS = """
let loading = null;
function plotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "./app/static/plotly.min.js";
      script.onload = () => resolve(window.Plotly);
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  return loading;
}
const CONFIG = { responsive: true, displaylogo: false };
// On a projector a chart takes the rest of the screen below its top (measured at every update, so
// charts in one row agree once the page above them has settled): the room sees the whole chart
// without scrolling, whatever the resolution. A chart that starts too low for that keeps its own
// height. The legend under the plot keeps its distance in pixels, not in shares of the plot.
const FIT_MIN = 250, FIT_MAX = 900, FIT_MARGIN = 12, FIT_STEP = 16;
function fit(host, layout) {
  const own = layout.height;
  const room = window.innerHeight - host.getBoundingClientRect().top - FIT_MARGIN;
  let height = room >= FIT_MIN ? Math.min(room, FIT_MAX) : own;
  const last = Number(host.dataset.height || 0);
  if (Math.abs(height - last) < FIT_STEP) height = last || height;  // no jitter on small shifts
  host.dataset.height = String(height);
  host.style.height = height + "px";
  const margin = layout.margin || {};
  const plot = (h) => h - (margin.t || 0) - (margin.b || 0);
  if (layout.legend && layout.legend.y < 0 && plot(height) > 0) {
    layout.legend = Object.assign({}, layout.legend, { y: (layout.legend.y * plot(own)) / plot(height) });
  }
  layout.height = height;
}
export default function (component) {
  const { data, parentElement } = component;
  const host = parentElement.querySelector(".unrolled-live-chart");
  const counts = (window.unrolledCharts = window.unrolledCharts || {});
  const count = (counts[data.key] = counts[data.key] || { mounts: 0, updates: 0 });
  if (!host.dataset.mounted) {
    host.dataset.mounted = "1";
    count.mounts += 1;
  }
  const figure = JSON.parse(data.figure);
  if (data.fit) fit(host, figure.layout);
  // The page's own look, as st.plotly_chart's theme gives it: its font, a transparent background.
  const page = getComputedStyle(document.body);
  const layout = Object.assign({ paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)" }, figure.layout);
  layout.font = Object.assign({ family: page.fontFamily, color: page.color }, layout.font);
  plotly().then((Plotly) => {
    Plotly.react(host, figure.data, layout, CONFIG);
    count.updates += 1;
  });
}
"""


def publish_plotly() -> None:
    """Copy the installed plotly.js where Streamlit serves static files (once per version)."""
    target = STATIC / PLOTLY_JS.name
    if not target.exists() or target.stat().st_size != PLOTLY_JS.stat().st_size:
        STATIC.mkdir(exist_ok=True)
        temporary = target.with_suffix(".tmp")
        shutil.copyfile(PLOTLY_JS, temporary)
        temporary.replace(target)  # atomic: a browser never reads half a file


publish_plotly()
_CHART = st.components.v2.component(
    "unrolled.live_chart",
    html=f'<div class="{HOST_CLASS}"></div>',
    css=CSS,
    js=JS,
    isolate_styles=False,
)


def live_chart(fig: go.Figure, key: str) -> None:
    """Draw ``fig`` (in the session's language) under ``key``, updating the chart already there.
    In presentation mode the browser fits its height to the screen (JS above)."""
    figure = localised(fig)
    fit = state.presentation()
    height = "content" if fit else int(figure.layout.height or 450)
    data = {"key": key, "figure": payload(figure), "fit": fit}
    _CHART(key=key, data=data, height=height, width="stretch")


def payload(fig: go.Figure) -> str:
    """The figure as plotly JSON without its template: Streamlit's plotly template is a quarter of
    a small figure's bytes and only lends it a colour sequence (kept); the page's fonts and
    background come from the page itself (JS above), as st.plotly_chart's theme does."""
    spec = json.loads(fig.to_json())
    for trace in spec["data"]:
        for name in ("x", "y", "z"):
            if isinstance(trace.get(name), dict):
                trace[name] = _single_precision(trace[name])
    layout = spec["layout"]
    template = layout.pop("template", None) or {}
    colorway = template.get("layout", {}).get("colorway")
    if colorway and "colorway" not in layout:
        layout["colorway"] = colorway
    return json.dumps(spec, separators=(",", ":"))


def _single_precision(array: dict) -> dict:
    """A plotly typed array of doubles as singles: half the bytes on the wire at every refresh, and
    seven significant digits are more than a chart a few hundred pixels high can show (a loss of
    1e-15 still fits a float32)."""
    if array.get("dtype") != "f8":
        return array
    values = np.frombuffer(base64.b64decode(array["bdata"]), dtype="<f8").astype("<f4")
    return {**array, "dtype": "f4", "bdata": base64.b64encode(values.tobytes()).decode("ascii")}
