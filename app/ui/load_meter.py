"""How many sessions of this server process are playing right now, so every live page can slow its
refresh when a lecture hall shares one server, instead of all of them stalling together.

One process runs all its sessions' Python on one core (the GIL). A live refresh costs tens of
milliseconds of CPU besides its training, so ten sessions refreshing three times a second ask for
more than a core has; then runs pile up behind each other and none reaches the browser
(bench/bench_load.py). With the number of playing sessions known, each session's tick stretches to
keep the total within a share of the core (app/ui/pacing.py).

The meter holds only opaque tokens and timestamps: no session can read another's model or data.
"""

from __future__ import annotations

import threading
import time
import uuid

import streamlit as st

# A session counts as playing if it refreshed this recently: longer than the longest tick, or the
# sessions refreshing slowest would drop out of the count, the tick would shrink, and every
# session's refreshes would come faster and slower by turns.
WINDOW_SECONDS = 10.0
_TOKEN = "load_token"


class LoadMeter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, float] = {}

    def beat(self, token: str) -> None:
        with self._lock:
            self._seen[token] = time.monotonic()

    def playing(self) -> int:
        now = time.monotonic()
        with self._lock:
            self._seen = {k: t for k, t in self._seen.items() if now - t < WINDOW_SECONDS}
            return len(self._seen)


@st.cache_resource
def meter() -> LoadMeter:
    """One meter per server process (shared on purpose: it is the process's load, not anyone's data)."""
    return LoadMeter()


def beat() -> None:
    meter().beat(st.session_state.setdefault(_TOKEN, uuid.uuid4().hex))


def playing_sessions() -> int:
    return max(1, meter().playing())


# Live runs (training a slice, then drawing) that may use the interpreter at once in one process.
# Twenty sessions' threads all contending for the GIL starve the event loop, which is also the
# thread that sends every message and reads every click: a press then waits seconds, and Streamlit
# can drop a whole run's messages when a refresh's request arrives before the loop caught up with the
# run (bench/bench_load.py saw pages stop refreshing). Waiting threads block without the GIL. Two,
# not one: while one run is inside a torch kernel (no GIL), the other can draw.
CONCURRENT_LIVE_RUNS = 2


@st.cache_resource
def live_gate() -> threading.BoundedSemaphore:
    """One per server process (shared on purpose: it holds no data, only turns)."""
    return threading.BoundedSemaphore(CONCURRENT_LIVE_RUNS)
