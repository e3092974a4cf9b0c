"""A RunConfig as a flat {name: value} mapping: for widgets, for URL query strings, for saved runs.

Links come from anywhere (a chat, a slide, a hand-edited address bar): ``from_query`` keeps every
readable, in-range value of a link and falls back to the default only for the others, saying which.
Numbers are written so they read back bit for bit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import fields, replace
from decimal import Decimal
from typing import TypeVar

from app.engine.config import RANGES, RunConfig
from app.engine.problems import InputError, Problem
from app.engine.ranges import Ranges, range_problem
from app.engine.tasks import LIMITS, SETTING_NAMES, TaskConfig

T = TypeVar("T")
# flat name -> TaskConfig field. "task" and "data_seed" avoid clashing with RunConfig's names.
TASK_FIELDS = {
    ("task" if f.name == "name" else "data_seed" if f.name == "seed" else f.name): f.name
    for f in fields(TaskConfig)
}
RUN_FIELDS = tuple(f.name for f in fields(RunConfig) if f.name != "task")
FLAT_NAMES = (*TASK_FIELDS, *RUN_FIELDS)
# Every ranged setting by its flat name. A value is checked even where its task ignores it: the
# widget for it is drawn as soon as another task is chosen.
FLAT_RANGES: Ranges = {**RANGES, **{SETTING_NAMES.get(n, n): b for n, b in LIMITS.items()}}


def to_flat(config: RunConfig) -> dict[str, object]:
    flat: dict[str, object] = {name: getattr(config.task, f) for name, f in TASK_FIELDS.items()}
    flat.update({name: getattr(config, name) for name in RUN_FIELDS})
    return flat


def from_flat(values: Mapping[str, object], base: RunConfig | None = None) -> RunConfig:
    """Build a config from (possibly textual) values; unknown names are ignored.

    Raises InputError listing every value that could not be read or is out of range.
    """
    base = base or RunConfig()
    parsed, problems = _read_all(values, to_flat(base))
    if problems:
        raise InputError(problems)
    return _build(base, parsed).check()


def to_query(config: RunConfig) -> dict[str, str]:
    """Only what differs from the defaults, so a shared link stays short."""
    defaults = to_flat(RunConfig())
    return {
        name: _text(value) for name, value in to_flat(config).items() if value != defaults[name]
    }


def from_query(params: Mapping[str, str]) -> tuple[RunConfig, list[Problem]]:
    """A link's setup: every readable, in-range value of it, the defaults for the rest, and the
    reasons for each value left out (empty when the whole link was used). Never raises."""
    base = RunConfig()
    parsed, problems = _read_all(
        {k: v for k, v in params.items() if k in FLAT_NAMES}, to_flat(base)
    )
    while parsed:
        config = _build(base, parsed)
        found = config.problems()
        if not found:
            return config, problems
        blamed = {name for problem in found for name in blamed_fields(problem)} & parsed.keys()
        if not blamed:  # nothing to pin it on: give up the whole link rather than guess
            problems.extend(found)
            break
        problems.extend(p for p in found if blamed_fields(p) & blamed)
        parsed = {name: value for name, value in parsed.items() if name not in blamed}
    return base, problems


def blamed_fields(problem: Problem) -> set[str]:
    """The flat settings a refusal is about (a window too long for its series is the window's)."""
    if problem.key == "problem.task":
        return {"task"}
    if problem.key == "problem.window":
        return {"window"}
    field = problem.values.get("field")
    return {field} if isinstance(field, str) else set()


def page_query(config: object, prefix: str) -> dict[str, str]:
    """A page's own frozen config (the sentiment page's, say) as link parameters named
    ``<prefix><field>``: only what differs from its defaults, written as ``to_query`` writes."""
    default = type(config)()
    return {
        f"{prefix}{f.name}": _text(getattr(config, f.name))
        for f in fields(config)  # type: ignore[arg-type]
        if getattr(config, f.name) != getattr(default, f.name)
    }


def from_page_query(
    kind: type[T], params: Mapping[str, str], prefix: str, ranges: Ranges
) -> tuple[T, list[Problem]]:
    """A page's own config from a link, as ``from_query`` reads a run's: every readable, valid
    ``<prefix><field>`` value, the defaults for the rest, a reason for each value left out. The
    config's ``check()`` names the field of each refusal. Never raises."""
    base = kind()
    defaults = {f.name: getattr(base, f.name) for f in fields(base)}  # type: ignore[arg-type]
    values = {k.removeprefix(prefix): v for k, v in params.items() if k.startswith(prefix)}
    parsed, problems = _read_all(values, defaults, ranges)
    while parsed:
        config = replace(base, **parsed)  # type: ignore[type-var]
        try:
            return config.check(), problems  # type: ignore[attr-defined]
        except InputError as error:
            found = error.problems
        blamed = {name for problem in found for name in blamed_fields(problem)} & parsed.keys()
        if not blamed:  # nothing to pin it on: give up the whole link rather than guess
            problems.extend(found)
            break
        problems.extend(p for p in found if blamed_fields(p) & blamed)
        parsed = {name: value for name, value in parsed.items() if name not in blamed}
    return base, problems


def _read_all(
    values: Mapping[str, object], defaults: Mapping[str, object], ranges: Ranges = FLAT_RANGES
) -> tuple[dict[str, object], list[Problem]]:
    parsed: dict[str, object] = {}
    problems: list[Problem] = []
    for name, raw in values.items():
        if name not in defaults:
            continue
        shown = (raw if isinstance(raw, str) else repr(raw))[:60]
        try:
            value = _coerce(raw, defaults[name])
        except _NotWholeError:
            problems.append(
                Problem(
                    "problem.whole",
                    f"{name} must be a whole number (got {shown})",
                    {"field": name, "value": shown},
                )
            )
        except (TypeError, ValueError, ArithmeticError):
            problems.append(
                Problem(
                    "problem.unreadable",
                    f"could not read {name}={shown!r}",
                    {"field": name, "value": shown},
                )
            )
        else:
            out = range_problem(name, value, ranges[name]) if name in ranges else None
            if out is None:
                parsed[name] = value
            else:
                problems.append(out)
    return parsed, problems


def _build(base: RunConfig, flat: Mapping[str, object]) -> RunConfig:
    merged = {**to_flat(base), **flat}
    task = TaskConfig(**{f: merged[name] for name, f in TASK_FIELDS.items()})
    return replace(base, task=task, **{name: merged[name] for name in RUN_FIELDS})


# Plain decimal notation only: no "inf", "nan", "0x10", "1_000", full-width or other scripts' digits.
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
_LARGEST_EXPONENT = 30  # far beyond any range, small enough that 10**exponent costs nothing


class _NotWholeError(ValueError):
    """A number with a fraction given for a whole-number setting."""


def _coerce(raw: object, like: object) -> object:
    """``raw`` as the type of ``like``, or ValueError: never a rounded, clamped or guessed value."""
    if isinstance(like, bool):
        return _boolean(raw)
    if isinstance(like, int):
        return _integer(raw)
    if isinstance(like, float):
        return _real(raw)
    if not isinstance(raw, str):
        raise TypeError(raw)
    return raw


def _boolean(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower() if isinstance(raw, str | int) else None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(raw)


def _integer(raw: object) -> int:
    if isinstance(raw, bool):
        raise TypeError(raw)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise ValueError(raw)
        if not raw.is_integer():
            raise _NotWholeError(raw)
        return int(raw)
    exact = _decimal(raw)
    if exact.adjusted() > _LARGEST_EXPONENT:
        raise ValueError(raw)
    if exact != exact.to_integral_value():  # hidden_size=3.7 is not 3
        raise _NotWholeError(raw)
    return int(exact)


def _real(raw: object) -> float:
    if isinstance(raw, bool):
        raise TypeError(raw)
    if isinstance(raw, int | float):  # a widget's or a saved run's own number
        value = float(raw)
    else:
        exact = _decimal(raw)
        value = float(exact)
        if value == 0 and not exact.is_zero():
            raise ValueError(raw)  # 1e-400 only reads as 0.0
    if not math.isfinite(value):
        raise ValueError(raw)  # 1e400, inf, nan
    return value


def _decimal(raw: object) -> Decimal:
    if not isinstance(raw, str):
        raise TypeError(raw)
    text = raw.strip()
    if len(text) > 100 or not _NUMBER.fullmatch(text):
        raise ValueError(raw)
    exact = Decimal(text)
    if exact.is_zero() and exact.is_signed():
        raise ValueError(raw)  # "-0": a sign that means nothing is a slip, not a setting
    return exact


def _text(value: object) -> str:
    """The shortest text that reads back as exactly ``value`` (no "+", which a URL turns into a space)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value == 0:
            return "0"  # -0.0 too: a sign on zero means nothing for any setting
        text = repr(value).replace("e+", "e")
        return text.removesuffix(".0")
    return str(value)
