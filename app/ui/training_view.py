"""The live part of the training page: numbers and charts redrawn on every tick."""

from __future__ import annotations

import math

import streamlit as st

from app.charts.training import (
    Labels,
    confusion_figure,
    forecast_figure,
    grad_norm_figure,
    loss_figure,
    scatter_figure,
)
from app.engine.rebound import Rebound, find_rebound
from app.engine.run import Run
from app.ui import state
from app.ui.i18n import number, t
from app.ui.live_chart import live_chart
from app.ui.live_fragment import live_fragment
from app.ui.live_header import divergence_note, metric_row, steps_and_speed


def render_live(run: Run) -> None:
    live_fragment(state.RUN, _draw)
    if not run.task.validates:
        # Under the charts, outside the live part: it changes with the task, not at every refresh.
        # The metric's own label already says "fit".
        st.caption(t("honest.fit_note", count=len(run.task.x_val)))


def _draw(run: Run) -> None:
    big = state.presentation()
    evaluation = run.evaluate()
    history = run.history
    notes = divergence_note(run)
    row = metric_row()
    steps_and_speed(state.RUN, run, row)
    unit = f" {run.task.unit}" if run.task.unit else ""
    row.metric(
        _score_label(run, evaluation.metric),
        _fmt(evaluation.score, evaluation.metric) + unit,
        help=_score_help(run, evaluation.metric),
    )
    row.metric(
        t(f"baseline.{evaluation.baseline_name}"),
        _fmt(evaluation.baseline, evaluation.metric) + unit,
    )
    rebound = find_rebound(history.array("step"), history.array("loss")) if len(history) else None
    if rebound is not None:
        notes.info(_rebound_text(run, rebound), icon=":material/info:")
    left, right = st.columns(2)
    with left:
        log = st.session_state.get("train-log-scale", True)
        steps = history.array("step")
        fig = loss_figure(
            steps,
            history.array("loss"),
            history.array("val_loss"),
            Labels(
                t("chart.loss"),
                t("chart.step"),
                t("chart.loss_axis"),
                (t("chart.train"), _val_series(run)),
            ),
            log_scale=log,
            big=big,
            empty_note=t("train.press_play_short"),
        )
        live_chart(fig, key="train-loss-chart")
        threshold = run.config.clip_threshold if run.config.clip else None
        fig = grad_norm_figure(
            steps,
            history.array("grad_norm"),
            history.array("clipped"),
            threshold,
            Labels(
                t("chart.grad_norm"),
                t("chart.step"),
                "‖∇‖",
                (t("chart.grad_norm_series"), t("chart.clipped")),
            ),
            big=big,
        )
        live_chart(fig, key="train-grad-chart")
    with right:
        live_chart(_prediction_figure(run, big), key="train-prediction-chart")
        if run.task.info.name == "lesson_temperature":
            # Markdown, not st.dataframe: seven rows redrawn on every live refresh of every
            # session, and a dataframe's Arrow encoding cost more than the three charts' building.
            st.markdown(_lesson_table(run))


def _prediction_figure(run: Run, big: bool):
    evaluation = run.evaluate()
    task = run.task
    if task.head == "classification":
        return confusion_figure(
            evaluation.truth,
            evaluation.prediction,
            task.output_size,
            Labels(t("chart.confusion"), t("chart.answered"), t("chart.shown")),
            big,
        )
    if task.info.kind == "adding":
        return scatter_figure(
            evaluation.truth,
            evaluation.prediction,
            Labels(
                t("chart.adding"),
                t("chart.true_sum"),
                t("chart.predicted_sum"),
                (t("chart.model"), t("chart.perfect")),
            ),
            big,
        )
    persistence = task.to_units(task.x_val[:, -1, 0])
    unit = f" ({task.unit})" if task.unit else ""
    return forecast_figure(
        evaluation.truth,
        evaluation.prediction,
        persistence,
        Labels(
            t("chart.forecast") if task.validates else t("honest.forecast_fit"),
            t("chart.val_index") if task.validates else t("honest.fit_index"),
            t("chart.value") + unit,
            (t("chart.truth"), t("chart.model"), t("chart.persistence")),
        ),
        big,
    )


def _lesson_table(run: Run) -> str:
    """The lesson's windows as a Markdown table: inputs, the next day's truth, the prediction."""
    task = run.task
    inputs = task.to_units(task.x_val[:, :, 0])
    evaluation = run.evaluate()
    header = (t("lesson.inputs"), t("lesson.truth"), t("lesson.prediction"))
    rows = [
        (", ".join(number(v, ".0f") for v in row), number(truth, ".1f"), number(predicted, ".1f"))
        for row, truth, predicted in zip(
            inputs, evaluation.truth, evaluation.prediction, strict=True
        )
    ]
    lines = [header, ("---", "---:", "---:"), *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def _score_label(run: Run, metric: str) -> str:
    """ "Validation" only for data the model never trains on; otherwise say it is a training fit."""
    if run.task.validates:
        return t(f"metric.{metric}")
    return t(f"honest.fit_{metric}", count=len(run.task.x_val))


def _score_help(run: Run, metric: str) -> str:
    """What the score measures, and on which data (``Task.held_out``)."""
    task = run.task
    if not task.validates:
        return t("honest.fit_help", count=len(task.x_val))
    where = t(f"honest.held_out_{task.held_out}", count=len(task.x_val))
    return f"{t(f'metric.{metric}_help')} {where}"


def _rebound_text(run: Run, rebound: Rebound) -> str:
    kind = "sgd" if run.config.optimizer == "sgd" else "adaptive"
    return t(
        f"honest.rebound_{kind}",
        low=number(rebound.low, ".0e"),
        low_step=number(rebound.low_step, ","),
        high=number(rebound.high, ".0e"),
        high_step=number(rebound.high_step, ","),
        orders=number(rebound.orders, ".0f"),
        rate=number(run.config.learning_rate, "g"),
    )


def _val_series(run: Run) -> str:
    return t("chart.val") if run.task.validates else t("honest.fit_series")


def _fmt(value: float, metric: str) -> str:
    if math.isnan(value):
        return "—"
    return (
        number(value, ".1%")
        if metric == "accuracy"
        else number(value, ".3g")
        if metric == "mse"
        else number(value, ".2f")
    )
