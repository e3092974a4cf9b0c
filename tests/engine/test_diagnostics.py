"""The gradients page's numbers: dL/dh_t through time against theory, presets that keep their promise."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
import torch

from app.engine.config import RunConfig
from app.engine.diagnostics import (
    GradientLog,
    TimeGradient,
    fitted_factor,
    look,
    maybe_look,
    predicted_factor,
    spectrum,
)
from app.engine.presets import PRESETS
from app.engine.run import Run
from app.engine.tasks import TaskConfig


def linear_run(radius: float, length: int = 30, seed: int = 0) -> Run:
    return Run(
        RunConfig(
            task=TaskConfig(name="adding", length=length),
            cell="rnn",
            activation="linear",
            init="orthogonal",
            init_radius=radius,
            seed=seed,
        )
    )


@pytest.mark.parametrize("radius", [0.5, 0.9, 1.1, 1.5])
def test_linear_rnn_gradient_decays_at_the_spectral_radius(radius: float) -> None:
    """W_hh = s * Q: going back one step multiplies ||dL/dh_t|| by exactly s."""
    run = linear_run(radius)
    found = look(run)
    measured = fitted_factor(found.norms)
    assert math.log(measured) == pytest.approx(math.log(radius), rel=0.05)
    assert measured == pytest.approx(radius, rel=0.01)
    assert found.predicted_factor == pytest.approx(radius, rel=1e-4)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("radius", [0.5, 1.5])
def test_bound_holds_for_saturating_activations(activation: str, radius: float) -> None:
    run = Run(
        RunConfig(
            task=TaskConfig(name="adding", length=60),
            cell="rnn",
            activation=activation,
            init="orthogonal",
            init_radius=radius,
        )
    )
    found = look(run)
    assert fitted_factor(found.norms) <= found.predicted_factor * 1.001


def test_lstm_factor_is_the_mean_forget_gate_and_cell_gradient_is_recorded() -> None:
    run = Run(RunConfig(task=TaskConfig(name="adding", length=40), cell="lstm"))
    found = run.trace(count=8)
    assert predicted_factor(run, found) == pytest.approx(float(found.layers[0].gates["f"].mean()))
    gradient = look(run)
    assert gradient.cell_norms is not None and gradient.cell_norms.shape == (40,)
    # The cell state's additive path keeps the gradient alive far better than a vanilla RNN's.
    rnn = look(Run(RunConfig(task=TaskConfig(name="adding", length=40), cell="rnn")))
    assert gradient.cell_norms[0] / gradient.cell_norms[-1] > 1e3 * rnn.norms[0] / rnn.norms[-1]


@pytest.mark.parametrize("seed", range(4))
def test_exploding_preset_reaches_nan_without_clipping_and_survives_with_it(seed: int) -> None:
    config = replace(PRESETS["exploding"], seed=seed)
    assert not config.clip
    exploding = Run(config)
    exploding.train(steps=100)
    assert exploding.diverged_at is not None and exploding.diverged_at <= 40
    norms = exploding.history.array("grad_norm")
    assert norms[-2] > 10 * norms[0]  # the norm climbed before it broke
    clipped = Run(replace(config, clip=True))
    clipped.train(steps=100)
    assert clipped.diverged_at is None
    assert np.isfinite(clipped.history.array("loss")).all()
    assert clipped.history.array("clipped").sum() > 0


def test_vanishing_preset_gradient_dies_across_the_sequence() -> None:
    run = Run(PRESETS["vanishing"])
    found = look(run)
    assert found.norms[0] < 1e-6 * found.norms[-1]
    run.train(steps=20)
    assert look(run).norms[0] < 1e-6 * look(run).norms[-1]


def test_gradient_log_stays_bounded_and_keeps_its_span() -> None:
    log = GradientLog(capacity=10)
    for step in range(100):
        log.add(TimeGradient(step, np.ones(5, dtype=np.float32), 1.0))
    assert len(log.entries) <= 10
    assert log.entries[0].step == 0 and log.entries[-1].step == 99
    steps, matrix = log.matrix()
    assert matrix.shape == (len(log.entries), 5)
    assert (np.diff(steps) > 0).all()


def test_looks_follow_the_timer_and_skip_a_diverged_run() -> None:
    run = linear_run(0.9)
    log = GradientLog()
    maybe_look(run, log)
    maybe_look(run, log)  # too soon: no second look
    assert len(log.entries) == 1
    run.train(steps=2)
    maybe_look(run, log, force=True)
    assert [e.step for e in log.entries] == [0, 2]
    run.diverged_at = 3
    maybe_look(run, log, force=True)
    assert len(log.entries) == 2


def test_spectrum_of_a_scaled_orthogonal_matrix() -> None:
    run = linear_run(0.7, length=10)
    found = spectrum(run)
    assert np.abs(found.eigenvalues) == pytest.approx(np.full(16, 0.7), rel=1e-4)
    assert found.singular_values == pytest.approx(np.full(16, 0.7), rel=1e-4)
    W_hh = run.model.core.weight_hh_l0.detach().double()
    assert found.radius == pytest.approx(float(torch.linalg.eigvals(W_hh).abs().max()))


def test_the_spectrum_is_taken_with_each_look_not_at_every_refresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The page draws the log's spectrum: it is taken with a look (on the look's timer, its cost
    counted in the look's), at the look's step, so a large W_hh does not slow every refresh."""
    run = linear_run(0.7, length=10)
    log = GradientLog()
    maybe_look(run, log, force=True)
    assert log.spectrum is not None and log.spectrum.step == 0
    assert log.spectrum.radius == pytest.approx(0.7, rel=1e-4)
    taken = []
    monkeypatch.setattr("app.engine.diagnostics.spectrum", lambda *a, **k: taken.append(a))
    run.train(steps=2)
    maybe_look(run, log)  # just looked: not due
    assert taken == [] and log.spectrum.step == 0
    maybe_look(run, log, force=True)
    assert len(taken) == 1
