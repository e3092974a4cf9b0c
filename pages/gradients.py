"""Vanishing and exploding gradients, seen and explained."""

import streamlit as st

from app.engine.run import Run
from app.ui import shell, state
from app.ui.controls import render_preset_buttons
from app.ui.gradients_view import render_gradients_live
from app.ui.i18n import t
from app.ui.live_fragment import live_section
from app.ui.settings import render_settings
from app.ui.shell import show_notices

st.title(t("grad.title"))
shell.intro(t("grad.intro"))
with st.sidebar:
    st.header(t("train.settings"))
    render_settings()
render_preset_buttons(("vanishing", "exploding"), prefix="grad")
state.RUN.get()  # before the notices: it may queue one
show_notices()


def run_section(run: Run) -> None:
    render_gradients_live()


live_section(state.RUN, "grad", run_section)
