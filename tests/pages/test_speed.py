"""Slow motion for a lecture: the speed control, kept in the link, and a press that stops a slice."""

from __future__ import annotations

import pytest
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData, ScriptRequests

from app.ui import live_fragment, live_slot, state
from tests.pages.conftest import TRAIN, control, open_link, open_page, steps


def test_slow_motion_from_a_link_trains_one_step_per_press_and_stays_in_the_link() -> None:
    at = open_page(TRAIN, speed="3")
    assert at.select_slider(key="train-speed").value == 3
    control(at, "train-play").click().run()
    assert steps(at) == 1  # the press shows one step at once; the timer trains the rest
    control(at, "train-pause").click().run()
    assert at.query_params["speed"] == "3"
    at.switch_page("../pages/duel.py").run()
    assert at.select_slider(key="duel-speed").value == 3  # one speed for the session
    assert not at.exception


def test_full_speed_is_the_default_and_drops_out_of_the_link() -> None:
    at = open_page(TRAIN, speed="3")
    at.select_slider(key="train-speed").set_value(0).run()
    assert "speed" not in at.query_params
    control(at, "train-play").click().run()
    assert steps(at) > 1  # a full-speed press trains a short time slice


def test_an_unknown_speed_is_refused_with_a_notice() -> None:
    at = open_link(TRAIN, speed="7")
    assert at.select_slider(key="train-speed").value == 0
    assert any("speed" in warning.value and "7" in warning.value for warning in at.warning)


@pytest.mark.parametrize(
    ("speed", "tick", "per_tick"), [(1, 1.0, 1), (3, 0.33, 1), (10, 0.3, 3), (100, 0.3, 30)]
)
def test_slow_ticks_train_the_chosen_steps(
    monkeypatch: pytest.MonkeyPatch, speed: int, tick: float, per_tick: int
) -> None:
    monkeypatch.setattr(live_slot.st, "session_state", {})
    monkeypatch.setattr(live_fragment, "playing_sessions", lambda: 1)
    state.set_speed(speed)
    state.RUN.set_playing(True)
    assert live_fragment.tick(state.RUN) == tick
    assert live_fragment.steps_per_tick(tick) == per_tick


def test_a_press_waiting_stops_the_slice_a_timer_does_not(monkeypatch: pytest.MonkeyPatch) -> None:
    """Against Streamlit's own request queue: if its private state changes, this fails loudly."""

    class Context:
        script_requests = ScriptRequests()
        current_fragment_id = "live"  # this run is the live fragment's

    monkeypatch.setattr(live_fragment, "get_script_run_ctx", lambda **_: Context)
    assert not live_fragment.press_waiting()
    Context.script_requests.request_rerun(RerunData(fragment_id="live"))  # the pacer's next run
    assert not live_fragment.press_waiting()
    Context.script_requests.request_rerun(RerunData(fragment_id="section"))  # Pause, in its section
    assert live_fragment.press_waiting()
    Context.script_requests = ScriptRequests()
    Context.script_requests.request_rerun(RerunData(fragment_id="section"))
    assert live_fragment.press_waiting()
    Context.script_requests = ScriptRequests()
    Context.script_requests.request_rerun(RerunData())  # a setting: a full-app rerun
    assert live_fragment.press_waiting()
    monkeypatch.setattr(live_fragment, "get_script_run_ctx", lambda **_: None)
    assert not live_fragment.press_waiting()  # outside a script run
