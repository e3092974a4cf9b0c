"""The gradients page through AppTest: both presets, and an explosion explained in words."""

from __future__ import annotations

from tests.pages.conftest import charts, control, open_page, steps

GRADIENTS = "../pages/gradients.py"


def test_vanishing_preset_shows_the_gradient_dying() -> None:
    at = open_page(GRADIENTS)
    at.button(key="grad-preset-vanishing").click().run()
    assert at.selectbox(key="cfg-init").value == "orthogonal"
    assert at.text_input(key="cfg-init-radius").value == "0.5"
    at.button(key="grad-step10").click().run()
    assert not at.exception
    assert steps(at) == 10
    found = charts(at)
    assert len(found) == 5
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["First step against last"] == "< 10^-45"
    factor = float(metrics["Measured factor per step"].removeprefix("× "))
    assert factor < 0.7


def test_exploding_preset_explains_the_explosion_and_clipping_saves_it() -> None:
    at = open_page(GRADIENTS)
    at.button(key="grad-preset-exploding").click().run()
    for _ in range(4):
        if at.button(key="grad-step10").disabled:
            break
        at.button(key="grad-step10").click().run()
    assert not at.exception
    assert any("exploded at step" in e.value for e in at.error)
    assert control(at, "grad-play").disabled
    at.toggle(key="cfg-clip").set_value(True).run()  # a live setting: same run, still diverged
    at.button(key="grad-reset").click().run()
    for _ in range(4):
        at.button(key="grad-step10").click().run()
    assert steps(at) == 40
    assert not at.error


def test_lstm_shows_its_cell_state_gradient() -> None:
    at = open_page(GRADIENTS, task="adding", cell="lstm")
    at.button(key="grad-step").click().run()
    time_chart = charts(at)[0]
    assert "cell state" in " ".join(trace["name"] for trace in time_chart["data"])
