"""The duel is fair: the same batches for every model, comparable sizes when asked, clear refusals."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from app.engine.config import RunConfig
from app.engine.diagnostics import look
from app.engine.duel import (
    LOOK_EVERY,
    Duel,
    DuelConfig,
    count_parameters,
    run_configs,
    sweep,
)
from app.engine.problems import InputError
from app.engine.run import Run
from app.engine.tasks import TaskConfig
from models.sequence import parameter_count

THREE = ("rnn", "lstm", "gru")


def test_every_model_sees_the_same_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    duel = Duel(DuelConfig(cells=THREE))
    seen: dict[str, list[torch.Tensor]] = {cell: [] for cell in THREE}
    original = Run.train_on

    def spy(run: Run, x: torch.Tensor, y: torch.Tensor) -> None:
        seen[run.config.cell].append(x.clone())
        original(run, x, y)

    monkeypatch.setattr(Run, "train_on", spy)
    duel.train(steps=5)
    assert duel.step == 5
    assert all(len(batches) == 5 for batches in seen.values())
    for k in range(5):
        assert torch.equal(seen["rnn"][k], seen["lstm"][k])
        assert torch.equal(seen["rnn"][k], seen["gru"][k])
    assert not torch.equal(seen["rnn"][0], seen["rnn"][1])  # a stream, not one batch again
    assert all(run.step == 5 for run in duel.runs.values())


@pytest.mark.parametrize("hidden", [8, 32, 64])
@pytest.mark.parametrize("task", [TaskConfig(name="adding"), TaskConfig(name="recall", symbols=6)])
def test_matching_parameters_gives_counts_within_ten_percent(hidden: int, task: TaskConfig) -> None:
    duel = Duel(DuelConfig(task=task, cells=THREE, hidden_size=hidden, match="params"))
    counts = duel.parameters()
    target = counts["lstm"]
    assert duel.runs["lstm"].config.hidden_size == hidden
    for cell, count in counts.items():
        assert abs(count - target) <= 0.1 * target, (cell, count, target)
    assert duel.runs["rnn"].config.hidden_size > hidden  # the RNN grows to make up


def test_matching_hidden_size_keeps_every_hidden_size() -> None:
    duel = Duel(DuelConfig(cells=THREE, hidden_size=20))
    assert {run.config.hidden_size for run in duel.runs.values()} == {20}
    counts = duel.parameters()
    assert counts["lstm"] > 3 * counts["rnn"]


@pytest.mark.parametrize("cell", THREE)
@pytest.mark.parametrize("layers", [1, 2])
def test_parameter_formula_matches_the_built_model(cell: str, layers: int) -> None:
    for task in (TaskConfig(name="adding"), TaskConfig(name="recall", symbols=5)):
        config = RunConfig(task=task, cell=cell, hidden_size=13, num_layers=layers)
        assert count_parameters(config) == parameter_count(Run(config).model)


def test_a_duel_is_deterministic() -> None:
    first, second = Duel(DuelConfig(cells=THREE)), Duel(DuelConfig(cells=THREE))
    first.train(steps=20)
    second.train(steps=20)
    for cell in THREE:
        assert first.runs[cell].history.columns == second.runs[cell].history.columns


@pytest.mark.parametrize(
    "config",
    [
        DuelConfig(cells=()),
        DuelConfig(cells=("rnn", "rnn")),
        DuelConfig(cells=("transformer",)),
        DuelConfig(task=TaskConfig(name="sine")),
        DuelConfig(match="weights"),
        DuelConfig(hidden_size=0),
        DuelConfig(learning_rate=-1.0),
    ],
)
def test_bad_duels_are_refused_with_a_problem(config: DuelConfig) -> None:
    with pytest.raises(InputError) as error:
        Duel(config)
    assert error.value.problems and all(p.key.startswith("problem.") for p in error.value.problems)


def test_targets_are_checked_on_schedule() -> None:
    duel = Duel(
        DuelConfig(
            task=TaskConfig(name="recall", lag=2, symbols=2), cells=("rnn",), learning_rate=0.05
        )
    )
    duel.train(steps=300)
    reached = duel.reached["rnn"]
    assert reached is not None and reached % 50 == 0  # lag 2 with 2 symbols is learned quickly


def test_sweep_reports_accuracy_per_lag_for_each_cell() -> None:
    config = DuelConfig(
        task=TaskConfig(name="recall", symbols=3), cells=("rnn", "lstm"), hidden_size=4
    )
    shares: list[float] = []
    results = sweep(config, lags=(2, 3), steps=3, progress=shares.append)
    assert set(results) == {"rnn", "lstm"}
    for lags, accuracy in results.values():
        assert lags == [2, 3]
        assert all(0.0 <= a <= 1.0 for a in accuracy)
    assert shares == [0.5, 1.0]


def test_run_configs_carry_the_duel_settings() -> None:
    duel = DuelConfig(cells=THREE, learning_rate=0.003, forget_bias=2.0, seed=7)
    for cell, config in run_configs(duel).items():
        assert config.cell == cell
        assert (config.learning_rate, config.forget_bias, config.seed) == (0.003, 2.0, 7)
    assert replace(duel, seed=8) != duel


def test_looks_follow_each_step_when_paused_and_the_clock_while_playing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A look at each model's gradient through time: again at every new step while paused (a Step
    shows its own), at most every LOOK_EVERY seconds while playing; a diverged model has none."""
    clock = [100.0]
    monkeypatch.setattr("app.engine.duel.time.monotonic", lambda: clock[0])
    duel = Duel(DuelConfig(cells=("rnn", "lstm"), hidden_size=8))
    first = duel.looks(playing=True)
    assert set(first) == {"rnn", "lstm"}
    for cell, run in duel.runs.items():
        np.testing.assert_array_equal(first[cell], look(run).norms)
    duel.train(steps=1)
    assert duel.looks(playing=True) is first  # younger than LOOK_EVERY: kept
    assert duel.looks(playing=False) is not first  # paused: this step's own
    duel.train(steps=1)
    clock[0] += LOOK_EVERY
    later = duel.looks(playing=True)
    np.testing.assert_array_equal(later["lstm"], look(duel.runs["lstm"]).norms)
    duel.runs["rnn"].diverged_at = duel.step
    duel.train(steps=1)
    assert set(duel.looks(playing=False)) == {"lstm"}


def test_before_drawing_measures_what_the_page_draws() -> None:
    """Where a slice trained (the training worker), the duel measures what the page then draws:
    each model's evaluation at this step and a look, so the server's refresh finds them made."""
    duel = Duel(DuelConfig(cells=("rnn", "gru"), hidden_size=8))
    duel.train(steps=3)
    duel.before_drawing()
    for run in duel.runs.values():
        assert run._evaluation is not None and run._evaluation is run.evaluate()
    assert duel._looks[0] == duel.step
    assert duel.looks(playing=False) is duel._looks[2]
