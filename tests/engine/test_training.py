"""A Run learns what it should, the same way every time, stops cleanly on divergence and refuses bad configs."""

from __future__ import annotations

import copy
import math
import time
from dataclasses import replace

import numpy as np
import pytest
import torch

from app.engine.config import RunConfig
from app.engine.problems import InputError
from app.engine.run import Run
from app.engine.tasks import TASKS, TaskConfig

LESSON_NEXT = np.array([22, 23, 24, 24, 25, 23, 22], dtype=np.float64)
LESSON_LAST_DAY = np.array([19, 22, 23, 21, 24, 25, 23], dtype=np.float64)
SINE = TaskConfig(name="sine", window=20)


def _columns_equal(a: dict[str, list[float]], b: dict[str, list[float]]) -> bool:
    """Bit for bit, with NaN (a value not measured at that step) equal to NaN."""
    if a.keys() != b.keys():
        return False
    return all(
        np.array_equal(np.asarray(a[k], np.float64), np.asarray(b[k], np.float64), equal_nan=True)
        for k in a
    )


def _parameters(run: Run) -> dict[str, torch.Tensor]:
    return {n: p.detach().clone() for n, p in run.model.named_parameters()}


# --- learning -------------------------------------------------------------------------------------


def test_default_run_fits_the_lessons_temperatures():
    run = Run(RunConfig())
    assert run.task.info.name == "lesson_temperature"
    evaluation = run.evaluate()
    assert evaluation.metric == "mae"
    start = evaluation.score
    while run.step < 300:
        run.train(steps=25)
        evaluation = run.evaluate()
        if evaluation.score < 0.5:
            break
    assert not run.diverged
    assert evaluation.score < 0.5, f"MAE {evaluation.score:.3f} °C after {run.step} steps"
    assert evaluation.score < start
    # Judged in °C against the lesson's own answers, and against "tomorrow = today" (12/7 °C).
    np.testing.assert_allclose(evaluation.truth, LESSON_NEXT, atol=1e-4)
    assert evaluation.score == pytest.approx(
        np.mean(np.abs(evaluation.prediction - LESSON_NEXT)), abs=1e-4
    )
    assert evaluation.baseline_name == "persistence"
    assert evaluation.baseline == pytest.approx(
        np.mean(np.abs(LESSON_LAST_DAY - LESSON_NEXT)), abs=1e-4
    )
    assert evaluation.score < evaluation.baseline
    # The loss the history shows went down too.
    loss = run.history.array("loss")
    assert len(loss) == run.step
    assert loss[-1] < loss[0] / 5


def test_lstm_solves_the_adding_problem():
    config = RunConfig(
        task=TaskConfig(name="adding", length=50),
        cell="lstm",
        hidden_size=32,
        learning_rate=0.01,
        seed=0,
    )
    run = Run(config)
    evaluation = run.evaluate()
    assert evaluation.metric == "mse" and evaluation.baseline == pytest.approx(1 / 6)
    reached = None
    while run.step < 1500:
        run.train(steps=250)
        evaluation = run.evaluate()
        if evaluation.score < 0.05:
            reached = run.step
            break
    assert reached is not None, f"MSE {evaluation.score:.4f} after {run.step} steps"
    assert run.step == reached <= 1500
    # The score is the MSE of the answers against the marked sums, computed here again.
    x = run.task.x_val
    truth = (x[..., 0] * x[..., 1]).sum(1).numpy()
    np.testing.assert_allclose(evaluation.truth, truth, atol=1e-6)
    errors = evaluation.prediction - truth
    assert evaluation.score == pytest.approx(np.mean(errors**2), rel=1e-4)
    assert evaluation.solve_rate == pytest.approx(np.mean(np.abs(errors) <= 0.04), abs=1e-9)
    assert evaluation.solve_rate > 0.3


@pytest.mark.parametrize("name", sorted(TASKS))
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_every_cell_trains_on_every_task(name, cell):
    run = Run(RunConfig(task=TaskConfig(name=name), cell=cell, hidden_size=8, batch_size=16))
    assert run.train(steps=3) == 3
    assert run.step == 3 and not run.diverged
    assert np.isfinite(run.history.array("loss")).all()
    evaluation = run.evaluate()
    assert math.isfinite(evaluation.loss) and math.isfinite(evaluation.score)
    assert evaluation.prediction.shape == (run.task.x_val.shape[0],)


# --- determinism ----------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize(
    "task", [SINE, TaskConfig(name="adding", length=20)], ids=["sine", "adding"]
)
def test_same_config_same_history_bit_for_bit(cell, task):
    config = RunConfig(task=task, cell=cell, hidden_size=12, seed=4)
    first, second = Run(config), Run(config)
    first.train(steps=50)
    second.train(steps=50)
    assert first.history.columns.keys() == second.history.columns.keys()
    assert _columns_equal(first.history.columns, second.history.columns)
    for (n, a), (_, b) in zip(
        first.model.named_parameters(), second.model.named_parameters(), strict=True
    ):
        assert torch.equal(a, b), n
    # ... and another seed takes another path.
    other = Run(replace(config, seed=5))
    other.train(steps=50)
    assert not np.array_equal(other.history.array("loss"), first.history.array("loss"))


def test_runs_do_not_share_randomness():
    """Sessions are threads of one process: a run must not draw from torch's global generator."""
    config = RunConfig(task=SINE, seed=2)
    alone = Run(config)
    alone.train(steps=20)
    torch.manual_seed(123)
    interleaved, noise = Run(config), Run(replace(config, seed=9))
    for _ in range(20):
        interleaved.train(steps=1)
        noise.train(steps=1)
        torch.rand(10)
    assert _columns_equal(alone.history.columns, interleaved.history.columns)


# --- divergence -----------------------------------------------------------------------------------

DIVERGING = {
    "sgd_lr10": RunConfig(task=SINE, optimizer="sgd", learning_rate=10.0, clip=False),
    "orthogonal_r5_relu": RunConfig(
        task=SINE,
        activation="relu",
        init="orthogonal",
        init_radius=5.0,
        optimizer="sgd",
        learning_rate=1.0,
        clip=False,
    ),
}


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name", sorted(DIVERGING))
def test_divergence_stops_the_run_without_raising(name, seed):
    run = Run(replace(DIVERGING[name], seed=seed))
    start = time.perf_counter()
    done = run.train(steps=1000)
    assert time.perf_counter() - start < 2.0
    assert isinstance(run.diverged_at, int)
    assert run.diverged
    assert 1 <= run.diverged_at <= 50
    assert done == run.diverged_at  # the failing step counts as tried ...
    assert run.step == run.diverged_at - 1  # ... but not as taken
    steps = run.history.array("step")
    assert steps[-1] == run.diverged_at
    loss = run.history.array("loss")
    # The failing step blew up: a non-finite loss, or a finite one whose gradient overflowed.
    assert not math.isfinite(loss[-1]) or loss[-1] > 1e6
    # Further training does nothing and is immediate.
    parameters, rows = _parameters(run), len(run.history)
    start = time.perf_counter()
    assert run.train(steps=100) == 0
    assert run.train(seconds=5.0) == 0
    assert run.train() == 0
    assert time.perf_counter() - start < 0.5
    assert run.step == run.diverged_at - 1
    assert len(run.history) == rows
    for n, p in run.model.named_parameters():
        assert torch.equal(p, parameters[n]), n


def test_clipping_keeps_the_same_run_alive():
    config = replace(DIVERGING["sgd_lr10"], learning_rate=0.5, momentum=0.0, seed=0)
    unclipped = Run(config)
    unclipped.train(steps=100)
    clipped = Run(replace(config, clip=True, clip_threshold=0.1))
    clipped.train(steps=100)
    assert clipped.step == 100 and not clipped.diverged
    assert unclipped.diverged or max(unclipped.history.array("grad_norm")) > 10 * max(
        clipped.history.array("grad_norm_clipped")
    )


# --- clipping and the gradient columns ------------------------------------------------------------


def test_tiny_clip_threshold_clips_every_step_to_exactly_the_threshold():
    threshold = 1e-3
    config = RunConfig(
        task=SINE,
        optimizer="sgd",
        momentum=0.0,
        learning_rate=1.0,
        clip=True,
        clip_threshold=threshold,
    )
    run = Run(config)
    for _ in range(5):
        before = _parameters(run)
        run.train(steps=1)
        # Plain SGD with lr 1 moves the weights by exactly the (clipped) gradient.
        moved = torch.linalg.vector_norm(
            torch.stack(
                [
                    torch.linalg.vector_norm(p.detach() - before[n])
                    for n, p in run.model.named_parameters()
                ]
            )
        )
        assert float(moved) == pytest.approx(threshold, rel=1e-3)
    assert run.history.array("clipped").tolist() == [1.0] * 5
    assert run.history.columns["grad_norm_clipped"] == [threshold] * 5
    assert (run.history.array("grad_norm") > threshold).all()


def test_without_clipping_the_step_is_the_whole_gradient():
    config = RunConfig(
        task=SINE, optimizer="sgd", momentum=0.0, learning_rate=0.1, clip=False, clip_threshold=1e-3
    )
    run = Run(config)
    before = _parameters(run)
    run.train(steps=1)
    moved = torch.linalg.vector_norm(
        torch.stack(
            [
                torch.linalg.vector_norm(p.detach() - before[n])
                for n, p in run.model.named_parameters()
            ]
        )
    )
    grad_norm = run.history.last("grad_norm")
    assert float(moved) == pytest.approx(0.1 * grad_norm, rel=1e-4)
    assert run.history.last("clipped") == 0.0
    assert run.history.last("grad_norm_clipped") == grad_norm


def test_large_threshold_does_not_clip():
    run = Run(RunConfig(task=SINE, clip=True, clip_threshold=1e6))
    run.train(steps=5)
    assert run.history.array("clipped").tolist() == [0.0] * 5
    assert run.history.columns["grad_norm_clipped"] == run.history.columns["grad_norm"]


@pytest.mark.parametrize(("cell", "layers"), [("rnn", 1), ("lstm", 2), ("gru", 3)])
def test_gradient_columns_match_a_replayed_step(cell, layers):
    config = RunConfig(task=SINE, cell=cell, num_layers=layers, hidden_size=6, seed=1)
    run = Run(config)
    # Replay the first step by hand on copies: same model, same batch (from the same generator state).
    model = copy.deepcopy(run.model)
    generator = torch.Generator()
    generator.set_state(run.generator.get_state())
    x, y = run.task.batch(config.batch_size, generator)
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    expected = {f"grad/{n}": float(p.grad.norm()) for n, p in model.named_parameters()}
    total = math.sqrt(sum(v**2 for v in expected.values()))

    run.train(steps=1)
    history = run.history
    names = {n for n, _ in run.model.named_parameters()}
    assert len(names) == 4 * layers + 2  # W_ih, W_hh, b_ih, b_hh per layer, and the head
    assert set(history.names("grad/")) == {f"grad/{n}" for n in names}
    for name, value in expected.items():
        assert history.last(name) == pytest.approx(value, rel=1e-4), name
    assert history.last("loss") == pytest.approx(float(loss.detach()), rel=1e-5)
    assert history.last("grad_norm") == pytest.approx(total, rel=1e-4)
    # The first step also records validation loss and one spectral radius per layer.
    assert history.last("val_loss") == pytest.approx(run.evaluate().loss, rel=1e-6)
    assert history.names("radius/") == [f"radius/l{k}" for k in range(layers)]


def test_validation_loss_every_ten_steps():
    run = Run(RunConfig(task=SINE))
    run.train(steps=30)
    val = run.history.array("val_loss")
    steps = run.history.array("step")
    assert steps[~np.isnan(val)].tolist() == [1, 11, 21]  # the first step, then every 10 steps


# --- time slices ----------------------------------------------------------------------------------


def test_train_for_seconds_returns_on_time():
    run = Run(RunConfig())
    start = time.perf_counter()
    done = run.train(seconds=0.2)
    elapsed = time.perf_counter() - start
    assert 0.2 <= elapsed < 0.6
    assert done >= 1 and run.step == done
    assert run.steps_per_second == pytest.approx(done / elapsed, rel=0.2)


def test_train_takes_at_least_one_step():
    run = Run(RunConfig())
    assert run.train(seconds=0.0) == 1
    assert run.train() == 1
    assert run.step == 2


def test_train_counts_steps():
    run = Run(RunConfig())
    assert run.train(steps=7) == 7
    assert run.train(steps=5) == 5
    assert run.step == 12
    assert run.history.array("step").tolist() == list(range(1, 13))


def test_train_zero_steps_does_nothing():
    run = Run(RunConfig())
    assert run.train(steps=0) == 0
    assert run.step == 0


# --- refusals -------------------------------------------------------------------------------------

BAD_FIELDS = [
    ("hidden_size", 0, "problem.range"),
    ("hidden_size", 513, "problem.range"),
    ("learning_rate", -0.01, "problem.range"),
    ("learning_rate", 0.0, "problem.range"),
    ("num_layers", 4, "problem.range"),
    ("num_layers", 0, "problem.range"),
    ("batch_size", 0, "problem.range"),
    ("clip_threshold", 0.0, "problem.range"),
    ("init_radius", -1.0, "problem.range"),
    ("momentum", 1.0, "problem.range"),
    ("seed", -1, "problem.range"),
    ("learning_rate", math.nan, "problem.range"),
    ("hidden_size", "16", "problem.range"),
    ("cell", "transformer", "problem.choice"),
    ("activation", "sigmoid", "problem.choice"),
    ("init", "xavier", "problem.choice"),
    ("optimizer", "adagrad", "problem.choice"),
]


@pytest.mark.parametrize(("field", "value", "key"), BAD_FIELDS)
def test_one_bad_setting_gives_one_problem(field, value, key):
    config = replace(RunConfig(), **{field: value})
    with pytest.raises(InputError) as caught:
        Run(config)
    assert len(caught.value.problems) == 1
    problem = caught.value.problems[0]
    assert problem.key == key
    assert problem.values["field"] == field
    assert problem.text.startswith(field + " ")
    assert str(caught.value) == problem.text


def test_every_problem_is_reported_at_once():
    config = RunConfig(
        task=TaskConfig(name="synthetic_temperature", days=100, window=50),
        hidden_size=0,
        learning_rate=-0.1,
        num_layers=4,
        cell="transformer",
    )
    with pytest.raises(InputError) as caught:
        Run(config)
    problems = caught.value.problems
    assert sorted(
        (p.key, p.values.get("field", p.values.get("window"))) for p in problems
    ) == sorted(
        [
            ("problem.window", 50),
            ("problem.choice", "cell"),
            ("problem.range", "hidden_size"),
            ("problem.range", "learning_rate"),
            ("problem.range", "num_layers"),
        ]
    )
    assert config.problems() == problems
    for problem in problems:
        assert problem.text in str(caught.value)


@pytest.mark.parametrize(
    "task",
    [
        TaskConfig(name="sine", window=0),
        TaskConfig(name="adding", length=5000),
        TaskConfig(name="no_such_task"),
        TaskConfig(name="csv", window=300),
    ],
)
def test_bad_task_settings_are_refused_before_building(task):
    with pytest.raises(InputError) as caught:
        Run(RunConfig(task=task))
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].key in {"problem.range", "problem.task"}


def test_default_config_is_accepted():
    assert RunConfig().problems() == []
    assert RunConfig().check() == RunConfig()
