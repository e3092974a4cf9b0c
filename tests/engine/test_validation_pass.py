"""A Run's validation pass: the loss a step records is the full evaluation's, at the same steps, bit
for bit, and one pass per step serves both the recorded loss and the page's evaluation."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from app.engine.config import RunConfig
from app.engine.metrics import evaluate, evaluation, reference_of, validate
from app.engine.run import EVAL_EVERY, PASS_STEPS, Run, validation_every
from app.engine.tasks import TaskConfig
from models.init import spectral_radius
from models.recurrent import GATE_COUNT

CONFIGS = {
    "adding-rnn": RunConfig(task=TaskConfig(name="adding", length=12), cell="rnn", hidden_size=8),
    "adding-lstm-2-layers": RunConfig(
        task=TaskConfig(name="adding", length=12), cell="lstm", hidden_size=8, num_layers=2
    ),
    "recall-gru": RunConfig(task=TaskConfig(name="recall", lag=4), cell="gru", hidden_size=8),
    "sine-linear-3-layers": RunConfig(
        task=TaskConfig(name="sine", window=10), activation="linear", hidden_size=8, num_layers=3
    ),
    "lesson": RunConfig(),
    # 512 sequences of 30 steps: a long pass, every 20 steps
    "adding-long-gru": RunConfig(
        task=TaskConfig(name="adding", length=30), cell="gru", hidden_size=8
    ),
}


@pytest.mark.parametrize("name", CONFIGS)
def test_recorded_columns_are_a_full_evaluation_at_the_same_steps(name: str) -> None:
    """val_loss is the whole validation set's loss (what evaluate() reports) and radius/l<k> the
    largest eigenvalue modulus of a gate block of W_hh, exactly, on the first step and then every
    validation_every steps: computed here independently after each step with its own weights."""
    run = Run(CONFIGS[name])
    core = run.model.core
    every = run.validation_every
    expected: dict[int, dict[str, float]] = {}
    for _ in range(3 * every + 2):
        run.train(steps=1)
        if run.step % every == 1 or run.step == 1:
            columns = {"val_loss": evaluate(run.model, run.task).loss}
            for layer in range(core.num_layers):
                w_hh = core.layer_weights(layer)[1]
                blocks = w_hh.split(core.hidden_size)
                assert len(blocks) == GATE_COUNT[core.cell]
                columns[f"radius/l{layer}"] = max(spectral_radius(b) for b in blocks)
            expected[run.step] = columns
    history = run.history
    steps = history.array("step")
    for column in ["val_loss", *(f"radius/l{k}" for k in range(core.num_layers))]:
        values = history.array(column)
        measured = {int(s): v for s, v in zip(steps, values, strict=True) if not np.isnan(v)}
        stored = values.dtype.type  # the History keeps its columns in single precision
        assert measured == {s: stored(c[column]) for s, c in expected.items()}, column
    assert sorted(expected) == [1, 1 + every, 1 + 2 * every, 1 + 3 * every]


@pytest.mark.parametrize("name", CONFIGS)
def test_the_loss_only_pass_is_the_evaluations_loss(name: str) -> None:
    run = Run(CONFIGS[name])
    run.train(steps=3)
    fresh = evaluate(run.model, run.task)
    assert validate(run.model, run.task).loss == fresh.loss
    assert run.validation().loss == fresh.loss
    cached = run.evaluate()  # built from the step's pass and the task's fixed reference
    assert cached.loss == fresh.loss
    np.testing.assert_array_equal(cached.prediction, fresh.prediction)
    np.testing.assert_array_equal(cached.truth, fresh.truth)
    assert (cached.metric, cached.baseline_name) == (fresh.metric, fresh.baseline_name)
    assert cached.score == fresh.score and cached.baseline == fresh.baseline
    np.testing.assert_equal(cached.solve_rate, fresh.solve_rate)


def test_a_step_runs_the_model_over_the_validation_set_once() -> None:
    """The step's recorded loss and the page's evaluation at that step share one pass; the next
    step's weights get a new one."""
    run = Run(CONFIGS["adding-rnn"])
    passes = []
    run.model.register_forward_hook(
        lambda _m, inputs, _o: passes.append(1) if inputs[0] is run.task.x_val else None
    )
    run.train(steps=1)  # a measured step: the validation loss is recorded
    assert len(passes) == 1
    first = run.evaluate()
    assert run.evaluate() is first and len(passes) == 1
    run.train(steps=1)  # not measured: nothing runs until a page asks
    assert len(passes) == 1
    assert run.evaluate().loss != first.loss and len(passes) == 2


def test_the_reference_is_read_only_and_shared() -> None:
    """The truth is computed once per run and handed to every evaluation: nobody may write it."""
    run = Run(CONFIGS["adding-rnn"])
    run.train(steps=1)
    first = run.evaluate()
    run.train(steps=1)
    second = run.evaluate()
    assert second.truth is first.truth
    with pytest.raises(ValueError):
        first.truth[0] = 0.0
    np.testing.assert_array_equal(first.truth, reference_of(run.task).truth)


def test_an_evaluation_can_be_built_from_any_pass() -> None:
    run = Run(CONFIGS["recall-gru"])
    run.train(steps=2)
    with torch.inference_mode():
        built = evaluation(run.task, validate(run.model, run.task))
    assert built.metric == "accuracy" and built.baseline == pytest.approx(1 / 4)
    assert built.score == evaluate(run.model, run.task).score


def test_a_long_validation_pass_waits_longer() -> None:
    """EVAL_EVERY steps per PASS_STEPS cell steps a pass reads, rounded up: the lesson, the
    forecasts and recall every 10 steps; the adding problem's 512 sequences of 50 steps every 30."""
    assert validation_every((7, 3, 1)) == EVAL_EVERY == 10
    assert validation_every((512, 11, 4)) == 10
    assert validation_every((PASS_STEPS, 1, 1)) == 10
    assert validation_every((PASS_STEPS + 1, 1, 1)) == 20
    assert validation_every((512, 50, 2)) == 30
    assert validation_every((512, 100, 2)) == 60
    run = Run(RunConfig(task=TaskConfig(name="adding", length=50), hidden_size=4))
    assert run.validation_every == 30
    run.train(steps=61)
    steps = run.history.array("step")
    assert steps[~np.isnan(run.history.array("val_loss"))].tolist() == [1, 31, 61]


def test_a_longer_stride_keeps_the_values_of_the_steps_it_measures() -> None:
    """Validating every 20 steps instead of every 10 records a subset of the same values: the
    steps it measures were measured before, and the validation pass never changes training."""
    config = RunConfig(task=TaskConfig(name="adding", length=30), hidden_size=8, batch_size=8)
    run, every_ten = Run(config), Run(config)
    assert run.validation_every == 20
    every_ten.validation_every = EVAL_EVERY  # as every run was validated before
    run.train(steps=41)
    every_ten.train(steps=41)
    np.testing.assert_array_equal(run.history.array("loss"), every_ten.history.array("loss"))
    for column in ("val_loss", "radius/l0"):
        sparse, dense = run.history.array(column), every_ten.history.array(column)
        measured = ~np.isnan(sparse)
        assert run.history.array("step")[measured].tolist() == [1, 21, 41]
        np.testing.assert_array_equal(sparse[measured], dense[measured])
        assert np.count_nonzero(~np.isnan(dense)) == 5  # 1, 11, 21, 31, 41


@pytest.mark.parametrize(
    ("cell", "hidden", "layers", "measured"),
    [
        ("lstm", 128, 1, True),
        ("lstm", 129, 1, False),
        ("rnn", 203, 1, True),
        ("lstm", 512, 3, False),
    ],
)
def test_radii_are_recorded_while_their_eigenvalues_are_cheap(
    cell: str, hidden: int, layers: int, measured: bool
) -> None:
    """A 3-layer LSTM of 512 took 13-17 s per validation pass for its twelve 512 x 512 eigenvalue
    solves, the page waiting; beyond RADII_MAX_WORK the radii are not recorded, the rest is."""
    run = Run(RunConfig(cell=cell, hidden_size=hidden, num_layers=layers))
    assert run.radii_measured is measured
    if hidden == 512:  # the largest: one real step, then what it recorded
        run.train(steps=1)
        assert run.history.names("radius/") == []
        assert run.history.last("val_loss") == pytest.approx(run.validation().loss)
