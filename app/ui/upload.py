"""The CSV upload for the user's own series: bad files get a message and change nothing."""

from __future__ import annotations

import streamlit as st

from app.engine.csv_series import MAX_BYTES, numeric_columns
from app.engine.problems import InputError
from app.ui import state
from app.ui.i18n import describe, t


def render_upload() -> None:
    file = st.file_uploader(
        t("upload.label"),
        type=["csv", "txt"],
        key="train-upload",
        help=t("upload.help", limit_mb=MAX_BYTES // 2**20),
    )
    current = state.upload()
    if file is not None and (current is None or current.file_name != file.name):
        try:
            columns = numeric_columns(file.getvalue())
        except InputError as error:
            for problem in error.problems:
                st.error(describe(problem))
            return
        state.set_upload(state.UploadedSeries(file.name, columns, next(iter(columns))))
        state.RUN.reset()
        current = state.upload()
    if current is None:
        st.info(t("upload.waiting"))
        return
    names = list(current.columns)
    column = st.selectbox(
        t("upload.column"), names, index=names.index(current.column), key="train-upload-column"
    )
    if column != current.column:
        state.set_upload(state.UploadedSeries(current.file_name, current.columns, column))
        state.RUN.reset()
    st.caption(t("upload.loaded", name=current.file_name, rows=len(current.columns[column])))
