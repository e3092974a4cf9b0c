"""The lesson's two live demonstrations: order matters (an average model beside an RNN) and the
lesson's first Keras example as written beside the same network on standardised data."""

from __future__ import annotations

import math
import statistics
from dataclasses import replace

import numpy as np
import streamlit as st

from app.charts.comparison import duel_loss_figure
from app.charts.training import Labels
from app.engine.history import History
from app.engine.keras_example import KerasExample, lesson_data, measure
from app.engine.optimiser_race import OptimiserRace
from app.engine.order import OrderDemo
from app.ui import state
from app.ui.i18n import number, t
from app.ui.live_chart import live_chart
from app.ui.live_fragment import live_fragment, live_section

# Curve colours from the shared palette (app/charts/style.py COLORS), by what each curve is.
ORDER_COLOURS = {"average": "val", "rnn": "rnn"}
KERAS_COLOURS = {"as_written": "model", "standardised": "train"}
RACE_COLOURS = {"adam": "rnn", "rmsprop": "lstm", "sgd": "gru"}
RACE_RATES = (0.001, 0.003, 0.01, 0.03, 0.1)


def render_order_demo() -> None:
    live_section(state.ORDER, "order", lambda _: live_fragment(state.ORDER, _draw_order))


def render_keras_example() -> None:
    # On a projector the chart comes right under the controls and the words after it, so the
    # room sees the curves without scrolling (the section's text sits in the column beside).
    chart_first = state.presentation()
    if not chart_first:
        _keras_heading()
    if state.KERAS.get() is None:
        return
    live_section(state.KERAS, "keras", lambda _: _keras_live(chart_first))
    st.markdown(t("lesson.keras.why"))
    st.caption(t("lesson.keras.data_note"))


def _keras_live(chart_first: bool) -> None:
    """The live part and the words that say what it measured (a press reruns them)."""
    live_fragment(state.KERAS, _draw_keras)
    if chart_first:
        _keras_heading()
    st.markdown(_measured_text())


def render_optimiser_race() -> None:
    chart_first = state.presentation()
    if not chart_first:
        _race_heading()
        render_race_rate()
    live_section(state.RACE, "race", lambda _: _race_live(chart_first))


def _race_live(chart_first: bool) -> None:
    live_fragment(state.RACE, _draw_race)
    if chart_first:
        _race_heading()


def render_race_rate() -> None:
    """The race's one setting, taken live by all three optimisers (no new model). On a projector
    it sits in the words column, beside the chart it changes (app/ui/lesson_view.py)."""
    config = state.RACE.config()
    rate = st.select_slider(
        t("setting.learning_rate"),
        RACE_RATES,
        value=config.learning_rate if config.learning_rate in RACE_RATES else 0.01,
        key="race-lr",
        format_func=lambda v: number(v, "g"),
    )
    state.RACE.set_config(replace(config, learning_rate=float(rate)))


def _keras_heading() -> None:
    st.subheader(t("lesson.keras.title"))
    st.caption(t("lesson.keras.code"))


def _race_heading() -> None:
    st.subheader(t("lesson.race.title"))
    st.caption(t("lesson.race.setup"))


def _draw_race(race: OptimiserRace) -> None:
    chart_first = state.presentation()
    if chart_first:
        _race_chart(race)
    recent = race.recent_loss()
    cols = st.columns(len(race.runs) + 1)
    cols[0].metric(t("train.steps"), number(race.step, ","))
    for col, (name, loss) in zip(cols[1:], recent.items(), strict=True):
        col.metric(t(f"option.optimizer.{name}"), number(loss, ".4f") if race.step else "–")
    if race.step == 0:
        if not chart_first:  # on a projector the empty chart says it
            st.info(t("lesson.race.pending"), icon=":material/info:")
        return
    first, second, third = (t(f"option.optimizer.{name}") for name in race.ranking())
    st.markdown(
        t(
            "lesson.race.outcome",
            steps=race.step,
            rate=race.config.learning_rate,
            first=first,
            second=second,
            third=third,
        )
    )
    if not chart_first:
        _race_chart(race)


def _race_chart(race: OptimiserRace) -> None:
    curves = {RACE_COLOURS[name]: _loss_curve(run.history) for name, run in race.runs.items()}
    names = {RACE_COLOURS[name]: t(f"option.optimizer.{name}") for name in race.runs}
    labels = Labels(t("lesson.race.loss_title"), t("chart.step"), t("chart.loss_axis"))
    big = state.presentation()
    note = t("lesson.race.pending") if big else ""
    fig = duel_loss_figure(curves, names, None, labels, big, empty_note=note)
    live_chart(fig, key="race-loss-chart")


def _draw_order(demo: OrderDemo) -> None:
    chart_first = state.presentation()
    if chart_first:
        _order_chart(demo)
    scores = demo.scores()
    st.metric(t("train.steps"), number(demo.step, ","))
    for kind, score in scores.items():
        st.markdown(f"**{t(f'lesson.order.{kind}')}**")
        cols = st.columns(3)
        cols[0].metric(t("lesson.order.accuracy"), number(score.accuracy, ".0%"))
        cols[1].metric(
            t("lesson.order.accuracy_backwards"), number(score.accuracy_backwards, ".0%")
        )
        cols[2].metric(
            t("lesson.order.unchanged"),
            number(score.unchanged, ".0%"),
            help=t("lesson.order.unchanged_help"),
        )
    if demo.step == 0:
        if not chart_first:  # on a projector the empty chart says it
            st.info(t("lesson.order.verdict_pending"), icon=":material/info:")
        return
    st.markdown(
        t(
            "lesson.order.verdict",
            steps=demo.step,
            average=scores["average"].accuracy,
            unchanged=scores["average"].unchanged,
            rnn=scores["rnn"].accuracy,
            rnn_unchanged=scores["rnn"].unchanged,
        )
    )
    if not chart_first:
        _order_chart(demo)


def _order_chart(demo: OrderDemo) -> None:
    curves = {ORDER_COLOURS[kind]: _loss_curve(run.history) for kind, run in demo.runs.items()}
    names = {ORDER_COLOURS[kind]: t(f"lesson.order.{kind}") for kind in demo.runs}
    labels = Labels(
        t("lesson.order.loss_title"),
        t("chart.step"),
        t("chart.loss_axis"),
        (t("lesson.order.baseline"),),
    )
    big = state.presentation()
    note = t("lesson.order.verdict_pending") if big else ""
    fig = duel_loss_figure(curves, names, math.log(2), labels, big, empty_note=note)
    live_chart(fig, key="order-loss-chart")


def _draw_keras(example: KerasExample) -> None:
    chart_first = state.presentation()
    if chart_first:
        _keras_chart(example)
    cols = st.columns(3)
    cols[0].metric(t("lesson.keras.epoch"), number(example.step, ","))
    for col, (variant, run) in zip(cols[1:], example.runs.items(), strict=True):
        col.metric(
            f"{t(f'lesson.keras.{variant}')} · {t('lesson.keras.mse')}",
            f"{number(run.mse(), '.3f')} °C²",
        )
        col.caption(t("lesson.keras.saturated", share=run.saturation()))
    if example.step == 0:
        if not chart_first:  # on a projector the empty chart says it
            st.info(t("lesson.keras.pending"), icon=":material/info:")
        return
    if not chart_first:
        _keras_chart(example)


def _keras_chart(example: KerasExample) -> None:
    curves = {KERAS_COLOURS[v]: _loss_curve(run.history) for v, run in example.runs.items()}
    names = {KERAS_COLOURS[v]: t(f"lesson.keras.{v}") for v in example.runs}
    _, y = lesson_data(example.config.windows)
    labels = Labels(
        t("lesson.keras.loss_title"),
        t("lesson.keras.epoch"),
        "°C²",
        (t("lesson.keras.baseline"),),
    )
    baseline = float(np.var(y))  # the error of always answering the targets' mean
    big = state.presentation()
    note = t("lesson.keras.pending") if big else ""
    fig = duel_loss_figure(curves, names, baseline, labels, big, empty_note=note)
    live_chart(fig, key="keras-loss-chart")


def _loss_curve(history: History) -> tuple[np.ndarray, np.ndarray]:
    """(steps, loss) so far: empty before the first step (the demos' histories declare no
    columns, so reading one before it was recorded is refused)."""
    if not history.columns:
        return np.array([]), np.array([])
    return history.array("step"), history.array("loss")


@st.cache_data(show_spinner=False)
def measured() -> dict[str, list[float]]:
    """Final MSE over five seeds after the lesson's 100 epochs: a pure function, the same for
    every session, computed once per process (about a second)."""
    return measure()


def _measured_text() -> str:
    runs = measured()
    raw, std = runs["as_written"], runs["standardised"]
    return t(
        "lesson.keras.measured",
        low=min(raw),
        high=max(raw),
        median=statistics.median(raw),
        std_low=min(std),
        std_high=max(std),
        std_median=statistics.median(std),
    )
