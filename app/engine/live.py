"""The one training life cycle: anything a page can Play, Pause, Step and Reset.

``Live`` trains in slices (a number of steps or a time budget) so a page can interleave training and
drawing; ``Learner`` owns the training step itself (batch, loss, finite check, backward, gradient
norms, clipping, optimiser step, record). A new live thing supplies only its batches and its extra
measurements: it never writes a training step of its own.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections.abc import Callable
from dataclasses import fields
from typing import Any, ClassVar

import torch

from app.engine.history import Columns, History
from models.sequence import SequenceModel

_UIDS = itertools.count(1)
# What the training step below records for every Learner, besides the owner's own loss columns.
STEP_COLUMNS = Columns(frozenset({"grad_norm", "grad_norm_clipped", "clipped"}), ("grad/",))


def learner_columns(*names: str, prefixes: tuple[str, ...] = ()) -> Columns:
    """The columns a Learner's History may have: the training step's, plus the owner's own."""
    return Columns(STEP_COLUMNS.names | frozenset(names), STEP_COLUMNS.prefixes + prefixes)


class Live:
    """Trains in slices under its own lock. Subclasses provide ``_train_step()`` and ``diverged``.

    ``travels``: whether a slice may train in another process (app/engine/slice_worker.py), the
    thing pickled there and back: true only for classes checked to pickle whole and to keep no
    references that other objects share."""

    steps_per_second: float = math.nan
    config: Any
    travels: ClassVar[bool] = False

    def __init__(self) -> None:
        self.uid = next(_UIDS)  # a name for caches: unlike id(), never reused by a later object
        # A press (Step, a widget) runs the script in a new thread while the live fragment's thread
        # may be in its training slice: whoever trains or reads this object holds the lock.
        self.lock = threading.RLock()
        self.step = 0
        self.steps_per_second = math.nan

    @property
    def diverged(self) -> bool:
        raise NotImplementedError

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state["lock"]  # a lock never travels: the copy gets its own
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.lock = threading.RLock()

    def _train_step(self) -> None:
        raise NotImplementedError

    def before_drawing(self) -> None:
        """Measure now what a refresh draws of the current step and caches until the next one, when
        that is costly: called where a slice trained in the training worker, so the server's drawing
        finds it done."""

    def retune(self, config: Any) -> None:
        """Take settings that need no new model (LIVE_FIELDS of the config) while training."""
        if needs_new_model(self.config, config):
            raise ValueError("this change needs a new model")
        with self.lock:
            self.config = config.check()
            self._retuned()

    def _retuned(self) -> None:
        """Push the new live settings wherever they act (the optimiser, usually)."""

    def train(
        self,
        steps: int | None = None,
        seconds: float | None = None,
        stop: Callable[[], bool] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> int:
        """Train ``steps`` steps, or for ``seconds`` on ``clock`` (at least one step; by default
        this thread's CPU time, see ``run_slice``), or until ``stop()`` says so before a step (a
        Pause pressed meanwhile); returns the steps done."""
        if steps is None and seconds is None:
            steps = 1
        if steps is not None and steps <= 0:
            return 0
        with self.lock:
            halt = (lambda: self.diverged) if stop is None else (lambda: self.diverged or stop())
            done, elapsed = run_slice(self._train_step, halt, steps, seconds, clock)
            if done and elapsed > 0:
                self.steps_per_second = smoothed(self.steps_per_second, done / elapsed)
            return done


class Learner(Live):
    """One model, one optimiser, one History: the training step every live model shares.

    A subclass sets ``model``, ``optimizer``, ``history`` and ``generator`` and provides:
    ``batch()`` (inputs and targets), ``loss_columns(loss)`` (how the loss is recorded: "loss",
    "bits"...), ``clip_threshold`` (None when clipping is off) and ``measure(row)`` (extra values
    for the step just taken, e.g. a validation loss every few steps)."""

    model: SequenceModel
    optimizer: torch.optim.Optimizer
    history: History
    generator: torch.Generator

    def __init__(self) -> None:
        super().__init__()
        self.diverged_at: int | None = None
        self._parameter_columns: tuple[SequenceModel, list[tuple[str, torch.Tensor]]] | None = None

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def clip_threshold(self) -> float | None:
        return None

    def batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        raise NotImplementedError

    def loss_columns(self, loss: float) -> dict[str, float]:
        return {"loss": loss}

    def measure(self, row: dict[str, float]) -> None:
        """Add this step's extra measurements to ``row`` (called after the optimiser's step)."""

    def forget_measurements(self) -> None:
        """Drop what was cached for the previous weights (called after every optimiser step)."""

    def _retuned(self) -> None:
        for group in self.optimizer.param_groups:
            group["lr"] = self.config.learning_rate

    def train_on(self, x: torch.Tensor, y: torch.Tensor) -> None:
        """One step on a given batch (a duel feeds the same batch to every model)."""
        with self.lock:
            if not self.diverged:
                self._train_step((x, y))

    def _train_step(self, batch: tuple[torch.Tensor, torch.Tensor] | None = None) -> None:
        x, y = batch if batch is not None else self.batch()
        self.optimizer.zero_grad(set_to_none=True)
        loss = self.model.loss(self.model(x), y)
        loss_value = float(loss.detach())
        if not math.isfinite(loss_value):
            self._diverge(loss_value)
            return
        loss.backward()
        columns, grads = self._gradients()
        norms, total = gradient_norms(grads)
        if not math.isfinite(total):
            self._diverge(loss_value)
            return
        threshold = self.clip_threshold
        clipped = threshold is not None and total > threshold
        if clipped:
            # As torch.nn.utils.clip_grad_norm_ does, without measuring the norms a second time.
            torch._foreach_mul_(grads, threshold / (total + 1e-6))
        self.optimizer.step()
        self.step += 1
        self.forget_measurements()
        row = {
            **self.loss_columns(loss_value),
            "grad_norm": total,
            "grad_norm_clipped": min(total, threshold) if threshold is not None else total,
            "clipped": float(clipped),
        }
        row.update(zip(columns, norms, strict=True))
        self.measure(row)
        self.history.record(self.step, row)

    def _gradients(self) -> tuple[list[str], list[torch.Tensor]]:
        """The History column and the gradient of every parameter that has one after backward."""
        # named_parameters() walks the module tree: once per model, not once per step.
        if self._parameter_columns is None or self._parameter_columns[0] is not self.model:
            named = [(f"grad/{n}", p) for n, p in self.model.named_parameters()]
            self._parameter_columns = (self.model, named)
        pairs = [(c, p.grad) for c, p in self._parameter_columns[1] if p.grad is not None]
        return [c for c, _ in pairs], [g for _, g in pairs]

    def measure_due(self, every: int, last: int) -> bool:
        """Whether a costly measurement is due: the first step, then every ``every`` steps or
        more since ``last``, and only on a step the history keeps."""
        if self.step == 1:
            return True
        return self.step - last >= every and self.history.keeps(self.step)

    def _diverge(self, loss_value: float) -> None:
        self.diverged_at = self.step + 1
        self.history.record(self.step + 1, self.loss_columns(loss_value), force=True)


def gradient_norms(grads: list[torch.Tensor]) -> tuple[list[float], float]:
    """The 2-norm of each gradient and of all of them together (what clipping compares with its
    threshold), read out of torch in one call instead of one ``float()`` per parameter."""
    norms = torch.stack(torch._foreach_norm(grads))
    total = torch.linalg.vector_norm(norms)  # as torch.nn.utils.clip_grad_norm_ computes it
    *each, whole = torch.cat((norms, total.unsqueeze(0))).tolist()
    return each, whole


def needs_new_model(old: Any, new: Any) -> bool:
    """Whether going from config ``old`` to ``new`` needs a new model: any change outside the
    config class's LIVE_FIELDS (the settings a model can take while it trains)."""
    live = getattr(type(new), "LIVE_FIELDS", frozenset())
    return type(old) is not type(new) or any(
        getattr(old, f.name) != getattr(new, f.name) for f in fields(new) if f.name not in live
    )


def run_slice(
    step: Callable[[], None],
    stop: Callable[[], bool],
    steps: int | None,
    seconds: float | None,
    clock: Callable[[], float] | None = None,
) -> tuple[int, float]:
    """Run ``step`` until ``stop()``, ``steps`` steps, or ``seconds`` on ``clock``; returns the
    steps done and the wall time taken.

    By default (``clock`` None) this thread's CPU time, not the wall: sessions share one
    interpreter (the GIL), and in a crowd a slice's wall time is mostly waiting for other threads.
    The pacing (app/ui/pacing.py) budgets each refresh's slice as CPU; timed on the wall, a slice
    of 40 sessions trained a third of that."""
    clock = clock or time.thread_time
    start = time.perf_counter()
    began = clock()
    done = 0
    while not stop():
        step()
        done += 1
        if steps is not None and done >= steps:
            break
        if seconds is not None and clock() - began >= seconds:
            break
    return done, time.perf_counter() - start


def smoothed(previous: float, latest: float, weight: float = 0.3) -> float:
    """An exponential moving average, so the speed shown does not jump from one refresh to the next."""
    return latest if math.isnan(previous) else (1 - weight) * previous + weight * latest
