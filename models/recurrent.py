"""A stacked RNN, LSTM or GRU whose parameters are named and shaped exactly like torch.nn's.

Two ways to run the same weights:
- ``forward``: torch's fused kernels, for training (the linear RNN has no fused kernel and unrolls),
  and its fused cells for a single step (writing text a character at a time);
- ``unroll``: the step equations from ``models.equations``, one time step at a time, keeping every
  intermediate value so a page can show it;
- ``states``: every layer's h_t (and c_t) only, through the fused kernels (a look inside a long text).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import Tensor, nn

from models.equations import gru_step, lstm_step, rnn_step

CELL_KINDS = ("rnn", "lstm", "gru")
GATE_COUNT = {"rnn": 1, "lstm": 4, "gru": 3}
RNN_ACTIVATIONS = ("tanh", "relu", "linear")

State = Tensor | tuple[Tensor, Tensor]  # h (layers, batch, hidden), or (h, c) for the LSTM


@dataclass
class LayerSteps:
    """What one layer computed at every step; lists indexed by time, tensors (batch, ...)."""

    hidden: list[Tensor] = field(default_factory=list)
    cell: list[Tensor] = field(default_factory=list)
    pre: list[Tensor] = field(default_factory=list)
    gates: dict[str, list[Tensor]] = field(default_factory=dict)


class Recurrent(nn.Module):
    """RNN / LSTM / GRU with 1 to 3 layers, batch-first, parameters ``weight_ih_l0`` ... as in torch.nn."""

    def __init__(
        self,
        cell: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        activation: str = "tanh",
    ) -> None:
        super().__init__()
        if cell not in CELL_KINDS:
            raise ValueError(f"unknown cell {cell!r}; choose one of {CELL_KINDS}")
        if not 1 <= num_layers <= 3:
            raise ValueError(f"num_layers must be 1, 2 or 3 (got {num_layers})")
        if cell == "rnn" and activation not in RNN_ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; choose one of {RNN_ACTIVATIONS}")
        self.cell = cell
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.activation = activation if cell == "rnn" else "tanh"
        rows = GATE_COUNT[cell] * hidden_size
        for layer in range(num_layers):
            width = input_size if layer == 0 else hidden_size
            self.register_parameter(f"weight_ih_l{layer}", nn.Parameter(torch.empty(rows, width)))
            self.register_parameter(
                f"weight_hh_l{layer}", nn.Parameter(torch.empty(rows, hidden_size))
            )
            self.register_parameter(f"bias_ih_l{layer}", nn.Parameter(torch.empty(rows)))
            self.register_parameter(f"bias_hh_l{layer}", nn.Parameter(torch.empty(rows)))
        self.reset_parameters()

    def reset_parameters(self, generator: torch.Generator | None = None) -> None:
        """torch.nn's default: every weight uniform in +-1/sqrt(hidden)."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        with torch.no_grad():
            for p in self.parameters():
                p.uniform_(-bound, bound, generator=generator)

    def layer_weights(self, layer: int) -> tuple[Tensor, Tensor, Tensor, Tensor]:
        """(W_ih, W_hh, b_ih, b_hh) of one layer."""
        return (
            getattr(self, f"weight_ih_l{layer}"),
            getattr(self, f"weight_hh_l{layer}"),
            getattr(self, f"bias_ih_l{layer}"),
            getattr(self, f"bias_hh_l{layer}"),
        )

    def flat_weights(self) -> list[Tensor]:
        return [w for layer in range(self.num_layers) for w in self.layer_weights(layer)]

    def initial_state(self, batch: int, like: Tensor) -> State:
        zeros = like.new_zeros(self.num_layers, batch, self.hidden_size)
        return (zeros, zeros.clone()) if self.cell == "lstm" else zeros

    def forward(self, x: Tensor, state: State | None = None) -> tuple[Tensor, State]:
        """x: (batch, time, input) -> outputs of the top layer (batch, time, hidden), final state."""
        if state is None:
            state = self.initial_state(x.shape[0], x)
        if self.cell == "rnn" and self.activation == "linear":
            outputs, state, _ = self.unroll(x, state)
            return outputs, state
        if x.shape[1] == 1:
            return self._one_step(x[:, 0], state)
        return self._sequence(x, state)

    def _sequence(self, x: Tensor, state: State) -> tuple[Tensor, State]:
        # The same entry points torch.nn.RNN/LSTM/GRU call: one fused kernel for the whole sequence.
        args = (self.flat_weights(), True, self.num_layers, 0.0, self.training, False, True)
        if self.cell == "lstm":
            outputs, h, c = torch._VF.lstm(x, state, *args)
            return outputs, (h, c)
        kernel = {"gru": torch._VF.gru, "tanh": torch._VF.rnn_tanh, "relu": torch._VF.rnn_relu}
        outputs, h = kernel["gru" if self.cell == "gru" else self.activation](x, state, *args)
        return outputs, h

    def states(self, x: Tensor, state: State | None = None) -> list[tuple[Tensor, Tensor | None]]:
        """Every layer's h_t and (LSTM) c_t after each step, each (batch, time, hidden): the states
        ``unroll`` records, without its gates, at a fraction of its cost (a character model's look
        inside a long excerpt). Each layer's h_t come from its fused sequence kernel; an LSTM's
        c_t from its gates, computed for every step at once from the h_t before them, through
        the cell's linear recurrence c_t = f_t c_(t-1) + i_t g_t, one fused op per step."""
        with torch.no_grad():  # a look inside: no gradients
            return self._states(x, state)

    def _states(self, x: Tensor, state: State | None) -> list[tuple[Tensor, Tensor | None]]:
        if self.cell == "rnn" and self.activation == "linear":  # no fused kernel: its equations
            _, _, records = self.unroll(x, state)
            return [(torch.stack(steps.hidden, 1), None) for steps in records]
        if state is None:
            state = self.initial_state(x.shape[0], x)
        h0, c0 = state if isinstance(state, tuple) else (state, None)
        found: list[tuple[Tensor, Tensor | None]] = []
        for layer in range(self.num_layers):
            weights = self.layer_weights(layer)
            start = (h0[layer : layer + 1], c0[layer : layer + 1]) if c0 is not None else None
            hidden = self._layer_sequence(x, weights, start or h0[layer : layer + 1])
            cell = None
            if c0 is not None:
                cell = _lstm_cells(x, hidden, h0[layer], c0[layer], weights)
            found.append((hidden, cell))
            x = hidden
        return found

    def _layer_sequence(self, x: Tensor, weights: tuple[Tensor, ...], state: State) -> Tensor:
        """One layer's outputs over the whole sequence through its fused kernel (batch, time, hidden)."""
        args = (list(weights), True, 1, 0.0, False, False, True)
        if self.cell == "lstm":
            return torch._VF.lstm(x, state, *args)[0]
        kernel = {"gru": torch._VF.gru, "tanh": torch._VF.rnn_tanh, "relu": torch._VF.rnn_relu}
        return kernel["gru" if self.cell == "gru" else self.activation](x, state, *args)[0]

    def _cell_step(
        self, weights: tuple[Tensor, ...]
    ) -> Callable[[Tensor, Tensor, Tensor | None], tuple[Tensor, Tensor | None]]:
        """One step of a layer with ``weights`` through its fused cell: (x, h, c) -> (h, c), c
        None but for the LSTM (the linear RNN, which has no fused cell, through its equation)."""
        if self.cell == "lstm":
            return lambda x, h, c: torch.lstm_cell(x, (h, c), *weights)
        if self.cell == "gru":
            return lambda x, h, c: (torch.gru_cell(x, h, *weights), None)
        cell = torch.rnn_tanh_cell if self.activation == "tanh" else torch.rnn_relu_cell
        if self.activation == "linear":
            return lambda x, h, c: (rnn_step(x, h, *weights, activation="linear")[0], None)
        return lambda x, h, c: (cell(x, h, *weights), None)

    def _one_step(self, x: Tensor, state: State) -> tuple[Tensor, State]:
        """One time step through torch's fused cells, layer by layer: what writing text does a
        character at a time. The sequence kernel sets up each call (oneDNN for the LSTM) at about
        four times the cost of the cell itself."""
        top, state = self.stepper()(x, state)
        return top.unsqueeze(1), state

    def stepper(self) -> Callable[[Tensor, State], tuple[Tensor, State]]:
        """One time step, (x (batch, input), state) -> (top layer's h (batch, hidden), state),
        with the layers' cells looked up once: a sample of hundreds of characters steps through
        the same weights at every character."""
        steps = [self._cell_step(self.layer_weights(layer)) for layer in range(self.num_layers)]
        lstm = self.cell == "lstm"

        def step(x: Tensor, state: State) -> tuple[Tensor, State]:
            h0, c0 = state if isinstance(state, tuple) else (state, None)
            finals_h, finals_c = [], []
            for layer, cell_step in enumerate(steps):
                x, c = cell_step(x, h0[layer], c0[layer] if c0 is not None else None)
                finals_h.append(x)
                finals_c.append(c)
            h_n = torch.stack(finals_h)
            return x, ((h_n, torch.stack(finals_c)) if lstm else h_n)

        return step

    def unroll(
        self, x: Tensor, state: State | None = None
    ) -> tuple[Tensor, State, list[LayerSteps]]:
        """Run the equations step by step; also return every intermediate value, per layer."""
        if state is None:
            state = self.initial_state(x.shape[0], x)
        h0, c0 = state if isinstance(state, tuple) else (state, None)
        # unbind, never x[:, t]: indexing inside the loop makes the backward pass quadratic in time.
        inputs = list(x.unbind(1))
        records: list[LayerSteps] = []
        finals_h, finals_c = [], []
        for layer in range(self.num_layers):
            weights = self.layer_weights(layer)
            hidden = h0[layer]
            cell = c0[layer] if c0 is not None else None
            steps = LayerSteps()
            for x_t in inputs:
                if self.cell == "lstm":
                    hidden, cell, parts = lstm_step(x_t, hidden, cell, *weights)
                    steps.cell.append(cell)
                elif self.cell == "gru":
                    hidden, parts = gru_step(x_t, hidden, *weights)
                else:
                    hidden, parts = rnn_step(x_t, hidden, *weights, activation=self.activation)
                steps.hidden.append(hidden)
                steps.pre.append(parts.pop("pre"))
                for name, value in parts.items():
                    steps.gates.setdefault(name, []).append(value)
            records.append(steps)
            finals_h.append(hidden)
            finals_c.append(cell)
            inputs = steps.hidden
        outputs = torch.stack(inputs, dim=1)  # (batch, time, hidden)
        h_n = torch.stack(finals_h)
        final: State = (h_n, torch.stack(finals_c)) if self.cell == "lstm" else h_n
        return outputs, final, records


def _lstm_cells(
    x: Tensor, hidden: Tensor, h0: Tensor, c0: Tensor, weights: tuple[Tensor, ...]
) -> Tensor:
    """An LSTM layer's c_t at every step (batch, time, hidden), given its inputs ``x`` and its
    outputs ``hidden``: the gates of every step in two matrix products (h_(t-1) is known), then
    c_t = f_t c_(t-1) + i_t g_t."""
    w_ih, w_hh, b_ih, b_hh = weights
    before = torch.cat((h0.unsqueeze(1), hidden[:, :-1]), dim=1)  # h_(t-1) for every t
    gates = x @ w_ih.T + b_ih + before @ w_hh.T + b_hh  # (batch, time, 4 hidden): i, f, g, o
    i, f, g, _ = gates.chunk(4, dim=-1)
    written = (torch.sigmoid(i) * torch.tanh(g)).transpose(0, 1).numpy()  # (time, batch, hidden)
    kept = torch.sigmoid(f).transpose(0, 1).numpy()
    # In numpy: a step's two operations on small arrays cost a fifth of torch's dispatch.
    cells = np.empty_like(written)
    cell = c0.numpy()
    for t, (kept_t, written_t) in enumerate(zip(kept, written, strict=True)):
        cell = cells[t] = written_t + kept_t * cell
    return torch.from_numpy(cells).transpose(0, 1)
