"""Initialisation schemes a teacher reaches for when showing vanishing and exploding gradients."""

from __future__ import annotations

import torch
from torch import Tensor

from models.recurrent import Recurrent

INIT_SCHEMES = ("default", "orthogonal", "gaussian", "identity")


def initialise(
    core: Recurrent,
    scheme: str = "default",
    radius: float = 1.0,
    forget_bias: float = 1.0,
    generator: torch.Generator | None = None,
) -> None:
    """Initialise ``core`` in place.

    - default: torch.nn's uniform(+-1/sqrt(hidden)) (and, for the LSTM, the forget bias below);
    - orthogonal: each W_hh block = radius * Q with Q orthogonal (every eigenvalue has modulus radius);
    - gaussian: each W_hh block ~ N(0, 1/hidden), rescaled so its spectral radius is exactly ``radius``;
    - identity: W_hh = radius * I and zero biases (Le et al. 2015's IRNN, meant for ReLU).
    """
    if scheme not in INIT_SCHEMES:
        raise ValueError(f"unknown init {scheme!r}; choose one of {INIT_SCHEMES}")
    core.reset_parameters(generator)
    hidden = core.hidden_size
    with torch.no_grad():
        for layer in range(core.num_layers):
            _, W_hh, b_ih, b_hh = core.layer_weights(layer)
            for block in W_hh.split(hidden, dim=0):
                if scheme == "orthogonal":
                    block.copy_(radius * _orthogonal(hidden, generator))
                elif scheme == "gaussian":
                    gauss = torch.randn(hidden, hidden, generator=generator) / hidden**0.5
                    block.copy_(radius * gauss / spectral_radius(gauss))
                elif scheme == "identity":
                    block.copy_(radius * torch.eye(hidden))
            if scheme == "identity":
                b_ih.zero_()
                b_hh.zero_()
            if core.cell == "lstm":
                # Forget gate open at the start (Gers et al. 2000; Jozefowicz et al. 2015): the cell state
                # carries information, and gradient, across many steps before the gate has learned anything.
                b_ih[hidden : 2 * hidden] = forget_bias
                b_hh[hidden : 2 * hidden] = 0.0


def initialise_head(head: torch.nn.Linear, generator: torch.Generator | None = None) -> None:
    """torch's default for a Linear layer (uniform within 1/sqrt(fan_in)), drawn from ``generator``:
    sessions are threads of one process, so no draw may come from the global generator."""
    bound = 1.0 / head.in_features**0.5
    with torch.no_grad():
        head.weight.uniform_(-bound, bound, generator=generator)
        head.bias.uniform_(-bound, bound, generator=generator)


def spectral_radius(matrix: Tensor) -> float:
    """Largest eigenvalue modulus of a square matrix."""
    return float(torch.linalg.eigvals(matrix.detach().double()).abs().max())


def _orthogonal(size: int, generator: torch.Generator | None) -> Tensor:
    q, r = torch.linalg.qr(torch.randn(size, size, generator=generator, dtype=torch.float64))
    # Fixing the signs makes Q uniformly (Haar) distributed rather than biased by the QR routine.
    return (q * torch.sign(torch.diagonal(r))).float()
