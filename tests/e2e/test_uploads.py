"""Files through the real browser: a CSV series to train on, and a saved run downloaded then loaded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import APP_IDLE, EXCEPTION, PLOTLY, STEPS_METRIC
from tests.e2e.test_pages import button, load

pytestmark = pytest.mark.e2e


def upload(page: Page, key: str, path: Path) -> None:
    page.locator(f".st-key-{key} input[type=file]").set_input_files(str(path))


def refused(page: Page, message: str) -> None:
    """Wait until ``message`` is shown and the run that shows it has finished: it is drawn near
    the top while the rest of the page still runs, and a file chosen during that run can be lost
    (the next one's upload then never reaches the app, as seen under load)."""
    expect(page.get_by_text(message)).to_be_visible()
    expect(page.locator(APP_IDLE)).to_have_count(1)


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
