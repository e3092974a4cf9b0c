"""Decimals as people type and read them: 0,002 in Portuguese, 0.002 in English, 2e-3 in both.

A decimal setting (a learning rate, a clipping threshold) is shown as the shortest text that reads
back as exactly its value, with the language's marks and thousands groups (1.000,5 / 1,000.5).
Typed text is read with the language's marks first; a mark that cannot be the language's is read
as the other language's, so 0.002 typed in Portuguese is 0,002 (a thousands group never starts
with 0), and 0,002 typed in English is 0.002. Where both readings are possible the language's wins:
1.000 is a thousand in Portuguese and 1 in English, 1,5 is 1.5 in English (a group has three digits).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from app.engine.problems import InputError, Problem
from app.engine.ranges import Bounds

MAX_SHOWN = 30  # characters of a refused text repeated in its message


def write_decimal(value: float, decimal_comma: bool) -> str:
    """The shortest exact text of ``value``: 0.002, 1,000.5 (English); 0,002, 1.000,5 (Portuguese)."""
    if value == 0:
        return "0"  # -0.0 too: a sign on zero means nothing for a setting
    return with_marks(format(Decimal(repr(float(value))).normalize(), ",f"), decimal_comma)


def with_marks(text: str, decimal_comma: bool) -> str:
    """A number written with Python's marks (1,000.5), in the language's (1.000,5 with a comma)."""
    return text.translate(_SWAP) if decimal_comma else text


def read_decimal(text: str, bounds: Bounds, decimal_comma: bool) -> float:
    """The number ``text`` means in the language, within ``bounds``.

    Raises InputError: ``decimals.empty``, ``decimals.unreadable`` (letters, misplaced marks, NaN)
    or ``decimals.range`` (with the number read, so the message can show what was understood).
    """
    typed = "".join(text.split()).replace("−", "-")  # a space or a typographic minus: not an error
    if not typed:
        raise InputError(Problem("decimals.empty", "type a number"))
    value = _parse(typed, decimal_comma)
    shown = text.strip()[:MAX_SHOWN]
    if value is None:
        raise InputError(
            Problem("decimals.unreadable", f"{shown!r} is not a number", {"value": shown})
        )
    low, high = bounds
    if not low <= value <= high:
        raise InputError(
            Problem(
                "decimals.range",
                f"{shown} must be between {low:g} and {high:g}",
                {"value": shown, "low": low, "high": high},
            )
        )
    return value


def _parse(typed: str, decimal_comma: bool) -> float | None:
    scientific = _SCIENTIFIC.fullmatch(typed)
    if scientific:  # 2e-3 or 2,5e-3: no thousands groups, either mark is the decimal one
        return _finite(float(typed.replace(",", ".")))
    own, other = (",", "."), (".", ",")
    for point, group in (own, other) if decimal_comma else (other, own):
        plain = _plain(typed, point, group)
        if plain is not None:
            return _finite(float(plain))
    return None


def _plain(typed: str, point: str, group: str) -> str | None:
    """``typed`` as Python reads it, when it is a number written with these marks."""
    p, g = re.escape(point), re.escape(group)
    ungrouped = rf"[+-]?(?:\d+(?:{p}\d*)?|{p}\d+)"
    grouped = rf"[+-]?[1-9]\d{{0,2}}(?:{g}\d{{3}})+(?:{p}\d*)?"
    if re.fullmatch(ungrouped, typed) or re.fullmatch(grouped, typed):
        return typed.replace(group, "").replace(point, ".")
    return None


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


_SWAP = str.maketrans(".,", ",.")
_SCIENTIFIC = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)[eE][+-]?\d+")
