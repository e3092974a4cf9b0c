"""One time step of each recurrent cell, written as the lesson writes it.

Weights follow torch.nn's layout: ``W_ih`` is (gates * hidden, input), ``W_hh`` is (gates * hidden, hidden),
and LSTM/GRU gates are stacked in torch's order (LSTM: i, f, g, o; GRU: r, z, n).
Every function returns the new state plus a dict of the intermediate values a person may want to see.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor

ACTIVATIONS: dict[str, Callable[[Tensor], Tensor]] = {
    "tanh": torch.tanh,
    "relu": torch.relu,
    "linear": lambda z: z,
}


def rnn_step(
    x: Tensor,
    hidden: Tensor,
    W_ih: Tensor,
    W_hh: Tensor,
    b_ih: Tensor,
    b_hh: Tensor,
    activation: str = "tanh",
) -> tuple[Tensor, dict[str, Tensor]]:
    """h_t = act(W_xh x_t + W_hh h_{t-1} + b_h), with b_h = b_ih + b_hh as torch keeps it."""
    input_term = x @ W_ih.T
    recurrent_term = hidden @ W_hh.T
    pre = input_term + recurrent_term + b_ih + b_hh
    new_hidden = ACTIVATIONS[activation](pre)
    return new_hidden, {"pre": pre}


def lstm_step(
    x: Tensor,
    hidden: Tensor,
    cell: Tensor,
    W_ih: Tensor,
    W_hh: Tensor,
    b_ih: Tensor,
    b_hh: Tensor,
) -> tuple[Tensor, Tensor, dict[str, Tensor]]:
    """Input, forget and output gates decide what enters, stays in and leaves the cell state."""
    pre = x @ W_ih.T + hidden @ W_hh.T + b_ih + b_hh  # (batch, 4 * hidden)
    pre_i, pre_f, pre_g, pre_o = pre.chunk(4, dim=-1)
    i = torch.sigmoid(pre_i)
    f = torch.sigmoid(pre_f)
    g = torch.tanh(pre_g)
    o = torch.sigmoid(pre_o)
    # The additive path: c_t = f * c_{t-1} + i * g lets gradients pass through time untouched when f ~ 1.
    new_cell = f * cell + i * g
    new_hidden = o * torch.tanh(new_cell)
    return new_hidden, new_cell, {"pre": pre, "i": i, "f": f, "g": g, "o": o}


def gru_step(
    x: Tensor,
    hidden: Tensor,
    W_ih: Tensor,
    W_hh: Tensor,
    b_ih: Tensor,
    b_hh: Tensor,
) -> tuple[Tensor, dict[str, Tensor]]:
    """Reset gate r chooses how much past feeds the candidate n; update gate z blends old and new."""
    gi = x @ W_ih.T + b_ih  # (batch, 3 * hidden)
    gh = hidden @ W_hh.T + b_hh
    gi_r, gi_z, gi_n = gi.chunk(3, dim=-1)
    gh_r, gh_z, gh_n = gh.chunk(3, dim=-1)
    r = torch.sigmoid(gi_r + gh_r)
    z = torch.sigmoid(gi_z + gh_z)
    n = torch.tanh(gi_n + r * gh_n)
    new_hidden = (1 - z) * n + z * hidden
    pre = torch.cat([gi_r + gh_r, gi_z + gh_z, gi_n + r * gh_n], dim=-1)
    return new_hidden, {"pre": pre, "r": r, "z": z, "n": n}


GATE_NAMES: dict[str, tuple[str, ...]] = {
    "rnn": (),
    "lstm": ("i", "f", "g", "o"),
    "gru": ("r", "z", "n"),
}
