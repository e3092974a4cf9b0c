"""The lesson's first Keras example, reproduced as written, beside the same network on standardised data.

As written: SimpleRNN(10, tanh) + Dense(1), Adam at 1e-3, the raw temperatures (about 20 °C), 100
full-batch epochs. Keras' defaults are kept: glorot_uniform input kernel, orthogonal recurrent kernel,
zero biases, a glorot_uniform Dense layer with a zero bias, Adam's epsilon 1e-7, no clipping. The fix
changes one thing: inputs and targets are standardised (and the error is reported back in °C²).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import torch

from app.engine.history import History
from app.engine.live import Learner, Live
from app.engine.problems import InputError, Problem
from app.engine.tasks.base import Scaler
from app.engine.tasks.series import LESSON_X, LESSON_Y
from models.sequence import ModelSpec, SequenceModel

VARIANTS = ("as_written", "standardised")
WINDOW_SETS = {"example": 3, "all": len(LESSON_X)}  # the first example's 3 windows, or all 7
EPOCHS = 100  # what the lesson's model.fit asks for: one full-batch step per epoch here
KERAS_ADAM_EPSILON = 1e-7


@dataclass(frozen=True)
class KerasConfig:
    """Defaults: the lesson's first example, exactly its three windows and settings."""

    windows: str = "example"
    hidden_size: int = 10
    learning_rate: float = 1e-3
    seed: int = 0

    LIVE_FIELDS: ClassVar[frozenset[str]] = frozenset({"learning_rate"})

    def problems(self) -> list[Problem]:
        found = []
        if self.windows not in WINDOW_SETS:
            found.append(
                Problem(
                    "problem.choice",
                    f"windows must be one of {', '.join(WINDOW_SETS)}",
                    {"field": "windows", "options": ", ".join(WINDOW_SETS), "value": self.windows},
                )
            )
        if not 1 <= self.hidden_size <= 256:
            found.append(
                Problem(
                    "problem.range",
                    "hidden_size must be between 1 and 256",
                    {"field": "hidden_size", "low": 1, "high": 256, "value": self.hidden_size},
                )
            )
        if not 1e-6 <= self.learning_rate <= 10.0:
            found.append(
                Problem(
                    "problem.range",
                    "learning_rate must be between 1e-06 and 10",
                    {
                        "field": "learning_rate",
                        "low": 1e-6,
                        "high": 10,
                        "value": self.learning_rate,
                    },
                )
            )
        return found

    def check(self) -> KerasConfig:
        found = self.problems()
        if found:
            raise InputError(found)
        return self


def lesson_data(windows: str = "example") -> tuple[np.ndarray, np.ndarray]:
    """The lesson's windows (n, 3) and next-day targets (n,), in °C."""
    n = WINDOW_SETS[windows]
    return np.array(LESSON_X[:n], dtype=np.float64), np.array(LESSON_Y[:n], dtype=np.float64)


class KerasLearner(Learner):
    """One of the two networks. Its loss is recorded in °C², whatever units it trains in."""

    def __init__(self, config: KerasConfig, standardise: bool) -> None:
        super().__init__()
        self.config = config
        x, y = lesson_data(config.windows)
        self.scaler = Scaler.fit(np.concatenate([x.ravel(), y])) if standardise else Scaler()
        self.x = torch.tensor(self.scaler.apply(x), dtype=torch.float32).unsqueeze(-1)  # (n, 3, 1)
        self.y = torch.tensor(self.scaler.apply(y), dtype=torch.float32)  # (n,)
        self.generator = torch.Generator().manual_seed(config.seed)
        self.model = keras_model(config.hidden_size, self.generator)
        self.optimizer = torch.optim.Adam(
            self.model.parameters(), lr=config.learning_rate, eps=KERAS_ADAM_EPSILON
        )
        self.history = History()

    def batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        return self.x, self.y  # full batch: Keras' batch_size=32 holds every window

    def loss_columns(self, loss: float) -> dict[str, float]:
        return {"loss": loss * self.scaler.std**2}

    def predictions(self) -> np.ndarray:
        """The network's next-day answers for the lesson's windows, in °C."""
        with self.lock, torch.no_grad():
            return self.scaler.invert(self.model(self.x))

    def mse(self) -> float:
        """Mean squared error on the lesson's windows, in °C²."""
        target = self.scaler.invert(self.y)
        return float(np.mean((self.predictions() - target) ** 2))

    def saturation(self) -> float:
        """Share of hidden units at |h| > 0.99 on the last step: a saturated tanh passes no gradient."""
        with self.lock, torch.no_grad():
            hidden, _ = self.model.core(self.x)
        return float((hidden[:, -1].abs() > 0.99).float().mean())


class KerasExample(Live):
    """Both networks, stepped together on their full batch, from the same initial weights."""

    def __init__(self, config: KerasConfig) -> None:
        super().__init__()
        self.config = config.check()
        self.runs = {v: KerasLearner(self.config, v == "standardised") for v in VARIANTS}

    @property
    def diverged(self) -> bool:
        return all(run.diverged for run in self.runs.values())

    def _train_step(self) -> None:
        for run in self.runs.values():
            run.train_on(*run.batch())
        self.step += 1

    def _retuned(self) -> None:
        for run in self.runs.values():
            run.retune(self.config)


def keras_model(hidden_size: int, generator: torch.Generator) -> SequenceModel:
    """SimpleRNN(hidden_size, tanh) + Dense(1), initialised as Keras does."""
    model = SequenceModel(ModelSpec(cell="rnn", input_size=1, hidden_size=hidden_size))
    core = model.core
    with torch.no_grad():
        W_ih, W_hh, b_ih, b_hh = core.layer_weights(0)
        W_ih.copy_(glorot_uniform(W_ih.shape, generator))
        W_hh.copy_(keras_orthogonal(hidden_size, generator))
        b_ih.zero_()
        b_hh.zero_()
        model.head.weight.copy_(glorot_uniform(model.head.weight.shape, generator))
        model.head.bias.zero_()
    return model


def glorot_uniform(shape: torch.Size, generator: torch.Generator) -> torch.Tensor:
    fan_out, fan_in = shape  # torch stores (out, in)
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return (torch.rand(shape, generator=generator) * 2 - 1) * limit


def keras_orthogonal(size: int, generator: torch.Generator) -> torch.Tensor:
    """Q of the QR of a Gaussian matrix, signs fixed by R's diagonal (Keras' Orthogonal, gain 1)."""
    q, r = torch.linalg.qr(torch.randn(size, size, generator=generator))
    return q * torch.sign(torch.diagonal(r))


def measure(
    seeds: tuple[int, ...] = (0, 1, 2, 3, 4), epochs: int = EPOCHS, windows: str = "example"
) -> dict[str, list[float]]:
    """Final MSE in °C² of each variant after ``epochs`` steps, for each seed."""
    out: dict[str, list[float]] = {v: [] for v in VARIANTS}
    for seed in seeds:
        example = KerasExample(KerasConfig(windows=windows, seed=seed))
        example.train(steps=epochs)
        for variant, run in example.runs.items():
            out[variant].append(run.mse())
    return out
