"""Values a page derives from a session's live things (an inspection, a sample, a look at the
gradient, a sweep), remembered while what they were computed from holds: one helper instead of a
cache per page. Kept in ``st.session_state``: one session never sees another's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st

V = TypeVar("V")
_KEY = "derived"


@dataclass(frozen=True)
class _Entry:
    owner: Any  # compared by identity: a run, a duel, an inspection (None: no owner)
    key: Hashable  # compared by value: a step, a setting, a text
    made: float  # time.monotonic() when computed
    value: Any


def remembered(
    name: str,
    key: Hashable,
    compute: Callable[[], V],
    *,
    owner: Any = None,
    max_age: float | None = None,
) -> V:
    """The value remembered under ``name`` if it was computed for this ``owner`` and ``key``;
    otherwise ``compute()`` it and remember that instead (one value per name).

    With ``max_age`` (seconds), a value computed for the same owner that recently is reused even
    though its key moved on: while a run plays its step changes at every refresh, and a costly
    look at it need not follow each one."""
    entries: dict[str, _Entry] = st.session_state.setdefault(_KEY, {})
    entry = entries.get(name)
    now = time.monotonic()
    recent = entry is not None and max_age is not None and now - entry.made < max_age
    if entry is not None and entry.owner is owner and (entry.key == key or recent):
        return entry.value
    value = compute()
    entries[name] = _Entry(owner, key, now, value)
    return value


def peek(name: str, key: Hashable) -> Any | None:
    """The value remembered under ``name`` for ``key`` (owner None), or None: nothing is computed."""
    entry = st.session_state.get(_KEY, {}).get(name)
    return entry.value if entry is not None and entry.owner is None and entry.key == key else None
