"""The duel page through AppTest: the controls drive every model together, presets reset cleanly."""

from __future__ import annotations

from tests.pages.conftest import charts, control, open_page, steps

DUEL = "../pages/duel.py"


def model_metrics(at) -> list[str]:
    return [m.label for m in at.metric[1:]]


def test_step_and_reset_drive_all_models_together() -> None:
    at = open_page(DUEL)
    assert steps(at) == 0
    assert len(model_metrics(at)) == 2
    assert any("Play or Step" in note.value for note in at.info)  # no empty loss chart yet
    at.button(key="duel-step10").click().run()
    assert steps(at) == 10
    loss = charts(at)[0]
    assert len(loss["data"]) == 2  # one curve per model
    at.button(key="duel-reset").click().run()
    assert steps(at) == 0
    assert not at.exception


def test_play_then_pause() -> None:
    at = open_page(DUEL)
    control(at, "duel-play").click().run()
    assert control(at, "duel-pause")
    assert steps(at) > 0  # Play trains a short slice at once
    control(at, "duel-pause").click().run()
    paused = steps(at)
    at.run()
    assert steps(at) == paused
    assert control(at, "duel-play")


def test_three_cells_and_parameter_matching() -> None:
    at = open_page(DUEL)
    at.multiselect(key="duel-cells-adding").set_value(["rnn", "lstm", "gru"]).run()
    at.radio(key="duel-match").set_value("params").run()
    labels = model_metrics(at)
    assert len(labels) == 3
    counts = [int(label.split(" · ")[1].split()[0].replace(",", "")) for label in labels]
    assert max(counts) <= 1.1 * min(counts)


def test_switching_to_recall_resets_and_offers_the_sweep() -> None:
    at = open_page(DUEL)
    at.button(key="duel-step10").click().run()
    at.selectbox(key="duel-task").select("recall").run()
    assert steps(at) == 0
    assert at.button(key="duel-sweep")
    assert at.slider(key="duel-lag").value == 20
    assert not at.exception
