"""The lesson's demonstrations measure what they claim: order matters (an average model cannot tell
rising from falling, an RNN can), the lesson's first Keras example as written stays far from its
targets while the standardised one fits, and the intermediate exercise's check tells a right attempt
from a wrong one."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from app.engine.config import RunConfig
from app.engine.keras_example import (
    KerasConfig,
    KerasExample,
    glorot_uniform,
    keras_orthogonal,
    lesson_data,
    measure,
)
from app.engine.lesson_exercise import (
    EXERCISE_LISTED,
    EXERCISE_SERIES,
    SOLUTION,
    STARTING_POINT,
    check_attempt,
)
from app.engine.optimiser_race import OptimiserRace, RaceConfig
from app.engine.order import OrderConfig, OrderDemo, rising_or_falling
from app.engine.problems import InputError
from app.engine.run import Run
from app.engine.tasks.base import windows
from app.engine.tasks.series import LESSON_X, LESSON_Y


def test_rising_and_falling_sequences_hold_the_same_values() -> None:
    x, rising = rising_or_falling(2000, 8, torch.Generator().manual_seed(0))
    steps = x[..., 0].diff(dim=1)
    assert bool((steps[rising == 1] >= 0).all()) and bool((steps[rising == 0] <= 0).all())
    # The average carries no sign of the class: both classes have the same mean (near 0).
    averages = x[..., 0].mean(dim=1)
    assert abs(float(averages[rising == 1].mean() - averages[rising == 0].mean())) < 0.05


def test_the_rnn_reads_order_and_the_average_model_is_fooled_by_reversal() -> None:
    demo = OrderDemo(OrderConfig(seed=0))
    demo.train(steps=120)
    scores = demo.scores()
    average, rnn = scores["average"], scores["rnn"]
    # Same batches, opposite outcomes.
    assert average.unchanged == 1.0  # reading the values backwards never changes its answer
    assert abs(average.accuracy - 0.5) < 0.1
    assert rnn.accuracy > 0.95 and rnn.accuracy_backwards > 0.95
    assert rnn.unchanged < 0.05
    assert demo.runs["average"].step == demo.runs["rnn"].step == demo.step == 120


def test_order_config_refuses_bad_values() -> None:
    with pytest.raises(InputError) as error:
        OrderDemo(OrderConfig(length=1))
    assert error.value.problems[0].key == "problem.range"


def test_keras_initialisation_matches_keras_defaults() -> None:
    generator = torch.Generator().manual_seed(0)
    w_ih = glorot_uniform(torch.Size((10, 1)), generator)
    assert float(w_ih.abs().max()) <= math.sqrt(6 / 11)
    q = keras_orthogonal(10, generator)
    assert torch.allclose(q @ q.T, torch.eye(10), atol=1e-5)
    run = KerasExample(KerasConfig()).runs["as_written"]
    for name, p in run.model.named_parameters():
        if "bias" in name:
            assert float(p.detach().abs().max()) == 0.0, name
    assert run.optimizer.defaults["eps"] == 1e-7 and run.optimizer.defaults["lr"] == 1e-3


def test_both_variants_start_from_the_same_weights_and_see_the_lesson_data() -> None:
    example = KerasExample(KerasConfig())
    raw, std = example.runs["as_written"], example.runs["standardised"]
    for (name, a), (_, b) in zip(
        raw.model.named_parameters(), std.model.named_parameters(), strict=True
    ):
        assert torch.equal(a, b), name
    x, y = lesson_data("example")
    assert x.tolist() == [list(w) for w in LESSON_X[:3]] and y.tolist() == list(LESSON_Y[:3])
    assert torch.equal(raw.x[..., 0], torch.tensor(x, dtype=torch.float32))  # raw °C, as written


def test_as_written_stays_far_from_the_targets_and_standardised_fits() -> None:
    results = measure(seeds=(0, 1, 2))
    # As written: the output barely leaves 0 °C while the targets are near 23 °C.
    assert min(results["as_written"]) > 300
    # Standardised: within a fraction of a degree squared after the same 100 epochs.
    assert max(results["standardised"]) < 1.0
    example = KerasExample(KerasConfig())
    example.train(steps=100)
    raw = example.runs["as_written"]
    assert float(np.max(raw.predictions())) < 5.0  # still near where it started
    assert raw.saturation() > 0.5  # raw inputs near 20 drive tanh into saturation
    # History records the error in °C² for both, so the curves compare directly.
    assert raw.history.array("loss")[-1] == pytest.approx(raw.mse(), rel=0.05)


def test_the_exercise_data_is_inconsistent_as_the_page_says() -> None:
    x, y = windows(np.array(EXERCISE_SERIES, dtype=float), 3)
    assert [list(w) for w in x] == [list(w) for w in LESSON_X[3:]] and list(y) == list(LESSON_Y[3:])
    assert len(EXERCISE_LISTED) == 5 and len(EXERCISE_SERIES) == 7


def test_the_exercise_check_passes_a_trained_solution_and_fails_wrong_attempts() -> None:
    right = Run(SOLUTION)
    right.train(steps=300)
    verdict = check_attempt(right)
    assert verdict.passed and verdict.model_error < verdict.persistence_error
    untrained = check_attempt(Run(STARTING_POINT))
    assert untrained.trained is False and not untrained.passed
    barely = Run(STARTING_POINT)
    barely.train(steps=20)
    assert not check_attempt(barely).passed  # trained, but worse than "tomorrow = today"
    own_windows = Run(RunConfig())  # the lesson's seven windows
    own_windows.train(steps=5)
    assert check_attempt(own_windows).held_out is False and not check_attempt(own_windows).passed


def test_the_optimiser_race_differs_only_by_optimiser_and_ranks_by_loss() -> None:
    race = OptimiserRace(RaceConfig())
    weights = [dict(run.model.named_parameters()) for run in race.runs.values()]
    for name, p in weights[0].items():
        assert all(torch.equal(p, other[name]) for other in weights[1:]), name
    assert {run.config.optimizer for run in race.runs.values()} == {"adam", "rmsprop", "sgd"}
    race.train(steps=40)
    recent = race.recent_loss()
    ranking = race.ranking()
    assert [recent[name] for name in ranking] == sorted(recent.values())
    assert all(run.step == 40 for run in race.runs.values())
    race.retune(RaceConfig(learning_rate=0.001))  # live: every optimiser takes the new rate
    assert all(
        group["lr"] == 0.001 for run in race.runs.values() for group in run.optimizer.param_groups
    )
