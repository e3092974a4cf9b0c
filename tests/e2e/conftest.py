"""Browser fixtures: one real `streamlit run` for the whole session, a fresh Chromium context per test.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright; a browser is never downloaded. Without it
the browser tests are skipped locally, but fail under CI (CI=true), so CI can never silently skip them.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, WebSocket, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from app.ui.controls import play_pause_box, play_pause_key
from devtools.app_server import free_port, start_app, stop_app, wait_healthy  # noqa: F401  (re-exported)
from devtools.browser import CHROMIUM, CHROMIUM_ARGS

SERVER_START_SECONDS = 60  # generous: a cold CI machine reads torch from disk
WARM_MS = 90_000  # a fresh server's first page imports torch and plotly, on a shared machine
TIMEOUT_MS = 20_000  # default for every Playwright wait and expect()
VIEWPORT = {"width": 1400, "height": 1000}

# Selectors shared by the tests: Streamlit's own test ids and our widget keys (`st-key-<key>`).
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
PLOTLY = ".js-plotly-plot"
METRICS = '[data-testid="stMain"] [data-testid="stMetricValue"]'
# Every style-only st.html drawn (app/ui/shell.py start_page writes one on every page).
CSS_ARRIVED = """() => {
    const styles = document.querySelectorAll('[data-testid="stEvent"] [data-testid="stElementContainer"]');
    return styles.length > 0 && [...styles].every(element => element.querySelector('style'));
}"""
# The kinds of widget value that a rerun carries only at the moment they fire: a button's, and a
# components-v2 element's trigger (the pacer's request).
TRIGGERS = ("trigger_value", "string_trigger_value", "json_trigger_value")
STEPS_METRIC = METRICS + " >> nth=0"  # metric labels are translated: the step counter comes first


def button(page: Page, key: str) -> Locator:
    """The button with widget key ``key`` (a button with help also renders a hidden copy of itself)."""
    return page.locator(f".st-key-{key} button").filter(visible=True)


def wait_for_css(page: Page) -> None:
    """Wait until the page's CSS is in the document: Streamlit puts each st.html that holds only
    styles in its event container, and draws it once the browser has loaded the code for such
    elements, which a fresh tab does on first use, after the run may have ended."""
    page.wait_for_function(CSS_ARRIVED)


def sent_as(key: str) -> str:
    """The widget key a press of ``key`` is sent with: ``<prefix>-play`` and ``<prefix>-pause``
    name the box of the one Play/Pause button (app/ui/controls.py) by what it does now."""
    box = play_pause_box(key)
    return play_pause_key(box[0]) if box else key


class PressLog:
    """What a page's websocket carries: each press sent (its widget key and the fragment the
    request names, empty for a full-app rerun), for each run started, whether it was a full-app
    run, and how each run was reported finished. Attach it before the page loads."""

    def __init__(self, page: Page) -> None:
        # What the socket carried, in order: ("press", (widget key, fragment id)) and ("sent", the
        # keys of a rerun's triggers, pressed at one moment), ("run", whether a full-app run) and
        # ("finished", its ForwardMsg.ScriptFinishedStatus).
        self.carried: list[tuple[str, object]] = []
        self.socket: WebSocket | None = None
        page.on("websocket", self._attach)

    def of(self, kind: str, since: int = 0) -> list:
        """What of ``kind`` ("press", "sent", "run" or "finished") the socket carried from its ``since``-th
        thing on."""
        return [value for carried, value in self.carried[since:] if carried == kind]

    @property
    def asked(self) -> list[tuple[str, str]]:
        return self.of("press")

    @property
    def runs(self) -> list[bool]:
        return self.of("run")

    @property
    def finished(self) -> list[int]:
        return self.of("finished")

    def _attach(self, socket: WebSocket) -> None:
        self.socket = socket
        socket.on("framesent", self._sent)
        socket.on("framereceived", self._received)

    def _sent(self, frame: bytes | str) -> None:
        message = BackMsg.FromString(frame if isinstance(frame, bytes) else frame.encode())
        if message.WhichOneof("type") == "rerun_script":
            rerun = message.rerun_script
            keys = []
            for widget in rerun.widget_states.widgets:
                kind = widget.WhichOneof("value")
                key = widget.id.split("-", 2)[-1]
                if kind == "trigger_value":  # a button
                    self.carried.append(("press", (key, rerun.fragment_id)))
                if kind in TRIGGERS:
                    keys.append(key)
            self.carried.append(("sent", tuple(keys)))

    def _received(self, frame: bytes | str) -> None:
        message = ForwardMsg.FromString(frame if isinstance(frame, bytes) else frame.encode())
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.carried.append(("run", not message.metadata.run.fragment_ids))
        elif kind == "script_finished":
            self.carried.append(("finished", message.script_finished))

    def answered(self, since: int, widget: str) -> bool:
        """Whether, from the ``since``-th thing carried, a press of ``widget`` was sent and a run
        started after it has finished."""
        wanted = ["press", "run", "finished"]
        for kind, value in self.carried[since:]:
            if kind == wanted[0] and (kind != "press" or value[0] == widget):
                wanted.pop(0)
                if not wanted:
                    return True
        return False

    def cut_short(self, since: int = 0) -> int:
        """How many runs (from the ``since``-th) the browser was told were cut short by the next.
        Streamlit reports so a run whose last messages had not left when the next run started,
        and the browser then keeps the elements that run replaced."""
        return self.finished[since:].count(ForwardMsg.FINISHED_EARLY_FOR_RERUN)

    def press(self, page: Page, key: str, timeout: float = TIMEOUT_MS) -> None:
        """Press ``key`` and wait until the run that answers it has finished on the server. The
        session shows no run between the click and the server's answer, so an idle page right
        after a click says nothing."""
        assert self.socket is not None, "the page has no websocket yet"
        since = len(self.carried)
        try:
            with self.socket.expect_event(
                "framereceived", lambda _: self.answered(since, sent_as(key)), timeout=timeout
            ):
                button(page, key).click()
        except PlaywrightTimeoutError:
            sent = any(widget == sent_as(key) for widget, _ in self.of("press", since))
            pytest.fail(f"{key}: {'its run never finished' if sent else 'no press was sent'}")

    def press_in_section(
        self, page: Page, key: str, shown: str, timeout: float = TIMEOUT_MS
    ) -> None:
        """Press ``key``, wait for ``shown`` (a button's key) and the end of the run, and check the
        press was sent as a rerun of its live section and answered without a full-app run."""
        since = len(self.carried)
        self.press(page, key, timeout)  # fails if no press of ``key`` was sent
        expect(button(page, shown)).to_be_visible(timeout=timeout)
        expect(page.locator(APP_IDLE)).to_have_count(1, timeout=timeout)
        sent = [fragment for widget, fragment in self.of("press", since) if widget == sent_as(key)]
        assert all(sent), f"{key} was sent as a full-app rerun"
        assert not any(self.of("run", since)), f"{key} was answered by a full-app run"


def _unavailable(reason: str) -> None:
    """Skip locally; fail under CI, where browser tests must run."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: browser tests may not be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def app_url(browser) -> Iterator[str]:
    """Base URL of the real app, started once for the session and warmed by one page, so that
    every test (the first one too, or a file run alone) finds it ready within its own timeouts."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="unrolled-e2e-") as tmp:
        log_path = Path(tmp) / "streamlit.log"
        server = start_app(port, log_path)
        try:
            wait_healthy(url, server, log_path, SERVER_START_SECONDS)
            warm(browser, url)
            yield url
        finally:
            stop_app(server)


def warm(browser, url: str) -> None:
    """Open the training page once (straight to the server) and wait until its script has run
    and its charts are drawn: a server's first page imports torch and plotly."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{url}/train")
        expect(page.locator(APP_IDLE)).to_have_count(1, timeout=WARM_MS)
        expect(page.locator(".st-key-cfg-hidden-size input")).to_be_visible(timeout=WARM_MS)
        expect(page.locator(PLOTLY).first).to_be_visible(timeout=WARM_MS)
    finally:
        context.close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} not found: install Debian's chromium to run browser tests")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def console_errors() -> list[str]:
    """Console errors and uncaught page errors of every page the test opened."""
    return []


@pytest.fixture
def new_page(browser, console_errors: list[str]) -> Iterator[Callable[[], Page]]:
    """Open a page in a fresh browser context (its own cookies, so its own Streamlit session)."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: _keep_console_error(message, console_errors))
        page.on("pageerror", lambda error: console_errors.append(f"pageerror: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[[], Page]) -> Page:
    return new_page()


def _keep_console_error(message, errors: list[str]) -> None:
    if message.type != "error" or _expected_load_failure(message):
        return
    errors.append(f"console: {message.text} ({message.location.get('url', '')})")


def _expected_load_failure(message) -> bool:
    """Resource failures that say nothing about the app:

    - Streamlit's frontend, opened on a page path such as /train, first probes /train/_stcore/health
      and /train/_stcore/host-config and takes the 404 as the sign to use the root.

    A request to any other host is NOT ignored: the app must work with no network.
    """
    if not message.text.startswith("Failed to load resource"):
        return False
    url = urlsplit(message.location.get("url", ""))
    page_probe = "/_stcore/" in url.path and not url.path.startswith("/_stcore/")
    return page_probe and "404" in message.text
