"""RNN against LSTM (and GRU): a live race on a task where memory matters."""

import streamlit as st

from app.engine.duel import Duel
from app.ui import shell, state
from app.ui.code_export import render_duel_code
from app.ui.duel_view import intro, render_duel_live, render_duel_settings, render_sweep
from app.ui.i18n import t
from app.ui.live_fragment import live_section
from app.ui.shell import show_notices

st.title(t("duel.title"))
with st.sidebar:
    st.header(t("duel.settings"))
    render_duel_settings()
shell.intro(intro(state.DUEL.config().task.name))
state.DUEL.get()  # before the notices: it may queue one
show_notices()


def duel_section(duel: Duel) -> None:
    render_duel_live()
    render_sweep()
    render_duel_code(duel)


live_section(state.DUEL, "duel", duel_section)
