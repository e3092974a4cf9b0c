"""What the gradients page measures: dL/dh_t through time, what theory predicts for it, and the
spectrum of W_hh. Taken with the exact unrolled pass, on a timer, only while a page asks for it."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import torch

from models.trace import Trace

if TYPE_CHECKING:  # a run holds its own log (app/engine/run.py imports this module)
    from app.engine.run import Run

SAMPLES = 8  # validation sequences averaged in one look
MIN_INTERVAL = 0.25  # seconds between looks while training...
COST_FACTOR = 10.0  # ...and never more often than ten times what a look costs
# Looks are taken while a page asks for them: one not asked for this long (the student went to
# another page, closed the tab) is not taken where the run trains.
ASKED_FOR = 2.0


@dataclass(frozen=True)
class TimeGradient:
    """||dL/dh_t|| for each step t of the sequence, and the per-step factor theory predicts."""

    step: int  # the training step it was taken at
    norms: np.ndarray  # (time,) float32, averaged over the samples
    predicted_factor: float  # expected ratio ||dL/dh_{t-1}|| / ||dL/dh_t||; NaN where none applies
    cell_norms: np.ndarray | None = None  # ||dL/dc_t|| for the LSTM


@dataclass
class GradientLog:
    """A bounded record of TimeGradients over training, for the heatmap (time step x training step)."""

    capacity: int = 150
    entries: list[TimeGradient] = field(default_factory=list)
    last_taken: float = -math.inf  # time.monotonic(): the machine's clock, the worker's too
    asked: float = -math.inf  # when a page last asked for the looks (time.monotonic())
    last_cost: float = 0.0
    # W_hh's spectrum, taken with each look (its cost counts in the look's): at 512 units an
    # eigenvalue solve takes about a second, too long for every refresh.
    spectrum: Spectrum | None = None

    def due(self, now: float) -> bool:
        return now - self.last_taken >= max(MIN_INTERVAL, COST_FACTOR * self.last_cost)

    def wanted(self, now: float) -> bool:
        return now - self.asked < ASKED_FOR

    def add(self, entry: TimeGradient) -> None:
        if self.entries and self.entries[-1].step == entry.step:
            self.entries[-1] = entry
            return
        self.entries.append(entry)
        if len(self.entries) > self.capacity:
            del self.entries[1::2]  # keep the whole span, at half the density

    def matrix(self) -> tuple[np.ndarray, np.ndarray]:
        """(training steps,), (entries, time) of log10 norms for a heatmap."""
        steps = np.array([e.step for e in self.entries], dtype=np.int64)
        with np.errstate(divide="ignore"):
            rows = [np.log10(np.maximum(e.norms, 1e-45)) for e in self.entries]
        return steps, np.asarray(rows, dtype=np.float32)


def look(run: Run, samples: int = SAMPLES, layer: int = -1) -> TimeGradient:
    """One exact look at the gradient through time of ``run``'s current weights."""
    found = run.trace(count=samples)
    cell = found.grad_norms(layer, of="cell").numpy() if run.config.cell == "lstm" else None
    return TimeGradient(
        step=run.step,
        norms=found.grad_norms(layer).numpy().astype(np.float32),
        predicted_factor=predicted_factor(run, found, layer),
        cell_norms=cell.astype(np.float32) if cell is not None else None,
    )


def maybe_look(run: Run, log: GradientLog, force: bool = False) -> None:
    """Add a look to ``log`` when the timer says so (or ``force``), unless the run has diverged."""
    now = time.monotonic()
    if run.diverged or not (force or log.due(now)):
        return
    log.add(look(run))
    log.spectrum = spectrum(run, layer=0)
    log.last_taken = time.monotonic()
    log.last_cost = log.last_taken - now


def predicted_factor(run: Run, found: Trace, layer: int = -1) -> float:
    """How much ||dL/dh_t|| should shrink (<1) or grow (>1) per step going back in time.

    - linear RNN: exactly the spectral radius of W_hh in the long run;
    - tanh / ReLU RNN: an upper bound on the factor ``fitted_factor`` measures on these norms
      (``rnn_bound``), not a prediction;
    - LSTM: along the cell state the factor is the forget gate, so its mean value;
    - GRU: likewise the update gate z, which copies the old state.
    """
    core = run.model.core
    index = layer % core.num_layers
    steps = found.layers[index]
    if core.cell == "lstm":
        return float(steps.gates["f"].mean())
    if core.cell == "gru":
        return float(steps.gates["z"].mean())
    W_hh = core.layer_weights(index)[1].detach().double()
    if core.activation == "linear":
        return float(torch.linalg.eigvals(W_hh).abs().max())
    if index != core.num_layers - 1:
        return math.nan  # a lower layer's dL/dh_t also gets gradient from above: no such bound
    sigma = float(torch.linalg.matrix_norm(W_hh, ord=2))
    h = steps.hidden.double()  # (batch, time, hidden)
    slope = (1 - h**2) if core.activation == "tanh" else (h > 0).double()
    worst = slope.amax(dim=-1).amax(dim=0).numpy()  # (time,): the steepest unit of any sample
    return rnn_bound(found.grad_norms(index).numpy(), sigma * worst)


def rnn_bound(norms: np.ndarray, step_bounds: np.ndarray, skip_last: int = 1) -> float:
    """An upper bound on ``fitted_factor(norms)`` from per-step bounds on the Jacobians.

    Going back from h_t to h_{t-1} multiplies dL/dh_t by W_hh^T diag(act'(z_t)), whose norm is at
    most C_t = sigma_max(W_hh) * max act'(z_t) (taken over units and samples, so it bounds the mean
    over samples too): ||dL/dh_{t-1}|| <= C_t ||dL/dh_t||. The least-squares slope that
    ``fitted_factor`` takes is a weighted mean (with non-negative weights) of the slopes between
    neighbouring points it fits, so the same fit of the curve prod_{s > t} C_s over the same points
    bounds it. Only the steps the gradient crosses inside the fit count (never t = 0, never the
    last step, where the loss enters)."""
    values = np.asarray(norms, dtype=np.float64)[: len(norms) - skip_last]
    ok = np.isfinite(values) & (values > 0)
    if ok.sum() < 2:
        return math.nan
    with np.errstate(divide="ignore"):
        log_bounds = np.log(np.asarray(step_bounds, dtype=np.float64)[: len(values)])
    # log of prod_{s=t+1}^{end} C_s for each fitted t: the curve a gradient at the bound would draw.
    crossed = np.zeros(len(values))
    crossed[:-1] = np.cumsum(log_bounds[:0:-1])[::-1]
    t = np.arange(len(values))[ok]
    if not np.all(np.isfinite(crossed[ok])):
        return (
            math.inf
        )  # a step with every unit flat, yet the gradient crossed it: never in exact maths
    slope = np.polyfit(t, crossed[ok], 1)[0]
    return float(np.exp(-slope))


def fitted_factor(norms: np.ndarray, skip_last: int = 1) -> float:
    """Per-step factor fitted by least squares on log ||dL/dh_t|| (ignores the last step(s), where
    the loss enters). Returns exp(-slope): >1 means the gradient grows going back in time."""
    values = np.asarray(norms, dtype=np.float64)[: len(norms) - skip_last]
    ok = np.isfinite(values) & (values > 0)
    if ok.sum() < 2:
        return math.nan
    t = np.arange(len(values))[ok]
    slope = np.polyfit(t, np.log(values[ok]), 1)[0]
    return float(np.exp(-slope))


@dataclass(frozen=True)
class Spectrum:
    step: int  # the training step it was taken at
    eigenvalues: np.ndarray  # complex, (hidden,)
    singular_values: np.ndarray  # descending, (hidden,)

    @property
    def radius(self) -> float:
        return float(np.abs(self.eigenvalues).max())


def spectrum(run: Run, layer: int = 0, block: int | None = None) -> Spectrum:
    """Eigenvalues and singular values of W_hh (for gated cells, of one gate's block; default the
    candidate: g for the LSTM, n for the GRU)."""
    core = run.model.core
    W_hh = core.layer_weights(layer)[1].detach().double()
    blocks = W_hh.split(core.hidden_size)
    if block is None:
        block = {"rnn": 0, "lstm": 2, "gru": 2}[core.cell]
    matrix = blocks[block]
    return Spectrum(
        step=run.step,
        eigenvalues=torch.linalg.eigvals(matrix).numpy(),
        singular_values=torch.linalg.svdvals(matrix).numpy(),
    )
