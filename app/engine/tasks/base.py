"""What every task hands the engine: data, a head, a way to draw batches, and the data's own units."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import Tensor

from app.engine.problems import Problem

Batch = tuple[Tensor, Tensor]
Stream = Callable[[int, torch.Generator], Batch]


@dataclass(frozen=True)
class TaskConfig:
    """One flat config for every task; each task reads only the fields it lists in ``TaskInfo.params``."""

    name: str = "lesson_temperature"
    window: int = 3  # days (or samples) the model reads before predicting the next one
    length: int = 50  # sequence length T of the adding problem
    lag: int = 10  # delayed recall: how many steps the symbol must be remembered
    symbols: int = 4  # delayed recall: alphabet size
    noise: float = 0.1
    frequency: float = 0.05  # sine: cycles per time step
    days: int = 1460  # synthetic temperature series length
    seed: int = 0


@dataclass(frozen=True)
class Scaler:
    """Standardisation z = (v - mean) / std, and back to the data's own units for display."""

    mean: float = 0.0
    std: float = 1.0

    @classmethod
    def fit(cls, values: np.ndarray) -> Scaler:
        std = float(np.std(values))
        return cls(float(np.mean(values)), std if std > 1e-12 else 1.0)

    def apply(self, values: np.ndarray) -> np.ndarray:
        return (np.asarray(values, dtype=np.float64) - self.mean) / self.std

    def invert(self, values: np.ndarray | Tensor) -> np.ndarray:
        if isinstance(values, Tensor):
            values = values.detach().cpu().numpy()
        return np.asarray(values, dtype=np.float64) * self.std + self.mean


@dataclass(frozen=True)
class TaskInfo:
    name: str
    teaches: str  # one line, English; the UI shows the catalog's "task.<name>.teaches"
    params: tuple[str, ...]  # which TaskConfig fields matter
    kind: str  # "forecast" (next value of a series), "adding", "recall"


@dataclass
class Task:
    """Train and validation data of one task, deterministic given its config."""

    info: TaskInfo
    head: str  # "regression" or "classification"
    input_size: int
    output_size: int
    x_train: Tensor  # (n, time, input_size)
    y_train: Tensor
    x_val: Tensor
    y_val: Tensor
    scaler: Scaler = field(default_factory=Scaler)
    unit: str = ""
    stream: Stream | None = None  # fresh samples per batch (synthetic tasks); else draw from train
    # What the validation data is, so a page never calls a training fit "validation":
    # "training" (the very windows it trains on), "future" (the last part of a series, held out in
    # time), "fresh" (sequences the training stream never draws).
    held_out: str = "future"

    @property
    def validates(self) -> bool:
        """Whether x_val / y_val are data the model never trains on."""
        return self.held_out != "training"

    def batch(self, size: int, generator: torch.Generator) -> Batch:
        if self.stream is not None:
            return self.stream(size, generator)
        n = self.x_train.shape[0]
        if size >= n:
            return self.x_train, self.y_train
        index = torch.randperm(n, generator=generator)[:size]
        return self.x_train[index], self.y_train[index]

    def to_units(self, values: np.ndarray | Tensor) -> np.ndarray:
        return self.scaler.invert(values)


def windows(series: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Sliding windows of ``window`` values and the value right after each: (n, window), (n,)."""
    view = np.lib.stride_tricks.sliding_window_view(series[:-1], window)
    return view.copy(), series[window:].copy()


def forecast_task(
    info: TaskInfo,
    train_series: np.ndarray,
    val_series: np.ndarray,
    window: int,
    unit: str = "",
) -> Task:
    """A next-value forecast from windows of a series, standardised with the training part's statistics."""
    scaler = Scaler.fit(train_series)
    x_tr, y_tr = windows(scaler.apply(train_series), window)
    x_va, y_va = windows(scaler.apply(val_series), window)
    return Task(
        info=info,
        head="regression",
        input_size=1,
        output_size=1,
        x_train=_tensor(x_tr).unsqueeze(-1),  # (n, window, 1)
        y_train=_tensor(y_tr),
        x_val=_tensor(x_va).unsqueeze(-1),
        y_val=_tensor(y_va),
        scaler=scaler,
        unit=unit,
    )


VALIDATION_SHARE = 0.2  # the last fifth of a series validates
TRAIN_SHARE = 1 - VALIDATION_SHARE


def chronological_split(
    series: np.ndarray, window: int, share: float = TRAIN_SHARE
) -> tuple[np.ndarray, ...]:
    """Train on the past, validate on the future; the validation part starts with its own window."""
    cut = int(len(series) * share)
    return series[:cut], series[cut - window :]


def window_problem(window: int, length: int) -> Problem | None:
    """The refusal for a window that leaves the validation part of a ``length``-long series empty."""
    if window < int(length * VALIDATION_SHARE) - 1:
        return None
    return Problem(
        "problem.window",
        f"a window of {window} is longer than the validation part of the series",
        {"window": window, "length": length},
    )


def _tensor(values: np.ndarray) -> Tensor:
    return torch.as_tensor(np.asarray(values, dtype=np.float32))
