"""How the live training page behaves in a real browser: start-up time, refresh rate, and how much of
a playing session's wall time goes to training rather than redrawing.

It starts the app as users do (``streamlit run app/main.py`` from the repository root, headless, on a
free loopback port), opens ``/train`` in headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright; never ``playwright install``) and measures:

1. start-up: from launching ``streamlit run`` to ``/_stcore/health`` answering, to the first plotly chart
   drawn in the browser, and to all three charts drawn with the script finished;
2. while playing the default setup for ``--seconds`` (10 s): a poller inside the page (every 20 ms)
   records each time the loss chart shows new data (its last point moved), each time it is a new
   plotly element (re-created rather than updated), each change of the step counter, and the speed
   the server shows (``Run.steps_per_second``, measured over its last training slice). From these:
   chart refreshes per second and the interval between them, steps gained, and the training
   time = sum over refreshes of (steps gained / the server's steps per second);
3. before the server starts and after it has stopped (so the two never share the cores): the bare
   engine in this process, ``Run(RunConfig()).train(steps=n)`` on one torch thread, for a second
   estimate of the training time (steps gained / engine steps per second, the mean of both runs).
   Before and after differ when other work shares the machine: the load average is printed too.

Everything not spent training is the price of a live page: validation, chart building and
serialisation, the websocket, the browser's drawing, and the gap until the next timer tick.

Run from the repository root (after ``pip install -e .``)::

    python bench/bench_live.py               # about 30 s
    python bench/bench_live.py --seconds 5   # a shorter play window
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from playwright.sync_api import sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from app.engine.config import RunConfig
from app.engine.run import Run
from app.ui.chart_delta import apply
from app.ui.pacing import MAX_SLICE, TICKS
from app.ui.static_code import packed
from devtools.app_server import free_port, start_app, stop_app, wait_healthy
from devtools.browser import CHROMIUM, CHROMIUM_ARGS

# The app trains on one torch thread per session; the engine baseline does the same.
torch.set_num_threads(1)

TIMEOUT_MS = 60_000
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PLAY = ".st-key-train-play button"
PAUSE = ".st-key-train-pause button"
METRICS = '[data-testid="stMain"] [data-testid="stMetricValue"]'  # the first one counts steps

# Records, inside the page, every loss-chart redraw and every change of the metrics, with the page's
# own clock, so the measurement does not depend on how often Python looks.
RECORDER = """() => {
    const rec = {t0: performance.now(), redraws: [], metrics: [], mounts: 0, running: 0, since: null,
                 frames: 0, blinks: 0};
    // During a fragment rerun Streamlit keeps the previous elements, hidden and marked stale.
    const fresh = selector => [...document.querySelectorAll(selector)]
        .filter(e => !e.closest('[data-stale="true"]'));
    let lastCurve = null, lastChart = null, lastSteps = null;
    rec.poll = setInterval(() => {
        const now = performance.now() - rec.t0;
        const chart = fresh('.st-key-train-loss-chart .js-plotly-plot')[0];
        if (chart && chart !== lastChart) { if (lastChart) rec.mounts += 1; lastChart = chart; }
        const curve = chart && chart._fullData && chart._fullData[0];
        if (curve && curve.x && curve.x.length) {
            const drawn = curve.x.length + ':' + curve.x[curve.x.length - 1];
            if (drawn !== lastCurve) { lastCurve = drawn; rec.redraws.push([now, curve.x.length]); }
        }
        const values = fresh('[data-testid="stMain"] [data-testid="stMetricValue"]').map(e => e.innerText);
        if (values.length >= 2 && values[0] !== lastSteps) {
            lastSteps = values[0];
            rec.metrics.push([now, values[0], values[1]]);
        }
        const app = document.querySelector('[data-testid="stApp"]');
        const running = app && app.getAttribute('data-test-script-state') === 'running';
        if (running && rec.since === null) rec.since = now;
        if (!running && rec.since !== null) { rec.running += now - rec.since; rec.since = null; }
    }, 20);
    // Every 250 ms (as the issue sampled): is any chart of the page blank (no drawn svg) or faded?
    rec.sample = setInterval(() => {
        const hosts = [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')];
        const opacity = e => { let o = 1; for (; e; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity); return o; };
        rec.frames += 1;
        if (!hosts.length || hosts.some(h => !h.querySelector('svg.main-svg') || opacity(h) < 0.99)) rec.blinks += 1;
    }, 250);
    window.__bench = rec;
}"""
STOP_RECORDER = """() => {
    const rec = window.__bench;
    clearInterval(rec.poll);
    clearInterval(rec.sample);
    const now = performance.now() - rec.t0;
    if (rec.since !== null) rec.running += now - rec.since;
    return {elapsed: now, redraws: rec.redraws, metrics: rec.metrics, mounts: rec.mounts,
            running: rec.running, frames: rec.frames, blinks: rec.blinks};
}"""


@dataclass(frozen=True)
class Startup:
    healthy: float  # seconds from launching `streamlit run`
    first_chart: float
    all_charts_idle: float


@dataclass(frozen=True)
class Playing:
    seconds: float  # the observed window, by the page's clock
    redraws: list[float]  # page times (ms) when the loss chart showed new data
    mounts: int  # how often the loss chart became a new plotly element (a full newPlot, zoom lost)
    steps: list[tuple[float, float, float]]  # (page ms, step counter, server steps/s)
    script_running: float  # seconds the page showed the script (fragment) running
    frames: int  # page samples every 250 ms
    blinks: int  # samples where a chart was blank (no svg drawn) or faded
    frames_received: list[bytes]  # websocket frames from the server during the window


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="how long to play (default 10)")
    args = parser.parse_args()

    if not CHROMIUM.exists():
        print(f"{CHROMIUM} not found: install Debian's chromium", file=sys.stderr)
        return 2
    load = os.getloadavg()[0]
    engine_before = engine_steps_per_second()
    with tempfile.TemporaryDirectory(prefix="unrolled-bench-") as tmp, sync_playwright() as pw:
        log_path = Path(tmp) / "streamlit.log"
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(TIMEOUT_MS)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        launched = time.perf_counter()
        server = start_app(port, log_path)
        try:
            startup = measure_startup(page, url, server, log_path, launched)
            playing = measure_playing(page, args.seconds)
        except Exception:
            print(f"--- streamlit log ---\n{log_path.read_text()}", file=sys.stderr)
            raise
        finally:
            stop_app(server)
            browser.close()
    engine = (engine_before, engine_steps_per_second())
    report(startup, playing, engine, load)
    return 0


def measure_startup(page, url, server, log_path: Path, launched: float) -> Startup:
    wait_healthy(url, server, log_path, TIMEOUT_MS / 1000)
    healthy = time.perf_counter() - launched
    page.goto(url + "/train")
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot .main-svg') !== null", polling="raf"
    )
    first_chart = time.perf_counter() - launched
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3"
    )
    page.wait_for_selector(APP_IDLE, state="attached")
    return Startup(healthy, first_chart, time.perf_counter() - launched)


def measure_playing(page, seconds: float) -> Playing:
    received: list[bytes] = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived",
            lambda data: received.append(data if isinstance(data, bytes) else data.encode()),
        ),
    )
    page.reload()  # the websocket opened after the listener, so its frames are counted
    page.wait_for_selector(APP_IDLE, timeout=TIMEOUT_MS)
    page.click(PLAY)
    # Start the clock at the first live tick, so Play's own full-page rerun is not counted.
    page.wait_for_function(
        f"() => document.querySelector('{METRICS}').innerText !== '0'", timeout=TIMEOUT_MS
    )
    page.evaluate(RECORDER)
    start_frame = len(received)
    page.wait_for_function(
        f"() => performance.now() - window.__bench.t0 >= {seconds * 1000}",
        timeout=seconds * 1000 + TIMEOUT_MS,
    )
    rec = page.evaluate(STOP_RECORDER)
    window_frames = received[start_frame:]
    page.click(PAUSE)
    page.wait_for_selector(PLAY)
    return Playing(
        seconds=rec["elapsed"] / 1000,
        redraws=[t for t, _ in rec["redraws"]],
        mounts=rec["mounts"],
        steps=[(t, _count(steps), _count(speed)) for t, steps, speed in rec["metrics"]],
        script_running=rec["running"] / 1000,
        frames=rec["frames"],
        blinks=rec["blinks"],
        frames_received=window_frames,
    )


def engine_steps_per_second(steps: int = 300, repeats: int = 3) -> float:
    """The bare engine on the default config, one torch thread, as one session of the app trains."""
    run = Run(RunConfig())
    run.train(steps=50)  # warm-up: first calls allocate and pick kernels
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        run.train(steps=steps)
        rates.append(steps / (time.perf_counter() - start))
    return statistics.median(rates)


def report(startup: Startup, playing: Playing, engines: tuple[float, float], load: float) -> None:
    window = playing.seconds
    engine = statistics.mean(engines)
    counts = [(t, steps, speed) for t, steps, speed in playing.steps if not math.isnan(steps)]
    gained = int(counts[-1][1] - counts[0][1]) if counts else 0
    # The server's figure: each refresh shows the steps and the speed of the slice that made them.
    server_train = sum(
        (now - before) / speed
        for (_, before, _), (_, now, speed) in zip(counts, counts[1:], strict=False)
        if speed > 0 and not math.isnan(speed)
    )
    engine_train = gained / engine if engine > 0 else math.nan
    gaps = [b - a for a, b in zip(playing.redraws, playing.redraws[1:], strict=False)]
    refreshes = len(playing.redraws)
    live_rate = gained / window
    slice_rate = gained / server_train if server_train > 0 else math.nan

    rows = [
        ("Start-up (from launching `streamlit run`)", None),
        ("  /_stcore/health answers", f"{startup.healthy:6.2f} s"),
        ("  first plotly chart drawn in the browser", f"{startup.first_chart:6.2f} s"),
        ("  all 3 charts drawn, script finished", f"{startup.all_charts_idle:6.2f} s"),
        (f"Playing the default setup for {window:.1f} s", None),
        (
            "  loss-chart refreshes seen in the browser",
            f"{refreshes / window:6.2f} /s  ({refreshes} redraws)",
        ),
        (
            "  interval between refreshes",
            f"{_ms(statistics.median(gaps)) if gaps else 'n/a'} median, "
            f"{_ms(max(gaps)) if gaps else 'n/a'} max  "
            f"(timer asks for {TICKS[0] * 1000:.0f} ms, slice {MAX_SLICE * 1000:.0f} ms)",
        ),
        ("  step-counter changes", f"{len(counts) / window:6.2f} /s"),
        ("  loss chart re-created as a new plotly element", f"{playing.mounts / window:6.2f} /s"),
        (
            "  frames with a chart blank or faded (sampled every 250 ms)",
            f"{playing.blinks:6d} of {playing.frames}",
        ),
        *traffic_rows(playing.frames_received, window),
        ("  steps gained", f"{gained:6d}     ({live_rate:,.0f} steps/s of wall time)"),
        ("  script (fragment) running, as the page shows", _share(playing.script_running, window)),
        ("Training speed", None),
        (
            "  engine alone (in process, 1 torch thread)",
            f"{engine:6,.0f} steps/s  (before {engines[0]:,.0f}, after {engines[1]:,.0f})",
        ),
        ("  live, inside the training slices (server's figure)", f"{slice_rate:6,.0f} steps/s"),
        ("  live page / engine alone", f"{live_rate / engine:6.2f}"),
        ("Share of wall time spent training", None),
        ("  by the server's own steps/s figure", _share(server_train, window)),
        ("  by the engine benchmark", _share(engine_train, window)),
        (
            "  everything else (evaluate, charts, transport, drawing, idle)",
            _rest(server_train, window),
        ),
    ]
    print(
        f"Unrolled live page benchmark  ({os.cpu_count()} CPUs, load average {load:.1f} at the"
        " start, Chromium headless)"
    )
    for label, value in rows:
        print(label if value is None else f"{label:<62} {value}")


def traffic_rows(frames: list[bytes], window: float) -> list[tuple[str, str | None]]:
    """Bytes on the wire per refresh (a refresh: one message for the loss chart), the live charts'
    messages apart, beside what the same refreshes would have sent as whole figures (rebuilt here
    from the messages with app/ui/chart_delta.apply, as the browser does)."""
    sizes = wire_sizes(frames)
    refreshes = max(sizes["refreshes"], 1)
    per = {name: sizes[name] / refreshes / 1000 for name in ("charts", "whole", "rest")}
    total = per["charts"] + per["rest"]
    aim = "HELD" if total <= REFRESH_KB_AIM else "NOT HELD"
    return [
        (
            "  bytes from the server per refresh",
            f"{total:6.1f} KB  ({(sizes['charts'] + sizes['rest']) / window / 1000:,.1f} KB/s)",
        ),
        (
            "    live charts (changes since the browser's figure)",
            f"{per['charts']:6.1f} KB  ({sizes['sent_whole']} of {sizes['messages']} chart"
            " messages whole: presses, or asked for after a missed one)",
        ),
        (
            "      of which picked old points after a re-thinning",
            f"{sizes['picked']:6d} messages",
        ),
        (
            "    the same charts sent whole (the baseline)",
            f"{per['whole']:6.1f} KB  (changes / whole = {per['charts'] / max(per['whole'], 1e-9):.2f})",
        ),
        ("    everything else (metrics, layout blocks, run messages)", f"{per['rest']:6.1f} KB"),
        (f"  aim: at most {REFRESH_KB_AIM} KB per refresh of /train", aim),
    ]


REFRESH_KB_AIM = 8
LIVE_CHART = "unrolled.live_chart"


def wire_sizes(frames: list[bytes]) -> dict[str, int]:
    """Sum the frames' bytes by kind, and what the live charts' messages would have been whole."""
    sizes = {
        "charts": 0,
        "whole": 0,
        "rest": 0,
        "refreshes": 0,
        "messages": 0,
        "sent_whole": 0,
        "picked": 0,
    }
    held: dict[str, dict] = {}
    for frame in frames:
        message = ForwardMsg.FromString(frame)
        element = message.delta.new_element if message.HasField("delta") else None
        if (
            element is None
            or element.WhichOneof("type") != "bidi_component"
            or element.bidi_component.component_name != LIVE_CHART
        ):
            sizes["rest"] += len(frame)  # the pacer too (app/ui/live_pacer.py)
            continue
        data = json.loads(element.bidi_component.bytes)  # app/ui/static_code.py packed
        key = data.get("key", "")
        sizes["charts"] += len(frame)
        sizes["messages"] += 1
        sizes["sent_whole"] += "figure" in data
        sizes["picked"] += _picks(data)
        sizes["refreshes"] += key == "train-loss-chart"
        try:
            held[key] = apply(held.get(key, {}), data)
        except (ValueError, KeyError):  # a delta for a figure sent before the window opened
            held.pop(key, None)
            sizes["whole"] += len(frame)
            continue
        whole = {"data": held[key]["data"], "layout": held[key]["layout"]}
        sent_whole = {
            "key": key,
            "fit": data.get("fit"),
            "version": data["version"],
            "figure": whole,
        }
        sizes["whole"] += len(frame) - len(element.bidi_component.bytes) + len(packed(sent_whole))
    return sizes


def _count(text: str) -> float:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return math.nan  # "—" while there is no speed yet


def _ms(milliseconds: float) -> str:
    return f"{milliseconds:4.0f} ms"


def _share(seconds: float, window: float) -> str:
    return f"{seconds:6.2f} s = {seconds / window:4.0%} of wall time"


def _rest(training: float, window: float) -> str:
    return f"{window - training:6.2f} s = {(window - training) / window:4.0%}"


def _picks(data: dict) -> bool:
    """Whether a chart message picks held values by mask (app/ui/chart_delta.py ``_pick``)."""
    traces = data.get("delta", {}).get("traces", [])
    return any(part and "pick" in part for t in traces for part in t["arrays"].values())


if __name__ == "__main__":
    sys.exit(main())
