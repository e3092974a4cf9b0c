"""The live training page, driven through Streamlit's AppTest (timers do not fire here: Step does)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from app.engine.config import RunConfig
from tests.pages.conftest import HOME, TRAIN, charts, control, open_link, open_page, steps


def test_home_page_renders_equations_and_link() -> None:
    at = open_page(HOME)
    assert at.title[0].value.startswith("Unrolled")
    assert any("tanh" in latex.value for latex in at.latex)


def test_step_advances_and_reset_returns_to_zero(train_page: AppTest) -> None:
    assert steps(train_page) == 0
    train_page.button(key="train-step").click().run()
    assert steps(train_page) == 1
    train_page.button(key="train-step10").click().run()
    assert steps(train_page) == 11
    train_page.button(key="train-reset").click().run()
    assert steps(train_page) == 0
    assert not train_page.exception


def test_play_trains_at_once_and_pause_stops(train_page: AppTest) -> None:
    # A press is a full-app run: Play trains one short slice (the timer's runs train the rest;
    # AppTest cannot fire the timer, tests/e2e/test_pages.py watches it in Chromium).
    control(train_page, "train-play").click().run()
    assert control(train_page, "train-pause")
    played = steps(train_page)
    assert played > 0
    control(train_page, "train-pause").click().run()
    paused = steps(train_page)
    train_page.run()
    assert steps(train_page) == paused
    assert control(train_page, "train-play")  # the Play button is back


def test_charts_carry_the_run(train_page: AppTest) -> None:
    train_page.button(key="train-step10").click().run()
    found = dict(enumerate(charts(train_page)))
    assert len(found) == 3
    loss = next(
        s for s in found.values() if len(s["data"]) == 2 and s["data"][0]["mode"] == "lines"
    )
    assert len(_values(loss["data"][0]["y"])) == 10


def test_lesson_table_shows_the_lesson_windows(train_page: AppTest) -> None:
    table = next(m.value for m in train_page.markdown if m.value.startswith("| Days read"))
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()]
    assert rows[2][0].split(", ") == ["20", "21", "19"]
    assert [float(row[1]) for row in rows[2:]] == [22, 23, 24, 24, 25, 23, 22]
    assert len(rows) == 2 + 7 and all(len(row) == 3 for row in rows)


def test_preset_sets_the_widgets(train_page: AppTest) -> None:
    train_page.selectbox(key="shell-preset").select("adding").run()
    assert train_page.selectbox(key="cfg-task").value == "adding"
    assert train_page.radio(key="cfg-cell").value == "lstm"
    assert train_page.number_input(key="cfg-hidden-size").value == 32
    assert steps(train_page) == 0
    assert train_page.query_params["task"] == "adding"  # the address bar now links to this setup


def test_link_sets_the_widgets() -> None:
    at = open_page(TRAIN, task="sine", cell="gru", hidden_size="8", learning_rate="0.003")
    assert at.selectbox(key="cfg-task").value == "sine"
    assert at.radio(key="cfg-cell").value == "gru"
    assert at.number_input(key="cfg-hidden-size").value == 8
    assert at.text_input(key="cfg-learning-rate").value == "0.003"


def test_bad_link_opens_defaults_with_a_notice() -> None:
    at = open_link(TRAIN, hidden_size="abc", learning_rate="-3", cell="gru")
    assert at.number_input(key="cfg-hidden-size").value == 16
    assert float(at.text_input(key="cfg-learning-rate").value) == RunConfig().learning_rate
    assert at.radio(key="cfg-cell").value == "gru"  # the good part of the link is kept
    assert any("link" in warning.value for warning in at.warning)
    assert not at.exception


def test_setting_that_needs_a_new_model_resets(train_page: AppTest) -> None:
    train_page.button(key="train-step10").click().run()
    train_page.text_input(key="cfg-learning-rate").input("0.02").run()
    assert steps(train_page) == 10  # the learning rate changes live
    train_page.number_input(key="cfg-hidden-size").set_value(8).run()
    assert steps(train_page) == 0
    assert any("new model" in info.value for info in train_page.info)


def test_divergence_is_explained_not_raised() -> None:
    at = open_page(
        TRAIN,
        task="sine",
        window="20",
        activation="relu",
        optimizer="sgd",
        learning_rate="3",
        clip="0",
        init="orthogonal",
        init_radius="1.5",
    )
    at.button(key="train-step10").click().run()
    assert not at.exception
    assert any("NaN" in w.value for w in at.warning)
    assert control(at, "train-play").disabled


def test_portuguese_page() -> None:
    at = open_page(TRAIN, lang="pt")
    assert at.title[0].value == "Treine uma rede recorrente ao vivo"
    assert at.button(key="train-step").label == "Passo"


def test_lesson_builder_hides_controls_and_link_keeps_it() -> None:
    at = open_page(TRAIN, hide="learning_rate,optimizer")
    keys = {w.key for w in (*at.number_input, *at.text_input)}
    assert "cfg-learning-rate" not in keys and "cfg-hidden-size" in keys
    assert at.query_params["hide"] == "learning_rate,optimizer"


def test_two_sessions_never_share_a_run() -> None:
    first, second = open_page(TRAIN), open_page(TRAIN)
    first.button(key="train-step10").click().run()
    second.run()
    assert steps(first) == 10
    assert steps(second) == 0


def _values(y: object) -> list:
    """Plotly's JSON holds numpy arrays as {"dtype", "bdata"}; count their elements."""
    if isinstance(y, dict):
        import base64

        import numpy as np

        return list(np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]))
    return list(y)


def test_portuguese_numbers_take_the_decimal_comma() -> None:
    at = open_page(TRAIN, lang="pt")
    error = at.metric[2].value  # validation MAE of the untrained model, e.g. "21,73 °C"
    assert "," in error and "." not in error
    table = next(m.value for m in at.markdown if m.value.startswith("| Dias lidos"))
    assert "| 22,0 |" in table
    specs = charts(at)
    assert specs and all(spec["layout"]["separators"] == ",." for spec in specs)  # 0,5 on the axes
