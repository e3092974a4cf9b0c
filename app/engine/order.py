"""Order matters, shown: a model that only sees the average of its inputs beside an RNN, on a task
where order is the whole story.

The task: is this sequence rising or falling? A falling sequence is a rising one read backwards, so
both classes hold exactly the same values: the average says nothing, the order says everything.
Both models train on the very same batches; then both answer every held-out sequence read forwards
and backwards. The average does not change when the inputs are shuffled, so the first model gives
the same answer both ways (it is fooled); the RNN's answer turns round with the sequence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from app.engine.history import History
from app.engine.live import Learner, Live
from app.engine.problems import InputError, Problem
from models.init import initialise, initialise_head
from models.sequence import ModelSpec, SequenceModel

MODELS = ("average", "rnn")
CHECK_EVERY = 25  # steps between held-out measurements
VALIDATION_SIZE = 512
DATA_SEED_OFFSET = 7919  # the batch stream's generator is not either model's


@dataclass(frozen=True)
class OrderConfig:
    length: int = 8  # values per sequence
    hidden_size: int = 16
    learning_rate: float = 0.01
    batch_size: int = 32
    seed: int = 0

    LIVE_FIELDS: ClassVar[frozenset[str]] = frozenset({"learning_rate"})

    def problems(self) -> list[Problem]:
        found = []
        for name, low, high in (
            ("length", 2, 100),
            ("hidden_size", 1, 256),
            ("batch_size", 1, 1024),
        ):
            value = getattr(self, name)
            if not low <= value <= high:
                found.append(
                    Problem(
                        "problem.range",
                        f"{name} must be between {low} and {high} (got {value})",
                        {"field": name, "low": low, "high": high, "value": value},
                    )
                )
        return found

    def check(self) -> OrderConfig:
        found = self.problems()
        if found:
            raise InputError(found)
        return self


def rising_or_falling(size: int, length: int, generator: torch.Generator) -> tuple[Tensor, Tensor]:
    """Sequences (size, length, 1) of sorted uniform values, ascending (label 1) or descending (0)."""
    values, _ = torch.rand(size, length, generator=generator).sort(dim=1)
    rising = torch.randint(0, 2, (size,), generator=generator)
    values = torch.where(rising[:, None].bool(), values, values.flip(1))
    return (values * 2 - 1).unsqueeze(-1), rising  # centred on 0: the average alone is useless


class AverageModel(nn.Module):
    """Blind to order by construction: the average of the inputs through one linear layer."""

    def __init__(self, generator: torch.Generator) -> None:
        super().__init__()
        self.head = nn.Linear(1, 2)
        initialise_head(self.head, generator)

    def forward(self, x: Tensor) -> Tensor:
        return self.head(x.mean(dim=1))  # (batch, 1) -> (batch, 2)

    def loss(self, prediction: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(prediction, target)


class OrderLearner(Learner):
    def __init__(self, config: OrderConfig, kind: str) -> None:
        super().__init__()
        self.config = config
        self.generator = torch.Generator().manual_seed(config.seed)
        if kind == "average":
            self.model = AverageModel(self.generator)
        else:
            spec = ModelSpec(
                cell="rnn", hidden_size=config.hidden_size, head="classification", output_size=2
            )
            self.model = SequenceModel(spec)
            initialise(self.model.core, generator=self.generator)
            initialise_head(self.model.head, self.generator)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=config.learning_rate)
        self.history = History()

    @property
    def clip_threshold(self) -> float | None:
        return 1.0

    def answers(self, x: Tensor) -> Tensor:
        with self.lock, torch.no_grad():
            return self.model(x).argmax(-1)


@dataclass(frozen=True)
class OrderScore:
    """Held-out measurements of one model."""

    accuracy: float  # right answers, sequences read forwards
    accuracy_backwards: (
        float  # right answers, the same values read backwards (the label turns round)
    )
    unchanged: float  # share of answers that stay the same when the values are read backwards


class OrderDemo(Live):
    """Both models step together on one stream of batches."""

    def __init__(self, config: OrderConfig) -> None:
        super().__init__()
        self.config = config.check()
        self.runs = {kind: OrderLearner(self.config, kind) for kind in MODELS}
        self.generator = torch.Generator().manual_seed(config.seed + DATA_SEED_OFFSET)
        held_out = torch.Generator().manual_seed(config.seed + 2 * DATA_SEED_OFFSET)
        self.x_val, self.y_val = rising_or_falling(VALIDATION_SIZE, config.length, held_out)
        self._scores: dict[str, OrderScore] | None = None

    @property
    def diverged(self) -> bool:
        return all(run.diverged for run in self.runs.values())

    def _train_step(self) -> None:
        x, y = rising_or_falling(self.config.batch_size, self.config.length, self.generator)
        for run in self.runs.values():
            run.train_on(x, y)
        self.step += 1
        self._scores = None

    def _retuned(self) -> None:
        for run in self.runs.values():
            run.retune(self.config)

    def scores(self) -> dict[str, OrderScore]:
        """Each model on the held-out sequences, forwards and backwards (cached until the next step)."""
        with self.lock:
            if self._scores is None:
                self._scores = {kind: self._score(run) for kind, run in self.runs.items()}
            return self._scores

    def _score(self, run: OrderLearner) -> OrderScore:
        forwards = run.answers(self.x_val)
        backwards = run.answers(self.x_val.flip(1))
        return OrderScore(
            accuracy=float((forwards == self.y_val).float().mean()),
            accuracy_backwards=float((backwards == 1 - self.y_val).float().mean()),
            unchanged=float((forwards == backwards).float().mean()),
        )
