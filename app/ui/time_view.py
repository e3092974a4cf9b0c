"""The step-through-time page's parts: which sequence to look at, and the time cursor with the
equation panel and the charts it moves. Only the cursor's fragment reruns when the cursor moves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app.charts.hidden import (
    gates_figure,
    hidden_heatmap,
    move_cursor,
    sequence_figure,
    trajectory_figure,
    unit_lines,
)
from app.charts.training import Labels
from app.engine.problems import InputError
from app.engine.run import Run
from app.engine.time_steps import (
    Inspection,
    Trajectory,
    inspect,
    parse_sequence,
    pca_trajectory,
    step_terms,
    top_units,
)
from app.ui import state
from app.ui.derived import remembered
from app.ui.i18n import (
    current_language,
    describe,
    localised,
    localised_table,
    number,
    t,
    uses_decimal_comma,
)

ANIMATION_TICK = 0.5  # seconds per time step when the cursor plays
CURSOR_KEY = "steps-cursor"
CHART_KEYS = {
    "heatmap": "steps-heatmap",
    "units": "steps-units-chart",
    "sequence": "steps-sequence",
    "trajectory": "steps-trajectory",
}


def choose_sequence(run: Run) -> tuple[Run, Inspection, Trajectory, int] | None:
    """The source widgets; returns the model looked at, its inspection, PCA path and layer.

    Every widget is drawn before any input is checked, so a typing mistake forgets no other choice."""
    cols = st.columns([2, 2, 2])
    source = cols[0].radio(
        t("time.source"),
        ("validation", "typed"),
        key="steps-source",
        horizontal=True,
        format_func=lambda s: t(f"time.source_{s}"),
    )
    if source == "typed":
        text = cols[1].text_input(
            t("time.typed"), value="20, 21, 19, 22", key="steps-typed", help=t("time.typed_help")
        )
    else:
        count = len(run.task.x_val)
        index = cols[1].number_input(t("time.sample"), 0, count - 1, 0, key="steps-sample")
    untrained = cols[2].toggle(
        t("time.untrained"), key="steps-untrained", help=t("time.untrained_help")
    )
    layer = 0
    if run.config.num_layers > 1:
        layer = (
            st.radio(
                t("time.layer"),
                range(run.config.num_layers),
                key="steps-layer",
                horizontal=True,
                format_func=lambda k: str(k + 1),
            )
            or 0
        )
    model = state.untrained_twin(run) if untrained else run
    st.caption(t("time.model_at", step=model.step))
    if source == "typed":
        try:
            x = parse_sequence(text, run.task, decimal_comma=uses_decimal_comma())
        except InputError as error:
            for problem in error.problems:
                st.error(describe(problem))
            return None
        label = ("typed", text)
    else:
        x, label = run.task.x_val[index : index + 1], ("validation", index)
    seen, path = remembered(
        "steps_inspection", (model.uid, model.step, label, layer), lambda: _inspect(model, x, layer)
    )
    return model, seen, path, layer


def render_cursor(run: Run, seen: Inspection, path: Trajectory, layer: int) -> None:
    length = seen.trace.inputs.shape[1]
    hidden = seen.trace.layers[layer].hidden[0].numpy()  # (time, units)
    default_units = [int(u) for u in np.argsort(-hidden.var(axis=0))[:4]]
    units = st.multiselect(
        t("time.units"),
        list(range(hidden.shape[1])),
        default=sorted(default_units),
        key=f"steps-units-{hidden.shape[1]}",
        max_selections=8,
    )
    animate = st.toggle(t("time.animate"), key="steps-animate")

    @st.fragment(run_every=ANIMATION_TICK if animate else None)
    def cursor_panel() -> None:
        current = min(int(st.session_state.get(CURSOR_KEY, 0)), length - 1)
        if animate:
            current = (current + 1) % length
        st.session_state[CURSOR_KEY] = current
        if length > 1:
            st.slider(t("time.cursor"), 0, length - 1, key=CURSOR_KEY)
        _equation_panel(run, seen, current, layer)
        _charts(seen, path, layer, current, units or default_units)

    cursor_panel()


def _inspect(model: Run, x, layer: int) -> tuple[Inspection, Trajectory]:
    seen = inspect(model, x)
    return seen, pca_trajectory(model, seen, layer)


def _equation_panel(run: Run, seen: Inspection, current: int, layer: int) -> None:
    terms = step_terms(run, seen, current, layer)
    cell = seen.cell
    st.latex(
        EQUATIONS[cell].replace(
            "act", {"tanh": r"\tanh", "relu": r"\mathrm{ReLU}", "linear": ""}[seen.activation]
        )
    )
    cols = st.columns(4)
    cols[0].metric("t", current)
    shown_input = seen.inputs[current]
    cols[1].metric(
        "xₜ", "; ".join(number(v, ".3g") for v in shown_input) if layer == 0 else "h⁽ˡ⁻¹⁾ₜ"
    )
    cols[2].metric("‖hₜ‖", number(np.linalg.norm(terms.hidden), ".3f"))
    if terms.output is not None and terms.output.size == 1:
        cols[3].metric("yₜ", number(float(terms.output[0]), ".3f"), help=t("time.output_help"))
    units = top_units(terms.hidden)
    if len(units) < len(terms.hidden):
        st.caption(t("time.top_units", shown=len(units), total=len(terms.hidden)))
    st.dataframe(
        localised_table(_terms_table(terms, cell, units)),
        hide_index=True,
        width="stretch",
        key="steps-terms",
    )


def _terms_table(terms, cell: str, units: np.ndarray) -> pd.DataFrame:
    columns: dict[str, np.ndarray] = {t("time.unit"): units}
    if cell == "rnn":
        columns.update(
            {
                "W_xh xₜ": terms.input_term[units],
                "W_hh hₜ₋₁": terms.recurrent_term[units],
                "b_h": terms.bias[units],
                t("time.pre"): terms.pre[units],
            }
        )
    else:
        for name, values in terms.gates.items():
            columns[name + "ₜ"] = values[units]
        if terms.previous_cell is not None:
            columns["cₜ₋₁"] = terms.previous_cell[units]
            columns["cₜ"] = terms.cell[units]
        else:
            columns["hₜ₋₁"] = terms.previous[units]
    columns["hₜ"] = terms.hidden[units]
    table = pd.DataFrame(
        {k: np.round(np.asarray(v, dtype=np.float64), 4) for k, v in columns.items()}
    )
    table[t("time.unit")] = np.asarray(
        units, dtype=int
    )  # unit numbers are labels, not measurements
    return table


def _charts(seen: Inspection, path: Trajectory, layer: int, current: int, units: list[int]) -> None:
    figures = {
        name: move_cursor(fig, current) for name, fig in _figures(seen, path, layer, units).items()
    }
    left, right = st.columns(2)
    for column, name in (
        (left, "heatmap"),
        (left, "units"),
        (right, "sequence"),
        (right, "trajectory"),
    ):
        with column:
            st.plotly_chart(localised(figures[name]), key=CHART_KEYS[name], width="stretch")
            st.caption(t(f"time.aid_{name}"))
    if "gates" in figures:
        st.plotly_chart(localised(figures["gates"]), key="steps-gates", width="stretch")
        st.caption(t(f"time.aid_gates_{seen.cell}"))
        if seen.cell == "lstm" and seen.inputs.shape[1] == 2:
            st.info(t("time.aid_adding_lstm"), icon=":material/lightbulb:")


def _figures(
    seen: Inspection, path: Trajectory, layer: int, units: list[int]
) -> dict[str, go.Figure]:
    """The page's figures for one inspection, built once: a cursor move only moves their cursors."""
    big = state.presentation()
    key = (layer, tuple(units), big, current_language())
    return remembered(
        "steps_figures", key, lambda: _build_figures(seen, path, layer, units, big), owner=seen
    )


def _build_figures(
    seen: Inspection, path: Trajectory, layer: int, units: list[int], big: bool
) -> dict[str, go.Figure]:
    found = seen.trace.layers[layer]
    hidden = found.hidden[0].numpy()
    step, unit = t("time.step"), t("time.unit")
    outputs = seen.outputs if layer == len(seen.trace.layers) - 1 else None
    figures = {
        "heatmap": hidden_heatmap(
            hidden, 0, Labels(t("time.heatmap_title"), step, unit, ("hₜ",)), big
        ),
        "units": unit_lines(
            hidden, units, 0, Labels(t("time.units_title"), step, "hₜ", (unit,)), big
        ),
        "sequence": sequence_figure(
            seen.inputs,
            outputs,
            0,
            Labels(t("time.sequence_title"), step, "", (t("time.input"), "yₜ")),
            big,
        ),
        "trajectory": trajectory_figure(
            path.points,
            path.cloud,
            0,
            Labels(
                t("time.trajectory_title"),
                f"PC1 ({number(path.explained[0], '.0%')})",
                f"PC2 ({number(path.explained[1], '.0%')})",
                (t("time.cloud"), t("time.path"), t("time.now")),
            ),
            big,
        ),
    }
    if found.gates:
        rows = {name: values[0].numpy() for name, values in found.gates.items()}
        if found.cell is not None:
            rows["c"] = found.cell[0].numpy()
        title = t(f"time.gates_title_{seen.cell}")
        figures["gates"] = gates_figure(rows, units, 0, Labels(title, step, "", (unit,)), big)
    return figures


EQUATIONS = {
    "rnn": r"h_t = act\left(W_{xh}\,x_t + W_{hh}\,h_{t-1} + b_h\right) \qquad y_t = W_{hy}\,h_t + b_y",
    "lstm": r"\begin{aligned} i_t,f_t,o_t &= \sigma(W x_t + U h_{t-1} + b) & g_t &= \tanh(W_g x_t + U_g h_{t-1} + b_g)"
    r"\\ c_t &= f_t \odot c_{t-1} + i_t \odot g_t & h_t &= o_t \odot \tanh(c_t) \end{aligned}",
    "gru": r"\begin{aligned} r_t, z_t &= \sigma(W x_t + U h_{t-1} + b) & n_t &= \tanh(W_n x_t + r_t \odot (U_n h_{t-1} + b_n))"
    r"\\ h_t &= (1 - z_t) \odot n_t + z_t \odot h_{t-1} \end{aligned}",
}
