"""Files through the pages: a saved CSV run loads as the session's upload, each uploader states the
limit it keeps, a CSV's gaps are reported in the user's language, a hostile run changes nothing."""

from __future__ import annotations

import tomllib
from dataclasses import replace

import numpy as np
from streamlit.testing.v1 import AppTest

from app.engine import csv_series, saving
from app.engine.csv_series import upload_task
from app.engine.presets import PRESETS
from app.engine.run import Run
from app.engine.saving import save_run
from app.engine.text import corpus
from app.ui import i18n
from app.ui.i18n import catalog
from tests.conftest import ROOT
from tests.engine.test_real_csv import inmet_hourly
from tests.pages.conftest import TRAIN, open_page, steps

TEXT = "../pages/text.py"
WAITING = {catalog(lang)["upload.waiting"] for lang in ("en", "pt")}


def csv_run_file(steps_done: int = 7) -> bytes:
    series = 15 + 8 * np.sin(np.arange(300) / 11)
    task = replace(PRESETS["lesson"].task, name="csv", window=5)
    run = Run(replace(PRESETS["lesson"], task=task), task=upload_task(series, 5))
    run.train(steps=steps_done)
    return save_run(run)


def texts(at: AppTest) -> list[str]:
    found = [e.value for kind in ("info", "warning", "error", "caption") for e in at.get(kind)]
    return [str(value) for value in found]


def load(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="train-load-run").upload(name, data).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_saved_csv_run_loads_as_the_sessions_upload_not_a_csv_prompt() -> None:
    at = load(open_page(TRAIN), "my-series.pt", csv_run_file(7))
    assert steps(at) == 7
    assert at.selectbox(key="cfg-task").value == "csv"
    shown = texts(at)
    assert not WAITING & set(shown), shown  # no "upload a CSV" prompt: the run is shown
    assert any("my-series.pt" in text and "saved run" in text for text in shown), shown
    assert at.selectbox(key="train-upload-column").options == ["series of the saved run"]
    at.button(key="train-step").click().run()
    assert steps(at) == 8 and not at.exception


def test_the_csv_still_in_the_uploader_does_not_replace_the_loaded_runs_series() -> None:
    at = open_page(TRAIN, task="csv", window="5")
    good = "dia;temperatura\n" + "\n".join(f"{i};{20 + i % 7},5" for i in range(120))
    at.file_uploader(key="train-upload").upload("aula.csv", good.encode()).run()
    assert any("aula.csv" in text for text in texts(at))
    load(at, "home.pt", csv_run_file(4))
    at.run()  # a later rerun: the CSV is still in its uploader
    assert steps(at) == 4
    captions = [str(c.value) for c in at.caption]
    assert any("home.pt" in c for c in captions) and not any("aula.csv" in c for c in captions)


def test_a_hostile_run_file_changes_nothing_and_says_why() -> None:
    at = open_page(TRAIN)
    at.button(key="train-step").click().run()
    bad = bytearray(csv_run_file(3))
    bad[-200:] = bytes(200)  # the archive's directory wiped
    load(at, "broken.pt", bytes(bad))
    assert steps(at) == 1
    assert any("Nothing was changed" in text for text in texts(at))


def test_gaps_in_a_station_file_are_reported_in_portuguese(monkeypatch) -> None:
    # AppTest formats widget options outside the script too: the language must hold in both.
    monkeypatch.setattr(i18n, "current_language", lambda: "pt")
    at = open_page(TRAIN, task="csv", window="5")
    at.file_uploader(key="train-upload").upload("INMET_S_RS_A801.CSV", inmet_hourly()).run()
    assert not at.exception
    warnings = [str(w.value) for w in at.warning]
    assert any(
        "6 de 960 valores" in w and "-9999" in w and "interpolação" in w for w in warnings
    ), warnings
    assert any("sessão do navegador" in str(c.value) for c in at.caption)  # it stays private


def test_each_uploader_states_and_keeps_its_own_limit_and_the_server_allows_the_largest() -> None:
    csv_page, run_page, text_page = (
        open_page(TRAIN, task="csv", window="5"),
        open_page(TRAIN),
        open_page(TEXT),
    )
    text_page.selectbox(key="text-corpus").select("own").run()
    uploaders = {
        "train-upload": (csv_page, csv_series.MAX_BYTES),
        "train-load-run": (run_page, saving.MAX_BYTES),
        "text-upload": (text_page, corpus.MAX_BYTES),
    }
    for key, (at, limit) in uploaders.items():
        widget = at.file_uploader(key=key)
        assert widget.proto.max_upload_size_mb == limit // 2**20, key  # what the uploader shows
        stated = [widget.help, *(str(c.value) for c in at.caption)]
        assert any(f"{limit // 2**20} MB" in text for text in stated), (key, stated)
    with open(ROOT / ".streamlit" / "config.toml", "rb") as f:
        server = tomllib.load(f)["server"]["maxUploadSize"]
    assert server >= max(limit // 2**20 for _, limit in uploaders.values())
    # The largest run the settings allow (three LSTM layers of 512 with Adam, ~62 MB) fits.
    assert saving.MAX_BYTES >= 62 * 2**20
