"""The server process's one training worker (app/engine/slice_worker.py): started by the first
live refresh, so the same ``streamlit run`` uses the machine's second core without a second
command, and a run that never plays (AppTest, a page only read) never starts a process.

``UNROLLED_SLICE_WORKER=0`` in the environment keeps every slice in its session's thread, as
before the worker (bench/bench_load.py compares the two)."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

import streamlit as st

from app.engine.slice_worker import SliceWorker

SWITCH = "UNROLLED_SLICE_WORKER"


@dataclass
class _Holder:
    lock: threading.Lock = field(default_factory=threading.Lock)
    worker: SliceWorker | None = None


@st.cache_resource(show_spinner=False)
def _holder() -> _Holder:
    """One per server process (shared on purpose: the worker keeps nothing between slices)."""
    return _Holder()


def enabled() -> bool:
    return os.environ.get(SWITCH, "1").strip() != "0"


def training_worker(start: bool = False) -> SliceWorker | None:
    """The process's training worker, started now if ``start`` (a refresh) and not yet running;
    None while it has not been started or when it is switched off."""
    holder = _holder()
    if holder.worker is None and start and enabled():
        with holder.lock:
            if holder.worker is None:
                holder.worker = SliceWorker()
    return holder.worker
