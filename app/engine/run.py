"""A live training run: built from a RunConfig, trained in short slices, recorded in a bounded History."""

from __future__ import annotations

import math
import time

import torch
from torch import nn

from app.engine.config import RunConfig
from app.engine.diagnostics import GradientLog, maybe_look
from app.engine.history import History
from app.engine.live import Learner, learner_columns
from app.engine.metrics import Evaluation, Reference, Validation, evaluation, reference_of, validate
from app.engine.tasks import Task, build_task
from models.init import initialise, initialise_head
from models.recurrent import GATE_COUNT
from models.sequence import ModelSpec, SequenceModel
from models.trace import Trace, trace

EVAL_EVERY = 10  # steps between validation losses and W_hh spectra, for a small validation set
# A larger set waits EVAL_EVERY more steps for every PASS_STEPS cell steps (sequences x time steps)
# its pass reads: the adding problem's 512 sequences of 50 steps cost two LSTM training steps.
PASS_STEPS = 10_000
# W_hh's radii are recorded only while their eigenvalues stay cheap: the blocks times their size
# cubed (an eigenvalue solve costs about 25 n^3 operations). 2**23 is one LSTM layer of 128, three
# of 88, an RNN of 203: under a tenth of a second on one core. A 3-layer LSTM of 512 would take
# 13-17 s per measurement, every validation pass, with the page waiting.
RADII_MAX_WORK = 2**23
# What a run records: losses, gradient norms (in all and per parameter), W_hh's radius per layer.
COLUMNS = learner_columns("loss", "val_loss", prefixes=("radius/",))


class Run(Learner):
    """One model learning one task. Never raises on divergence: it stops and says where."""

    travels = True  # its task, model, optimiser and generator pickle whole; its History as steps

    def __init__(self, config: RunConfig, task: Task | None = None) -> None:
        super().__init__()
        self.config = config.check()
        self.task = task if task is not None else build_task(config.task)
        # Every random draw of this run comes from here: sessions are threads of one process.
        self.generator = torch.Generator().manual_seed(config.seed)
        self.model = build_model(config, self.task, self.generator)
        self.optimizer = build_optimizer(config, self.model)
        self.history = History(known=COLUMNS)
        # One validation pass per step at most, whoever asks first (a measurement, a page).
        self._validation: Validation | None = None
        self._evaluation: Evaluation | None = None
        self._reference: Reference | None = None  # fixed for the task: computed once
        self.validation_every = validation_every(self.task.x_val.shape)
        self._last_eval = 0
        self.gradient_log = GradientLog()  # the gradients page's looks, taken while it asks

    @property
    def clip_threshold(self) -> float | None:
        return self.config.clip_threshold if self.config.clip else None

    def batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        return self.task.batch(self.config.batch_size, self.generator)

    def _retuned(self) -> None:
        super()._retuned()
        if self.config.optimizer == "sgd":
            for group in self.optimizer.param_groups:
                group["momentum"] = self.config.momentum

    def validation(self) -> Validation:
        """The model's output and loss on the validation set at the current step (cached until
        the next step): what a training step records, without building an ``Evaluation``."""
        with self.lock:
            if self._validation is None:
                self._validation = validate(self.model, self.task)
            return self._validation

    def evaluate(self) -> Evaluation:
        """Validation predictions and score at the current step (cached until the next step)."""
        with self.lock:
            if self._evaluation is None:
                if self._reference is None:
                    self._reference = reference_of(self.task)
                self._evaluation = evaluation(self.task, self.validation(), self._reference)
            return self._evaluation

    def gradient_looks(self, playing: bool) -> GradientLog:
        """The looks at the gradient through time taken of this run, with a new one when there is
        none, when paused at a new step (a Step shows its own) or when the log's timer says so.
        Asking keeps them taken where a slice trains (``before_drawing``) for ASKED_FOR seconds."""
        with self.lock:
            log = self.gradient_log
            log.asked = time.monotonic()
            stale = not log.entries or (log.entries[-1].step != self.step and not playing)
            maybe_look(self, log, force=stale)
            return log

    def before_drawing(self) -> None:
        if not self.diverged:
            self.evaluate()  # the validation predictions every live page of a run draws
            if self.gradient_log.wanted(time.monotonic()):
                maybe_look(self, self.gradient_log)  # some 5 ms and a spectrum, when due

    def trace(self, count: int = 1, start: int = 0) -> Trace:
        """An exact look inside the model on ``count`` validation samples."""
        x = self.task.x_val[start : start + count]
        y = self.task.y_val[start : start + count]
        with self.lock:
            return trace(self.model, x, y)

    def forget_measurements(self) -> None:
        self._validation = None
        self._evaluation = None

    def measure(self, row: dict[str, float]) -> None:
        if self.measure_due(self.validation_every, self._last_eval):
            row.update(self.measurements())
            self._last_eval = self.step

    def measurements(self) -> dict[str, float]:
        """What a step records every ``validation_every`` steps: validation loss, and W_hh's radii
        while they are cheap (``radii_measured``)."""
        radii = self.spectral_radii() if self.radii_measured else {}
        return {"val_loss": self.validation().loss, **radii}

    @property
    def radii_measured(self) -> bool:
        """Whether W_hh's eigenvalues are within RADII_MAX_WORK (see there)."""
        core = self.model.core
        blocks = core.num_layers * GATE_COUNT[core.cell]
        return blocks * core.hidden_size**3 <= RADII_MAX_WORK

    def spectral_radii(self) -> dict[str, float]:
        """Spectral radius of each layer's W_hh (for gated cells, the largest over the gate blocks)."""
        core = self.model.core
        w_hh = [core.layer_weights(layer)[1].detach() for layer in range(core.num_layers)]
        radii = block_radii(torch.cat(w_hh), core.hidden_size).view(core.num_layers, -1)
        return {f"radius/l{layer}": r for layer, r in enumerate(radii.amax(dim=1).tolist())}


def validation_every(shape: tuple[int, ...]) -> int:
    """Steps between validation passes over inputs of ``shape`` (sequences, time, features):
    ``EVAL_EVERY`` for a pass of up to ``PASS_STEPS`` cell steps, ``EVAL_EVERY`` more for every
    ``PASS_STEPS`` beyond, so a long pass costs a training step no more than a short one (512
    sequences of 50 steps: every 30 steps; the lesson, the forecasts, recall: every 10). Always a
    multiple of ``EVAL_EVERY``: the steps measured are among those measured when every set was
    validated every ``EVAL_EVERY`` steps, with the same values."""
    cell_steps = shape[0] * shape[1]
    return EVAL_EVERY * max(1, math.ceil(cell_steps / PASS_STEPS))


def block_radii(stacked: torch.Tensor, size: int) -> torch.Tensor:
    """The spectral radius of each square ``size`` x ``size`` block of ``stacked`` (blocks one
    below the other, as torch stacks the gates of W_hh): one batched eigvals call, not one per
    block, with the same values ``models.init.spectral_radius`` gives block by block."""
    # The blocks lie one below the other in memory: a view, not a stack of copies.
    blocks = stacked.detach().double().view(-1, size, size)  # (blocks, size, size)
    return torch.linalg.eigvals(blocks).abs().amax(dim=-1)


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
    initialise_head(model.head, generator)
    return model


def build_optimizer(config: RunConfig, model: nn.Module) -> torch.optim.Optimizer:
    params = model.parameters()
    if config.optimizer == "adam":
        # fused: ~130 us instead of ~450 us per step on small models.
        return torch.optim.Adam(params, lr=config.learning_rate, fused=True)
    if config.optimizer == "sgd":
        return torch.optim.SGD(params, lr=config.learning_rate, momentum=config.momentum)
    return torch.optim.RMSprop(params, lr=config.learning_rate)
