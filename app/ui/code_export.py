"""The "Show me the code" expander: the current run or duel as one standalone PyTorch script,
shown and offered as a download. Outside the live fragment: it follows the settings, not the ticks."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app.engine.duel import Duel
from app.engine.export_script import duel_script, run_name, run_script, script_name
from app.engine.run import Run
from app.ui.i18n import t


def render_run_code(run: Run) -> None:
    """The training page's run (its own task: an uploaded series is embedded in the script)."""
    _render(lambda: run_script(run.config, run.task), run_name(run.config), key="train-code")


def render_duel_code(duel: Duel) -> None:
    name = f"duel_{duel.config.task.name}"
    _render(lambda: duel_script(duel.config), name, key="duel-code")


def _render(script: Callable[[], str], name: str, key: str) -> None:
    """The script is written and sent only while the expander is open: closed, the page carries
    none of it (an uploaded series makes it long)."""
    file_name = script_name(name)
    box = st.expander(t("export.title"), icon=":material/code:", key=key, on_change="rerun")
    if not box.open:
        return
    text = script()
    with box:
        st.caption(t("export.what", file=file_name))
        st.download_button(
            t("export.download"),
            data=text,
            file_name=file_name,
            mime="text/x-python",
            key=f"{key}-download",
            icon=":material/download:",
            on_click="ignore",  # a download changes nothing on the page: no rerun
        )
        st.code(text, language="python", line_numbers=True)
