"""One sequence, step by step: the terms of the equations at time t with the real numbers, and the
hidden state's path in 2-D. Everything comes from the exact trace, so what a page shows is the model."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import torch

from app.engine.problems import InputError, Problem
from app.engine.run import Run
from app.engine.tasks import Task
from models.equations import ACTIVATIONS
from models.trace import Trace, trace

MAX_TYPED = 500
PCA_SAMPLES = 64


@dataclass(frozen=True)
class Inspection:
    """A traced sequence: the model's inside on it, and the inputs in the data's own units."""

    trace: Trace  # batch of one
    inputs: np.ndarray  # (time, features) in the data's units
    outputs: (
        np.ndarray
    )  # (time, outputs): y_t = W_hy h_t + b_y at every step (units for regression)
    cell: str
    activation: str


@dataclass(frozen=True)
class StepTerms:
    """Every term of the cell's equations at one time step, for one layer. Vectors are (hidden,)."""

    t: int
    x: np.ndarray  # what this layer reads at t (the input, or the layer below's h_t)
    previous: np.ndarray  # h_{t-1}
    hidden: np.ndarray  # h_t
    pre: np.ndarray  # what goes into the nonlinearities, (gates * hidden,)
    input_term: np.ndarray  # W_ih x_t, (gates * hidden,)
    recurrent_term: np.ndarray  # W_hh h_{t-1}, (gates * hidden,)
    bias: np.ndarray  # b_ih + b_hh, (gates * hidden,)
    gates: dict[str, np.ndarray]  # LSTM i, f, g, o; GRU r, z, n
    previous_cell: np.ndarray | None = None
    cell: np.ndarray | None = None
    output: np.ndarray | None = None  # y_t, top layer only


def inspect(run: Run, x: torch.Tensor) -> Inspection:
    """Trace one sequence x (1, time, features) through ``run``'s current weights."""
    model = run.model
    found = trace(model, x)
    with torch.no_grad():
        every_step = model.head(found.layers[-1].hidden[0])  # (time, outputs)
    outputs = every_step.numpy()
    if run.task.head == "regression":
        outputs = run.task.to_units(outputs)
    inputs = x[0].numpy()
    if run.task.input_size == 1:
        inputs = run.task.to_units(inputs)
    return Inspection(
        found, np.asarray(inputs), np.asarray(outputs), model.core.cell, model.core.activation
    )


def step_terms(run: Run, seen: Inspection, t: int, layer: int = 0) -> StepTerms:
    """Recompute the terms of step t from the weights and the trace's h_{t-1} and x_t."""
    core = run.model.core
    W_ih, W_hh, b_ih, b_hh = (w.detach() for w in core.layer_weights(layer))
    found = seen.trace.layers[layer]
    x = (seen.trace.inputs if layer == 0 else seen.trace.layers[layer - 1].hidden)[0, t]
    previous = found.hidden[0, t - 1] if t > 0 else torch.zeros(core.hidden_size)
    gates = {name: values[0, t].numpy() for name, values in found.gates.items()}
    cells = found.cell
    previous_cell = None
    if cells is not None:
        previous_cell = (cells[0, t - 1] if t > 0 else torch.zeros(core.hidden_size)).numpy()
    output = None
    if layer == core.num_layers - 1:
        output = seen.outputs[t]
    return StepTerms(
        t=t,
        x=x.numpy(),
        previous=previous.numpy(),
        hidden=found.hidden[0, t].numpy(),
        pre=found.pre[0, t].numpy(),
        input_term=(W_ih @ x).numpy(),
        recurrent_term=(W_hh @ previous).numpy(),
        bias=(b_ih + b_hh).numpy(),
        gates=gates,
        previous_cell=previous_cell,
        cell=cells[0, t].numpy() if cells is not None else None,
        output=output,
    )


def recompute_rnn_hidden(terms: StepTerms, activation: str) -> np.ndarray:
    """h_t from the shown terms alone: act(W_xh x_t + W_hh h_{t-1} + b_h)."""
    pre = torch.as_tensor(terms.input_term + terms.recurrent_term + terms.bias)
    return ACTIVATIONS[activation](pre).numpy()


def top_units(values: np.ndarray, count: int = 8) -> np.ndarray:
    """Indices of the ``count`` largest |values|, in unit order: what to show when hidden is large."""
    if len(values) <= count:
        return np.arange(len(values))
    return np.sort(np.argsort(-np.abs(values))[:count])


def parse_sequence(text: str, task: Task, decimal_comma: bool = False) -> torch.Tensor:
    """'20, 21, 19, 22' -> a standardised (1, time, 1) tensor for a one-feature task.

    With ``decimal_comma`` (Portuguese) a comma between digits is the decimal mark, so
    '0,5; 0,7; 0,9' is three values; values are separated by ';', spaces, or a comma and a space;
    '1.234,5' reads 1234.5."""
    if task.input_size != 1:
        raise InputError(
            Problem("problem.typed_task", "typing a sequence works for one-value series tasks")
        )
    separators = r"(?:;|\s|,(?=\s|$))+" if decimal_comma else r"[;,\s]+"
    parts = [p for p in re.split(separators, text.strip()) if p]
    if not parts:
        raise InputError(Problem("problem.typed_empty", "type at least one number"))
    if len(parts) > MAX_TYPED:
        raise InputError(
            Problem("problem.typed_long", f"at most {MAX_TYPED} numbers", {"limit": MAX_TYPED})
        )
    values = []
    for part in parts:
        try:
            value = float(_decimal_point(part, decimal_comma).replace("−", "-"))
        except ValueError:
            raise InputError(
                Problem("problem.typed_number", f"{part!r} is not a number", {"value": part[:20]})
            ) from None
        if not math.isfinite(value) or abs(value) > 1e6:
            raise InputError(
                Problem(
                    "problem.typed_number", f"{part!r} is not a usable number", {"value": part[:20]}
                )
            )
        values.append(value)
    scaled = task.scaler.apply(np.asarray(values))
    return torch.as_tensor(scaled, dtype=torch.float32).reshape(1, -1, 1)


def _decimal_point(part: str, decimal_comma: bool) -> str:
    """A Portuguese number as Python reads it: '1.234,5' -> '1234.5', '0,5' -> '0.5'."""
    if not decimal_comma or "," not in part:
        return part
    return part.replace(".", "").replace(",", ".")


@dataclass(frozen=True)
class Trajectory:
    points: np.ndarray  # (time, 2): the sequence's hidden states in the plane of the first two PCs
    explained: tuple[float, float]  # share of variance each component explains
    cloud: np.ndarray  # (n, 2): other validation states, for context


def pca_trajectory(run: Run, seen: Inspection, layer: int = 0) -> Trajectory:
    """Place this sequence's path in the plane of the first two principal components of the run's
    hidden states over validation sequences (the fit does not depend on the sequence shown)."""
    mean, axes, share, cloud = fit_pca(run, layer)
    states = seen.trace.layers[layer].hidden[0].numpy()  # (time, hidden)
    return Trajectory(
        points=((states - mean) @ axes).astype(np.float32),
        explained=(float(share[0]), float(share[1])),
        cloud=cloud,
    )


def fit_pca(run: Run, layer: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean, the two leading axes (hidden, 2), their shares of variance, and the states projected.

    Eigenvectors of the hidden x hidden covariance: far cheaper than an SVD of every state."""
    sample = run.task.x_val[:PCA_SAMPLES]
    states = trace(run.model, sample).layers[layer].hidden.reshape(-1, run.model.core.hidden_size)
    states = states.double().numpy()
    mean = states.mean(axis=0)
    centred = states - mean
    covariance = centred.T @ centred / max(len(states) - 1, 1)
    values, vectors = np.linalg.eigh(covariance)  # ascending
    order = np.argsort(values)[::-1]
    values, vectors = np.clip(values[order], 0, None), vectors[:, order]
    total = values.sum()
    share = values / total if total > 0 else np.zeros_like(values)
    axes = vectors[:, :2]
    if axes.shape[1] < 2:  # a single hidden unit: the plane is that unit and nothing
        axes = np.pad(axes, ((0, 0), (0, 1)))
        share = np.pad(share, (0, 1))
    cloud = (centred @ axes).astype(np.float32)[:2000]
    return mean, axes, share[:2], cloud
