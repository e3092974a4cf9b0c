"""Step through time: watch each hidden state form from the equations, with the real numbers."""

import streamlit as st

from app.ui import shell, state
from app.ui.i18n import t
from app.ui.settings import render_settings
from app.ui.shell import show_notices
from app.ui.time_view import choose_sequence, render_cursor

st.title(t("time.title"))
shell.intro(t("time.intro"))
with st.sidebar:
    st.header(t("train.settings"))
    render_settings()
run = state.RUN.get()
show_notices()
if run is not None:
    chosen = choose_sequence(run)
    if chosen is not None:
        render_cursor(*chosen)
