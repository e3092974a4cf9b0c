"""Translation lookup: every string a user sees comes from one catalog per language."""

from __future__ import annotations

import numbers
import string
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app.engine.decimals import with_marks

LANGUAGES = {"en": "English", "pt": "Português (Brasil)"}
DEFAULT_LANGUAGE = "en"
LOCALES = Path(__file__).parent / "locales"
LANGUAGE_KEY = "lang"
DECIMAL_COMMA = {"pt"}  # 0,57 and 1.234 in Brazil: numbers in translated texts follow the language


@cache
def catalog(language: str) -> dict[str, str]:
    """A flat {"section.key": text} mapping from every ``locales/<language>/*.toml`` file, read once per
    process (read-only, shared safely). One file per part of the app; a key defined twice is an error."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALES / language).glob("*.toml")):
        with open(path, "rb") as f:
            part = _flatten(tomllib.load(f))
        clash = part.keys() & merged.keys()
        if clash:
            raise ValueError(
                f"{path.name} defines keys already defined elsewhere: {sorted(clash)[:5]}"
            )
        merged.update(part)
    return merged


def preferred_language(*tags: str | None) -> str | None:
    """The first language we speak among a browser's choices: a locale ("pt-BR") or an
    Accept-Language header ("pt-BR,pt;q=0.9,en;q=0.8"), best first by their q weights."""
    ranked: list[tuple[float, int, str]] = []
    for tag in tags:
        for order, item in enumerate((tag or "").split(",")):
            name, _, weight = item.strip().partition(";q=")
            try:
                q = float(weight) if weight else 1.0
            except ValueError:
                continue
            ranked.append((-q, len(ranked) + order, name.split("-")[0].strip().lower()))
    for _, _, language in sorted(ranked):
        if language in LANGUAGES:
            return language
    return None


# The language of the drawing in progress, when it was read once for all its texts and numbers
# (language_pinned). A context variable: every session's script thread has its own.
_PINNED: ContextVar[str | None] = ContextVar("unrolled_pinned_language", default=None)


def current_language() -> str:
    pinned = _PINNED.get()
    if pinned is not None:
        return pinned
    language = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


@contextmanager
def language_pinned() -> Iterator[None]:
    """Within: the session's language as it was on entering. A live refresh writes dozens of texts
    and numbers, and a session state lookup for each was a tenth of its drawing."""
    token = _PINNED.set(current_language())
    try:
        yield
    finally:
        _PINNED.reset(token)


def t(key: str, **values: object) -> str:
    """The text for ``key`` in the session's language, formatted with ``values`` (numbers with the
    language's decimal mark)."""
    text = catalog(current_language()).get(key) or catalog(DEFAULT_LANGUAGE).get(key, key)
    return _FORMATTER.format(text, **values) if values else text


def number(value: float, spec: str = "") -> str:
    """``format(value, spec)`` with the session language's decimal mark (0,57 and 1.234 in Portuguese)."""
    return with_marks(format(value, spec), _decimal_comma())


def localised(fig: go.Figure | dict) -> go.Figure | dict:
    """The figure's tick labels and hover numbers with the session language's decimal mark (a
    plotly figure, or a figure's dicts: app/charts/style.py PlainFigure)."""
    fig["layout"]["separators"] = ",." if _decimal_comma() else ".,"
    return fig


def localised_table(frame: pd.DataFrame, spec: str = ".4f") -> pd.io.formats.style.Styler:
    """A table for st.dataframe whose decimal columns read in the session's language (0,5000 in
    Portuguese). Streamlit shows a Styler's text and still sorts by the numbers underneath."""
    decimals = [name for name, kind in frame.dtypes.items() if kind.kind == "f"]
    return frame.style.format(lambda v: number(v, spec), subset=decimals)


def uses_decimal_comma() -> bool:
    """Whether the session's language writes 0,5 (so typed numbers are read that way too)."""
    return _decimal_comma()


def _decimal_comma() -> bool:
    return current_language() in DECIMAL_COMMA


class _LanguageFormatter(string.Formatter):
    """str.format, with numbers written as ``number`` writes them."""

    def format_field(self, value: object, format_spec: str) -> str:
        if isinstance(value, numbers.Number) and not isinstance(value, bool):
            # A bare count gets thousands separators, as the metrics do: 1,600,899 / 1.600.899.
            if isinstance(value, numbers.Integral) and not format_spec:
                format_spec = ","
            # "g" writes a large whole bound (a seed's 2147483647) as 2.14748e+09: write it whole.
            if format_spec == "g" and float(value).is_integer() and abs(value) >= 1e5:
                value, format_spec = int(value), ","
            return number(value, format_spec)
        return super().format_field(value, format_spec)


_FORMATTER = _LanguageFormatter()


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in tree.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(_flatten(value, key + "."))
        else:
            flat[key] = str(value)
    return flat


def describe(problem) -> str:
    """A Problem from the engine in the session's language (its field named as the widget is)."""
    values = dict(problem.values)
    if "field" in values:
        values["field"] = t(f"setting.{values['field']}")
    try:
        return t(problem.key, **values)
    except (KeyError, IndexError, ValueError):
        return problem.text
