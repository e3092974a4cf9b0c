"""A live slot: one thing of this session that a page can Play, Pause, Step and Reset (a run, a
duel, a text run...), with its config and the few numbers that pace its refreshes.

Each slot keeps one record in ``st.session_state`` (one browser session never sees another's), so
pages and controls never spell session keys. Whether a change of config needs a new model or can
be taken live is decided here, once, for every slot: by the engine's ``needs_new_model``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import streamlit as st

from app.engine.live import Live, needs_new_model
from app.engine.problems import InputError, Problem

T = TypeVar("T", bound=Live)
# CPU seconds a refresh spends drawing before it has been measured: what the training page costs
# (bench/bench_charts.py and tests/pages/test_load_meter.py).
FIRST_DRAWING_COST = 0.015


@dataclass
class SlotState:
    """What a session holds for one slot (mutable: callbacks and the fragment update it)."""

    config: Any
    thing: Any = None  # the live object, built on first use; None until then or while it cannot be
    playing: bool = False
    draw_cost: float = FIRST_DRAWING_COST  # smoothed CPU seconds of drawing one refresh
    inside_run: bool = False  # the live fragment runs inside a larger run (not its own rerun)
    pressed: bool = False  # a control was pressed since its section last ran (live_fragment.py)
    page_run: bool = False  # the live section runs as part of a full-app run (not its own rerun)
    app_run: bool = False  # a press whose answer is a full-app run (Reset, a run loaded)


@dataclass(frozen=True)
class Slot(Generic[T]):
    """``name`` names the slot's session record; ``default`` gives a new session's config;
    ``build`` makes the live thing from a config (raising InputError when it cannot be built yet,
    e.g. a CSV task with no file); ``notify`` queues a message for the page."""

    name: str
    default: Callable[[], Any]
    build: Callable[[Any], T]
    notify: Callable[[Problem | str], None]

    def state(self) -> SlotState:
        return st.session_state.setdefault(f"live:{self.name}", SlotState(self.default()))

    def config(self) -> Any:
        return self.state().config

    def set_config(self, new: Any) -> None:
        """The new setup; the live thing follows it the next time it is asked for (``get``)."""
        self.state().config = new

    def get(self) -> T | None:
        """The live thing for the current config: the same object while the config holds, retuned
        in place for a live setting, built anew (paused, with a notice if work is lost) otherwise.
        None, with the reasons queued as notices, while the config cannot be built."""
        record = self.state()
        current = record.thing
        if current is not None:
            if current.config == record.config:
                return current
            if not needs_new_model(current.config, record.config):
                current.retune(record.config)
                return current
            if current.step:
                self.notify("notice.new_model")
        record.playing = False
        try:
            record.thing = self.build(record.config)
        except InputError as error:
            record.thing = None
            for problem in error.problems:
                self.notify(problem)
        return record.thing

    def put(self, thing: T) -> None:
        """Make ``thing`` (a loaded run) the slot's live thing, paused, with its config."""
        record = self.state()
        record.config, record.thing, record.playing = thing.config, thing, False

    def reset(self) -> None:
        """Forget the live thing: the next ``get`` builds it again from the config (step 0)."""
        record = self.state()
        record.thing, record.playing = None, False

    def playing(self) -> bool:
        return self.state().playing

    def set_playing(self, value: bool) -> None:
        self.state().playing = value
