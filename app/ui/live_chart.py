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

import itertools
import math
import secrets
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from app.ui import state
from app.ui.chart_delta import Drawn, delta, typed_array, values_of
from app.ui.i18n import localised
from app.ui.static_code import PLOTLY_JS, module_loader, packed, publish

HOST_CLASS = "unrolled-live-chart"

# Streamlit marks the elements of a running fragment as stale and fades them after a moment;
# a chart redrawn in place is never stale, so it keeps full opacity. In the page's own CSS
# (app/ui/shell.py start_page), not the element's: an element's CSS travels with every refresh.
PAGE_CSS = f"""<style>
[data-stale="true"]:has(.{HOST_CLASS}) {{ opacity: 1 !important; transition: none !important; }}
.{HOST_CLASS} {{ width: 100%; height: 100%; }}
</style>"""

publish(PLOTLY_JS)
_CHART = st.components.v2.component(
    "unrolled.live_chart",
    html=f'<div class="{HOST_CLASS}"></div>',
    js=module_loader(Path(__file__).with_name("live_chart.js")),
    isolate_styles=False,
)


# Per chart key of this session: what it was last sent (app/ui/chart_delta.py).
SENT = "_live_chart_sent"
# After the browser says it missed a message, the next refreshes send the whole figure: a browser
# too busy to take every message (React then hands the chart only the newest) may miss one too.
WHOLES_AFTER_MISS = 2
# A refresh applies to any of the last WINDOW figures sent: a browser that missed a message or two
# still draws it, at the price of resending the newest points of those refreshes.
WINDOW = 2
# Versions unique in this process, starting anywhere: a browser still holding a figure from an
# earlier server never mistakes it for the base of a new message.
_VERSIONS = itertools.count(secrets.randbelow(2**40))


@dataclass
class Sent:
    """One chart's last figures sent (oldest first) and how many refreshes still send it whole."""

    window: tuple[Drawn, ...] = ()
    wholes: int = 0


def live_chart(fig: go.Figure | dict, key: str) -> None:
    """Draw ``fig`` (in the session's language) under ``key``, updating the chart already there.

    A rerun of fragments (a refresh, a press in its live section) sends only what changed since
    the last figures sent (app/ui/chart_delta.py); a full-app run (a page load, a setting) sends
    the whole figure, and so do the next refreshes after the browser says it holds another
    version. In presentation mode the browser
    fits the chart's height to the screen (live_chart.js)."""
    figure = localised(fig)
    fit = state.presentation()
    own = figure["layout"].get("height") if isinstance(figure, dict) else figure.layout.height
    height = "content" if fit else int(own or 450)
    sent = _sent(key)
    window = sent.window if _fragment_run() and not sent.wholes else ()
    message, after = delta(window, payload(figure), next(_VERSIONS))
    _CHART(
        key=key,
        data=packed({"key": key, "fit": fit, **message}),
        height=height,
        width="stretch",
        on_resync_change=partial(_missed, key),
    )
    # Remembered once sent: a press waiting interrupts this run inside _CHART, before it sends.
    sent.window = (*sent.window[1 - WINDOW :], after)
    sent.wholes = max(0, sent.wholes - 1)


def _sent(key: str) -> Sent:
    return st.session_state.setdefault(SENT, {}).setdefault(key, Sent())


def _missed(key: str) -> None:
    """The browser holds another version of chart ``key`` than the last ones sent."""
    _sent(key).wholes = WHOLES_AFTER_MISS


def _fragment_run() -> bool:
    """Whether this is a rerun of fragments only (a live refresh), not of the whole page."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return bool(ctx and ctx.fragment_ids_this_run)


def payload(fig: go.Figure | dict) -> dict:
    """The figure as plotly JSON data without its template: Streamlit's plotly template is a quarter
    of a small figure's bytes and only lends it a colour sequence (kept); the page's fonts and
    background come from the page itself (live_chart.js), as st.plotly_chart's theme does.

    ``fig`` is a plotly figure, or a live refresh's plain dicts (app/charts/style.py PlainFigure),
    sent as they are. Arrays of numbers travel as plotly's typed arrays, in single precision:
    half the bytes, and seven significant digits are more than a chart a few hundred pixels high
    can show (a loss of 1e-15 still fits a float32); whole numbers under 65,536 in two bytes."""
    if isinstance(fig, dict):
        data, layout = fig["data"], dict(fig["layout"])
        colorway = _template_colorway()
    else:
        spec = fig.to_plotly_json()
        data, layout = spec["data"], dict(spec["layout"])
        colorway = (layout.pop("template", None) or {}).get("layout", {}).get("colorway")
    if colorway and "colorway" not in layout:
        layout["colorway"] = list(colorway)
    return {"data": _json(data), "layout": _json(layout)}


@cache
def _template_colorway() -> tuple[str, ...]:
    """The colour sequence plotly's default template (Streamlit's) would lend a figure."""
    return tuple(pio.templates[pio.templates.default].layout.colorway or ())


def _json(value: Any) -> Any:
    """``value`` as JSON data: numpy arrays of numbers as plotly typed arrays (single precision for
    floats), numpy scalars as numbers, NaN and infinities as null (as plotly writes them)."""
    if isinstance(value, dict) and value.get("dtype") in ("f4", "f8") and "bdata" in value:
        return _single_precision(value)  # a validated figure's typed array
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    if isinstance(value, np.ndarray):
        return _typed_array(value)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _typed_array(array: np.ndarray) -> Any:
    if array.dtype.kind == "f":
        single = array.astype("<f4")
        # Whole numbers under 65,536 (training steps, counts) in half the bytes: the steps of a
        # curve are half its points, and a refresh sends its new points.
        if single.size and _small_whole(single):
            return typed_array(single.astype("<u2"))
        return typed_array(single)
    if array.dtype.kind in "iu" and (not array.size or np.abs(array).max() < 2**31):
        return typed_array(array.astype("<i4"))
    return _json(array.tolist())


def _small_whole(values: np.ndarray) -> bool:
    """Whether every one of ``values`` is a whole number from 0 to 65,535 (NaN is not)."""
    with np.errstate(invalid="ignore"):
        return bool(np.all((values >= 0) & (values <= 65535) & (values == np.floor(values))))


def _single_precision(array: dict) -> dict:
    return {**array, **_typed_array(values_of(array))}
