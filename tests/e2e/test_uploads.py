"""Files through the real browser: a CSV series to train on, and a saved run downloaded then loaded."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from app.engine.config import RunConfig
from app.engine.run import Run
from app.engine.saving import save_run
from tests.e2e.conftest import APP_IDLE, EXCEPTION, PLOTLY, STEPS_METRIC
from tests.e2e.test_pages import button, load

pytestmark = pytest.mark.e2e

# Before the app loads: lets a test act the moment a message from the server reaches the page,
# before the page has drawn it (ours is the socket's first listener), and hold back what the page
# sends (``window.holdSend``, given each message and the socket's own send).
WATCH_RECEIVED = """window.WebSocket = (Native => {
    const Watched = function (...args) {
        const socket = new Native(...args);
        const send = socket.send.bind(socket);
        socket.send = data => window.holdSend ? window.holdSend(data, send) : send(data);
        socket.addEventListener('message', event => {
            const data = event.data;
            const text = typeof data === 'string' ? data : new TextDecoder('latin1').decode(data);
            if (window.onReceived) window.onReceived(text);
        });
        return socket;
    };
    Object.assign(Watched, Native);
    Watched.prototype = Native.prototype;
    return Watched;
})(window.WebSocket);"""
# Chooses a file on the uploader `key` from inside the page as soon as a message carrying `text`
# arrives, before the page has drawn it: a person choosing the next file while the page still
# runs. (Playwright's set_input_files lands a round trip later, when a quiet server has answered.)
# With `late`, the page's request for the file's upload address reaches the server only once the
# next message carrying `text` has arrived (a slow network), never in between.
CHOOSE_ON_RECEIVED = """([key, text, late, name, data]) => {
    const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
    window.chosen = false;
    // Armed by the next file chosen on that uploader, not now: a message carrying `text` that
    // arrives before it (a late one of the page's load) would choose this file first, and the
    // next file would replace it.
    document.querySelector(`.st-key-${key} input[type=file]`).addEventListener(
        'change', () => { window.onReceived = choose; }, {once: true});
    const held = [];
    const release = received => {
        if (!received.includes(text)) return;
        window.onReceived = window.holdSend = null;
        held.forEach(([message, send]) => send(message));
    };
    // A BackMsg whose first field is its file_urls_request (field 16: tag bytes 0x82 0x01).
    const asksForUrls = data => {
        const b = data instanceof ArrayBuffer ? new Uint8Array(data)
            : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        return b[0] === 0x82 && b[1] === 0x01;
    };
    const choose = received => {
        if (!received.includes(text)) return;
        window.onReceived = late ? release : null;
        if (late) window.holdSend = (message, send) =>
            asksForUrls(message) ? held.push([message, send]) : send(message);
        setTimeout(() => {  // a click of its own, not inside the socket's listener
            const input = document.querySelector(`.st-key-${key} input[type=file]`);
            const files = new DataTransfer();
            files.items.add(new File([bytes], name));
            input.files = files.files;
            input.dispatchEvent(new Event('change', {bubbles: true}));
            window.chosen = true;
        });
    };
}"""


def upload(page: Page, key: str, path: Path) -> None:
    page.locator(f".st-key-{key} input[type=file]").set_input_files(str(path))


def upload_on_text(
    page: Page, key: str, text: str, name: str, data: bytes, late: bool = False
) -> None:
    """Choose ``data`` as the file ``name`` on the uploader ``key`` as soon as the server sends
    ``text`` after the next file chosen there (the page must watch, ``WATCH_RECEIVED``); with
    ``late``, its upload address is asked for only once ``text`` comes again."""
    page.evaluate(CHOOSE_ON_RECEIVED, [key, text, late, name, base64.b64encode(data).decode()])


def chosen(page: Page) -> bool:
    """Whether ``upload_on_text`` has chosen its file."""
    return page.evaluate("() => window.chosen === true")


def refused(page: Page, message: str) -> None:
    """Wait until ``message`` is shown. The run that draws it may still be running: the next file
    can be chosen at once (test_a_run_chosen_while_a_refusal_runs_is_loaded shows it is kept)."""
    expect(page.get_by_text(message)).to_be_visible()


def test_csv_upload_trains_and_bad_files_get_a_message(
    page: Page, app_url: str, tmp_path: Path, console_errors: list[str]
) -> None:
    load(page, f"{app_url}/train?task=csv&window=5")
    expect(page.get_by_text("Upload a CSV file")).to_have_count(
        2
    )  # the notice and the waiting hint
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    upload(page, "train-upload", binary)
    refused(page, "This is not a text file")
    good = tmp_path / "temperaturas.csv"
    days = np.arange(200)
    rows = [
        f"2020-{1 + d // 28:02d}-{1 + d % 28:02d};{20 + 5 * np.sin(d / 9):.1f}".replace(".", ",")
        for d in days
    ]
    good.write_text("data;temperatura\n" + "\n".join(rows))
    upload(page, "train-upload", good)
    expect(page.locator(PLOTLY)).to_have_count(3)
    button(page, "train-step10").click()
    expect(page.locator(STEPS_METRIC)).to_have_text("10")
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert console_errors == []


def test_saved_run_round_trip_and_refusal(
    new_page: Callable[[], Page], app_url: str, tmp_path: Path, console_errors: list[str]
) -> None:
    first = new_page()
    load(first, f"{app_url}/train", charts=3)
    button(first, "train-step10").click()
    expect(first.locator(STEPS_METRIC)).to_have_text("10")
    first.get_by_text("Save or load this run").click()
    with first.expect_download() as download:
        first.locator(".st-key-train-download-run button").click()
    saved = tmp_path / "run.pt"
    download.value.save_as(saved)
    assert saved.stat().st_size > 1000

    second = new_page()  # another session, as at home and then in class
    load(second, f"{app_url}/train", charts=3)
    expect(second.locator(STEPS_METRIC)).to_have_text("0")
    second.get_by_text("Save or load this run").click()
    fake = tmp_path / "not-a-run.pt"
    fake.write_text("print('hello')")
    upload(second, "train-load-run", fake)
    refused(second, "This is not a run saved by Unrolled")
    expect(second.locator(STEPS_METRIC)).to_have_text("0")  # nothing changed
    upload(second, "train-load-run", saved)
    expect(second.locator(STEPS_METRIC)).to_have_text("10")
    expect(second.locator(APP_IDLE)).to_have_count(1)
    expect(second.locator(EXCEPTION)).to_have_count(0)
    assert console_errors == []


def test_a_run_chosen_while_a_refusal_runs_is_loaded(
    page: Page, app_url: str, tmp_path: Path, console_errors: list[str]
) -> None:
    """A person does not wait for the page to finish answering a refused file before choosing the
    next one. The refusal's notice used to push the page down by one element: the uploader, in
    the live section, was drawn anew in the browser (its file lost) and the section's fragment
    renamed (a rerun naming the old one was dropped by Streamlit), so the run never loaded."""
    run = Run(RunConfig())
    run.train(steps=10)
    page.add_init_script(WATCH_RECEIVED)
    load(page, f"{app_url}/train", charts=3)
    expect(page.locator(STEPS_METRIC)).to_have_text("0")
    page.get_by_text("Save or load this run").click()
    fake = tmp_path / "not-a-run.pt"
    fake.write_text("print('hello')")
    # Chosen the moment the refused file's first run starts (its section's; the first message of
    # every run lists the pages), before the full-app run that section asks for and that draws the
    # refusal. Its upload address is asked for once that full-app run has started: asked in
    # between, the answer is lost in Streamlit (the run's start clears the messages queued for the
    # browser, the answer among them), a race of Streamlit's own, which CI once hit.
    upload_on_text(page, "train-load-run", "Step through time", "run.pt", save_run(run), late=True)
    upload(page, "train-load-run", fake)
    expect(page.get_by_text("Loaded a run at step 10.")).to_be_visible()
    expect(page.locator(STEPS_METRIC)).to_have_text("10")
    assert chosen(page)
    expect(page.locator(APP_IDLE)).to_have_count(1)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert console_errors == []
