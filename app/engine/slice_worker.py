"""Training slices in a second process, so a hall's training runs on the machine's second core.

One server process runs every session as a thread and their Python shares one core (the GIL):
training and drawing took turns there, and with forty tabs playing neither had enough of it. Here a
live thing that travels (``Live.travels``) is sent whole to one worker process, trains its slice
there and comes back; the session's thread waits without the GIL meanwhile, so the server's core
draws other sessions' refreshes. The thing keeps its identity: what came back is adopted in place.

Nothing here imports streamlit. The caller says when to stop (a press waiting) through ``stop``,
polled while the slice runs; the worker reads it before every step from a shared flag.
"""

from __future__ import annotations

import contextlib
import io
import logging
import multiprocessing
import pickle
import threading
import weakref
from collections.abc import Callable
from concurrent import futures
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import numpy as np
import torch

from app.engine.history import History
from app.engine.live import Live
from app.engine.problems import InputError
from app.engine.text.corpus import CORPORA, builtin_corpus

# A thing whose pickle is larger than this trains in its own thread: shipping it both ways at every
# refresh would cost the server's core more than its slice. A default Run goes as about 30 KB, the
# text page's character model (an LSTM of 128 with its Adam state) as 2.1 MB, about 4 ms of the
# server's CPU per slice against some 200 ms of training in its thread.
MAX_TRAVEL_BYTES = 8_000_000
JOBS = 256  # slices that may be on their way at once (one per playing session)
# How often a waiting session looks for a press of its own: each look takes the GIL.
POLL_SECONDS = 0.05
_LOG = logging.getLogger(__name__)
_flags: multiprocessing.Array | None = None  # in the worker: the state of every job
# A job's state, shared with the worker: sent and not begun, stopped (by a press: before it began,
# it does nothing), training.
QUEUED, STOPPED, TRAINING = 0, 1, 2


class SliceWorker:
    """One worker process (started here, ready a few seconds later: it imports torch) that trains
    the slices it is given, one after another."""

    def __init__(self, jobs: int = JOBS) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a process full of threads
        self._flags = context.Array("b", jobs)  # with a lock: see ``_wait``
        self._free = list(range(jobs))
        self._lock = threading.Lock()
        self._stay: weakref.WeakSet[Live] = weakref.WeakSet()  # things too big to travel
        self._pool = futures.ProcessPoolExecutor(
            1, mp_context=context, initializer=_start, initargs=(self._flags,)
        )
        self._ready = self._pool.submit(_ready)
        self.broken: str | None = None

    @property
    def ready(self) -> bool:
        """Whether the worker has started (until then, slices train in the session's thread)."""
        return self.broken is None and self._ready.done() and self._ready.exception() is None

    def takes(self, live: Live) -> bool:
        """Whether a slice of ``live`` would go to the worker now (the pacing budgets by this)."""
        return self.ready and live.travels and live not in self._stay

    def train(
        self, live: Live, steps: int | None, seconds: float | None, stop: Callable[[], bool]
    ) -> int | None:
        """Train ``live`` in the worker for ``steps`` or ``seconds`` of the worker's CPU, or until
        ``stop()`` (asked every POLL_SECONDS), and adopt the result; the steps done, or None when
        the slice did not go (not ready, does not travel or pickle, too big, the worker failed):
        then nothing changed and the caller trains it itself. The caller holds ``live.lock``."""
        if not self.takes(live):
            return None
        try:
            data = dumps(live)
        except (pickle.PicklingError, AttributeError, TypeError):
            # Something it holds does not pickle (a closure, a lock): it trains at home.
            _LOG.warning("a %s does not travel", type(live).__name__, exc_info=True)
            data = None
        if data is None or len(data) > MAX_TRAVEL_BYTES:
            self._stay.add(live)
            return None
        job = self._take()
        if job is None:
            return None
        try:
            future = self._pool.submit(_slice, data, job, steps, seconds)
        except BrokenProcessPool as error:  # it died since the last slice came back: the pool
            future = futures.Future()  # refuses this one outright, which fails like a slice
            future.set_exception(error)
        # The job's state is the worker's to read until its slice is done there, even when a press
        # no longer waits for it.
        future.add_done_callback(lambda _: self._give_back(job))
        trained = self._wait(future, job, stop)
        if trained is None:
            return None
        done, back = trained
        if back is not None:
            adopt(live, pickle.loads(back))
        return done

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _wait(
        self, future: futures.Future, job: int, stop: Callable[[], bool]
    ) -> tuple[int, bytes | None] | None:
        """The steps done and the thing trained (None if it never started), or None if it failed."""
        stopped = False
        while not future.done():
            if not stopped and stop():
                stopped = True
                if future.cancel():  # still queued here: nothing trained
                    return 0, None
                with self._flags.get_lock():  # the worker reads and sets it under the same lock
                    began = self._flags[job] == TRAINING
                    self._flags[job] = STOPPED
                if not began:
                    # Sent, behind other sessions' slices: it will do nothing when its turn comes,
                    # and the press need not wait for theirs.
                    return 0, None
            futures.wait([future], timeout=POLL_SECONDS)
        try:
            done, back = future.result()
        except futures.CancelledError:
            return 0, None
        except BrokenProcessPool as error:
            self.broken = f"the training worker stopped: {error}"
            _LOG.error(self.broken)
            return None
        except Exception:  # the same slice trained here raises the same, where it is seen
            _LOG.exception("a slice failed in the training worker")
            return None
        return done, back

    def _take(self) -> int | None:
        with self._lock:
            if not self._free:
                return None
            job = self._free.pop()
        self._flags[job] = QUEUED
        return job

    def _give_back(self, job: int) -> None:
        with self._lock:
            self._free.append(job)


def adopt(live: Live, trained: Live) -> None:
    """Take over what ``trained`` (a copy of ``live`` trained elsewhere) holds, keeping ``live``'s
    identity, its uid and its lock (held by the caller). Its histories went as travelling copies
    (``History.travelling``): ``live``'s own record what they noted, so only a slice's rows come
    back. A thing's histories travel as its own attributes (a Run's ``history``), or as those of
    the live things it holds by name (a duel's runs), which are adopted the same way."""
    own = {"lock": live.lock, "uid": live.uid}
    for name, value in vars(trained).items():
        mine = getattr(live, name, None)
        if isinstance(value, History) and value.journal is not None:
            mine.replay(value.journal)
            own[name] = mine
        elif _live_things(value) and _live_things(mine) and mine.keys() == value.keys():
            for key, part in value.items():
                adopt(mine[key], part)
            own[name] = mine
    live.__dict__.update(vars(trained))
    live.__dict__.update(own)


def _live_things(value: Any) -> bool:
    """Whether ``value`` is a dict of live things (a duel's runs, by cell)."""
    return (
        isinstance(value, dict) and bool(value) and all(isinstance(v, Live) for v in value.values())
    )


def _start(flags: multiprocessing.Array) -> None:
    global _flags
    torch.set_num_threads(1)  # the server's threads have the other core
    _flags = flags
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()


def _warm_up() -> None:
    """Build the built-in text corpora now, beside the first slices: a character model travels
    with its corpus's name (app/engine/text/corpus.py), and building the Python corpus here when
    the first one arrives would keep that session waiting two seconds for its refresh. Likewise
    the default review corpus and the vectors a review classifier travels without."""
    for name in CORPORA:
        if name != "own":
            builtin_corpus(name)
    # Imported here, in the worker only: the server imports this module before any page of
    # reviews (pandas comes with them).
    from app.engine.sentiment.corpus import shipped_reviews
    from app.engine.sentiment.run import SentimentConfig

    with contextlib.suppress(InputError):  # the package missing: a slice fails as at home
        shipped_reviews(SentimentConfig().source)


def _ready() -> bool:
    return True


def _slice(
    data: bytes, job: int, steps: int | None, seconds: float | None
) -> tuple[int, bytes | None]:
    """In the worker: one slice of the thing pickled in ``data``, and the thing pickled again
    (nothing when a press stopped it before it began)."""
    flags = _flags
    with flags.get_lock():
        if flags[job] == STOPPED:
            return 0, None
        flags[job] = TRAINING
    live = pickle.loads(data)
    state = flags.get_obj()  # a byte read needs no lock: the press's change shows at the next step
    done = live.train(steps=steps, seconds=seconds, stop=lambda: state[job] != TRAINING)
    live.before_drawing()
    return done, dumps(live)


def dumps(thing: Any) -> bytes:
    """``thing`` pickled, its CPU tensors as numpy arrays: torch pickles each tensor through
    ``torch.save`` (0.15 ms apiece, and a run's model and Adam state are 30 of them)."""
    buffer = io.BytesIO()
    _TensorPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(thing)
    return buffer.getvalue()


class _TensorPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is History and obj.journal is None:
            return _same, (obj.travelling(),)  # its steps, not its rows (see ``adopt``)
        if (
            type(obj) not in (torch.Tensor, torch.nn.Parameter)
            or obj.device.type != "cpu"
            or obj.dtype not in _NUMPY_DTYPES
            or obj.grad_fn is not None
        ):
            return NotImplemented  # pickled as usual
        values = obj.detach().contiguous().numpy()
        return _tensor, (values, type(obj) is torch.nn.Parameter, obj.requires_grad, obj.grad)


def _same(thing: Any) -> Any:
    return thing


_NUMPY_DTYPES = frozenset(
    {torch.float32, torch.float64, torch.int64, torch.int32, torch.int8, torch.uint8, torch.bool}
)


def _tensor(
    values: np.ndarray, parameter: bool, requires_grad: bool, grad: torch.Tensor | None
) -> torch.Tensor:
    tensor = torch.from_numpy(values)
    if parameter:
        tensor = torch.nn.Parameter(tensor, requires_grad=requires_grad)
    elif requires_grad:
        tensor.requires_grad_(True)
    if grad is not None:
        tensor.grad = grad
    return tensor
