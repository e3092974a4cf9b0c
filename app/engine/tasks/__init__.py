"""The task registry: name -> builder, plus the checks that refuse impossible task settings."""

from __future__ import annotations

from collections.abc import Callable

from app.engine.problems import InputError, Problem
from app.engine.ranges import Ranges, range_problems
from app.engine.tasks.base import Scaler, Task, TaskConfig, TaskInfo, window_problem
from app.engine.tasks.memory import ADDING, RECALL, adding, recall
from app.engine.tasks.series import (
    LESSON,
    SEATTLE,
    SINE,
    SINE_LENGTH,
    SYNTHETIC,
    lesson_temperature,
    seattle_series,
    seattle_temperature,
    sine,
    synthetic_temperature,
)

__all__ = ["TASKS", "Task", "TaskConfig", "TaskInfo", "Scaler", "build_task", "task_problems"]

TASKS: dict[str, tuple[TaskInfo, Callable[[TaskConfig], Task]]] = {
    LESSON.name: (LESSON, lesson_temperature),
    SEATTLE.name: (SEATTLE, seattle_temperature),
    SYNTHETIC.name: (SYNTHETIC, synthetic_temperature),
    SINE.name: (SINE, sine),
    ADDING.name: (ADDING, adding),
    RECALL.name: (RECALL, recall),
}

# Wide enough to explore, small enough to stay live on a laptop.
LIMITS: Ranges = {
    "window": (1, 200),
    "length": (2, 1000),
    "lag": (1, 500),
    "symbols": (2, 64),
    "noise": (0.0, 10.0),
    "frequency": (0.0, 0.5),
    "days": (30, 20000),
    "seed": (0, 2**31 - 1),
}
# The task's seed is the "data_seed" setting (RunConfig has a seed of its own).
SETTING_NAMES = {"seed": "data_seed"}

UPLOAD_NAME = (
    "csv"  # the user's own series: built by app.engine.csv_series, not from a config alone
)


def task_problems(config: TaskConfig) -> list[Problem]:
    if config.name == UPLOAD_NAME:
        return _range_problems(config, ("window",))
    if config.name not in TASKS:
        return [Problem("problem.task", f"unknown task {config.name!r}", {"name": config.name})]
    info = TASKS[config.name][0]
    problems = _range_problems(config, info.params)
    length = None if problems else _series_length(config)  # a series is sized only when sane
    if length is not None and "window" in info.params:
        too_long = window_problem(config.window, length)
        if too_long is not None:
            problems.append(too_long)
    return problems


def _series_length(config: TaskConfig) -> int | None:
    """How long the series a forecasting task windows is (read from disk only for Seattle)."""
    if config.name == "seattle_temperature":
        return len(seattle_series())
    return {"synthetic_temperature": config.days, "sine": SINE_LENGTH}.get(config.name)


def _range_problems(config: TaskConfig, params: tuple[str, ...]) -> list[Problem]:
    """The fields the task reads, and its seed (a generator refuses a seed beyond 64 bits)."""
    return range_problems(config, LIMITS, only=(*params, "seed"), names=SETTING_NAMES)


def build_task(config: TaskConfig) -> Task:
    if config.name == UPLOAD_NAME:
        raise InputError(Problem("problem.csv_missing", "upload a CSV file first"))
    return TASKS[config.name][1](config)
