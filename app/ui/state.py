"""The per-session state behind typed accessors, so pages never spell session_state keys.

Everything here lives in ``st.session_state``: one browser session never sees another's run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from app.engine.config import RunConfig
from app.engine.csv_series import upload_task
from app.engine.duel import Duel, DuelConfig
from app.engine.keras_example import KerasConfig, KerasExample
from app.engine.optimiser_race import OptimiserRace, RaceConfig
from app.engine.order import OrderConfig, OrderDemo
from app.engine.problems import InputError, Problem
from app.engine.run import Run
from app.engine.sentiment.run import SentimentConfig, SentimentRun
from app.engine.tasks import UPLOAD_NAME
from app.engine.text.checkpoint import Pretrained, load_checkpoint
from app.engine.text.corpus import Corpus, builtin_corpus, make_corpus, python_source
from app.engine.text.run import TextConfig, TextRun
from app.engine.words.checkpoint import PretrainedWords
from app.engine.words.checkpoint import load_checkpoint as load_word_checkpoint
from app.engine.words.corpus import (
    WordCorpus,
    builtin_tokens,
    make_word_corpus,
    shipped_word_corpus,
)
from app.engine.words.run import WordConfig, WordRun
from app.engine.words.tokens import tokenize
from app.ui.derived import remembered
from app.ui.live_slot import Slot
from app.ui.sentiment_data import build_sentiment_run

_NOTICES = "notices"
_UPLOAD = "upload"
_PRESENTATION = "presentation"
_HIDDEN = "hidden_controls"
_STARTED = "started"
_SPEED = "speed"
# Training speeds a lecturer can choose, in steps per second; 0 is as fast as the server allows.
# Slow ones let a room follow each step: the charts redraw after every one or few steps.
SPEEDS = (1, 3, 10, 30, 100, 300, 0)


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


def speed() -> int:
    """Steps per second every live page of this session trains at (0: full speed)."""
    return int(st.session_state.get(_SPEED, 0))


def set_speed(value: int) -> None:
    st.session_state[_SPEED] = value if value in SPEEDS else 0


def hidden_controls() -> frozenset[str]:
    return frozenset(st.session_state.get(_HIDDEN, ()))


def set_hidden_controls(names: frozenset[str]) -> None:
    st.session_state[_HIDDEN] = sorted(names)


def untrained_twin(current: Run) -> Run:
    """A fresh run with the same settings and seed (step 0), to compare before and after training."""
    return remembered(
        "untrained_twin", None, lambda: Run(current.config, current.task), owner=current
    )


def _build_run(config: RunConfig) -> Run:
    """A run of ``config``; a CSV task learns the session's uploaded series (InputError: none yet)."""
    if config.task.name != UPLOAD_NAME:
        return Run(config)
    series = upload()
    if series is None:
        raise InputError(Problem("problem.csv_missing", "upload a CSV file first"))
    return Run(config, task=upload_task(series.columns[series.column], config.task.window))


# Character-level text page: the shared corpora, the shipped model, the user's own text.
_OWN_TEXT = "own_text"


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


def own_corpus() -> Corpus | None:
    return st.session_state.get(_OWN_TEXT)


def set_own_text(text: str) -> None:
    """The user's checked text becomes their "own" corpus; a run on the old one starts again."""
    st.session_state[_OWN_TEXT] = make_corpus("own", text)
    if TEXT.config().corpus == "own":
        TEXT.reset()
    if WORDS.config().corpus == "own":
        WORDS.reset()


def _build_text_run(config: TextConfig) -> TextRun:
    """A character model of ``config`` on its corpus (InputError: the user has given no text yet)."""
    if config.corpus != "own":
        return TextRun(config, shared_corpus(config.corpus))
    corpus = own_corpus()
    if corpus is None:
        raise InputError(Problem("problem.text_missing", "give the model a text to learn first"))
    return TextRun(config, corpus)


# Word-level text (the same page): shared corpora per vocabulary size, the shipped word model.
@st.cache_resource(show_spinner=False, max_entries=8)
def shared_word_corpus(name: str, vocab_size: int) -> WordCorpus:
    """A built-in corpus in a vocabulary of ``vocab_size``: read-only, shared between sessions."""
    return shipped_word_corpus(name, vocab_size)


@st.cache_resource(show_spinner=False)
def pretrained_words() -> tuple[PretrainedWords, WordCorpus] | None:
    """The shipped word model (with its character twin) and the reviews in its vocabulary; None
    when the file is missing. Only ever read: its parameters take no gradients."""
    try:
        model = load_word_checkpoint()
    except InputError:
        return None
    tokens = list(builtin_tokens(model.config.corpus))
    return model, make_word_corpus(model.config.corpus, tokens, model.vocab.size, model.vocab)


def word_corpus(config: WordConfig) -> WordCorpus:
    """The corpus a word run of ``config`` reads (InputError: no own text yet, or too few words)."""
    if config.corpus != "own":
        return shared_word_corpus(config.corpus, config.vocab_size)
    own = own_corpus()
    if own is None:
        raise InputError(Problem("problem.text_missing", "give the model a text to learn first"))
    return remembered(
        "own_word_corpus",
        config.vocab_size,
        lambda: make_word_corpus("own", tokenize(own.text), config.vocab_size),
        owner=own,
    )


def _build_word_run(config: WordConfig) -> WordRun:
    return WordRun(config, word_corpus(config))


# The session's live things: the run (training, steps and gradients pages), the duel, the
# character model, the word model and the review classifier. A new live thing adds one line here and provides a
# Live in app/engine.
RUN: Slot[Run] = Slot("run", RunConfig, _build_run, notify)
DUEL: Slot[Duel] = Slot("duel", DuelConfig, Duel, notify)
TEXT: Slot[TextRun] = Slot("text", TextConfig, _build_text_run, notify)
WORDS: Slot[WordRun] = Slot("words", WordConfig, _build_word_run, notify)  # the text page, by words
SENTIMENT: Slot[SentimentRun] = Slot("sentiment", SentimentConfig, build_sentiment_run, notify)
ORDER: Slot[OrderDemo] = Slot("order", OrderConfig, OrderDemo, notify)  # the lesson: order matters
KERAS: Slot[KerasExample] = Slot("keras", KerasConfig, KerasExample, notify)  # the lesson's example
RACE: Slot[OptimiserRace] = Slot(
    "race", RaceConfig, OptimiserRace, notify
)  # the lesson: optimisers
