"""The live part of the gradients page: dL/dh_t through time, over training, per parameter, and W_hh."""

from __future__ import annotations

import math
import re

import numpy as np
import streamlit as st

from app.charts.gradients import (
    horizon_figure,
    parameter_norms_figure,
    spectrum_figure,
    time_gradient_figure,
)
from app.charts.training import Labels, grad_norm_figure
from app.engine.diagnostics import SAMPLES, fitted_factor
from app.engine.run import Run
from app.ui import state
from app.ui.i18n import number, t
from app.ui.live_chart import live_chart
from app.ui.live_fragment import live_fragment
from app.ui.live_header import divergence_note, metric_row

PARAMETER_SYMBOLS = {"weight_ih": "W_xh", "weight_hh": "W_hh", "bias_ih": "b_ih", "bias_hh": "b_hh"}


def render_gradients_live() -> None:
    live_fragment(state.RUN, _look_and_draw)


def _look_and_draw(run: Run) -> None:
    run.gradient_looks(playing=state.RUN.playing())
    _draw(run)


def _draw(run: Run) -> None:
    big = state.presentation()
    log = run.gradient_log
    divergence_note(run, "grad.exploded", error=True)
    if not log.entries:
        return
    latest = log.entries[-1]
    measured = fitted_factor(latest.norms)
    row = metric_row()
    row.metric(t("train.steps"), number(run.step, ","))
    row.metric(t("grad.measured"), _factor(measured), help=t("grad.measured_help"))
    bound = run.config.cell == "rnn" and run.config.activation != "linear"
    row.metric(
        t("honest.bound_rnn") if bound else t(f"grad.predicted_{run.config.cell}"),
        _factor(latest.predicted_factor),
        help=t("honest.bound_help", samples=SAMPLES) if bound else t("grad.predicted_help"),
    )
    row.metric(t("grad.span"), _orders(latest.norms), help=t("grad.span_help"))

    left, right = st.columns(2)
    with left:
        series = (t("grad.norm_h"), t("grad.bound" if bound else "grad.theory"), t("grad.norm_c"))
        fig = time_gradient_figure(
            latest.norms,
            latest.predicted_factor,
            Labels(t("grad.time_title", step=latest.step), t("grad.time_step"), "‖∂L/∂hₜ‖", series),
            cell_norms=latest.cell_norms,
            big=big,
        )
        live_chart(fig, key="grad-time-chart")
        st.caption(t("grad.aid_time") + " " + t(_line_meaning(run, bound)))
    with right:
        steps, matrix = log.matrix()
        fig = horizon_figure(
            steps,
            matrix,
            Labels(t("grad.horizon_title"), t("grad.time_step"), t("chart.step")),
            big,
        )
        live_chart(fig, key="grad-horizon-chart")
        st.caption(t("grad.aid_horizon"))

    with st.container():
        if len(run.history):
            _history_charts(run, big)
        else:  # nothing to plot over training steps yet: say so rather than show empty axes
            st.info(t("grad.after_training"), icon=":material/info:")

    found = log.spectrum
    if found is not None and not run.diverged:
        fig = spectrum_figure(
            found.eigenvalues,
            found.singular_values,
            Labels(
                t("grad.spectrum_title", radius=found.radius, step=found.step),
                t("grad.index"),
                "",
                (t("grad.eigenvalues"), t("grad.singular_values"), t("grad.unit_circle")),
            ),
            big,
        )
        live_chart(fig, key="grad-spectrum-chart")
        st.caption(t(f"grad.aid_spectrum_{run.config.cell}"))


def _history_charts(run: Run, big: bool) -> None:
    """Per-parameter gradient norms and the global norm with clipping, over training steps."""
    history = run.history
    steps = history.array("step")
    left, right = st.columns(2)
    with left:
        norms = {_symbol(name): history.array(name) for name in history.names("grad/")}
        fig = parameter_norms_figure(
            steps, norms, Labels(t("grad.params_title"), t("chart.step"), "‖∇‖"), big
        )
        live_chart(fig, key="grad-params-chart")
        st.caption(t("grad.aid_params"))
    with right:
        threshold = run.config.clip_threshold if run.config.clip else None
        fig = grad_norm_figure(
            steps,
            history.array("grad_norm"),
            history.array("clipped"),
            threshold,
            Labels(
                t("grad.clip_title"),
                t("chart.step"),
                "‖∇‖",
                (t("chart.grad_norm_series"), t("chart.clipped"), t("grad.after_clipping")),
            ),
            big=big,
            after=history.array("grad_norm_clipped"),
        )
        live_chart(fig, key="grad-clip-chart")
        st.caption(t("grad.aid_clip"))


def _line_meaning(run: Run, bound: bool) -> str:
    """What the dashed line is, for this cell: a bound is not a prediction."""
    if bound:
        return "honest.line_bound"
    return "honest.line_linear" if run.config.cell == "rnn" else f"honest.line_{run.config.cell}"


def _symbol(name: str) -> str:
    """grad/core.weight_hh_l0 -> W_hh (l0); the head's weights are W_hy and b_y."""
    name = name.removeprefix("grad/")
    if name.startswith("head."):
        return "W_hy" if name.endswith("weight") else "b_y"
    match = re.fullmatch(r"core\.(weight_ih|weight_hh|bias_ih|bias_hh)_l(\d)", name)
    if match:
        return f"{PARAMETER_SYMBOLS[match[1]]} (l{match[2]})"
    return name


def _factor(value: float) -> str:
    return "—" if not math.isfinite(value) else f"× {number(value, '.3f')}"


def _orders(norms: np.ndarray) -> str:
    """How many powers of ten separate the gradient at the first step from the last."""
    first, last = float(norms[0]), float(norms[-1])
    if not (math.isfinite(first) and math.isfinite(last)) or last <= 0:
        return "—"
    if first <= 0:
        return "< 10^-45"
    return f"10^{number(math.log10(first / last), '+.1f')}"
