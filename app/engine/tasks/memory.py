"""Memory tasks where a vanilla RNN and an LSTM really differ."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from app.engine.tasks.base import Batch, Task, TaskConfig, TaskInfo

ADDING = TaskInfo(
    "adding",
    "The adding problem: add the two marked numbers of a long sequence (baseline MSE 0.167).",
    ("length",),
    "adding",
)
RECALL = TaskInfo(
    "recall",
    "Delayed recall: name the symbol shown L steps ago, through distracting symbols.",
    ("lag", "symbols"),
    "recall",
)
ADDING_BASELINE_MSE = 1 / 6  # always answering 1.0: the variance of a sum of two U(0, 1)
ADDING_SOLVED_WITHIN = 0.04  # Hochreiter & Schmidhuber (1997) count an answer within 0.04 as right
VALIDATION_SIZE = 512
VALIDATION_SEED_OFFSET = 1_000_003  # validation never overlaps the training stream


def adding(config: TaskConfig) -> Task:
    """Hochreiter & Schmidhuber (1997): each step has (value, marker); the answer is the marked sum."""
    length = config.length
    stream = AddingStream(length)
    val_gen = torch.Generator().manual_seed(config.seed + VALIDATION_SEED_OFFSET)
    x_val, y_val = adding_batch(VALIDATION_SIZE, length, val_gen)
    x_tr, y_tr = adding_batch(VALIDATION_SIZE, length, torch.Generator().manual_seed(config.seed))
    # Real-valued inputs: a training batch repeats a validation sequence with probability zero.
    return Task(
        ADDING, "regression", 2, 1, x_tr, y_tr, x_val, y_val, stream=stream, held_out="fresh"
    )


@dataclass(frozen=True)
class AddingStream:
    """Fresh adding sequences: a class, not a closure, so a run pickles whole (its slices may
    train in another process: app/engine/slice_worker.py)."""

    length: int

    def __call__(self, size: int, generator: torch.Generator) -> Batch:
        return adding_batch(size, self.length, generator)


def adding_batch(size: int, length: int, generator: torch.Generator) -> Batch:
    values = torch.rand(size, length, generator=generator)
    half = max(length // 2, 1)
    first = torch.randint(0, half, (size,), generator=generator)
    second = torch.randint(half, length, (size,), generator=generator)
    markers = torch.zeros(size, length)
    rows = torch.arange(size)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    target = values[rows, first] + values[rows, second]
    return torch.stack([values, markers], dim=-1), target  # (size, length, 2), (size,)


def recall(config: TaskConfig) -> Task:
    """The first symbol must be named after ``lag`` more random symbols: chance is 1 / symbols.

    Validation sequences are never trained on: with a short lag there are few distinct sequences
    (4 symbols, L = 1: sixteen), so the training stream redraws any that validation holds."""
    lag, symbols = config.lag, config.symbols
    val_gen = torch.Generator().manual_seed(config.seed + VALIDATION_SEED_OFFSET)
    distinct = symbols ** (lag + 1)
    if distinct <= 4 * VALIDATION_SIZE:
        # So few sequences that a random draw would hold most of them: hold out a quarter of the
        # continuations of each first symbol (at least one), so every answer is still asked.
        every = torch.cartesian_prod(*[torch.arange(symbols)] * (lag + 1)).reshape(
            distinct, lag + 1
        )
        per_symbol = distinct // symbols  # cartesian_prod varies the first symbol slowest
        keep = max(per_symbol // 4, 1)
        chosen = torch.cat(
            [
                k * per_symbol + torch.randperm(per_symbol, generator=val_gen)[:keep]
                for k in range(symbols)
            ]
        )
        val_tokens = every[chosen]
    else:
        val_tokens = torch.randint(0, symbols, (VALIDATION_SIZE, lag + 1), generator=val_gen)
    held = _codes(val_tokens, symbols) if distinct < 2**62 else None
    stream = RecallStream(lag, symbols, held)
    x_val, y_val = _recall_pair(val_tokens, symbols)
    x_tr, y_tr = stream(VALIDATION_SIZE, torch.Generator().manual_seed(config.seed))
    return Task(
        RECALL,
        "classification",
        symbols,
        symbols,
        x_tr,
        y_tr,
        x_val,
        y_val,
        stream=stream,
        held_out="fresh",
    )


@dataclass(frozen=True)
class RecallStream:
    """Fresh recall sequences, none of them ``held`` for validation (a class, as AddingStream)."""

    lag: int
    symbols: int
    held: Tensor | None  # the codes of the validation sequences (None: too many to repeat)

    def __call__(self, size: int, generator: torch.Generator) -> Batch:
        lag, symbols, held = self.lag, self.symbols, self.held
        tokens = torch.randint(0, symbols, (size, lag + 1), generator=generator)
        if held is not None:  # beyond 2**62 sequences a repeat is too rare to matter
            seen = torch.isin(_codes(tokens, symbols), held)
            while bool(seen.any()):
                tokens[seen] = torch.randint(
                    0, symbols, (int(seen.sum()), lag + 1), generator=generator
                )
                seen = torch.isin(_codes(tokens, symbols), held)
        return _recall_pair(tokens, symbols)


def _codes(tokens: Tensor, symbols: int) -> Tensor:
    """Each sequence of tokens as one integer (its digits in base ``symbols``)."""
    powers = symbols ** torch.arange(tokens.shape[1], dtype=torch.int64)
    return (tokens.to(torch.int64) * powers).sum(dim=1)


def _recall_pair(tokens: Tensor, symbols: int) -> Batch:
    x: Tensor = torch.nn.functional.one_hot(tokens, symbols).float()  # (size, lag + 1, symbols)
    return x, tokens[:, 0]


def recall_batch(size: int, lag: int, symbols: int, generator: torch.Generator) -> Batch:
    tokens = torch.randint(0, symbols, (size, lag + 1), generator=generator)
    x: Tensor = torch.nn.functional.one_hot(tokens, symbols).float()  # (size, lag + 1, symbols)
    return x, tokens[:, 0]
