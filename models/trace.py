"""An exact look inside one forward and backward pass: every hidden state, gate and dL/dh_t."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from models.sequence import SequenceModel


@dataclass(frozen=True)
class LayerTrace:
    """One layer over time. Tensors are (batch, time, ...) and detached."""

    hidden: Tensor  # (batch, time, hidden)
    pre: Tensor  # (batch, time, gates * hidden): what goes into the nonlinearities
    gates: dict[str, Tensor]  # LSTM i, f, g, o; GRU r, z, n; empty for the RNN
    cell: Tensor | None  # (batch, time, hidden), LSTM only
    grad_hidden: Tensor | None  # (batch, time, hidden): dL/dh_t, total derivative through time


@dataclass(frozen=True)
class Trace:
    inputs: Tensor  # what the core read: (batch, time, features)
    layers: list[LayerTrace]
    outputs: Tensor  # the head's answer
    loss: float | None

    def grad_norms(self, layer: int = -1) -> Tensor:
        """||dL/dh_t|| per time step, averaged over the batch: (time,)."""
        grad = self.layers[layer].grad_hidden
        if grad is None:
            raise ValueError("this trace was taken without a target, so it has no gradients")
        return grad.norm(dim=-1).mean(dim=0)


def trace(model: SequenceModel, x: Tensor, target: Tensor | None = None) -> Trace:
    """Run ``model`` through its unrolled equations on ``x``; with a target also find dL/dh_t.

    Uses ``torch.autograd.grad`` with respect to the hidden states, so parameters' ``.grad`` are
    left untouched and a training run can take a trace between steps.
    """
    with torch.enable_grad():
        inputs = model.encode(x)
        hidden, _, records = model.core.unroll(inputs)
        outputs = model.read_out(hidden)
        loss = model.loss(outputs, target) if target is not None else None
        grads: list[list[Tensor]] | None = None
        if loss is not None:
            flat = [h for steps in records for h in steps.hidden]
            flat_grads = torch.autograd.grad(loss, flat, allow_unused=True)
            grads, T = [], inputs.shape[1]
            for layer in range(len(records)):
                chunk = flat_grads[layer * T : (layer + 1) * T]
                grads.append(
                    [
                        g if g is not None else torch.zeros_like(h)
                        for g, h in zip(chunk, records[layer].hidden, strict=True)
                    ]
                )
    layers = [
        LayerTrace(
            hidden=_stack(steps.hidden),
            pre=_stack(steps.pre),
            gates={name: _stack(values) for name, values in steps.gates.items()},
            cell=_stack(steps.cell) if steps.cell else None,
            grad_hidden=_stack(grads[k]) if grads is not None else None,
        )
        for k, steps in enumerate(records)
    ]
    return Trace(
        inputs=inputs.detach(),
        layers=layers,
        outputs=outputs.detach(),
        loss=float(loss) if loss is not None else None,
    )


def _stack(values: list[Tensor]) -> Tensor:
    return torch.stack([v.detach() for v in values], dim=1)
