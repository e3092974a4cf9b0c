"""The gradients page's "upper bound" really bounds the measured factor it stands beside."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine.config import RunConfig
from app.engine.diagnostics import fitted_factor, look, rnn_bound
from app.engine.run import Run
from app.engine.tasks import TaskConfig
from models.init import INIT_SCHEMES

TASKS = st.one_of(
    st.builds(TaskConfig, name=st.just("adding"), length=st.integers(3, 30)),
    st.builds(TaskConfig, name=st.just("sine"), window=st.integers(3, 25)),
    st.just(TaskConfig()),
    st.builds(
        TaskConfig, name=st.just("recall"), lag=st.integers(2, 12), symbols=st.integers(2, 5)
    ),
)


@settings(max_examples=30, deadline=None)
@given(
    task=TASKS,
    activation=st.sampled_from(["tanh", "relu"]),
    hidden=st.integers(1, 12),
    layers=st.integers(1, 2),
    init=st.sampled_from(INIT_SCHEMES),
    radius=st.floats(0.2, 2.5),
    steps=st.integers(0, 6),
    seed=st.integers(0, 1000),
)
def test_the_shown_bound_holds_against_the_shown_measured_factor(
    task, activation, hidden, layers, init, radius, steps, seed
) -> None:
    run = Run(
        RunConfig(
            task=task,
            cell="rnn",
            activation=activation,
            hidden_size=hidden,
            num_layers=layers,
            init=init,
            init_radius=radius,
            learning_rate=0.05,
            seed=seed,
        )
    )
    run.train(steps=steps)
    found = look(run)
    measured = fitted_factor(found.norms)  # what the page shows as "measured"
    if math.isnan(measured):
        return  # the page shows "—" for both
    assert found.predicted_factor >= measured * (1 - 1e-4), (measured, found.predicted_factor)


def test_dead_relu_steps_do_not_collapse_the_bound() -> None:
    """A step where no unit is active stops the gradient; the steps before it are not fitted, so
    the bound stays a bound instead of collapsing towards zero."""
    norms = np.array([0.0, 0.0, 1.0, 0.5, 0.25, 1.0])
    step_bounds = np.array([5.0, 0.0, 3.0, 3.0, 3.0, 3.0])
    assert math.isclose(rnn_bound(norms, step_bounds), 3.0)
    assert math.isclose(fitted_factor(norms), 2.0)


def test_the_slope_at_the_first_step_is_never_counted() -> None:
    """The gradient never crosses step 0's Jacobian: a flat unit there changes nothing."""
    norms = np.array([4.0, 2.0, 1.0, 1.0])
    assert math.isclose(rnn_bound(norms, np.array([1e-12, 2.5, 2.5, 2.5])), 2.5)


def test_the_default_run_reads_a_bound_above_its_measurement() -> None:
    run = Run(RunConfig())
    run.train(steps=100)
    found = look(run)
    assert fitted_factor(found.norms) <= found.predicted_factor
