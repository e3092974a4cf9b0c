"""The live part of the training page: numbers and charts redrawn on every tick."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st

from app.charts.training import (
    Labels,
    confusion_figure,
    forecast_figure,
    grad_norm_figure,
    loss_figure,
    scatter_figure,
)
from app.engine.run import Run
from app.ui import state
from app.ui.controls import live_fragment
from app.ui.i18n import t


def render_live() -> None:
    live_fragment(_draw)


def _draw(run: Run) -> None:
    big = state.presentation()
    evaluation = run.evaluate()
    history = run.history
    if run.diverged:
        st.warning(t("train.diverged", step=run.diverged_at), icon=":material/warning:")
    cols = st.columns(4)
    cols[0].metric(t("train.steps"), f"{run.step:,}")
    speed = run.steps_per_second if state.playing() else math.nan
    cols[1].metric(t("train.speed"), "—" if math.isnan(speed) else f"{speed:,.0f}")
    unit = f" {run.task.unit}" if run.task.unit else ""
    cols[2].metric(
        t(f"metric.{evaluation.metric}"),
        _fmt(evaluation.score, evaluation.metric) + unit,
        help=t(f"metric.{evaluation.metric}_help"),
    )
    cols[3].metric(
        t(f"baseline.{evaluation.baseline_name}"),
        _fmt(evaluation.baseline, evaluation.metric) + unit,
    )
    if not history.columns:
        st.info(t("train.press_play"))
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
                (t("chart.train"), t("chart.val")),
            ),
            log_scale=log,
            big=big,
        )
        st.plotly_chart(fig, key="train-loss-chart", width="stretch")
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
        st.plotly_chart(fig, key="train-grad-chart", width="stretch")
    with right:
        st.plotly_chart(_prediction_figure(run, big), key="train-prediction-chart", width="stretch")
        if run.task.info.name == "lesson_temperature":
            st.dataframe(
                _lesson_table(run), hide_index=True, width="stretch", key="train-lesson-table"
            )


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
            t("chart.forecast"),
            t("chart.val_index"),
            t("chart.value") + unit,
            (t("chart.truth"), t("chart.model"), t("chart.persistence")),
        ),
        big,
    )


def _lesson_table(run: Run) -> pd.DataFrame:
    task = run.task
    inputs = task.to_units(task.x_val[:, :, 0])
    evaluation = run.evaluate()
    return pd.DataFrame(
        {
            t("lesson.inputs"): [", ".join(f"{v:.0f}" for v in row) for row in inputs],
            t("lesson.truth"): np.round(evaluation.truth, 1),
            t("lesson.prediction"): np.round(evaluation.prediction, 1),
        }
    )


def _fmt(value: float, metric: str) -> str:
    if math.isnan(value):
        return "—"
    return (
        f"{value:.1%}"
        if metric == "accuracy"
        else f"{value:.3g}"
        if metric == "mse"
        else f"{value:.2f}"
    )
