"""A live training run: built from a RunConfig, trained in short slices, recorded in a bounded History."""

from __future__ import annotations

import itertools
import math
import threading

import torch
from torch import nn

from app.engine.config import RunConfig, needs_new_model
from app.engine.history import Columns, History
from app.engine.metrics import Evaluation, evaluate
from app.engine.slices import Slices
from app.engine.tasks import Task, build_task
from models.init import initialise, spectral_radius
from models.sequence import ModelSpec, SequenceModel
from models.trace import Trace, trace

EVAL_EVERY = 10
_RUN_IDS = itertools.count(1)  # steps between validation losses and W_hh spectra
# What a run records: losses, gradient norms (in all and per parameter), W_hh's radius per layer.
COLUMNS = Columns(
    frozenset({"loss", "val_loss", "grad_norm", "grad_norm_clipped", "clipped"}),
    ("grad/", "radius/"),
)


class Run(Slices):
    """One model learning one task. Never raises on divergence: it stops and says where."""

    def __init__(self, config: RunConfig, task: Task | None = None) -> None:
        self.config = config.check()
        self.uid = next(_RUN_IDS)  # a name for caches: unlike id(), never reused by a later run
        # A button press starts a new script thread while the live fragment's thread may still be in
        # its training slice: whoever trains or reads the run holds this (re-entrant) lock.
        self.lock = threading.RLock()
        self.task = task if task is not None else build_task(config.task)
        # Every random draw of this run comes from here: sessions are threads of one process.
        self.generator = torch.Generator().manual_seed(config.seed)
        self.model = build_model(config, self.task, self.generator)
        self.optimizer = build_optimizer(config, self.model)
        self.history = History(known=COLUMNS)
        self.step = 0
        self.diverged_at: int | None = None
        self.steps_per_second = math.nan
        self._evaluation: Evaluation | None = None
        self._last_eval = 0

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    def retune(self, config: RunConfig) -> None:
        """Take new live settings (learning rate, momentum, clipping) without losing what was learned."""
        if needs_new_model(self.config, config):
            raise ValueError("this change needs a new model")
        self.config = config.check()
        for group in self.optimizer.param_groups:
            group["lr"] = config.learning_rate
            if "momentum" in group and config.optimizer == "sgd":
                group["momentum"] = config.momentum

    def evaluate(self) -> Evaluation:
        """Validation predictions and score at the current step (cached until the next step)."""
        with self.lock:
            if self._evaluation is None:
                self._evaluation = evaluate(self.model, self.task)
            return self._evaluation

    def trace(self, count: int = 1, start: int = 0) -> Trace:
        """An exact look inside the model on ``count`` validation samples."""
        x = self.task.x_val[start : start + count]
        y = self.task.y_val[start : start + count]
        with self.lock:
            return trace(self.model, x, y)

    def train_on(self, x: torch.Tensor, y: torch.Tensor) -> None:
        """One step on a given batch (a duel feeds the same batch to every model)."""
        with self.lock:
            if not self.diverged:
                self._train_step((x, y))

    def _train_step(self, batch: tuple[torch.Tensor, torch.Tensor] | None = None) -> None:
        config = self.config
        x, y = batch if batch is not None else self.task.batch(config.batch_size, self.generator)
        self.optimizer.zero_grad(set_to_none=True)
        loss = self.model.loss(self.model(x), y)
        loss_value = float(loss.detach())
        if not math.isfinite(loss_value):
            self._diverge(loss_value)
            return
        loss.backward()
        names, params = zip(*self.model.named_parameters(), strict=True)
        norms = torch._foreach_norm([p.grad for p in params])
        total = float(torch.linalg.vector_norm(torch.stack(norms)))
        clipped = config.clip and total > config.clip_threshold
        if not math.isfinite(total):
            self._diverge(loss_value)
            return
        if clipped:
            torch._foreach_mul_([p.grad for p in params], config.clip_threshold / (total + 1e-6))
        self.optimizer.step()
        self.step += 1
        self._evaluation = None
        row = {
            "loss": loss_value,
            "grad_norm": total,
            "grad_norm_clipped": min(total, config.clip_threshold) if config.clip else total,
            "clipped": float(clipped),
        }
        row.update({f"grad/{n}": float(v) for n, v in zip(names, norms, strict=True)})
        if self._eval_due():
            row["val_loss"] = self.evaluate().loss
            row.update(self.spectral_radii())
            self._last_eval = self.step
        self.history.record(self.step, row)

    def _eval_due(self) -> bool:
        """Every EVAL_EVERY steps or more, and only on a step the history keeps."""
        if self.step == 1:
            return True
        return self.step - self._last_eval >= EVAL_EVERY and self.history.keeps(self.step)

    def spectral_radii(self) -> dict[str, float]:
        """Spectral radius of each layer's W_hh (for gated cells, the largest over the gate blocks)."""
        core = self.model.core
        radii = {}
        for layer in range(core.num_layers):
            blocks = core.layer_weights(layer)[1].detach().split(core.hidden_size)
            radii[f"radius/l{layer}"] = max(spectral_radius(b) for b in blocks)
        return radii

    def _diverge(self, loss_value: float) -> None:
        self.diverged_at = self.step + 1
        self.history.record(self.step + 1, {"loss": loss_value}, force=True)


def build_model(config: RunConfig, task: Task, generator: torch.Generator) -> SequenceModel:
    spec = ModelSpec(
        cell=config.cell,
        input_size=task.input_size,
        hidden_size=config.hidden_size,
        num_layers=config.num_layers,
        activation=config.activation,
        head=task.head,
        output_size=task.output_size,
    )
    model = SequenceModel(spec)
    initialise(model.core, config.init, config.init_radius, config.forget_bias, generator)
    bound = 1.0 / math.sqrt(config.hidden_size)
    with torch.no_grad():  # torch's Linear default, drawn from the run's own generator
        model.head.weight.uniform_(-bound, bound, generator=generator)
        model.head.bias.uniform_(-bound, bound, generator=generator)
    return model


def build_optimizer(config: RunConfig, model: nn.Module) -> torch.optim.Optimizer:
    params = model.parameters()
    if config.optimizer == "adam":
        # fused: ~130 us instead of ~450 us per step on small models.
        return torch.optim.Adam(params, lr=config.learning_rate, fused=True)
    if config.optimizer == "sgd":
        return torch.optim.SGD(params, lr=config.learning_rate, momentum=config.momentum)
    return torch.optim.RMSprop(params, lr=config.learning_rate)
