"""What comes next, live: the same network trained by Adam, RMSProp and SGD, from the same initial
weights, on the very same batches. Only the optimiser differs, so the curves differ because of it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar

import numpy as np
import torch

from app.engine.config import OPTIMIZERS, RunConfig
from app.engine.live import Live
from app.engine.run import Run
from app.engine.tasks import Task, TaskConfig, build_task

DATA_SEED_OFFSET = 7919  # the batch stream's generator is not any model's
RECENT = 20  # steps whose mean loss says where a run is now (one step's loss is noisy)


@dataclass(frozen=True)
class RaceConfig:
    """Defaults: a noisy sine wave, a small RNN, one learning rate for all three optimisers."""

    task: TaskConfig = field(default_factory=lambda: TaskConfig(name="sine", window=20, noise=0.05))
    hidden_size: int = 16
    learning_rate: float = 0.01
    batch_size: int = 32
    seed: int = 0

    LIVE_FIELDS: ClassVar[frozenset[str]] = frozenset({"learning_rate"})

    def check(self) -> RaceConfig:
        for config in run_configs(self).values():
            config.check()
        return self


def run_configs(race: RaceConfig) -> dict[str, RunConfig]:
    base = RunConfig(
        task=race.task,
        hidden_size=race.hidden_size,
        learning_rate=race.learning_rate,
        batch_size=race.batch_size,
        seed=race.seed,  # the same seed: the same initial weights for every optimiser
    )
    return {name: replace(base, optimizer=name) for name in OPTIMIZERS}


class OptimiserRace(Live):
    def __init__(self, config: RaceConfig) -> None:
        super().__init__()
        self.config = config.check()  # InputError: a setting no run can take
        self.task: Task = build_task(config.task)
        self.generator = torch.Generator().manual_seed(config.seed + DATA_SEED_OFFSET)
        self.runs = {name: Run(c, task=self.task) for name, c in run_configs(config).items()}

    @property
    def diverged(self) -> bool:
        return all(run.diverged for run in self.runs.values())

    def _train_step(self) -> None:
        x, y = self.task.batch(self.config.batch_size, self.generator)
        for run in self.runs.values():
            run.train_on(x, y)
        self.step += 1

    def _retuned(self) -> None:
        for name, config in run_configs(self.config).items():
            self.runs[name].retune(config)

    def recent_loss(self) -> dict[str, float]:
        """Each optimiser's mean training loss over its last RECENT recorded steps (inf: diverged)."""
        out = {}
        for name, run in self.runs.items():
            loss = run.history.array("loss")[-RECENT:]
            out[name] = float("inf") if run.diverged or not len(loss) else float(np.mean(loss))
        return out

    def ranking(self) -> list[str]:
        """Optimisers from the lowest recent loss to the highest: what the page's words say."""
        recent = self.recent_loss()
        return sorted(recent, key=recent.get)
