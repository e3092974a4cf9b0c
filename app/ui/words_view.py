"""The text page's word level: its choice beside the character level (kept in the link as
``?mode=words`` with the word settings that differ from the defaults), the word settings, and the
live training part."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace

import streamlit as st

from app.charts.text import bits_figure
from app.charts.training import Labels
from app.engine.problems import InputError, Problem
from app.engine.text.run import Written
from app.engine.words.corpus import WORD_CORPORA, WordCorpus
from app.engine.words.run import RANGES, WordConfig, WordRun
from app.engine.words.sampling import WordSample, WordSampleConfig, generate
from app.engine.words.tokens import readable
from app.ui import state
from app.ui.derived import remembered
from app.ui.i18n import describe, number, t
from app.ui.live_chart import live_chart
from app.ui.live_fragment import live_fragment
from app.ui.live_header import divergence_note, steps_and_speed
from app.ui.number_inputs import bounded_number
from app.ui.query import ignored_notice, keep_in_link
from app.ui.text_view import live_layout, render_own_text
from models.sequence import SequenceModel

LEVELS = ("chars", "words")
MODE_PARAM = "mode"
LINK_PREFIX = "words_"  # ?words_vocab_size=500: a word setting in the link
_LEVEL = "text_level"  # not a widget key: widget state is dropped on pages that do not draw it
LIVE_SAMPLE_WORDS = 40
SAMPLE_SEED = "words-sample-seed"


def render_level_choice() -> str:
    """Characters or words; on the page's first visit, the link's ``?mode=`` and word settings."""
    if _LEVEL not in st.session_state:
        _read_link()
    st.radio(
        t("words.level"),
        LEVELS,
        index=LEVELS.index(st.session_state[_LEVEL]),
        key="text-level",
        horizontal=True,
        format_func=lambda level: t(f"words.level_{level}"),
        on_change=lambda: st.session_state.__setitem__(_LEVEL, st.session_state["text-level"]),
    )
    level = st.session_state[_LEVEL]
    if level == "words":
        keep_in_link(MODE_PARAM, "words")
    return level


def _keep_settings_in_link(config: WordConfig) -> None:
    """The word settings that differ from the defaults, as ``?words_<name>=``."""
    defaults = WordConfig()
    for f in fields(WordConfig):
        value = getattr(config, f.name)
        if value != getattr(defaults, f.name):
            keep_in_link(LINK_PREFIX + f.name, str(value))


def _read_link() -> None:
    params = st.query_params.to_dict()
    mode = params.get(MODE_PARAM, "chars")
    problems = []
    if mode not in LEVELS:
        problems.append(_meaningless(MODE_PARAM, mode))
        mode = "chars"
    st.session_state[_LEVEL] = mode
    asked = {k[len(LINK_PREFIX) :]: v for k, v in params.items() if k.startswith(LINK_PREFIX)}
    config, refused = config_from_link(asked)
    if problems or refused:
        state.notify(ignored_notice([*problems, *refused]))
    state.WORDS.set_config(config)


def config_from_link(asked: dict[str, str]):
    """Every readable, allowed value of the link's word settings; the defaults for the rest."""
    kinds = {f.name: type(getattr(WordConfig(), f.name)) for f in fields(WordConfig)}
    values, refused = {}, []
    for name, text in asked.items():
        try:
            values[name] = kinds[name](text)
        except (KeyError, ValueError):
            refused.append(_meaningless(LINK_PREFIX + name, text))
    while True:
        try:
            return replace(WordConfig(), **values).check(), refused
        except InputError as error:
            blamed = {p.values.get("field") for p in error.problems}
            refused += error.problems
            values = {k: v for k, v in values.items() if k not in blamed}
            if not values or not blamed & set(asked):
                return WordConfig(), refused


def _meaningless(name: str, value: str) -> Problem:
    value = value[:60]
    return Problem(
        "problem.link_value",
        f"the link's {name}={value!r} means nothing here",
        {"name": name, "value": value},
    )


def render_word_settings() -> None:
    """Sidebar widgets -> the session's WordConfig (and, for "own", the text itself)."""
    current = state.WORDS.config()
    corpus = st.selectbox(
        t("text.corpus"),
        WORD_CORPORA,
        index=WORD_CORPORA.index(current.corpus),
        key="words-corpus",
        format_func=lambda name: t(f"words.corpus_{name}"),
    )
    if corpus == "own":
        render_own_text()
        st.caption(t("words.own_note"))
    number_of = _number_widgets(current)
    cell = st.radio(
        t("setting.cell"),
        ("rnn", "lstm", "gru"),
        index=("rnn", "lstm", "gru").index(current.cell),
        key="words-cell",
        horizontal=True,
        format_func=lambda c: t(f"option.cell.{c}"),
    )
    config = WordConfig(
        corpus=corpus, cell=cell, **{name: draw() for name, draw in number_of.items()}
    )
    state.WORDS.set_config(config)
    _keep_settings_in_link(config)


def _number_widgets(current: WordConfig) -> dict[str, Callable[[], float]]:
    def widget(name: str, label: str, step=None, fmt=None, help=None):
        kind = type(getattr(current, name))
        return lambda: kind(
            bounded_number(
                label, RANGES[name], f"words-{name.replace('_', '-')}", getattr(current, name),
                step=step, fmt=fmt, help=help,
            )
        )  # fmt: skip

    return {
        "vocab_size": widget("vocab_size", t("words.vocab_size"), 100, help=t("words.vocab_help")),
        "hidden_size": widget("hidden_size", t("setting.hidden_size"), 16),
        "num_layers": widget("num_layers", t("setting.num_layers")),
        "embedding_dim": widget("embedding_dim", t("words.embedding_dim"), 8),
        "seq_len": widget("seq_len", t("words.seq_len"), 4),
        "batch_size": widget("batch_size", t("setting.batch_size")),
        "learning_rate": widget("learning_rate", t("setting.learning_rate"), 0.001, "%.4f"),
        "seed": widget("seed", t("setting.seed")),
    }


@dataclass(frozen=True)
class WordSubject:
    """The word model being looked at and the corpus it reads: the shipped one or the live run."""

    model: SequenceModel
    corpus: WordCorpus
    run: WordRun | None = None

    @property
    def key(self) -> tuple:
        return ("pretrained",) if self.run is None else ("live", self.run.uid, self.run.step)


def render_corpus_summary(corpus: WordCorpus) -> None:
    """The vocabulary's size and the share of held-out words it covers (the rest are ``<unk>``)."""
    vocab = corpus.vocab
    st.markdown(
        t(
            "words.summary",
            name=t(f"words.corpus_{corpus.name}"),
            words=len(corpus.tokens),
            vocab=vocab.size,
            coverage=100 * corpus.coverage(),
        )
    )
    with st.expander(t("words.vocab_expander")):
        st.code(" ".join(vocab.words[2:202]), language=None, wrap_lines=True)
        st.caption(t("words.vocab_caption"))


def render_words_live() -> None:
    live_fragment(state.WORDS, _draw)


def _draw(run: WordRun) -> None:
    big = state.presentation()
    notes = divergence_note(run)
    result = run.held_out()
    row, left, right = live_layout(big, notes, waiting=not run.history.columns)
    steps_and_speed(state.WORDS, run, row)
    row.metric(
        t("words.held_out_bits_word"),
        number(result.bits_per_word, ".2f"),
        help=t("words.bits_help"),
    )
    row.metric(
        t("words.held_out_bits_char"),
        number(result.bits_per_char, ".2f"),
        help=t("words.bits_char_help"),
    )
    with left:
        history = run.history
        fig = bits_figure(
            history.array("step"),
            history.array("bits"),
            history.array("val_bits"),
            result.unigram_bits_per_word,
            Labels(
                t("words.bits_chart"),
                t("chart.step"),
                t("words.bits_axis"),
                (t("chart.train"), t("text.held_out"), t("words.unigram")),
            ),
            big,
            empty_note=t("train.press_play_short") if big else "",
        )
        live_chart(fig, key="words-bits-chart")
    with right:
        written = _live_sample(run)  # the step it was written at: a moment ago while playing
        sample = written.sample
        st.markdown(f"**{t('text.live_sample', step=written.step)}**")
        st.code(readable(sample.prompt + sample.words), language=None, wrap_lines=True)
        st.caption(t("words.live_sample_help"))


def _live_sample(run: WordRun) -> Written:
    """A fresh sample when the step changed and a moment has passed (or when paused): the run
    keeps it (NextTokenLearner.live_sample)."""
    try:
        config = sample_config(LIVE_SAMPLE_WORDS)
    except InputError:
        config = WordSampleConfig(length=LIVE_SAMPLE_WORDS)
    return run.live_sample(config, playing=state.WORDS.playing())


def sample_config(length: int | None = None) -> WordSampleConfig:
    """The Write tab's sample settings (their widgets live there); InputError if unusable."""
    get = st.session_state.get
    base = WordSampleConfig()
    return WordSampleConfig(
        prompt=get("words-prompt", base.prompt),
        length=length or int(get("words-length", base.length)),
        temperature=float(get("words-temperature", base.temperature)),
        decoding=get("words-decoding", base.decoding),
        top_k=int(get("words-top-k", base.top_k)),
        top_p=float(get("words-top-p", base.top_p)),
        allow_unknown=bool(get("words-allow-unknown", base.allow_unknown)),
        seed=int(get(SAMPLE_SEED, 0)),
    ).check()


def current_sample(subject: WordSubject) -> WordSample | None:
    try:
        config = sample_config()
    except InputError as error:
        for problem in error.problems:
            st.error(describe(problem))
        return None
    vocab = subject.corpus.vocab
    return remembered(
        "words_sample",
        (subject.key, config),
        lambda: generate(subject.model, vocab, config),
        shared=subject.run is None,  # the shipped model: the same for every session
    )
