"""The duel page's parts: its settings, the live race, and the recall sweep."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import streamlit as st

from app.charts.comparison import duel_gradient_figure, duel_loss_figure, sweep_figure
from app.charts.training import Labels
from app.engine.duel import DUEL_CELLS, MATCHES, RANGES, TASK_RANGES, Duel, DuelConfig, sweep
from app.engine.tasks import TaskConfig
from app.engine.tasks.memory import ADDING_BASELINE_MSE
from app.ui import state
from app.ui.derived import peek, remembered
from app.ui.i18n import localised, number, t
from app.ui.live_chart import live_chart
from app.ui.live_fragment import live_fragment
from app.ui.number_inputs import bounded_number

DUEL_PRESETS = {
    "adding": DuelConfig(),
    # A forget-gate bias of 3 (f ~ 0.95 at the start): with 1, the LSTM forgets the symbol within 20 steps
    # before it has learned to hold it, and stays at chance in a live budget.
    "recall": DuelConfig(
        task=TaskConfig(name="recall", lag=20, symbols=4), cells=("rnn", "lstm"), forget_bias=3.0
    ),
}


def render_duel_settings() -> None:
    current = state.DUEL.config()
    preset = st.selectbox(
        t("duel.task"),
        list(DUEL_PRESETS),
        key="duel-task",
        format_func=lambda name: t(f"option.task.{name}"),
    )
    if preset != current.task.name:
        current = DUEL_PRESETS[preset]
    cells = st.multiselect(
        t("duel.cells"),
        DUEL_CELLS,
        default=list(current.cells),
        key=f"duel-cells-{preset}",
        format_func=lambda c: t(f"option.cell.{c}"),
    )
    match = st.radio(
        t("duel.match"),
        MATCHES,
        index=MATCHES.index(current.match),
        key="duel-match",
        horizontal=True,
        format_func=lambda m: t(f"duel.match_{m}"),
        help=t("duel.match_help"),
    )
    hidden = bounded_number(
        t("setting.hidden_size"), RANGES["hidden_size"], "duel-hidden", current.hidden_size
    )
    task = current.task
    if preset == "adding":
        low, high = TASK_RANGES["length"]
        length = st.slider(t("setting.length"), low, high, task.length, step=10, key="duel-length")
        task = replace(task, length=length)
    else:
        low, high = TASK_RANGES["lag"]
        lag = st.slider(t("setting.lag"), low, high, task.lag, key="duel-lag", help=t("help.lag"))
        task = replace(task, lag=lag)
    rate = bounded_number(
        t("setting.learning_rate"),
        RANGES["learning_rate"],
        "duel-lr",
        current.learning_rate,
        step=0.001,
        fmt="%.4f",
    )
    seed = bounded_number(t("setting.seed"), RANGES["seed"], "duel-seed", current.seed)
    state.DUEL.set_config(
        replace(
            current,
            task=task,
            cells=tuple(c for c in DUEL_CELLS if c in cells),
            match=match,
            hidden_size=int(hidden),
            learning_rate=float(rate),
            seed=int(seed),
        )
    )


def render_duel_live() -> None:
    live_fragment(state.DUEL, _draw)


def _draw(duel: Duel) -> None:
    big = state.presentation()
    names = {cell: t(f"option.cell.{cell}") for cell in duel.runs}
    if big:
        # On a projector the numbers stand in a column beside the charts: the charts start right
        # under the controls and take the screen's height (at 1280x720 too), every number in view.
        left, right, numbers = st.columns([2, 2, 1.2])
        _numbers(duel, names, [numbers] * (len(duel.runs) + 1))
    else:
        _numbers(duel, names, st.columns(len(duel.runs) + 1))
        left, right = st.columns(2)
    with left:
        kind = duel.task.info.kind
        if duel.step == 0:
            # An empty log axis says nothing: say what will appear there (as the gradients page does).
            pending = t("duel.loss_pending", baseline=t(f"duel.baseline_{kind}"))
            st.info(pending, icon=":material/info:")
        else:
            curves = {
                cell: (run.history.array("step"), run.history.array("loss"))
                for cell, run in duel.runs.items()
            }
            baseline = ADDING_BASELINE_MSE if kind == "adding" else math.log(duel.task.output_size)
            fig = duel_loss_figure(
                curves,
                names,
                baseline,
                Labels(
                    t("duel.loss_title"),
                    t("chart.step"),
                    t("chart.loss_axis"),
                    (t(f"duel.baseline_{kind}"),),
                ),
                big,
            )
            live_chart(fig, key="duel-loss-chart")
            st.caption(t(f"duel.aid_loss_{kind}"))
    with right:
        norms = duel.looks(playing=state.DUEL.playing())
        fig = duel_gradient_figure(
            norms,
            names,
            Labels(t("duel.gradient_title"), t("grad.time_step"), t("duel.gradient_axis")),
            big,
        )
        live_chart(fig, key="duel-gradient-chart")
        st.caption(t("duel.aid_gradient"))
    # Inside the live view, so its question follows the race as it runs; the key keeps it open
    # or closed across refreshes while its label changes.
    with st.expander(why_title(duel), key="duel-why"):
        st.markdown(t("duel.why"))


def _numbers(duel: Duel, names: dict[str, str], columns: list) -> None:
    """The step counter, then each model's score with its size, its solve rate and when it reached
    the target, one per column (the same column repeated: one under the other)."""
    params = duel.parameters()
    columns[0].metric(t("train.steps"), number(duel.step, ","))
    for col, (cell, run) in zip(columns[1:], duel.runs.items(), strict=True):
        evaluation = run.evaluate()
        reached = duel.reached[cell]
        col.metric(
            f"{names[cell]} · {number(params[cell], ',')} {t('duel.params')} · h={run.config.hidden_size}",
            _score(evaluation),
            help=t(f"duel.score_help_{duel.task.info.kind}"),
        )
        solved = _solved(evaluation)
        reach = t("duel.reached", step=reached) if reached is not None else t("duel.not_reached")
        col.container(key=f"fine-print-duel-{cell}").caption(
            f"{solved} · {reach}" if solved else reach
        )


def render_sweep() -> None:
    config = state.DUEL.config()
    if config.task.name != "recall":
        return
    st.subheader(t("duel.sweep_title"))
    st.caption(t("duel.sweep_help"))
    key = (config.cells, config.hidden_size, config.match, config.learning_rate, config.seed)
    results = peek("sweep", key)
    if st.button(
        t("duel.sweep_run"),
        key="duel-sweep",
        icon=":material/science:",
        disabled=results is not None,
    ):
        bar = st.progress(0.0, text=t("duel.sweep_running"))
        progress = lambda share: bar.progress(share, text=t("duel.sweep_running"))  # noqa: E731
        results = remembered("sweep", key, lambda: sweep(config, progress=progress))
        bar.empty()
    if results:
        names = {cell: t(f"option.cell.{cell}") for cell in results}
        fig = sweep_figure(
            results,
            names,
            1 / config.task.symbols,
            Labels(
                t("duel.sweep_chart"),
                t("setting.lag"),
                t("metric.accuracy"),
                (t("baseline.chance"),),
            ),
            state.presentation(),
        )
        st.plotly_chart(localised(fig), key="duel-sweep-chart", width="stretch")
        st.caption(sweep_summary(results))


SWEEP_TIE = 0.02  # accuracies this close at every lag: the sweep does not tell the cells apart


def sweep_summary(results: dict[str, tuple[list[int], list[float]]]) -> str:
    """What this sweep showed, in words: a tie (curves on top of each other) or the best cell."""
    names = {cell: t(f"option.cell.{cell}") for cell in results}
    scores = np.array([results[cell][1] for cell in results])  # (cells, lags)
    lags = ", ".join(str(lag) for lag in next(iter(results.values()))[0])
    if len(results) < 2 or float((scores.max(0) - scores.min(0)).max()) < SWEEP_TIE:
        return t("honest.sweep_tie", cells=" / ".join(names.values()), lags=lags)
    means = dict(zip(results, scores.mean(1), strict=True))
    ranked = sorted(means, key=means.get, reverse=True)
    return t(
        "honest.sweep_best",
        best=names[ranked[0]],
        best_score=number(means[ranked[0]], ".0%"),
        other=names[ranked[-1]],
        other_score=number(means[ranked[-1]], ".0%"),
        lags=lags,
    )


def _score(evaluation) -> str:
    """Short enough for a third of the page: the solve rate goes in the caption below."""
    if evaluation.metric == "accuracy":
        return number(evaluation.score, ".0%")
    return f"MSE {number(evaluation.score, '.3f')}"


def _solved(evaluation) -> str:
    if evaluation.metric != "mse":
        return ""
    return t("honest.duel_solved", share=number(evaluation.solve_rate, ".0%"))


def why_title(duel: Duel) -> str:
    """The expander's question follows this run: who reached the target first, or nobody yet."""
    reached = {cell: step for cell, step in duel.reached.items() if step is not None}
    if not reached:
        return t("honest.why_nobody")
    first = min(reached, key=reached.get)
    return t("honest.why_first", cell=t(f"option.cell.{first}"), step=reached[first])


def intro(duel_task: str) -> str:
    return t("duel.intro") if duel_task == "adding" else t("honest.duel_intro_recall")
