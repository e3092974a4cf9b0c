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
import hashlib
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

# The chart's code lives in live_chart.js, served from app/static/ beside plotly.js: Streamlit sends
# an element's JS with every refresh, so the element carries only this loader (about 150 bytes
# instead of 2.6 KB per chart per refresh). The version in the URL makes a browser fetch new code.
CODE = Path(__file__).with_name("live_chart.js")
VERSION = hashlib.sha256(CODE.read_bytes()).hexdigest()[:12]
JS = f"""
const chart = import(new URL("./app/static/live_chart.js?v={VERSION}", document.baseURI).href);
export default function (component) {{ chart.then((code) => code.default(component)); }}
"""


def publish(source: Path) -> None:
    """Copy ``source`` where Streamlit serves static files (when it changed)."""
    target = STATIC / source.name
    if not target.exists() or target.read_bytes() != source.read_bytes():
        STATIC.mkdir(exist_ok=True)
        temporary = target.with_suffix(".tmp")
        shutil.copyfile(source, temporary)
        temporary.replace(target)  # atomic: a browser never reads half a file


publish(PLOTLY_JS)
publish(CODE)
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
