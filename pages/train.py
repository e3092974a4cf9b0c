"""Train a small recurrent network live and watch its loss and predictions move."""

import streamlit as st

from app.engine.run import Run
from app.ui import shell, state
from app.ui.code_export import render_run_code
from app.ui.i18n import t
from app.ui.live_fragment import live_section
from app.ui.saved_runs import render_save_load
from app.ui.settings import render_settings
from app.ui.training_view import render_live

st.title(t("train.title"))
shell.intro(t(f"task.{state.RUN.config().task.name}.teaches"), caption=True)
with st.sidebar:
    st.header(t("train.settings"))
    render_settings()
state.RUN.get()  # before the notices: it may queue one
shell.show_notices()


def run_section(run: Run) -> None:
    render_live(run)
    # Under the charts it reads (the fragment reads its value): the room's screen goes to the charts.
    st.toggle(t("chart.log_scale"), value=True, key="train-log-scale")
    render_save_load(run)
    render_run_code(run)


live_section(state.RUN, "train", run_section)
