"""The per-session state behind typed accessors, so pages never spell session_state keys.

Everything here lives in ``st.session_state``: one browser session never sees another's run.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import streamlit as st

from app.engine.config import RunConfig, needs_new_model
from app.engine.csv_series import upload_task
from app.engine.diagnostics import GradientLog
from app.engine.duel import Duel, DuelConfig
from app.engine.problems import InputError, Problem
from app.engine.run import Run
from app.engine.tasks import UPLOAD_NAME
from app.engine.text.checkpoint import Pretrained, load_checkpoint
from app.engine.text.corpus import Corpus, builtin_corpus, make_corpus, python_source
from app.engine.text.run import TextConfig, TextRun

_CONFIG = "config"
_RUN = "run"
_PLAYING = "playing"
_NOTICES = "notices"
_UPLOAD = "upload"
_PRESENTATION = "presentation"
_HIDDEN = "hidden_controls"
_STARTED = "started"
_GRADIENT_LOG = "gradient_log"
_DUEL = "duel"
_DUEL_CONFIG = "duel_config"
_TWIN = "untrained_twin"
_INSPECTION = "inspection"


@dataclass(frozen=True)
class UploadedSeries:
    file_name: str
    columns: dict[str, np.ndarray]
    column: str


def first_visit() -> bool:
    """True once per session: the moment to read the link's query parameters."""
    if st.session_state.get(_STARTED):
        return False
    st.session_state[_STARTED] = True
    return True


def config() -> RunConfig:
    return st.session_state.setdefault(_CONFIG, RunConfig())


def set_config(new: RunConfig) -> None:
    st.session_state[_CONFIG] = new


def run() -> Run | None:
    """The session's run, built on first use from the config. None while it cannot be built (a CSV
    task with no file yet); the reason is queued as a notice."""
    current: Run | None = st.session_state.get(_RUN)
    if current is not None and current.config == config():
        return current
    if current is not None and not needs_new_model(current.config, config()):
        current.retune(config())
        return current
    try:
        current = Run(config(), task=_upload_task())
    except InputError as error:
        for problem in error.problems:
            notify(problem)
        st.session_state[_RUN] = None
        return None
    st.session_state[_RUN] = current
    return current


def set_run(new: Run) -> None:
    st.session_state[_RUN] = new


def reset_run() -> None:
    st.session_state.pop(_RUN, None)
    set_playing(False)


def playing(flag: str = "run") -> bool:
    """Whether the session's run ("run") or duel ("duel") is playing."""
    return bool(st.session_state.get(f"{_PLAYING}:{flag}", False))


def set_playing(value: bool, flag: str = "run") -> None:
    st.session_state[f"{_PLAYING}:{flag}"] = value


def duel_config() -> DuelConfig:
    return st.session_state.setdefault(_DUEL_CONFIG, DuelConfig())


def set_duel_config(config: DuelConfig) -> None:
    if config != duel_config():
        if _DUEL in st.session_state:
            notify("notice.new_model")
        st.session_state[_DUEL_CONFIG] = config
        reset_duel()


def duel() -> Duel | None:
    """The session's duel, built on first use; None (with a notice) if its config cannot run."""
    current: Duel | None = st.session_state.get(_DUEL)
    if current is not None and current.config == duel_config():
        return current
    try:
        current = Duel(duel_config())
    except InputError as error:
        for problem in error.problems:
            notify(problem)
        return None
    st.session_state[_DUEL] = current
    return current


def reset_duel() -> None:
    st.session_state.pop(_DUEL, None)
    set_playing(False, "duel")


def notify(problem: Problem | str, **values: object) -> None:
    """Queue a message (a Problem or a catalog key) for the next time the page draws notices."""
    if isinstance(problem, str):
        problem = Problem(problem, problem, values)
    queue: list[Problem] = st.session_state.setdefault(_NOTICES, [])
    if problem not in queue:
        queue.append(problem)


def take_notices() -> list[Problem]:
    return st.session_state.pop(_NOTICES, [])


def upload() -> UploadedSeries | None:
    return st.session_state.get(_UPLOAD)


def set_upload(value: UploadedSeries | None) -> None:
    st.session_state[_UPLOAD] = value


def presentation() -> bool:
    return bool(st.session_state.get(_PRESENTATION, False))


def set_presentation(value: bool) -> None:
    st.session_state[_PRESENTATION] = value


def hidden_controls() -> frozenset[str]:
    return frozenset(st.session_state.get(_HIDDEN, ()))


def set_hidden_controls(names: frozenset[str]) -> None:
    st.session_state[_HIDDEN] = sorted(names)


def gradient_log(current: Run) -> GradientLog:
    """The looks at the gradient through time taken for this session's current run."""
    owner, log = st.session_state.get(_GRADIENT_LOG, (None, None))
    if owner is not current or log is None:
        log = GradientLog()
        st.session_state[_GRADIENT_LOG] = (current, log)
    return log


def untrained_twin(current: Run) -> Run:
    """A fresh run with the same settings and seed (step 0), to compare before and after training."""
    owner, twin = st.session_state.get(_TWIN, (None, None))
    if owner != current.config or twin is None:
        twin = Run(current.config, task=current.task)
        st.session_state[_TWIN] = (current.config, twin)
    return twin


def cached_inspection(key: tuple, compute):
    """The last inspection this session computed, reused while its key (model, step, input) holds."""
    cached_key, value = st.session_state.get(_INSPECTION, (None, None))
    if cached_key != key:
        value = compute()
        st.session_state[_INSPECTION] = (key, value)
    return value


def _upload_task():
    if config().task.name != UPLOAD_NAME:
        return None
    series = upload()
    if series is None:
        raise InputError(Problem("problem.csv_missing", "upload a CSV file first"))
    return upload_task(series.columns[series.column], config().task.window)


# Character-level text page ("text"): its config, its live run, the user's own text, small caches.
_TEXT_CONFIG = "text_config"
_TEXT_RUN = "text_run"
_OWN_TEXT = "own_text"
_TEXT_CACHE = "text_cache"


@st.cache_resource(show_spinner=False)
def shared_corpus(name: str) -> Corpus:
    """A built-in corpus, read once per process: read-only text, safe to share between sessions."""
    return builtin_corpus(name)


@st.cache_resource(show_spinner=False)
def pretrained() -> tuple[Pretrained, Corpus] | None:
    """The shipped model and the Python corpus in its own vocabulary. Shared between sessions: it
    is only ever read (its parameters do not even take gradients). None if the file is missing."""
    try:
        model = load_checkpoint()
    except InputError:
        return None
    return model, make_corpus("python", python_source(), model.vocab)


def text_config() -> TextConfig:
    return st.session_state.setdefault(_TEXT_CONFIG, TextConfig())


def set_text_config(new: TextConfig) -> None:
    current: TextRun | None = st.session_state.get(_TEXT_RUN)
    if current is not None and current.step and _needs_new_text_model(current.config, new):
        notify("notice.new_model")
    st.session_state[_TEXT_CONFIG] = new


def own_corpus() -> Corpus | None:
    return st.session_state.get(_OWN_TEXT)


def set_own_text(text: str) -> None:
    """The user's checked text becomes their "own" corpus; a run on the old one starts again."""
    st.session_state[_OWN_TEXT] = make_corpus("own", text)
    if text_config().corpus == "own":
        reset_text_run()


def text_corpus() -> Corpus | None:
    """The corpus the live run learns; None (with a notice) while the user has given no text."""
    name = text_config().corpus
    if name != "own":
        return shared_corpus(name)
    if own_corpus() is None:
        notify("problem.text_missing")
    return own_corpus()


def text_run() -> TextRun | None:
    """The session's live character model, built on first use; a new learning rate is taken live."""
    current: TextRun | None = st.session_state.get(_TEXT_RUN)
    config = text_config()
    corpus = text_corpus()
    if corpus is None:
        return None
    if current is not None and current.corpus is corpus:
        if current.config == config:
            return current
        if not _needs_new_text_model(current.config, config):
            current.retune(config)
            return current
    try:
        current = TextRun(config, corpus)
    except InputError as error:
        for problem in error.problems:
            notify(problem)
        return None
    st.session_state[_TEXT_RUN] = current
    return current


def reset_text_run() -> None:
    st.session_state.pop(_TEXT_RUN, None)
    set_playing(False, "text")


def text_cache(slot: str, key: tuple, compute):
    """One remembered result per slot (a sample, activations...), recomputed when its key changes."""
    cache: dict = st.session_state.setdefault(_TEXT_CACHE, {})
    cached_key, value = cache.get(slot, (None, None))
    if cached_key != key:
        value = compute()
        cache[slot] = (key, value)
    return value


def _needs_new_text_model(old: TextConfig, new: TextConfig) -> bool:
    return replace(old, learning_rate=new.learning_rate) != new
