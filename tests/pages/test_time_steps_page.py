"""The step-through-time page, driven through Streamlit's AppTest (timers do not fire here)."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import TRAIN, open_page

STEPS = "../pages/time_steps.py"
ROUNDING = 2e-4  # the table shows 4 decimals


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


def charts(at: AppTest) -> dict[str, dict]:
    """The page's figures by widget key ("heatmap", "units-chart", ...), as the browser gets them."""
    found = {}
    for chart in at.get("plotly_chart"):
        key = chart.proto.id.rsplit("-steps-", 1)[1]
        found[key] = json.loads(chart.proto.spec)
    return found


def values(y: object) -> np.ndarray:
    """Plotly's JSON holds numpy arrays as {"dtype", "bdata", "shape"}."""
    if isinstance(y, dict):
        array = np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"])
        if "shape" in y:
            array = array.reshape([int(n) for n in str(y["shape"]).split(",")])
        return array
    return np.asarray(y, dtype=float)


def move_cursor(at: AppTest, t: int) -> None:
    at.slider(key="steps-cursor").set_value(t).run()
    assert not at.exception, [e.value for e in at.exception]


def test_default_page_shows_the_lesson_rnn_at_step_zero() -> None:
    at = open_page(STEPS)
    assert at.title[0].value == "Step through time"
    assert "step 0" in at.caption[0].value
    shown = metrics(at)
    assert list(shown) == ["t", "xₜ", "‖hₜ‖", "yₜ"]
    assert (shown["t"], shown["xₜ"]) == ("0", "20")
    assert 15 < float(shown["yₜ"]) < 30  # an answer in °C, not standardised
    assert list(table(at).columns) == [
        "unit",
        "W_xh xₜ",
        "W_hh hₜ₋₁",
        "b_h",
        "pre-activation",
        "hₜ",
    ]
    assert len(table(at)) == 8  # the 8 largest of 16 units
    assert "largest" in " ".join(c.value for c in at.caption)
    assert (table(at)["W_hh hₜ₋₁"] == 0).all()  # h_{-1} = 0
    assert any(r"\tanh" in latex.value for latex in at.latex)
    assert set(charts(at)) == {"heatmap", "units-chart", "sequence", "trajectory"}  # no gates
    assert not any(r.key == "steps-layer" for r in at.radio)
    assert at.slider(key="steps-cursor").max == 2  # the lesson's windows have 3 days


def test_table_holds_the_equation_with_real_numbers() -> None:
    at = open_page(STEPS)
    move_cursor(at, 2)
    shown = table(at)
    summed = shown["W_xh xₜ"] + shown["W_hh hₜ₋₁"] + shown["b_h"]
    np.testing.assert_allclose(summed, shown["pre-activation"], atol=2 * ROUNDING)
    np.testing.assert_allclose(np.tanh(shown["pre-activation"]), shown["hₜ"], atol=ROUNDING)
    norm = float(metrics(at)["‖hₜ‖"])
    assert norm >= np.linalg.norm(shown["hₜ"]) - 1e-3  # the table shows only some units


def test_moving_the_cursor_changes_the_table_and_the_step() -> None:
    at = open_page(STEPS)
    first = table(at)
    before = charts(at)
    move_cursor(at, 2)
    assert metrics(at)["t"] == "2"
    assert metrics(at)["xₜ"] == "19"  # the lesson's first window: 20, 21, 19
    assert not table(at).equals(first)
    assert (table(at)["W_hh hₜ₋₁"] != 0).any()
    after = charts(at)
    box = after["heatmap"]["layout"]["shapes"][0]
    assert (box["x0"], box["x1"]) == (1.5, 2.5)
    assert before["heatmap"]["layout"]["shapes"][0]["x0"] == -0.5
    (star,) = [d for d in after["trajectory"]["data"] if d["name"] == "now"]
    (path,) = [d for d in after["trajectory"]["data"] if d["name"] == "this sequence"]
    assert values(star["x"])[0] == values(path["x"])[2]
    move_cursor(at, 0)
    assert table(at).equals(first)
    assert metrics(at)["t"] == "0"


def test_lstm_shows_its_gates_and_cell_state() -> None:
    at = open_page(STEPS, task="adding", cell="lstm")
    move_cursor(at, 5)
    shown = table(at)
    assert list(shown.columns) == ["unit", "iₜ", "fₜ", "gₜ", "oₜ", "cₜ₋₁", "cₜ", "hₜ"]
    cell = shown["fₜ"] * shown["cₜ₋₁"] + shown["iₜ"] * shown["gₜ"]
    np.testing.assert_allclose(cell, shown["cₜ"], atol=3 * ROUNDING)
    np.testing.assert_allclose(shown["oₜ"] * np.tanh(shown["cₜ"]), shown["hₜ"], atol=2 * ROUNDING)
    assert metrics(at)["xₜ"].count(";") == 1  # value and marker
    figures = charts(at)
    assert "gates" in figures
    titles = [a["text"] for a in figures["gates"]["layout"]["annotations"]]
    assert titles == ["i", "f", "g", "o", "c"]
    assert any("adding problem" in info.value for info in at.info)


def test_gru_shows_reset_update_and_candidate() -> None:
    at = open_page(STEPS, cell="gru")
    move_cursor(at, 1)
    shown = table(at)
    assert list(shown.columns) == ["unit", "rₜ", "zₜ", "nₜ", "hₜ₋₁", "hₜ"]
    blend = (1 - shown["zₜ"]) * shown["nₜ"] + shown["zₜ"] * shown["hₜ₋₁"]
    np.testing.assert_allclose(blend, shown["hₜ"], atol=3 * ROUNDING)
    titles = [a["text"] for a in charts(at)["gates"]["layout"]["annotations"]]
    assert titles == ["r", "z", "n"]
    assert not at.info  # the adding-problem hint is for the LSTM on that task only


def test_typed_sequence_and_bad_input() -> None:
    at = open_page(STEPS)
    at.radio(key="steps-source").set_value("typed").run()
    assert not at.exception
    assert at.slider(key="steps-cursor").max == 3  # default "20, 21, 19, 22"
    at.text_input(key="steps-typed").input("20, abc").run()
    assert not at.exception
    assert any('"abc"' in error.value for error in at.error)
    assert not at.dataframe and not at.get("plotly_chart")
    at.text_input(key="steps-typed").input("18, 25, 30").run()
    assert not at.exception and not at.error
    move_cursor(at, 2)
    assert metrics(at)["xₜ"] == "30"


def test_typing_on_a_two_feature_task_is_explained() -> None:
    at = open_page(STEPS, task="adding", cell="lstm", length="20")
    at.radio(key="steps-source").set_value("typed").run()
    assert not at.exception
    (error,) = at.error
    assert "one value per step" in error.value
    assert not at.dataframe


def test_cursor_stays_inside_a_shorter_sequence() -> None:
    at = open_page(STEPS, task="sine", window="10")
    move_cursor(at, 7)
    at.radio(key="steps-source").set_value("typed").run()
    assert not at.exception
    assert metrics(at)["t"] == "3"  # the typed default has 4 values
    at.text_input(key="steps-typed").input("0.5").run()
    assert not at.exception
    assert metrics(at)["t"] == "0" and not at.slider  # one step: nothing to slide


def test_validation_sample_changes_what_is_shown() -> None:
    at = open_page(STEPS)
    first = table(at)
    at.number_input(key="steps-sample").set_value(3).run()
    assert not at.exception
    assert not table(at).equals(first)
    assert metrics(at)["xₜ"] == "22"  # the lesson's fourth window: 22, 23, 21


def test_untrained_toggle_compares_with_step_zero() -> None:
    at = open_page(STEPS)
    untrained = table(at)
    at.switch_page(TRAIN)
    at.run()
    at.button(key="train-step10").click().run()
    at.switch_page(STEPS)
    at.run()
    assert not at.exception
    assert "step 10" in at.caption[0].value
    trained = table(at)
    assert not trained.equals(untrained)
    at.toggle(key="steps-untrained").set_value(True).run()
    assert not at.exception
    pd.testing.assert_frame_equal(table(at), untrained)
    at.toggle(key="steps-untrained").set_value(False).run()
    pd.testing.assert_frame_equal(table(at), trained)


def test_two_layers_offer_a_layer_selector() -> None:
    at = open_page(STEPS, num_layers="2")
    layer = at.radio(key="steps-layer")
    assert layer.options == ["1", "2"]
    bottom = table(at)
    assert metrics(at)["xₜ"] == "20"
    assert "yₜ" not in metrics(at)  # y_t is read from the top layer
    layer.set_value(1).run()
    assert not at.exception
    assert metrics(at)["xₜ"] == "h⁽ˡ⁻¹⁾ₜ"
    assert "yₜ" in metrics(at)
    assert not table(at).equals(bottom)
    # The sequence chart draws y_t only for the top layer.
    assert len(charts(at)["sequence"]["data"]) == 2


def test_chosen_units_drive_the_unit_chart() -> None:
    at = open_page(STEPS)
    at.multiselect(key="steps-units-16").set_value([2, 11]).run()
    assert not at.exception
    lines = charts(at)["units-chart"]["data"]
    assert [line["name"] for line in lines] == ["unit 2", "unit 11"]
    heat = values(charts(at)["heatmap"]["data"][0]["z"]).reshape(16, 3)
    np.testing.assert_allclose(values(lines[1]["y"]), heat[11], rtol=1e-6)


def test_animation_advances_the_cursor_and_wraps() -> None:
    at = open_page(STEPS)
    at.toggle(key="steps-animate").set_value(True).run()
    seen = [metrics(at)["t"]]
    for _ in range(3):
        at.run()
        seen.append(metrics(at)["t"])
    assert not at.exception
    assert seen == ["1", "2", "0", "1"]


def _shown_table(at: AppTest) -> pd.DataFrame:
    """The table's cells as the browser writes them (the Styler's display values)."""
    import pyarrow as pa

    shown = at.dataframe[0].proto.arrow_data.styler.display_values
    return pa.ipc.open_stream(shown).read_all().to_pandas()


def test_the_units_table_writes_decimals_in_the_session_language() -> None:
    for language, mark, other in (("pt", ",", "."), ("en", ".", ",")):
        at = open_page(STEPS, lang=language)
        shown = _shown_table(at)
        numbers = table(at)
        decimal = [c for c in numbers.columns if numbers[c].dtype.kind == "f"]
        assert decimal, "the table has decimal columns"
        cells = [str(v) for c in decimal for v in shown[c]]
        assert all(mark in cell and other not in cell for cell in cells), (language, cells[:4])
