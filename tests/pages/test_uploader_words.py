"""The uploader's limit line in Portuguese, with the limit the app enforces (app/ui/uploader.py)."""

from __future__ import annotations

from streamlit import config
from streamlit.testing.v1 import AppTest

from app.engine import csv_series, saving
from app.ui.uploader import limit_css
from tests.pages.conftest import TRAIN, open_page


def styles(at: AppTest) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


def test_the_rule_draws_the_limit_and_the_kinds_for_one_uploader() -> None:
    css = limit_css("train-upload", 'at most "5" MB', ["csv", ".TSV", "txt", "csv"])
    assert '.st-key-train-upload [data-testid="stFileUploaderDropzoneInstructions"]' in css
    assert 'content: "at most \\"5\\" MB • CSV, TSV, TXT"' in css  # quoted, kinds as Streamlit
    assert "font-size: 0 !important" in css  # Streamlit's English line is not drawn


def test_portuguese_uploaders_say_their_own_limit() -> None:
    csv = open_page(TRAIN, lang="pt", task="csv")
    assert f"{csv_series.MAX_BYTES // 2**20} MB por arquivo • CSV, TSV, TXT" in styles(csv)
    saved = open_page(TRAIN, lang="pt")  # a run to save, so the saved-run uploader
    assert ".st-key-train-load-run" in styles(saved)
    assert f"{saving.MAX_BYTES // 2**20} MB por arquivo • PT" in styles(saved)
    assert "Solte o arquivo aqui" in styles(saved)  # the hint while a file is dragged over


def test_english_leaves_streamlit_its_own_words() -> None:
    assert "stFileUploaderDropzoneInstructions" not in styles(open_page(TRAIN, task="csv"))


def _uploader_without_a_limit() -> None:
    import streamlit as st

    from app.ui.uploader import file_uploader

    st.session_state["lang"] = "pt"
    file_uploader("file", key="any-upload", type=["csv"])


def test_an_uploader_without_its_own_limit_says_the_server_s() -> None:
    before = config.get_option("server.maxUploadSize")
    config.set_option("server.maxUploadSize", 7)
    try:
        at = AppTest.from_function(_uploader_without_a_limit).run()
    finally:
        config.set_option("server.maxUploadSize", before)
    assert not at.exception
    assert "7 MB por arquivo • CSV" in styles(at)
