"""The "Show me the code" expander: the current run or duel as one standalone PyTorch script,
shown and offered as a download. Outside the live fragment: it follows the settings, not the ticks."""

from __future__ import annotations

import streamlit as st

from app.engine.duel import Duel
from app.engine.export_script import duel_script, run_name, run_script, script_name
from app.engine.run import Run
from app.ui.i18n import t


def render_run_code(run: Run) -> None:
    """The training page's run (its own task: an uploaded series is embedded in the script)."""
    _render(run_script(run.config, run.task), run_name(run.config), key="train-code")


def render_duel_code(duel: Duel) -> None:
    _render(duel_script(duel.config), f"duel_{duel.config.task.name}", key="duel-code")


def _render(script: str, name: str, key: str) -> None:
    file_name = script_name(name)
    with st.expander(t("export.title"), icon=":material/code:", key=key):
        st.caption(t("export.what", file=file_name))
        st.download_button(
            t("export.download"),
            data=script,
            file_name=file_name,
            mime="text/x-python",
            key=f"{key}-download",
            icon=":material/download:",
            on_click="ignore",  # a download changes nothing on the page: no rerun
        )
        st.code(script, language="python", line_numbers=True)
