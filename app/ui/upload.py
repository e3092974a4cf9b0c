"""The CSV upload for the user's own series: bad files get a message and change nothing; gaps in a
good file are reported (how many, and what was done with them)."""

from __future__ import annotations

import streamlit as st

from app.engine.csv_series import MAX_BYTES, ColumnReport, read_series
from app.engine.problems import InputError
from app.ui import state
from app.ui.i18n import describe, t
from app.ui.uploader import file_uploader

UPLOAD_KEY = "train-upload"
COLUMN_KEY = "train-upload-column"
_READ = "train-upload-read"  # (file id, reports, skipped) of the last file read here


def render_upload() -> None:
    file = file_uploader(
        t("upload.label"),
        type=["csv", "tsv", "txt"],
        key=UPLOAD_KEY,
        help=t("files.csv_help", limit_mb=MAX_BYTES // 2**20),
        max_upload_size=MAX_BYTES // 2**20,  # the uploader shows (and keeps) the CSV's own limit
    )
    st.caption(t("files.csv_private"))
    current = state.upload()
    # A file is read when it is new, not whenever its name differs from the session's upload: a
    # loaded saved run's series must not be replaced by the CSV still sitting in the uploader.
    read_before = st.session_state.get(_READ)
    if file is not None and (read_before is None or read_before[0] != file.file_id):
        try:
            read = read_series(file.getvalue())
        except InputError as error:
            for problem in error.problems:
                st.error(describe(problem))
            return
        st.session_state[_READ] = (file.file_id, file.name, read.reports, read.skipped)
        forget_column_choice()
        state.set_upload(state.UploadedSeries(file.name, read.columns, _first_choice(read.columns)))
        state.RUN.reset()
        current = state.upload()
    if current is None:
        st.info(t("upload.waiting"))
        return
    names = list(current.columns)
    column = st.selectbox(
        t("upload.column"), names, index=names.index(current.column), key=COLUMN_KEY
    )
    if column != current.column:
        state.set_upload(state.UploadedSeries(current.file_name, current.columns, column))
        state.RUN.reset()
    st.caption(t("upload.loaded", name=current.file_name, rows=len(current.columns[column])))
    _render_gaps(current.file_name, column)


def _first_choice(columns: dict) -> str:
    """A temperature column if there is one (station files start with rain and pressure), else the first."""
    return next((name for name in columns if "TEMP" in name.upper()), next(iter(columns)))


def forget_column_choice() -> None:
    """A new series brings new columns: the column picker starts from its first one again."""
    st.session_state.pop(COLUMN_KEY, None)


def _render_gaps(file_name: str, column: str) -> None:
    read = st.session_state.get(_READ)
    if read is None or read[1] != file_name:
        return  # a series from a saved run: its gaps were handled when it was first read
    _, _, reports, skipped = read
    report: ColumnReport | None = reports.get(column)
    if report is not None and report.missing:
        example = t("files.csv_example", example=report.example) if report.example else ""
        st.warning(
            t(
                "files.csv_gaps_report",
                missing=report.missing,
                rows=report.rows,
                blank=report.blank,
                sentinels=report.sentinels,
                unreadable=report.unreadable,
                example=example,
                dropped=report.dropped,
                filled=report.filled,
                longest=report.longest_gap,
            ),
            icon=":material/info:",
        )
    if skipped:
        st.caption(t("files.csv_skipped", names=", ".join(list(skipped)[:4])))
