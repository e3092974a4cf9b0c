"""deploy/nginx.conf for real: two app replicas behind nginx, and every session stays on its own replica.

Both replicas (the worker's own app server and one more) and nginx listen on free loopback ports;
nginx runs as the current user with the deploy config, its ports templated in and every path (pid,
logs, temp files) inside a temporary prefix.
Without nginx (Debian's `nginx`) the test is skipped locally but fails under CI, like the browser tests.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from devtools.proxy import COOKIE, NGINX, start_nginx, stop_all
from tests.e2e.conftest import (
    APP_IDLE,
    EXCEPTION,
    PLOTLY,
    SERVER_START_SECONDS,
    STEPS_METRIC,
    _unavailable,
    free_port,
    start_app,
    wait_healthy,
    warm,
)
from tests.e2e.test_pages import LIVE_MS, TRAIN_CHARTS, button

pytestmark = pytest.mark.e2e

FIRST_DRAW_MS = 30_000  # a replica's first run imports torch and plotly, on a shared machine
LOG_SECONDS = 10  # nginx writes a request's log line when the request (or WebSocket) ends


@dataclass(frozen=True)
class Proxy:
    url: str  # nginx, as the browser sees it
    replicas: tuple[str, str]  # upstream addresses as nginx logs them ("127.0.0.1:port")
    access_log: Path


@pytest.fixture(scope="module")
def proxy(browser, request: pytest.FixtureRequest) -> Iterator[Proxy]:
    """nginx in front of two replicas: the worker's own app server (`app_url`, already warm when
    a browser group ran before on this worker) and one more started here, so a second replica is
    started and warmed rather than two."""
    if not NGINX.exists():
        _unavailable(f"{NGINX} not found: install Debian's nginx to run the reverse-proxy test")
    ports = [free_port() for _ in range(2)]
    second = f"127.0.0.1:{ports[0]}"
    with (
        tempfile.TemporaryDirectory(prefix="unrolled-proxy-") as tmp,
        contextlib.ExitStack() as stop,
    ):
        prefix = Path(tmp)
        processes: list[subprocess.Popen] = []
        stop.callback(stop_all, processes)
        log = prefix / f"streamlit-{second.replace(':', '-')}.log"
        server = start_app(ports[0], log)
        processes.append(server)
        # Asked for only now: on a worker whose server is not up yet, both start at once.
        first = urlsplit(request.getfixturevalue("app_url")).netloc
        replicas = (first, second)
        nginx = start_nginx(prefix, ports[1], replicas)
        processes.append(nginx)
        error_log = prefix / "error.log"
        wait_healthy(f"http://{second}", server, log, SERVER_START_SECONDS)
        warm(browser, f"http://{second}")  # nginx neither counts nor logs this page
        url = f"http://127.0.0.1:{ports[1]}"
        wait_healthy(url, nginx, error_log, 10)
        yield Proxy(url, replicas, prefix / "access.log")


def test_a_new_browser_is_pinned_by_cookie_to_a_replica(proxy: Proxy) -> None:
    first = _get(proxy.url + "/")
    cookie = first.headers.get("Set-Cookie", "")
    assert re.fullmatch(rf"{COOKIE}=127\.0\.0\.1:\d+; Path=/; HttpOnly; SameSite=Lax", cookie), (
        cookie
    )
    pinned = cookie.split(";")[0].split("=", 1)[1]
    assert pinned in proxy.replicas
    assert _get(proxy.url + "/", pinned).headers.get("Set-Cookie") is None
    assert {replica_of(proxy, pinned) for _ in range(4)} == {pinned}
    # With no tab open anywhere, new browsers take turns: a hall behind one address still spreads.
    assert {replica_of(proxy, None) for _ in range(4)} == set(proxy.replicas)
    # A cookie naming no replica cannot send nginx anywhere else: it is ignored and replaced.
    forged = _get(proxy.url + "/", "10.0.0.1:22")
    assert forged.headers.get("Set-Cookie", "").split(";")[0].split("=", 1)[1] in proxy.replicas


def test_two_browsers_spread_over_the_replicas_and_train_live_on_them(
    proxy: Proxy, new_page, console_errors: list[str]
) -> None:
    first = new_page()  # takes the cookie nginx hands out, as a student's browser does
    first.goto(proxy.url + "/train")
    expect(first.locator(PLOTLY).first).to_be_visible(
        timeout=FIRST_DRAW_MS
    )  # its WebSocket is open
    (cookie_a,) = [c["value"] for c in first.context.cookies() if c["name"] == COOKIE]
    second = new_page()  # a second student: the least busy replica is the one without a tab
    second.goto(proxy.url + "/train")
    (cookie_b,) = [c["value"] for c in second.context.cookies() if c["name"] == COOKIE]
    assert {cookie_a, cookie_b} == set(proxy.replicas)
    for page in (first, second):
        expect(page.locator(PLOTLY)).to_have_count(TRAIN_CHARTS, timeout=FIRST_DRAW_MS)
        expect(page.locator(APP_IDLE)).to_have_count(1)
    for page in (first, second):
        expect(page.locator(STEPS_METRIC)).to_have_text("0")
        button(page, "train-play").click()
    for page in (first, second):
        expect(page.locator(STEPS_METRIC)).not_to_have_text("0", timeout=LIVE_MS)
        expect(page.locator(EXCEPTION)).to_have_count(0)
    assert not console_errors
    assert [c["value"] for c in second.context.cookies() if c["name"] == COOKIE] == [cookie_b]

    # Leaving the page ends its WebSocket, and nginx logs it: each one stayed on its replica.
    for page in (first, second):
        page.goto("about:blank")
    for cookie in (cookie_a, cookie_b):  # the cookie names the replica
        assert set(_stream_upstreams(proxy, cookie)) == {cookie}


def replica_of(proxy: Proxy, cookie: str | None) -> str:
    """The replica nginx sends ``cookie``'s requests to, read from its access log."""
    probe = f"probe-{time.monotonic_ns()}"
    _get(f"{proxy.url}/_stcore/health?{probe}", cookie)
    line = _wait_for_log(proxy, lambda line: f"?{probe} " in line)
    return _field(line, "upstream")


def _stream_upstreams(proxy: Proxy, cookie: str) -> list[str]:
    def is_stream(line: str) -> bool:
        return "GET /_stcore/stream " in line and _field(line, "replica_cookie") == cookie

    _wait_for_log(proxy, is_stream)
    lines = proxy.access_log.read_text().splitlines()
    return [_field(line, "upstream") for line in lines if is_stream(line)]


def _get(url: str, cookie: str | None = None):
    headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as r:
        r.read()
        return r


def _wait_for_log(proxy: Proxy, wanted) -> str:
    deadline = time.monotonic() + LOG_SECONDS
    while time.monotonic() < deadline:
        lines = proxy.access_log.read_text().splitlines() if proxy.access_log.exists() else []
        found = [line for line in lines if wanted(line)]
        if found:
            return found[-1]
        time.sleep(0.05)  # bounded by the deadline: polling a log file
    raise AssertionError(f"no such line in nginx's access log:\n{proxy.access_log.read_text()}")


def _field(line: str, name: str) -> str:
    match = re.search(rf"\b{name}=(\S*)", line)
    assert match, line
    return match.group(1)
