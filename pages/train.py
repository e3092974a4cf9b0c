"""Train a small recurrent network live and watch its loss and predictions move."""

import streamlit as st

from app.ui import shell, state
from app.ui.code_export import render_run_code
from app.ui.controls import render_controls
from app.ui.i18n import t
from app.ui.saved_runs import render_save_load
from app.ui.settings import render_settings
from app.ui.training_view import render_live

st.title(t("train.title"))
st.caption(t(f"task.{state.RUN.config().task.name}.teaches"))
with st.sidebar:
    st.header(t("train.settings"))
    render_settings()
run = state.RUN.get()
shell.show_notices()
if run is not None:
    render_controls(state.RUN)
    st.toggle(t("chart.log_scale"), value=True, key="train-log-scale")
    render_live()
    render_save_load(run)
    render_run_code(run)
