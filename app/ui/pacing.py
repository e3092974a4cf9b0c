"""How often a live page refreshes and how long each refresh trains, given how many sessions of
this server process are playing. Pure arithmetic, so it is tested without a server.

While playing, the browser asks for a fragment rerun every tick (a setInterval: whether or not the
last run finished). A run that outlasts the tick is cut short by the next one and its charts never
reach the page, so each run trains only for what the tick leaves after drawing.

One process runs all its sessions' Python on one core (the GIL). The timers of all its playing
sessions together may use LIVE_SHARE of that core; the rest stays free so that a press (a full-app
run) is answered at once. With more sessions the tick stretches, each refresh still trains at least
MIN_SLICE, and a lone session gets the whole core (bench/bench_load.py measures all of this)."""

from __future__ import annotations

# Third-octave steps: fine enough that a crowd's refreshes come no later than its load needs,
# coarse enough that the tick changes rarely (each change redefines the timer: a full-app run).
TICKS = tuple(round(0.3 * 2 ** (k / 3), 2) for k in range(13))  # 0.3 s alone ... 4.8 s
MAX_SLICE = 0.2
MIN_SLICE = 0.02
HEADROOM = 0.07  # transport and the browser's side of a refresh
LIVE_SHARE = 0.75
RUN_OVERHEAD = 0.01  # CPU of a fragment run outside the drawing: Streamlit's bookkeeping, sending
STAY = 0.6  # keep the current tick while the one needed is above this fraction of it (hysteresis)


def choose_tick(sessions: int, drawing: float, current: float | None = None) -> float:
    """The timer for ``sessions`` playing sessions that each spend ``drawing`` CPU seconds drawing
    a refresh: all of them, each training MIN_SLICE, within LIVE_SHARE of a core."""
    needed = sessions * (drawing + RUN_OVERHEAD + MIN_SLICE) / LIVE_SHARE
    if current in TICKS and STAY * current < needed <= current:
        return current  # a small drop in load does not redefine every timer
    return next((tick for tick in TICKS if tick >= needed - 1e-9), TICKS[-1])


def slice_for(tick: float, sessions: int, drawing: float) -> float:
    """Training seconds per refresh: what the tick leaves after drawing, and, while others play
    too, no more than this session's share of LIVE_SHARE."""
    spare = tick - drawing - HEADROOM
    if sessions > 1:
        spare = min(spare, LIVE_SHARE * tick / sessions - drawing - RUN_OVERHEAD)
    return min(MAX_SLICE, max(MIN_SLICE, spare))
