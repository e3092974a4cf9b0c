"""Translation lookup: every string a user sees comes from one catalog per language."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import streamlit as st

LANGUAGES = {"en": "English", "pt": "Português (Brasil)"}
DEFAULT_LANGUAGE = "en"
LOCALES = Path(__file__).parent / "locales"
LANGUAGE_KEY = "lang"


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


def current_language() -> str:
    language = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **values: object) -> str:
    """The text for ``key`` in the session's language, formatted with ``values``."""
    text = catalog(current_language()).get(key) or catalog(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**values) if values else text


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
