"""What a training step measures, read out of torch in few calls: the gradient norms (per parameter
and in all, as clipping sees them) and the spectral radius of every gate block of W_hh."""

from __future__ import annotations

import pytest
import torch

from app.engine.config import RunConfig
from app.engine.live import gradient_norms
from app.engine.run import Run, block_radii
from app.engine.tasks import TaskConfig
from models.init import spectral_radius


def some_gradients() -> list[torch.Tensor]:
    generator = torch.Generator().manual_seed(3)
    shapes = [(128, 2), (128, 32), (128,), (128,), (1, 32), (1,)]  # an LSTM's and its head's
    return [torch.randn(shape, generator=generator) * 10.0**k for k, shape in enumerate(shapes)]


def test_gradient_norms_are_each_parameters_norm_and_clippings_total() -> None:
    grads = some_gradients()
    each, total = gradient_norms(grads)
    # Exactly the floats one norm per parameter gives, and the total clip_grad_norm_ compares.
    assert each == [float(torch.linalg.vector_norm(g)) for g in grads]
    parameters = [torch.nn.Parameter(torch.zeros_like(g)) for g in grads]
    for parameter, grad in zip(parameters, grads, strict=True):
        parameter.grad = grad.clone()
    assert total == float(torch.nn.utils.clip_grad_norm_(parameters, max_norm=float("inf")))
    assert all(isinstance(v, float) for v in [*each, total])


def test_gradient_norms_see_a_non_finite_gradient() -> None:
    grads = some_gradients()
    grads[1][0, 0] = float("nan")
    each, total = gradient_norms(grads)
    assert total != total and each[1] != each[1]  # NaN: the step stops the run as before


@pytest.mark.parametrize("gates", [1, 3, 4])
def test_block_radii_are_the_spectral_radius_of_each_block(gates: int) -> None:
    generator = torch.Generator().manual_seed(gates)
    w_hh = torch.randn(
        2 * gates * 16, 16, generator=generator
    )  # two layers' W_hh, one below the other
    radii = block_radii(w_hh, 16).tolist()
    assert radii == [spectral_radius(block) for block in w_hh.split(16)]


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_a_runs_radius_columns_are_the_largest_over_its_gate_blocks(cell: str) -> None:
    run = Run(RunConfig(task=TaskConfig(name="adding", length=5), cell=cell, num_layers=2))
    run.train(steps=1)
    core = run.model.core
    for layer in range(2):
        blocks = core.layer_weights(layer)[1].detach().split(core.hidden_size)
        want = max(spectral_radius(block) for block in blocks)
        assert run.history.last(f"radius/l{layer}") == want
