"""A RunConfig as a flat {name: value} mapping: for widgets, for URL query strings, for saved runs."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields, replace

from app.engine.config import RunConfig
from app.engine.problems import InputError, Problem
from app.engine.tasks import TaskConfig

# flat name -> TaskConfig field. "task" and "data_seed" avoid clashing with RunConfig's names.
TASK_FIELDS = {
    ("task" if f.name == "name" else "data_seed" if f.name == "seed" else f.name): f.name
    for f in fields(TaskConfig)
}
RUN_FIELDS = tuple(f.name for f in fields(RunConfig) if f.name != "task")
FLAT_NAMES = (*TASK_FIELDS, *RUN_FIELDS)


def to_flat(config: RunConfig) -> dict[str, object]:
    flat: dict[str, object] = {name: getattr(config.task, f) for name, f in TASK_FIELDS.items()}
    flat.update({name: getattr(config, name) for name in RUN_FIELDS})
    return flat


def from_flat(values: Mapping[str, object], base: RunConfig | None = None) -> RunConfig:
    """Build a config from (possibly textual) values; unknown names are ignored.

    Raises InputError listing every value that could not be read or is out of range.
    """
    base = base or RunConfig()
    defaults = to_flat(base)
    parsed: dict[str, object] = {}
    problems: list[Problem] = []
    for name, raw in values.items():
        if name not in defaults:
            continue
        try:
            parsed[name] = _coerce(raw, defaults[name])
        except (TypeError, ValueError):
            problems.append(
                Problem(
                    "problem.unreadable",
                    f"could not read {name}={raw!r}",
                    {"field": name, "value": raw},
                )
            )
    if problems:
        raise InputError(problems)
    merged = {**defaults, **parsed}
    task = TaskConfig(**{f: merged[name] for name, f in TASK_FIELDS.items()})
    config = replace(base, task=task, **{name: merged[name] for name in RUN_FIELDS})
    return config.check()


def to_query(config: RunConfig) -> dict[str, str]:
    """Only what differs from the defaults, so a shared link stays short."""
    defaults = to_flat(RunConfig())
    return {
        name: _text(value) for name, value in to_flat(config).items() if value != defaults[name]
    }


def from_query(params: Mapping[str, str]) -> tuple[RunConfig, list[Problem]]:
    """A link's setup, or the defaults and the reasons when anything in it is off."""
    try:
        return from_flat({k: v for k, v in params.items() if k in FLAT_NAMES}), []
    except InputError as error:
        return RunConfig(), error.problems


def _coerce(raw: object, like: object) -> object:
    if isinstance(like, bool):
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ValueError(raw)
    if isinstance(like, int):
        if isinstance(raw, float) and not raw.is_integer():
            raise ValueError(raw)
        return int(float(raw)) if isinstance(raw, str) and "." in raw else int(raw)
    if isinstance(like, float):
        value = float(raw)
        if not math.isfinite(value):
            raise ValueError(raw)
        return value
    return str(raw)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return f"{value:g}" if isinstance(value, float) else str(value)
