"""The frozen description of a training run, and the one place that decides whether it is sensible."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from app.engine.problems import InputError, Problem
from app.engine.ranges import Ranges, choice_problems, range_problems
from app.engine.tasks import TaskConfig, task_problems
from models.init import INIT_SCHEMES
from models.recurrent import CELL_KINDS, RNN_ACTIVATIONS

OPTIMIZERS = ("adam", "sgd", "rmsprop")


@dataclass(frozen=True)
class RunConfig:
    """Defaults give a good first run: the lesson's vanilla RNN fitting its temperatures in seconds."""

    task: TaskConfig = field(default_factory=TaskConfig)
    cell: str = "rnn"
    hidden_size: int = 16
    num_layers: int = 1
    activation: str = "tanh"  # vanilla RNN only
    init: str = "default"
    init_radius: float = (
        1.0  # spectral radius of W_hh for the orthogonal, gaussian and identity inits
    )
    forget_bias: float = 1.0
    optimizer: str = "adam"
    # 0.002: a clean fit that settles (0.01 and 0.005 saw-tooth from 1e-10 back to 1e-3 with Adam).
    learning_rate: float = 0.002
    momentum: float = 0.9  # SGD only
    batch_size: int = 32
    clip: bool = True
    clip_threshold: float = 1.0
    seed: int = 0

    # Settings a run can take while it trains (app/engine/live.py): everything else needs a new model.
    LIVE_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"learning_rate", "momentum", "clip", "clip_threshold"}
    )

    def problems(self) -> list[Problem]:
        """Every reason this config cannot run; empty when it can."""
        found = list(task_problems(self.task))
        found.extend(choice_problems(self, CHOICES))
        found.extend(range_problems(self, RANGES))
        return found

    def check(self) -> RunConfig:
        found = self.problems()
        if found:
            raise InputError(found)
        return self


# The named settings and what each may be.
CHOICES = {
    "cell": CELL_KINDS,
    "activation": RNN_ACTIVATIONS,
    "init": INIT_SCHEMES,
    "optimizer": OPTIMIZERS,
}

# (field, lowest, highest). Learning rates above 10 or hidden sizes above 512 are never a lesson,
# only a frozen laptop.
RANGES: Ranges = {
    "hidden_size": (1, 512),
    "num_layers": (1, 3),
    "init_radius": (0.0, 10.0),
    "forget_bias": (-10.0, 10.0),
    "learning_rate": (1e-6, 10.0),
    "momentum": (0.0, 0.999),
    "batch_size": (1, 1024),
    "clip_threshold": (1e-3, 1e6),
    "seed": (0, 2**31 - 1),
}
