"""The "Show me the code" expander on the training and duel pages: the script of the current
settings, shown and offered as a download, unchanged by training and rebuilt when a setting changes."""

from __future__ import annotations

from dataclasses import replace

from streamlit.testing.v1 import AppTest

from app.engine.duel import DuelConfig
from app.engine.export_script import duel_script, run_script
from app.engine.presets import PRESETS
from tests.pages.conftest import TRAIN, open_page

DUEL = "../pages/duel.py"
HEADER = '"""Exported from Unrolled'


def shown_script(at: AppTest) -> str:
    scripts = [c.value for c in at.code if c.language == "python" and c.value.startswith(HEADER)]
    assert len(scripts) == 1
    return scripts[0] + "\n"  # st.code drops the file's final newline


def open_code(at: AppTest, key: str) -> None:
    """Open the expander as a click would (its state lives under its key)."""
    assert not [c for c in at.code if c.value.startswith(HEADER)]  # closed: nothing sent
    at.session_state[key] = True
    at.run()
    assert not at.exception


def download_keys(at: AppTest) -> list[str]:
    return [button.key for button in at.get("download_button")]


def test_the_training_page_shows_the_presets_script_and_offers_it() -> None:
    at = open_page(TRAIN)
    at.selectbox(key="shell-preset").set_value("seattle").run()
    assert "train-code-download" not in download_keys(at)
    open_code(at, "train-code")
    assert "train-code-download" in download_keys(at)
    assert shown_script(at) == run_script(PRESETS["seattle"])
    assert "unrolled_seattle.py" in shown_script(at)


def test_training_leaves_the_script_alone_and_a_setting_rebuilds_it() -> None:
    at = open_page(TRAIN)
    at.selectbox(key="shell-preset").set_value("seattle").run()
    open_code(at, "train-code")
    before = shown_script(at)
    at.button(key="train-step10").click().run()
    assert shown_script(at) == before  # the settings, not the step, make the script
    at.number_input(key="cfg-hidden-size").set_value(8).run()
    assert not at.exception
    assert shown_script(at) == run_script(replace(PRESETS["seattle"], hidden_size=8))
    assert "unrolled_seattle_temperature.py" in shown_script(at)  # no longer the preset: its task


def test_the_duel_page_shows_the_duels_script() -> None:
    at = open_page(DUEL)
    open_code(at, "duel-code")
    assert "duel-code-download" in download_keys(at)
    assert shown_script(at) == duel_script(DuelConfig())
