"""The lesson builder's lock: a link made for students opens with its hidden settings locked.

A locked session shows no way to unhide them, and nothing it does changes them: the settings keep
the values the link gave, and a preset that would change one of them is not offered (and refused).
"""

from __future__ import annotations

import streamlit as st

from app.engine.config import RunConfig
from app.engine.config_codec import to_flat
from app.ui import state

_LOCKED = "lesson-locked"  # {setting name: the value the link fixed}


def locked() -> bool:
    return bool(st.session_state.get(_LOCKED))


def lock(config: RunConfig, names: frozenset[str]) -> None:
    """Fix ``names`` at their values in ``config`` for the rest of the session (none: no lock)."""
    flat = to_flat(config)
    st.session_state[_LOCKED] = {name: flat[name] for name in sorted(names) if name in flat}


def pinned() -> dict[str, object]:
    """The locked settings and their values (empty when the session is not locked)."""
    return dict(st.session_state.get(_LOCKED) or {})


def allows(config: RunConfig) -> bool:
    """Whether ``config`` keeps every locked setting at its locked value."""
    flat = to_flat(config)
    return all(flat[name] == value for name, value in pinned().items())


def hidden_controls() -> frozenset[str]:
    """What the settings panel leaves out: in a locked session, at least the locked settings."""
    return state.hidden_controls() | frozenset(pinned())
