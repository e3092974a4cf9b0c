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
    grad_cell: Tensor | None = None  # (batch, time, hidden): dL/dc_t, LSTM only


@dataclass(frozen=True)
class Trace:
    inputs: Tensor  # what the core read: (batch, time, features)
    layers: list[LayerTrace]
    outputs: Tensor  # the head's answer
    loss: float | None

    def grad_norms(self, layer: int = -1, of: str = "hidden") -> Tensor:
        """||dL/dh_t|| (or ||dL/dc_t|| with of="cell") per time step, averaged over the batch: (time,)."""
        grad = getattr(self.layers[layer], f"grad_{of}")
        if grad is None:
            raise ValueError(f"this trace has no gradient with respect to the {of} state")
        return grad.norm(dim=-1).mean(dim=0)


def trace(model: SequenceModel, x: Tensor, target: Tensor | None = None) -> Trace:
    """Run ``model`` through its unrolled equations on ``x``; with a target also find dL/dh_t.

    Uses ``torch.autograd.grad`` with respect to the hidden states, so parameters' ``.grad`` are
    left untouched and a training run can take a trace between steps.
    """
    # Without a target nothing is differentiated, so no graph is kept (a cheaper pass).
    with torch.enable_grad() if target is not None else torch.no_grad():
        inputs = model.encode(x)
        hidden, _, records = model.core.unroll(inputs)
        outputs = model.read_out(hidden)
        loss = model.loss(outputs, target) if target is not None else None
        grads: dict[str, list[list[Tensor]]] = {}
        if loss is not None:
            wanted = {"hidden": [steps.hidden for steps in records]}
            if model.core.cell == "lstm":
                wanted["cell"] = [steps.cell for steps in records]
            grads = {name: _grads(loss, per_layer) for name, per_layer in wanted.items()}
    layers = [
        LayerTrace(
            hidden=_stack(steps.hidden),
            pre=_stack(steps.pre),
            gates={name: _stack(values) for name, values in steps.gates.items()},
            cell=_stack(steps.cell) if steps.cell else None,
            grad_hidden=_stack(grads["hidden"][k]) if "hidden" in grads else None,
            grad_cell=_stack(grads["cell"][k]) if "cell" in grads else None,
        )
        for k, steps in enumerate(records)
    ]
    return Trace(
        inputs=inputs.detach(),
        layers=layers,
        outputs=outputs.detach(),
        loss=float(loss.detach()) if loss is not None else None,
    )


def _grads(loss: Tensor, per_layer: list[list[Tensor]]) -> list[list[Tensor]]:
    """dL/dv for every state tensor v, grouped per layer as given; zeros where v does not reach L."""
    flat = [v for values in per_layer for v in values]
    found = torch.autograd.grad(loss, flat, allow_unused=True, retain_graph=True)
    out, start = [], 0
    for values in per_layer:
        chunk = found[start : start + len(values)]
        out.append(
            [
                g if g is not None else torch.zeros_like(v)
                for g, v in zip(chunk, values, strict=True)
            ]
        )
        start += len(values)
    return out


def _stack(values: list[Tensor]) -> Tensor:
    return torch.stack([v.detach() for v in values], dim=1)
