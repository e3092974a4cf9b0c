"""What the lessons claim about gradients through time and initialisation, checked numerically."""

from __future__ import annotations

import math

import pytest
import torch

from models.init import INIT_SCHEMES, initialise, spectral_radius
from models.recurrent import Recurrent
from models.sequence import ModelSpec, SequenceModel
from models.trace import trace

HIDDEN, TIME = 16, 30
KINDS = [("rnn", "tanh"), ("rnn", "relu"), ("lstm", "tanh"), ("gru", "tanh")]


def least_squares_slope(x: torch.Tensor, y: torch.Tensor) -> float:
    x, y = x - x.mean(), y - y.mean()
    return float((x * y).sum() / (x * x).sum())


@pytest.mark.parametrize("radius", [0.5, 1.0, 1.5])
def test_linear_rnn_gradient_scales_as_radius_to_the_distance(radius):
    """W_hh = s Q, Q orthogonal: dL/dh_t = (W_hh^T)^(T-t) dL/dh_T, so ||dL/dh_t|| = s^(T-t) ||dL/dh_T||."""
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    spec = ModelSpec(cell="rnn", activation="linear", input_size=3, hidden_size=HIDDEN)
    model = SequenceModel(spec).double()
    initialise(model.core, "orthogonal", radius=radius, generator=gen)
    x = torch.randn(4, TIME, 3, generator=gen, dtype=torch.float64)
    y = torch.randn(4, generator=gen, dtype=torch.float64)
    norms = trace(model, x, y).grad_norms()
    assert norms.shape == (TIME,)
    distance = (TIME - 1 - torch.arange(TIME)).double()  # T - t, steps back from the loss
    slope = least_squares_slope(distance, norms.log())
    assert slope == pytest.approx(math.log(radius), abs=1e-3)
    # step by step too: each step back multiplies the norm by s
    torch.testing.assert_close(
        norms[:-1] / norms[1:], torch.full((TIME - 1,), radius, dtype=torch.float64)
    )


@pytest.mark.parametrize(
    ("matrix", "want"),
    [
        (torch.diag(torch.tensor([0.5, -3.0, 2.0])), 3.0),
        (
            torch.tensor([[0.0, -2.0], [2.0, 0.0]]),
            2.0,
        ),  # eigenvalues +-2i: a modulus, not a real part
        (torch.tensor([[1.0, 100.0], [0.0, 0.5]]), 1.0),  # not the largest singular value
    ],
)
def test_spectral_radius_of_known_matrices(matrix, want):
    assert spectral_radius(matrix) == pytest.approx(want, abs=1e-9)


def eigen_moduli(block: torch.Tensor) -> torch.Tensor:
    return torch.linalg.eigvals(block.detach().double()).abs()


@pytest.mark.parametrize("radius", [0.7, 1.0, 1.3])
@pytest.mark.parametrize(("cell", "activation"), KINDS)
def test_orthogonal_blocks_are_radius_times_orthogonal(cell, activation, radius):
    torch.manual_seed(2)
    core = Recurrent(cell, 3, HIDDEN, 2, activation)
    initialise(core, "orthogonal", radius=radius, generator=torch.Generator().manual_seed(3))
    for layer in range(2):
        for block in core.layer_weights(layer)[1].detach().split(HIDDEN):
            gram = block.double() @ block.double().T
            torch.testing.assert_close(
                gram, radius**2 * torch.eye(HIDDEN, dtype=torch.float64), atol=1e-5, rtol=0
            )
            moduli = eigen_moduli(block)  # every eigenvalue sits on the circle of that radius
            torch.testing.assert_close(moduli, torch.full_like(moduli, radius), atol=1e-4, rtol=0)
            assert spectral_radius(block) == pytest.approx(radius, abs=1e-4)


@pytest.mark.parametrize("radius", [0.7, 1.0, 1.3])
@pytest.mark.parametrize(("cell", "activation"), KINDS)
def test_gaussian_blocks_have_the_requested_spectral_radius(cell, activation, radius):
    torch.manual_seed(4)
    core = Recurrent(cell, 3, HIDDEN, 2, activation)
    initialise(core, "gaussian", radius=radius, generator=torch.Generator().manual_seed(5))
    for layer in range(2):
        blocks = core.layer_weights(layer)[1].detach().split(HIDDEN)
        for block in blocks:
            assert float(eigen_moduli(block).max()) == pytest.approx(radius, abs=1e-4)
            assert spectral_radius(block) == pytest.approx(radius, abs=1e-4)
        if len(blocks) > 1:  # each gate gets its own draw
            assert not torch.equal(blocks[0], blocks[1])


@pytest.mark.parametrize("radius", [0.5, 1.0])
@pytest.mark.parametrize(("cell", "activation"), KINDS)
def test_identity_init(cell, activation, radius):
    torch.manual_seed(6)
    core = Recurrent(cell, 3, HIDDEN, 2, activation)
    initialise(core, "identity", radius=radius)
    eye = radius * torch.eye(HIDDEN)
    for layer in range(2):
        W_ih, W_hh, b_ih, b_hh = (w.detach() for w in core.layer_weights(layer))
        for block in W_hh.split(HIDDEN):
            torch.testing.assert_close(block, eye, atol=0, rtol=0)
        assert W_ih.abs().sum() > 0  # input weights keep their random draw
        assert not b_hh.any()
        if cell == "lstm":  # zero but for the forget gate's quarter
            assert not torch.cat([b_ih[:HIDDEN], b_ih[2 * HIDDEN :]]).any()
        else:
            assert not b_ih.any()


@pytest.mark.parametrize("forget_bias", [1.0, 2.5])
@pytest.mark.parametrize("scheme", INIT_SCHEMES)
def test_lstm_forget_bias_after_any_scheme(scheme, forget_bias):
    torch.manual_seed(7)
    core = Recurrent("lstm", 3, HIDDEN, 3)
    kwargs = {} if forget_bias == 1.0 else {"forget_bias": forget_bias}
    initialise(core, scheme, radius=0.9, generator=torch.Generator().manual_seed(8), **kwargs)
    for layer in range(3):
        _, _, b_ih, b_hh = core.layer_weights(layer)
        total = (b_ih + b_hh).detach()[HIDDEN : 2 * HIDDEN]  # torch's gate order: i, f, g, o
        torch.testing.assert_close(total, torch.full((HIDDEN,), forget_bias), atol=1e-7, rtol=0)


@pytest.mark.parametrize(("cell", "activation"), KINDS)
def test_default_init_is_torch_uniform_and_seeded(cell, activation):
    bound = 1 / math.sqrt(HIDDEN)
    cores = []
    for _ in range(2):
        core = Recurrent(cell, 3, HIDDEN, 2, activation)
        initialise(core, "default", generator=torch.Generator().manual_seed(9))
        cores.append(core)
    for (name, a), b in zip(cores[0].named_parameters(), cores[1].parameters(), strict=True):
        assert torch.equal(a, b), name  # the same generator seed gives the same weights
        if cell == "lstm" and name.startswith("bias"):
            continue  # the forget quarter is set apart; checked above
        assert a.abs().max() <= bound
        assert a.std() > bound / 3  # spread over the range, not collapsed


def test_unknown_scheme_is_rejected():
    with pytest.raises(ValueError):
        initialise(Recurrent("rnn", 3, HIDDEN), "xavier")
