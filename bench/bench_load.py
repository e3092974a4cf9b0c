"""Load test of a live page (the training page; ``--page text``, ``--page sentiment``, ``--page duel``,
``--page gradients``): N sessions playing at once on one server.

It starts the app as users do (``streamlit run app/main.py`` from the repository root, headless, on a
free port of 127.0.0.1) and opens N tabs on ``/train`` at once. The tabs are not browsers: each is a
``load_client.Tab`` speaking Streamlit's own websocket protocol (protobuf ``BackMsg`` /
``ForwardMsg``), clicking buttons by their widget ids and asking for the live fragment's next run exactly as the
browser does (the pacer at the end of each run says how long to wait: app/ui/live_pacer.py). Each tab
presses Play, plays 6-10 s, presses Pause, Step and Play (0.5 s after seeing each answered), and
repeats until the phase ends; then all tabs close at once.

For each N (1, 10, 40) it reports:
- steps per second per session while playing (median and slowest), read from the step counter the
  server sends, and summed over sessions;
- refreshes per second per session and the longest wait for one while playing: a refresh is a run
  that showed the step counter moved on (a timer run of the live fragment, or the full-app run that
  redefines the timer after the load changed); also the share of fragment runs that reached the tab
  whole (Streamlit drops a run's still-queued deltas when the next run starts);
- how long a press takes to take effect: from sending it until the message showing its effect
  arrives (Pause: the Play button is back; Step: the counter moved; Play: the Pause button shows);
- server memory (VmRSS from /proc) before the phase, with N sessions, and per session;
- server and load-client CPU while playing, as shares of one core;
- errors: exceptions drawn in the page, websocket errors, unanswered presses, server tracebacks;
- the server's CPU time from 1 s to 4 s after all tabs closed: near zero means sessions that close
  stop their training.
Ratios are against N = 1 in the same run. The issue's aim (40 sessions on 2 cores: every session
keeps refreshing, no press waits over 2 s) is judged at the end. The load client shares the
machine's cores with the server: its CPU share is printed so it can be taken into account.

Run from the repository root (after ``pip install -e .``)::

    python bench/bench_load.py            # N = 1, 10, 40, 25 s of playing each: about 3 minutes
    python bench/bench_load.py --quick    # N = 1, 3, 10 s each: under a minute
    python bench/bench_load.py --replicas 2   # one app process per core behind deploy/nginx.conf
    python bench/bench_load.py --page sentiment   # the same on the sentiment page
    python bench/bench_load.py --page text        # the text page's live character model
    python bench/bench_load.py --page duel        # also --page gradients

With ``--replicas K`` it starts K app processes and Debian's nginx with ``deploy/nginx.conf`` (on free
loopback ports, as tests/e2e/test_proxy.py does). A tab's only request is its WebSocket, and it comes
without a cookie, like a student's first request: nginx places it on the replica with the fewest open
connections, as it places a browser's first page load (which then pins the browser by cookie).
Server figures (CPU, memory, threads, log errors) are then summed over the replicas.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from load_client import Tab

from app.ui.training_worker import SWITCH
from devtools.app_server import free_port, start_app, wait_healthy
from devtools.proxy import NGINX, start_nginx, stop_all

# The live pages a tab may play: each one's controls are keyed by its name (train-play...).
PAGES = ("train", "text", "sentiment", "duel", "gradients")
PREFIXES = {"gradients": "grad"}  # a page whose controls are not keyed by its own name
# Options a tab chooses once its page has loaded: the text page opens on its shipped model.
CHOICES = {"text": {"text-model": 1}}
# A class on one server: every session refreshing at least once a second, none waiting over 2 s
# for a refresh, no press over 1 s, and steps/s summed over sessions at least half one session's.
AIM_RATE = 1.0
AIM_WAIT = 2.0
AIM_PRESS = 1.0
AIM_SUMMED = 0.5
PLAY_BETWEEN = (6.0, 10.0)  # seconds a tab plays before its next Pause, Step, Play
THINK = 0.5  # seconds between seeing a press answered and the next press
PRESS_TIMEOUT = 15.0  # a press unanswered by then counts as failed
IDLE_AFTER, IDLE_WINDOW = 1.0, 3.0  # when and how long to watch the server after tabs close
IDLE_LIMIT = 0.05  # share of one core that still counts as "stopped"
EXCEPTION = re.compile(r"^(?:[A-Za-z_][\w.]*)(?:Error|Exception|Disconnected)\b.*$", re.MULTILINE)
TICKS = os.sysconf("SC_CLK_TCK")
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy


@dataclass
class Servers:
    """The app processes under test (one, or the replicas behind nginx) and their logs."""

    pids: list[int]
    logs: list[Path]

    def rss(self) -> float:
        return sum(rss_mib(pid) for pid in self.pids)

    def cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids)

    def worker_cpu(self) -> float:
        """CPU of the app processes' children: the training worker (app/engine/slice_worker.py)."""
        total = 0.0
        for child in (c for pid in self.pids for c in children(pid)):
            with contextlib.suppress(FileNotFoundError):  # it ended meanwhile
                total += cpu_seconds(child)
        return total

    def event_loop_cpu(self) -> float:
        return sum(cpu_seconds(pid, pid) for pid in self.pids)

    def threads(self) -> int:
        return sum(threads(pid) for pid in self.pids)

    def log_sizes(self) -> list[int]:
        return [log.stat().st_size for log in self.logs]

    def log_errors(self, since: list[int]) -> list[str]:
        errors = []
        for log, start in zip(self.logs, since, strict=True):
            with log.open() as text:
                text.seek(start)
                errors += [f"server log: {line}" for line in EXCEPTION.findall(text.read())]
        return errors


@dataclass
class Phase:
    sessions: int
    played: float = 0.0  # seconds from the first Play sent to the phase's end
    load: list[float] = field(default_factory=list)  # connect to first page drawn, per tab
    steps: list[float] = field(default_factory=list)  # steps/s per tab while playing
    refreshes: list[float] = field(default_factory=list)  # progress shown/s per tab
    runs: int = 0  # fragment runs started while playing, all tabs
    whole: int = 0  # ... of which reached the tab whole (finished successfully)
    gaps: list[float] = field(default_factory=list)  # longest wait for a refresh, per tab
    timer_reruns: list[float] = field(default_factory=list)  # timer reruns sent/s per tab
    received: list[float] = field(default_factory=list)  # KiB/s from the server per tab
    presses: dict[str, list[float]] = field(default_factory=dict)  # answered, seconds
    unanswered: int = 0
    rss_before: float = 0.0  # MiB
    rss_with: float = 0.0
    threads: int = 0
    server_cpu: float = 0.0  # share of one core while playing
    event_loop_cpu: float = 0.0  # ... of it the server's main thread (the asyncio event loop)
    worker_cpu: float = 0.0  # the server's child processes: its training worker
    client_cpu: float = 0.0
    other_cpu: float = 0.0  # every other process on the machine, in cores
    idle_cpu: float = 0.0  # server CPU seconds in IDLE_WINDOW after all tabs closed
    errors: list[str] = field(default_factory=list)
    interval: float | None = None  # the wait before a refresh the server last asked for
    split: dict[str, int] = field(default_factory=dict)  # tabs per replica (nginx's access log)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 1, 3 for 10 s each")
    parser.add_argument("--seconds", type=float, help="playing time per phase (default 25)")
    parser.add_argument("--sessions", help="the phases' N, comma-separated (default 1,10,40)")
    parser.add_argument(
        "--page",
        choices=PAGES,
        default=PAGES[0],
        help="the live page every tab plays (default train)",
    )
    parser.add_argument("--log", type=Path, help="copy the (first) server's log here")
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help=f"every slice in its session's thread ({SWITCH}=0), as before the training worker",
    )
    parser.add_argument(
        "--replicas", type=int, default=1, help="app processes behind nginx (default 1: no nginx)"
    )
    args = parser.parse_args()
    counts = (1, 3) if args.quick else (1, 10, 40)
    if args.sessions:
        counts = tuple(int(n) for n in args.sessions.split(","))
    seconds = args.seconds or (10.0 if args.quick else 25.0)
    if args.replicas > 1 and not NGINX.exists():
        parser.error(f"--replicas needs {NGINX} (Debian's nginx)")

    if args.no_worker:
        os.environ[SWITCH] = "0"  # the app processes inherit it
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="unrolled-load-") as tmp:
        prefix = Path(tmp)
        ports = [free_port() for _ in range(args.replicas)]
        logs = [prefix / f"streamlit-{port}.log" for port in ports]
        processes = [start_app(port, log) for port, log in zip(ports, logs, strict=True)]
        direct = [f"http://127.0.0.1:{port}" for port in ports]
        servers = Servers([p.pid for p in processes], logs)
        try:
            for url, process, log in zip(direct, processes, logs, strict=True):
                wait_healthy(url, process, log, 90)
            url, access_log = direct[0], None
            if args.replicas > 1:
                port = free_port()
                processes.append(
                    start_nginx(prefix, port, [u.removeprefix("http://") for u in direct])
                )
                url, access_log = f"http://127.0.0.1:{port}", prefix / "access.log"
                wait_healthy(url, processes[-1], prefix / "error.log", 10)
            rss_idle = servers.rss()
            warm, phases = asyncio.run(
                run_phases(url, direct, servers, access_log, counts, seconds, args.page)
            )
            rss_warm = servers.rss()
        except Exception:
            for log in logs:
                print(f"--- {log.name} ---\n{log.read_text()}", file=sys.stderr)
            raise
        finally:
            stop_all(processes)
            if args.log:
                args.log.write_text(logs[0].read_text())
    print(
        f"{args.replicas} app process(es)"
        + (" behind nginx (deploy/nginx.conf)" if args.replicas > 1 else "")
        + (", training worker off" if args.no_worker else ", each with its training worker")
    )
    report(phases, load, rss_idle, rss_warm, warm, seconds, args.page)
    return 0


async def run_phases(
    url: str,
    direct: list[str],
    servers: Servers,
    access_log: Path | None,
    counts: tuple[int, ...],
    seconds: float,
    page: str,
) -> tuple[float, list[Phase]]:
    # One tab on each process first, straight to it, so the imports (torch, plotly) and first-run
    # caches are not charged to N = 1.
    warm_seconds = 0.0
    for replica in direct:
        warm = Tab(replica, page, CHOICES.get(page))
        opened = time.perf_counter()
        await warm.open(30)
        if not await warm.wait_loaded(opened + 90):
            raise RuntimeError(f"the warm-up tab never loaded /{page}: {warm.errors}")
        await warm.close()
        warm_seconds = max(warm_seconds, (warm.loaded_at or opened) - opened)
    await asyncio.sleep(IDLE_AFTER)
    rng = random.Random(7)
    return warm_seconds, [
        await run_phase(url, servers, access_log, n, seconds, rng, page) for n in counts
    ]


async def run_phase(
    url: str,
    servers: Servers,
    access_log: Path | None,
    n: int,
    seconds: float,
    rng: random.Random,
    page: str,
) -> Phase:
    phase = Phase(n, rss_before=servers.rss())
    log_start = servers.log_sizes()
    access_start = access_log.stat().st_size if access_log and access_log.exists() else 0
    tabs = [Tab(url, page, CHOICES.get(page)) for _ in range(n)]
    opened = time.perf_counter()
    results = await asyncio.gather(*(tab.open(30) for tab in tabs), return_exceptions=True)
    phase.errors += [f"connect: {r!r}" for r in results if isinstance(r, BaseException)]
    live = [tab for tab, r in zip(tabs, results, strict=True) if not isinstance(r, BaseException)]
    load_deadline = time.perf_counter() + 30 + 2 * n
    loaded = await asyncio.gather(*(tab.wait_loaded(load_deadline) for tab in live))
    live = [tab for tab, ok in zip(live, loaded, strict=True) if ok]
    phase.load = [tab.loaded_at - opened for tab in live if tab.loaded_at is not None]

    cpu0, loop0, client0 = servers.cpu(), servers.event_loop_cpu(), time.process_time()
    worker0 = servers.worker_cpu()
    busy0, start = machine_busy(), time.perf_counter()
    end = start + seconds

    def record(kind: str, latency: float | None) -> None:
        if latency is None:
            phase.unanswered += 1
        else:
            phase.presses.setdefault(kind, []).append(latency)

    played = await asyncio.gather(*(drive(tab, end, rng, record) for tab in live))
    wall = time.perf_counter() - start
    phase.played = wall
    phase.server_cpu = (servers.cpu() - cpu0) / wall
    phase.event_loop_cpu = (servers.event_loop_cpu() - loop0) / wall
    phase.worker_cpu = (servers.worker_cpu() - worker0) / wall
    phase.client_cpu = (time.process_time() - client0) / wall
    machine = (machine_busy() - busy0) / wall
    # Ticks are coarse, hence the floor.
    phase.other_cpu = max(0.0, machine - phase.server_cpu - phase.worker_cpu - phase.client_cpu)
    phase.rss_with, phase.threads = servers.rss(), servers.threads()

    await asyncio.gather(*(tab.close() for tab in tabs))
    await asyncio.sleep(IDLE_AFTER)
    idle0 = servers.cpu()
    await asyncio.sleep(IDLE_WINDOW)
    phase.idle_cpu = servers.cpu() - idle0

    for tab, segments in zip(live, played, strict=True):
        measure_tab(phase, tab, segments)
    for tab in tabs:
        phase.errors += tab.errors
    phase.errors += servers.log_errors(log_start)
    if access_log is not None:
        phase.split = streams_per_replica(access_log, access_start)
    phase.interval = next((tab.timer_interval for tab in live if tab.timer_interval), None)
    return phase


def streams_per_replica(access_log: Path, start: int) -> dict[str, int]:
    """WebSockets per replica since ``start``, from nginx's access log (a line when one closes)."""
    with access_log.open() as log:
        log.seek(start)
        lines = [line for line in log if "GET /_stcore/stream " in line]
    upstreams = [re.search(r"\bupstream=(\S+)", line) for line in lines]
    split: dict[str, int] = {}
    for match in upstreams:
        if match:
            split[match.group(1)] = split.get(match.group(1), 0) + 1
    return split


async def drive(
    tab: Tab, end: float, rng: random.Random, record: Callable[[str, float | None], None]
) -> list[tuple[float, float]]:
    """Play, then Pause, Step, Play every 6-10 s until ``end``; returns the playing intervals."""
    segments: list[tuple[float, float]] = []
    await asyncio.sleep(rng.uniform(0, 1))  # a room does not press in the same millisecond

    async def press(key: str, effect: Callable[[Tab], bool], kind: str) -> bool:
        latency = await tab.press(key, effect, time.perf_counter() + PRESS_TIMEOUT)
        record(kind, latency)
        return latency is not None

    prefix = PREFIXES.get(tab.page, tab.page)
    play, pause, step = (f"{prefix}-{control}" for control in ("play", "pause", "step"))
    while await press(play, lambda t: t.shows(pause), "Play"):
        start = time.perf_counter()
        pause_at = start + rng.uniform(*PLAY_BETWEEN)
        if pause_at >= end:
            await asyncio.sleep(max(0.0, end - start))
            segments.append((start, end))
            break
        await asyncio.sleep(pause_at - start)
        segments.append((start, time.perf_counter()))
        if not await press(pause, lambda t: t.shows(play), "Pause"):
            break
        await asyncio.sleep(THINK)
        before = tab.steps() or 0
        if not await press(step, lambda t, b=before: (t.steps() or 0) > b, "Step"):
            break
        await asyncio.sleep(THINK)
    return segments


def measure_tab(phase: Phase, tab: Tab, segments: list[tuple[float, float]]) -> None:
    playing = sum(b - a for a, b in segments)
    if playing <= 0:
        return
    steps = refreshes = 0
    longest = 0.0
    for a, b in segments:
        shown = [r for r in tab.readings if a <= r.at <= b]
        if len(shown) >= 2:
            steps += shown[-1].steps - shown[0].steps
        done = [t for t in tab.refreshes() if a <= t <= b]
        refreshes += len(done)
        runs = [run for run in tab.fragment_runs if a <= run.started <= b]
        phase.runs += len(runs)
        phase.whole += sum(run.finished for run in runs)
        marks = [a, *done, b]
        longest = max(longest, *(y - x for x, y in zip(marks, marks[1:], strict=False)))
    phase.steps.append(steps / playing)
    phase.refreshes.append(refreshes / playing)
    phase.gaps.append(longest)
    phase.timer_reruns.append(tab.auto_reruns_sent / phase.played)
    phase.received.append(tab.bytes_received / 1024 / phase.played)


def report(
    phases: list[Phase],
    load: tuple[float, float, float],
    rss_idle: float,
    rss_warm: float,
    warm: float,
    seconds: float,
    page: str,
) -> None:
    base = phases[0]
    interval = next((p.interval for p in phases if p.interval), None)
    print(
        f"Unrolled load test: /{page} over Streamlit's websocket protocol, {os.cpu_count()} CPUs,"
        f" load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the start"
    )
    print(
        f"Each phase: N tabs open at once, press Play, play {seconds:.0f} s (Pause, Step, Play every"
        f" {PLAY_BETWEEN[0]:.0f}-{PLAY_BETWEEN[1]:.0f} s)"
        + (
            f"; the last wait the server asked before a refresh: {interval * 1000:.0f} ms"
            if interval
            else ""
        )
    )
    print(
        f"Server RSS: {rss_idle:.0f} MiB healthy, {rss_warm:.0f} MiB at the end; a warm-up tab"
        f" drew the page {warm:.1f} s after connecting (first run: imports)"
    )
    rows: list[tuple[str, Callable[[Phase], str]]] = [
        ("tabs loaded / opened", lambda p: f"{len(p.load)}/{p.sessions}"),
        ("page drawn after connecting, median / max", lambda p: _pair(p.load, "s")),
        ("steps/s per session, median", lambda p: _rate(p.steps, base.steps, statistics.median)),
        ("steps/s per session, slowest", lambda p: _rate(p.steps, base.steps, min)),
        ("steps/s summed over sessions", lambda p: _rate(p.steps, base.steps, sum)),
        ("refreshes/s per session, median", lambda p: _rate(p.refreshes, base.refreshes)),
        ("refreshes/s per session, slowest", lambda p: _rate(p.refreshes, base.refreshes, min)),
        ("longest wait for a refresh, worst session", lambda p: _one(p.gaps, max, "s")),
        ("fragment runs reaching the tab whole", lambda p: f"{p.whole}/{p.runs}"),
        ("refreshes asked for/s per session, median", lambda p: _one(p.timer_reruns, fmt="/s")),
        ("data received per session, median", lambda p: _one(p.received, fmt="KiB/s")),
    ]
    for kind in ("Pause", "Step", "Play"):
        rows.append((f"{kind} answered, median / max (n)", lambda p, k=kind: _press(p, k)))
    rows += [
        ("presses unanswered after 15 s", lambda p: str(p.unanswered)),
        ("server RSS before the phase", lambda p: f"{p.rss_before:.0f} MiB"),
        ("server RSS with N sessions", lambda p: f"{p.rss_with:.0f} MiB"),
        (
            "  per session (delta / N)",
            lambda p: f"{(p.rss_with - p.rss_before) / p.sessions:.1f} MiB",
        ),
        ("server threads with N sessions", lambda p: str(p.threads)),
        ("tabs per replica (nginx)", lambda p: "/".join(map(str, p.split.values())) or "n/a"),
        ("server CPU while playing", lambda p: f"{p.server_cpu:.0%} of a core"),
        ("  of which its event-loop thread", lambda p: f"{p.event_loop_cpu:.0%} of a core"),
        ("server CPU per refresh drawn", _per_refresh),
        ("training worker (child processes) CPU", lambda p: f"{p.worker_cpu:.0%} of a core"),
        ("load client CPU (this process)", lambda p: f"{p.client_cpu:.0%} of a core"),
        ("other processes on the machine", lambda p: f"{p.other_cpu:.0%} of a core"),
        ("errors", lambda p: str(len(p.errors))),
        ("server CPU 1-4 s after tabs closed", lambda p: f"{p.idle_cpu * 1000:.0f} ms"),
    ]
    width = 44
    print(f"\n{'':<{width}}" + "".join(f"{'N = ' + str(p.sessions):>24}" for p in phases))
    for label, cell in rows:
        print(f"{label:<{width}}" + "".join(f"{cell(p):>24}" for p in phases))
    print("(ratios in brackets: against N = 1 in this run)")

    for phase in phases:
        counts = {error: phase.errors.count(error) for error in phase.errors}
        for error, count in sorted(counts.items(), key=lambda item: -item[1])[:4]:
            print(f"error at N = {phase.sessions} ({count}x): {error[:150]}")
    stopped = all(p.idle_cpu / IDLE_WINDOW < IDLE_LIMIT for p in phases)
    print(
        f"\nSessions that close stop their training: {'yes' if stopped else 'NO'} (server CPU"
        f" {', '.join(f'{p.idle_cpu * 1000:.0f} ms' for p in phases)} in {IDLE_WINDOW:.0f} s after"
        f" the tabs closed; limit {IDLE_LIMIT:.0%} of a core)"
    )
    verdict(phases)


def verdict(phases: list[Phase]) -> None:
    """The aims of a class on one server, judged one by one on the largest phase, with steps
    summed against the one-session phase of the same run (when it ran)."""
    phase = phases[-1]
    alone = next((p for p in phases if p.sessions == 1 and p.steps), None)
    presses = [x for xs in phase.presses.values() for x in xs]
    worst_press = max(presses, default=float("inf"))
    worst_gap = max(phase.gaps, default=float("inf"))
    slowest = min(phase.refreshes, default=0.0)
    summed = sum(phase.steps)
    ratio = summed / alone.steps[0] if alone and alone.steps[0] else None
    complete = len(phase.gaps) == phase.sessions
    aims = [
        (
            f"every session refreshing at least {AIM_RATE:.0f}/s",
            complete and slowest >= AIM_RATE,
            f"slowest session {slowest:.2f}/s, median {_one(phase.refreshes)}/s",
        ),
        (
            f"no session waiting over {AIM_WAIT:.0f} s for a refresh",
            complete and worst_gap <= AIM_WAIT,
            f"longest wait {worst_gap:.2f} s",
        ),
        (
            f"no press waiting over {AIM_PRESS:.0f} s",
            phase.unanswered == 0 and worst_press <= AIM_PRESS,
            f"slowest press {worst_press:.2f} s, {phase.unanswered} unanswered",
        ),
        (
            f"steps/s summed at least {AIM_SUMMED:.1f}x one session's",
            ratio is not None and ratio >= AIM_SUMMED,
            f"{summed:.1f} steps/s"
            + (
                f" = {ratio:.2f}x one session's {alone.steps[0]:.0f}"
                if ratio
                else " (N = 1 not run)"
            ),
        ),
    ]
    scope = "" if phase.sessions >= 40 else f" (only {phase.sessions} sessions in this run)"
    held = all(ok for _, ok, _ in aims) and not phase.errors
    print(f"Aims, {phase.sessions} sessions{scope}: {'HELD' if held else 'NOT HELD'}")
    for name, ok, figure in aims:
        print(f"  {name + ':':<48} {'HELD' if ok else 'NOT HELD':<9} {figure}")
    drawn = sum(phase.refreshes)
    if drawn:
        per_refresh = phase.server_cpu / drawn
        print(
            f"  at the {per_refresh * 1000:.0f} ms of server CPU each refresh cost here, one process"
            f" (one core for its Python: the GIL) refreshes at most {1 / per_refresh:.0f} sessions"
            f" once a second; {len(phase.errors)} errors; other processes"
            f" {phase.other_cpu:.0%} of a core"
        )


def _rate(
    values: list[float], base: list[float], how: Callable[[list[float]], float] = statistics.median
) -> str:
    if not values:
        return "n/a"
    value = how(values)
    ratio = value / how(base) if base and how(base) > 0 else float("nan")
    return f"{value:,.1f} ({ratio:.2f}x)"


def _per_refresh(phase: Phase) -> str:
    drawn = sum(phase.refreshes)
    return f"{phase.server_cpu / drawn * 1000:.0f} ms CPU" if drawn else "n/a"


def _one(
    values: list[float], how: Callable[[list[float]], float] = statistics.median, fmt: str = ""
) -> str:
    return f"{how(values):.2f} {fmt}".strip() if values else "n/a"


def _pair(values: list[float], unit: str) -> str:
    if not values:
        return "n/a"
    return f"{statistics.median(values):.2f} / {max(values):.2f} {unit}"


def _press(phase: Phase, kind: str) -> str:
    values = phase.presses.get(kind, [])
    if not values:
        return "n/a"
    return f"{statistics.median(values):.2f} / {max(values):.2f} s ({len(values)})"


def rss_mib(pid: int) -> float:
    return _status(pid, "VmRSS") / 1024  # kB


def threads(pid: int) -> int:
    return _status(pid, "Threads")


def _status(pid: int, name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    raise KeyError(name)


def cpu_seconds(pid: int, thread: int | None = None) -> float:
    """utime + stime of the process (all its threads), or of one thread, from /proc."""
    path = f"/proc/{pid}/stat" if thread is None else f"/proc/{pid}/task/{thread}/stat"
    fields = Path(path).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # fields 14 and 15 of proc_pid_stat(5)


def children(pid: int) -> list[int]:
    """The live child processes of ``pid`` (any of its threads' children), from /proc."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # the thread ended meanwhile
            found += [int(c) for c in (task / "children").read_text().split()]
    return [child for child in found if Path(f"/proc/{child}").exists()]


def machine_busy() -> float:
    """CPU seconds all processes have used, summed over cores, from /proc/stat."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / TICKS  # all but idle and iowait


# Starting and stopping the server: as bench/bench_live.py and tests/e2e/conftest.py do.


if __name__ == "__main__":
    sys.exit(main())
