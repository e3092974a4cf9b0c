"""Download the current run (or its history as CSV) and load a saved one. A refused file changes nothing."""

from __future__ import annotations

import streamlit as st

from app.engine.problems import InputError
from app.engine.run import Run
from app.engine.saving import MAX_BYTES, history_csv, load_run, save_run, uploaded_series
from app.engine.tasks import UPLOAD_NAME
from app.ui import state
from app.ui.i18n import t
from app.ui.settings import load_config
from app.ui.upload import forget_column_choice
from app.ui.uploader import file_uploader

UPLOAD_KEY = "train-load-run"


def render_save_load(run: Run) -> None:
    with st.expander(t("save.title"), icon=":material/save:"):
        cols = st.columns(2)
        name = f"unrolled-{run.config.task.name}-{run.config.cell}-step{run.step}"
        # Callables: the file is built only when the button is pressed, not on every refresh.
        cols[0].download_button(
            t("save.download_run"),
            data=lambda: save_run(run),
            file_name=f"{name}.pt",
            mime="application/octet-stream",
            key="train-download-run",
            on_click="ignore",
            icon=":material/download:",
        )
        cols[1].download_button(
            t("save.download_csv"),
            data=lambda: history_csv(run.history),
            file_name=f"{name}-history.csv",
            mime="text/csv",
            key="train-download-csv",
            on_click="ignore",
            icon=":material/table:",
        )
        st.caption(t("save.images"))
        # Loading happens in the callback, before any widget is drawn, so the widgets can show the
        # loaded run's settings.
        file_uploader(
            t("save.upload"),
            type=["pt"],
            key=UPLOAD_KEY,
            on_change=_load_uploaded,
            help=t("save.upload_help", limit_mb=MAX_BYTES // 2**20),
            max_upload_size=MAX_BYTES
            // 2**20,  # the uploader shows (and keeps) the run's own limit
        )


def _load_uploaded() -> None:
    file = st.session_state.get(UPLOAD_KEY)
    if file is None:
        return
    # The uploader sits in the run's live section: the settings and notices a load changes are
    # drawn outside it, so its answer is the whole page.
    state.RUN.state().app_run = True
    load_saved(file.getvalue(), file.name)


def load_saved(data: bytes, file_name: str) -> None:
    """Load a saved run's file into the session, or queue why it was refused (changing nothing)."""
    try:
        loaded = load_run(data)
    except InputError as error:
        for problem in error.problems:
            state.notify(problem)
        return
    if loaded.config.task.name == UPLOAD_NAME:
        # The run's own series becomes the session's upload, so the page shows the run, not a prompt.
        column = t("files.saved_series")
        name = t("files.from_saved_run", name=file_name)
        series = {column: uploaded_series(loaded)}
        forget_column_choice()
        state.set_upload(state.UploadedSeries(name, series, column))
    adopt(loaded)
    state.notify("save.loaded", step=loaded.step)


def adopt(loaded: Run) -> None:
    """Make a loaded run the session's run, with the widgets showing its settings."""
    load_config(loaded.config)
    state.RUN.put(loaded)
