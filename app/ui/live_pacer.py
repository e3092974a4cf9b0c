"""What makes a playing live fragment refresh: the browser asks for the next run once this run has
arrived, after the rest of the tick (app/ui/pacing.py).

``st.fragment(run_every=...)`` runs a browser timer that asks at a fixed rate whether or not the
last run has finished. On a busy server a run then outlasts the tick, the next request cuts it
short and its charts never reach the page: that was a third of all runs with ten sessions playing
(bench/bench_load.py), work done for nothing, and the cut-short runs were what made charts blink.
Changing the rate also took a full-app run. Here the last element of every run of a live fragment
is a pacer (a components-v2 element, no iframe, hidden) that carries whether the thing plays and
how long to wait; its code (live_pacer.js) asks for the next run with a trigger, which reruns the
fragment alone. So a refresh is asked for only once the one before it has arrived, and the tick
can change at every run for free.
"""

from __future__ import annotations

import itertools
import secrets
from pathlib import Path

import streamlit as st

from app.ui.static_code import module_loader, packed

HOST_CLASS = "unrolled-pacer"
# Hidden: it shows nothing, and its element would otherwise add a gap under the live part.
PAGE_CSS = f"""<style>
[data-testid="stElementContainer"]:has(.{HOST_CLASS}) {{ display: none; }}
</style>"""
MIN_WAIT = 0.05  # seconds between a run arriving and the next request, at the least

_PACER = st.components.v2.component(
    "unrolled.live_pacer",
    html=f'<div class="{HOST_CLASS}"></div>',
    js=module_loader(Path(__file__).with_name("live_pacer.js")),
    isolate_styles=False,
)
# Run numbers unique in this process, starting anywhere: a browser never takes a run of a
# restarted server for one it has seen.
_RUNS = itertools.count(secrets.randbelow(2**40))


def pace(key: str, wait: float | None) -> None:
    """End a live fragment's run: ask for the next one ``wait`` seconds after this one arrives
    (at least MIN_WAIT), or not at all when ``wait`` is None (paused)."""
    _PACER(
        key=key,
        data=packed(
            {
                "key": key,
                "run": next(_RUNS),
                "playing": wait is not None,
                "after": round(1000 * max(MIN_WAIT, wait or 0.0)),
            }
        ),
        on_next_change=_asked,
    )


def _asked() -> None:
    """The browser asked for the next refresh: the rerun of the fragment is the answer."""
