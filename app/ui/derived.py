"""Values a page derives from a session's live things (an inspection, a sample, a sweep),
remembered while what they were computed from holds: one helper instead of a cache per page.
Kept in ``st.session_state``: one session never sees another's. A value derived from what every
session holds the same (a shipped model) is ``shared`` instead: computed once in the process, so a
class opening a page together waits for one computation, not one per student.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st

V = TypeVar("V")
_KEY = "derived"
# Shared values kept at once (the latest used): a few per page that reads a shipped model, each a
# few MB at most (a 1,500-character look inside a model is 2.3 MB).
SHARED_ENTRIES = 32
_shared: OrderedDict[tuple[str, Hashable], Any] = OrderedDict()
_computing: dict[tuple[str, Hashable], threading.Lock] = {}
_guard = threading.Lock()


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
    shared: bool = False,
) -> V:
    """The value remembered under ``name`` if it was computed for this ``owner`` and ``key``;
    otherwise ``compute()`` it and remember that instead (one value per name).

    With ``max_age`` (seconds), a value computed for the same owner that recently is reused even
    though its key moved on: while a run plays its step changes at every refresh, and a costly
    look at it need not follow each one.

    ``shared``: ``compute()`` reads only what is the same in every session (a shipped model and
    what ``key`` says), so its value is the process's (``shared_value``). Another session gets it
    only by asking for the very same ``key``, when it would compute the same value itself. Such a
    value is read by many sessions: never change it."""
    if shared:
        return shared_value(name, key, compute)
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


def shared_value(name: str, key: Hashable, compute: Callable[[], V]) -> V:
    """The process's value for ``name`` and ``key``, computed once: sessions asking while it is
    being computed wait for it instead of computing it too. The latest SHARED_ENTRIES are kept."""
    slot = (name, key)
    with _guard:
        if slot in _shared:
            _shared.move_to_end(slot)
            return _shared[slot]
        lock = _computing.setdefault(slot, threading.Lock())
    with lock:
        with _guard:
            if slot in _shared:
                return _shared[slot]
        value = compute()
        with _guard:
            _shared[slot] = value
            while len(_shared) > SHARED_ENTRIES:
                _shared.popitem(last=False)
            _computing.pop(slot, None)
        return value
