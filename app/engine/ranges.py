"""Allowed ranges of numeric settings and allowed choices of named ones, and the one check of each
that every config runs them through.

A range is ``(lowest, highest)``; when both ends are ints the setting is a whole number. Widgets read
the same ranges for their bounds, so what a widget allows and what the engine accepts never differ.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from app.engine.problems import Problem

Bounds = tuple[float, float]
Ranges = Mapping[str, Bounds]


def range_problems(
    config: object,
    ranges: Ranges,
    only: Iterable[str] | None = None,
    names: Mapping[str, str] | None = None,
) -> list[Problem]:
    """A refusal for every ranged attribute of ``config`` that is not a number within its range.

    ``only`` limits the check to some attributes (a task reads only its own); ``names`` renames an
    attribute in the refusal to the setting the user knows (a task's ``seed`` is its "data_seed").
    """
    wanted = None if only is None else set(only)
    found = []
    for name, bounds in ranges.items():
        if wanted is not None and name not in wanted:
            continue
        problem = range_problem((names or {}).get(name, name), getattr(config, name), bounds)
        if problem is not None:
            found.append(problem)
    return found


def choice_problems(config: object, choices: Mapping[str, tuple[str, ...]]) -> list[Problem]:
    """A refusal for every attribute of ``config`` that is not one of its allowed choices."""
    return [
        choice_problem(name, getattr(config, name), options)
        for name, options in choices.items()
        if getattr(config, name) not in options
    ]


def choice_problem(name: str, value: object, options: tuple[str, ...]) -> Problem:
    """Why ``value`` cannot be the setting ``name``: it is not one of ``options``."""
    text = ", ".join(options)
    return Problem(
        "problem.choice",
        f"{name} must be one of {text} (got {value!r})",
        {"field": name, "options": text, "value": value},
    )


def range_problem(name: str, value: object, bounds: Bounds) -> Problem | None:
    """Why ``value`` cannot be the setting ``name``, or None when it can."""
    low, high = bounds
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and is_whole(bounds) and not _integral(value):
        return Problem(
            "problem.whole",
            f"{name} must be a whole number (got {value})",
            {"field": name, "value": value},
        )
    if number and low <= value <= high:  # NaN fails both comparisons
        return None
    return Problem(
        "problem.range",
        f"{name} must be between {low:g} and {high:g} (got {value})",
        {"field": name, "low": low, "high": high, "value": value},
    )


def is_whole(bounds: Bounds) -> bool:
    """Whether a range is of whole numbers (both its ends are ints)."""
    return all(isinstance(end, int) and not isinstance(end, bool) for end in bounds)


def _integral(value: int | float) -> bool:
    return isinstance(value, int) or (math.isfinite(value) and value.is_integer())
