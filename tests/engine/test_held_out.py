"""Every task says what its validation data is, and "validation" is never data the model trains on."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from app.engine.tasks import TASKS, TaskConfig, build_task
from app.engine.tasks.base import chronological_split, windows
from app.engine.tasks.memory import recall
from app.engine.tasks.series import series_task


@pytest.mark.parametrize("name", list(TASKS))
def test_every_task_says_what_it_validates_on(name: str) -> None:
    task = build_task(TaskConfig(name=name))
    expected = {"lesson_temperature": "training", "adding": "fresh", "recall": "fresh"}
    assert task.held_out == expected.get(name, "future")
    assert task.validates == (name != "lesson_temperature")


def test_the_lesson_scores_on_its_own_training_windows() -> None:
    task = build_task(TaskConfig())
    assert torch.equal(task.x_val, task.x_train) and not task.validates


@pytest.mark.parametrize("window", [1, 3, 20])
def test_a_series_validates_on_targets_it_never_trains_on(window: int) -> None:
    series = np.arange(500, dtype=np.float64)  # every value (and so every window) unique
    train, val = chronological_split(series, window)
    _, train_targets = windows(train, window)
    _, val_targets = windows(val, window)
    assert set(train_targets).isdisjoint(val_targets)
    assert train_targets.max() < val_targets.min()  # the future, not a shuffled sample
    task = series_task(TASKS["sine"][0], series, window)
    assert task.validates and len(task.x_val) == len(val_targets)


@pytest.mark.parametrize(("lag", "symbols"), [(1, 2), (1, 4), (3, 4), (10, 4)])
def test_recall_never_trains_on_a_validation_sequence(lag: int, symbols: int) -> None:
    task = recall(TaskConfig(name="recall", lag=lag, symbols=symbols))
    held = {tuple(row) for row in task.x_val.argmax(-1).tolist()}
    assert held and torch.equal(task.y_val, task.x_val.argmax(-1)[:, 0])
    generator = torch.Generator().manual_seed(1)
    for _ in range(50):
        x, y = task.batch(64, generator)
        seen = {tuple(row) for row in x.argmax(-1).tolist()}
        assert held.isdisjoint(seen)
        assert torch.equal(y, x.argmax(-1)[:, 0])
