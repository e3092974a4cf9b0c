"""How often a live page refreshes and how long each refresh trains, given how many sessions of
this server process are playing. Pure arithmetic, so it is tested without a server.

While playing, the browser asks for the next fragment run once a run has arrived, after the rest of
the tick (app/ui/live_pacer.py), so each run trains only for what the tick leaves after drawing.

One process runs all its sessions' Python on one core (the GIL). The refreshes of all its playing
sessions together may use LIVE_SHARE of that core; the rest stays free so that a press (a run of
its live section, or of the page) is answered at once. With more sessions the tick stretches:
first so that training keeps TRAIN_SHARE of the core while refreshes still come once a second,
then as far as drawing needs,
each refresh still training at least MIN_SLICE. A lone session gets the whole core
(bench/bench_load.py measures all of this)."""

from __future__ import annotations

# Third-octave steps: fine enough that a crowd's refreshes come no later than its load needs.
TICKS = tuple(round(0.3 * 2 ** (k / 3), 2) for k in range(13))  # 0.3 s alone ... 4.8 s
MAX_SLICE = 0.2
MIN_SLICE = 0.02
HEADROOM = 0.07  # transport and the browser's side of a refresh
LIVE_SHARE = 0.75
RUN_OVERHEAD = 0.01  # CPU of a fragment run outside the drawing: Streamlit's bookkeeping, sending
# The share of the core the hall's training keeps while the refreshes still come once a second:
# about half of what a lone session trains (MAX_SLICE of each TICKS[0]).
TRAIN_SHARE = 0.35
REFRESH_AIM = 1.0  # seconds: a tick this long still shows a chart moving
# The share of the training worker's core (app/engine/slice_worker.py) the slices of all playing
# sessions may use together: the rest is shipping the things there and back.
WORKER_SHARE = 0.8


def choose_tick(sessions: int, drawing: float, elsewhere: bool = False) -> float:
    """The tick for ``sessions`` playing sessions that each spend ``drawing`` CPU seconds drawing
    a refresh, all of them within LIVE_SHARE of a core. When their slices train in the training
    worker (``elsewhere``), the shortest tick at which the drawing alone fits there.

    The shortest tick that still leaves TRAIN_SHARE of the core for training, as long as that
    tick is within REFRESH_AIM: a chart moving once a second is enough to watch, and beyond that
    faster refreshes would only take the hall's training away. When even that is not enough, the
    shortest tick at which every session still trains MIN_SLICE per refresh."""
    cost = drawing + RUN_OVERHEAD
    if elsewhere:  # the training worker trains the slices: this core only draws
        return next((tick for tick in TICKS if tick >= sessions * cost / LIVE_SHARE), TICKS[-1])
    least = sessions * (cost + MIN_SLICE) / LIVE_SHARE  # the refreshes alone, nearly
    training = sessions * cost / (LIVE_SHARE - TRAIN_SHARE)  # the training keeps its share
    fits = [tick for tick in TICKS if tick >= max(least, training) - 1e-9]
    if fits and fits[0] <= REFRESH_AIM:
        return fits[0]
    near = [tick for tick in TICKS if least - 1e-9 <= tick <= REFRESH_AIM]
    if near:
        return near[-1]  # as much training as a refresh a second leaves
    return next((tick for tick in TICKS if tick >= least - 1e-9), TICKS[-1])


def slice_for(tick: float, sessions: int, drawing: float) -> float:
    """Training seconds per refresh (CPU seconds of the session's thread: app/engine/live.py
    ``run_slice``): what the tick leaves after drawing, and, while others play too, no more than
    this session's share of LIVE_SHARE."""
    spare = tick - drawing - HEADROOM
    if sessions > 1:
        spare = min(spare, LIVE_SHARE * tick / sessions - drawing - RUN_OVERHEAD)
    return min(MAX_SLICE, max(MIN_SLICE, spare))


def worker_slice(tick: float, sessions: int) -> float:
    """Training seconds per refresh (CPU of the training worker) when the slices train there:
    every playing session's share of WORKER_SHARE of the worker's core per tick."""
    return min(MAX_SLICE, max(MIN_SLICE, WORKER_SHARE * tick / sessions))
