"""A fair race: RNN, LSTM (and GRU) trained side by side on the very same stream of batches."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import torch

from app.engine.config import RunConfig
from app.engine.diagnostics import look
from app.engine.live import Live
from app.engine.problems import InputError, Problem
from app.engine.ranges import Ranges, choice_problems, range_problems
from app.engine.run import Run
from app.engine.tasks import TASKS, Task, TaskConfig, build_task
from models.sequence import parameter_count

DUEL_CELLS = ("rnn", "lstm", "gru")
MATCHES = ("hidden", "params")
CHECK_EVERY = 50  # steps between checks of whether a model has reached the target
# What "solved" means, per task kind: (metric, threshold, lower is better).
TARGETS = {"adding": ("mse", 0.01, True), "recall": ("accuracy", 0.95, False)}
DATA_SEED_OFFSET = 7919  # the batch stream's generator is not any model's
LOOK_EVERY = 0.5  # seconds between looks at each model's gradient through time while it plays


@dataclass(frozen=True)
class DuelConfig:
    """Defaults: the adding problem with T = 50, where an LSTM learns and a vanilla RNN cannot."""

    task: TaskConfig = field(default_factory=lambda: TaskConfig(name="adding", length=50))
    cells: tuple[str, ...] = ("rnn", "lstm")
    hidden_size: int = 32
    match: str = "hidden"  # "params": every cell sized to the LSTM's parameter count
    learning_rate: float = 0.01
    batch_size: int = 32
    forget_bias: float = 1.0
    seed: int = 0

    def problems(self) -> list[Problem]:
        found = []
        if self.task.name not in TARGETS:
            found.append(Problem("problem.duel_task", f"a duel runs on {', '.join(TARGETS)}"))
        if (
            not self.cells
            or any(c not in DUEL_CELLS for c in self.cells)
            or len(set(self.cells)) != len(self.cells)
        ):
            found.append(Problem("problem.duel_cells", "choose one to three different cells"))
        found.extend(choice_problems(self, {"match": MATCHES}))
        found.extend(range_problems(self, RANGES))
        if self.task.name in TARGETS:  # the task's own fields: the length or the lag it races on
            params = TASKS[self.task.name][0].params
            found.extend(range_problems(self.task, TASK_RANGES, only=params))
        if not found:
            for config in run_configs(self).values():
                found.extend(p for p in config.problems() if p not in found)
        return found


# Narrower than a single run's: several models train at once and must stay live. Widgets read these.
RANGES: Ranges = {
    "hidden_size": (1, 256),
    "learning_rate": (1e-4, 1.0),
    "batch_size": (1, 1024),
    "forget_bias": (-10.0, 10.0),
    "seed": (0, 2**31 - 1),
}
TASK_RANGES: Ranges = {"length": (10, 200), "lag": (1, 100)}


def run_configs(duel: DuelConfig) -> dict[str, RunConfig]:
    """One RunConfig per cell; with match="params" the hidden sizes make parameter counts agree."""
    base = RunConfig(
        task=duel.task,
        hidden_size=duel.hidden_size,
        learning_rate=duel.learning_rate,
        batch_size=duel.batch_size,
        forget_bias=duel.forget_bias,
        seed=duel.seed,
    )
    configs = {cell: replace(base, cell=cell) for cell in duel.cells}
    if duel.match == "params" and duel.task.name in TARGETS:
        target = count_parameters(replace(base, cell="lstm"))
        for cell in duel.cells:
            configs[cell] = replace(
                base, cell=cell, hidden_size=hidden_for(replace(base, cell=cell), target)
            )
    return configs


def count_parameters(config: RunConfig) -> int:
    """Parameters of the model a config builds (recurrent core + head), by formula."""
    task_inputs = {"adding": 2, "recall": config.task.symbols}.get(config.task.name, 1)
    task_outputs = {"recall": config.task.symbols}.get(config.task.name, 1)
    gates = {"rnn": 1, "lstm": 4, "gru": 3}[config.cell]
    h = config.hidden_size
    total = 0
    for layer in range(config.num_layers):
        width = task_inputs if layer == 0 else h
        total += gates * h * (width + h + 2)
    return total + h * task_outputs + task_outputs


def hidden_for(config: RunConfig, target: int) -> int:
    """The hidden size whose parameter count is closest to ``target``."""
    return min(
        range(1, 513), key=lambda h: abs(count_parameters(replace(config, hidden_size=h)) - target)
    )


class Duel(Live):
    """Every step draws one batch and feeds it to each model in turn, so they advance together."""

    travels = True  # its runs and their shared task pickle whole (app/engine/slice_worker.py)

    def __init__(self, config: DuelConfig) -> None:
        found = config.problems()
        if found:
            raise InputError(found)
        super().__init__()
        self.config = config
        self.task: Task = build_task(config.task)
        self.generator = torch.Generator().manual_seed(config.seed + DATA_SEED_OFFSET)
        self.runs = {cell: Run(c, task=self.task) for cell, c in run_configs(config).items()}
        self.reached: dict[str, int | None] = dict.fromkeys(self.runs)
        # The latest looks at the gradient through time: the step, time.monotonic() (the machine's
        # clock, the same in the training worker's process) and each live model's norms.
        self._looks: tuple[int, float, dict[str, np.ndarray]] = (-1, -math.inf, {})

    def looks(self, playing: bool) -> dict[str, np.ndarray]:
        """Each model's ||dL/dh_t|| (diverged ones left out) at this step; while ``playing``, the
        last looks if younger than LOOK_EVERY (a look costs more than a refresh's drawing)."""
        with self.lock:
            step, at, norms = self._looks
            if step == self.step or (playing and time.monotonic() - at < LOOK_EVERY):
                return norms
            norms = {cell: look(run).norms for cell, run in self.runs.items() if not run.diverged}
            self._looks = (self.step, time.monotonic(), norms)
            return norms

    def before_drawing(self) -> None:
        # What the page draws of each model: some 10 ms of the server's core a refresh for two,
        # and a look every LOOK_EVERY another 10 ms.
        for run in self.runs.values():
            run.before_drawing()
        self.looks(playing=True)

    def _train_step(self) -> None:
        x, y = self.task.batch(self.config.batch_size, self.generator)
        for run in self.runs.values():
            run.train_on(x, y)
        self.step += 1
        if self.step % CHECK_EVERY == 0:
            self._check_targets()

    @property
    def diverged(self) -> bool:
        return all(run.diverged for run in self.runs.values())

    def parameters(self) -> dict[str, int]:
        return {cell: parameter_count(run.model) for cell, run in self.runs.items()}

    def _check_targets(self) -> None:
        metric, threshold, lower = TARGETS[self.task.info.kind]
        for cell, run in self.runs.items():
            if self.reached[cell] is not None or run.diverged:
                continue
            score = run.evaluate().score
            if (score <= threshold) if lower else (score >= threshold):
                self.reached[cell] = self.step


SWEEP_LAGS = (5, 10, 20, 40)
SWEEP_STEPS = 600


def sweep(
    config: DuelConfig,
    lags: tuple[int, ...] = SWEEP_LAGS,
    steps: int = SWEEP_STEPS,
    progress: Callable[[float], None] | None = None,
) -> dict[str, tuple[list[int], list[float]]]:
    """Final validation accuracy against lag for each cell, after ``steps`` steps of a duel per lag."""
    results: dict[str, tuple[list[int], list[float]]] = {cell: ([], []) for cell in config.cells}
    for k, lag in enumerate(lags):
        duel = Duel(replace(config, task=replace(config.task, name="recall", lag=lag)))
        duel.train(steps=steps)
        for cell, run in duel.runs.items():
            results[cell][0].append(lag)
            results[cell][1].append(run.evaluate().score)
        if progress is not None:
            progress((k + 1) / len(lags))
    return results
