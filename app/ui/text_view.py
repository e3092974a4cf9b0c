"""The text page's settings, the user's own text, the corpus summary, and the live training part."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from app.charts.text import bits_figure, shown
from app.charts.training import Labels
from app.engine.problems import InputError, Problem
from app.engine.text.corpus import CORPORA, MAX_BYTES, MIN_CHARS, Corpus, own_text
from app.engine.text.run import RANGES, TextConfig, TextRun, Written
from app.engine.text.sampling import Sample, SampleConfig, generate
from app.ui import state
from app.ui.derived import remembered
from app.ui.i18n import describe, number, t
from app.ui.live_chart import live_chart
from app.ui.live_fragment import live_fragment
from app.ui.live_header import divergence_note, metric_row, steps_and_speed
from app.ui.number_inputs import bounded_number
from app.ui.uploader import file_uploader
from models.sequence import SequenceModel

LIVE_SAMPLE_LENGTH = 240
SAMPLE_SEED = "text-sample-seed"
EXCERPT_START = "text-start"
EXCERPT_CHARS = 1500  # one screen of code; the unit search reads the characters the reader sees
_FILE_SEEN = "text_file_seen"  # (name, size) of the last file read, and its refusals


def render_text_settings() -> None:
    """Sidebar widgets -> the session's TextConfig (and, for "own", the text itself)."""
    current = state.TEXT.config()
    corpus = st.selectbox(
        t("text.corpus"),
        CORPORA,
        index=CORPORA.index(current.corpus),
        key="text-corpus",
        format_func=lambda name: t(f"text.corpus_{name}"),
    )
    if corpus == "own":
        render_own_text()
    cell = st.radio(
        t("setting.cell"),
        ("rnn", "lstm", "gru"),
        index=("rnn", "lstm", "gru").index(current.cell),
        key="text-cell",
        horizontal=True,
        format_func=lambda c: t(f"option.cell.{c}"),
    )
    hidden = bounded_number(
        t("setting.hidden_size"), RANGES["hidden_size"], "text-hidden", current.hidden_size, step=16
    )
    layers = bounded_number(
        t("setting.num_layers"), RANGES["num_layers"], "text-layers", current.num_layers
    )
    embedding = bounded_number(
        t("setting.embedding_dim"),
        RANGES["embedding_dim"],
        "text-embedding",
        current.embedding_dim,
        step=8,
        help=t("help.embedding_dim"),
    )
    seq_len = bounded_number(
        t("setting.seq_len"), RANGES["seq_len"], "text-seq-len", current.seq_len, step=8
    )
    batch = bounded_number(
        t("setting.batch_size"), RANGES["batch_size"], "text-batch", current.batch_size
    )
    rate = bounded_number(
        t("setting.learning_rate"),
        RANGES["learning_rate"],
        "text-lr",
        current.learning_rate,
        step=0.001,
        fmt="%.4f",
    )
    seed = bounded_number(t("setting.seed"), RANGES["seed"], "text-seed", current.seed)
    state.TEXT.set_config(
        TextConfig(
            corpus=corpus,
            cell=cell,
            hidden_size=int(hidden),
            num_layers=int(layers),
            embedding_dim=int(embedding),
            seq_len=int(seq_len),
            batch_size=int(batch),
            learning_rate=float(rate),
            seed=int(seed),
        )
    )


def render_own_text() -> None:
    """Paste or upload: a bad text gets a message (kept while the bad file stays) and changes nothing."""
    limits = {"limit_mb": MAX_BYTES // 2**20, "minimum": MIN_CHARS}
    file = file_uploader(
        t("text.upload"),
        type=["txt", "md", "py", "csv"],
        key="text-upload",
        max_upload_size=limits["limit_mb"],  # the uploader shows (and keeps) the text's own limit
    )
    pasted = st.text_area(t("text.paste"), key="text-paste", height=120)
    use_paste = st.button(t("text.use_paste"), key="text-use-paste", icon=":material/input:")
    st.caption(t("text.own_limits", **limits))
    if use_paste:
        _show(_take_text(pasted))
    if file is None:
        st.session_state.pop(_FILE_SEEN, None)
        return
    seen = st.session_state.get(_FILE_SEEN)
    if seen is None or seen[0] != (file.name, file.size):  # a file is read once, not every rerun
        seen = ((file.name, file.size), _take_text(file.getvalue()))
        st.session_state[_FILE_SEEN] = seen
    _show(seen[1])


def _take_text(data: bytes | str) -> list[Problem]:
    """Make ``data`` the session's own corpus, or return why it cannot be."""
    try:
        text = own_text(data)
    except InputError as error:
        return error.problems
    state.set_own_text(text)
    return []


def _show(problems: list[Problem]) -> None:
    for problem in problems:
        st.error(describe(problem), icon=":material/error:")


def render_corpus_summary(corpus: Corpus, title: str) -> None:
    """What the model reads: its size, its held-out share, and every character of its vocabulary."""
    vocab = corpus.vocab
    with st.expander(
        t("text.corpus_summary", name=title, chars=len(corpus.text), vocab=vocab.size)
    ):
        st.markdown(
            t("text.vocab_intro", train=len(corpus.train_ids), held_out=len(corpus.val_ids))
        )
        st.code(" ".join(shown(c) for c in vocab.chars), language=None, wrap_lines=True)
        st.caption(t("text.vocab_symbols"))
        st.code(corpus.text[:600], language=None)


def render_text_live() -> None:
    live_fragment(state.TEXT, _draw)


def _draw(run: TextRun) -> None:
    big = state.presentation()
    notes = divergence_note(run)
    result = run.held_out()
    row, left, right = live_layout(big, notes, waiting=not run.history.columns)
    steps_and_speed(state.TEXT, run, row)
    row.metric(t("text.held_out_bits"), number(result.bits, ".2f"), help=t("text.bits_help"))
    row.metric(
        t("text.unigram_bits"), number(result.unigram_bits, ".2f"), help=t("text.unigram_help")
    )
    with left:
        history = run.history
        fig = bits_figure(
            history.array("step"),
            history.array("bits"),
            history.array("val_bits"),
            result.unigram_bits,
            Labels(
                t("text.bits_chart"),
                t("chart.step"),
                t("text.bits_axis"),
                (t("chart.train"), t("text.held_out"), t("text.unigram")),
            ),
            big,
            empty_note=t("train.press_play_short") if big else "",
        )
        live_chart(fig, key="text-bits-chart")
    with right:
        written = _live_sample(run)  # the step it was written at: a moment ago while playing
        st.markdown(f"**{t('text.live_sample', step=written.step)}**")
        st.code(written.sample.full, language=None, wrap_lines=True)
        st.caption(t("text.live_sample_help"))


def live_layout(
    big: bool, notes: DeltaGenerator, waiting: bool
) -> tuple[DeltaGenerator, DeltaGenerator, DeltaGenerator]:
    """The row of numbers, the chart's column and the live sample's, for a text level's live view:
    the numbers, then chart and sample side by side, and a "press Play" note in ``notes`` while
    ``waiting`` for the first step. On a projector the numbers sit above the sample, beside the
    chart, so the chart starts right under the controls (and its empty plot says what to press)."""
    if big:
        left, right = st.columns(2)
        with right:
            row = metric_row()
        return row, left, right
    row = metric_row()
    left, right = st.columns(2)
    if waiting:
        notes.info(t("train.press_play"))
    return row, left, right


def _live_sample(run: TextRun) -> Written:
    """A fresh sample when the step changed and a moment has passed (or when paused): the run
    keeps it, and writes it in the training worker when its slices train there."""
    try:
        config = sample_config(LIVE_SAMPLE_LENGTH)
    except InputError:  # the Write tab says what is wrong; the live sample keeps the defaults
        config = SampleConfig(length=LIVE_SAMPLE_LENGTH)
    return run.live_sample(config, playing=state.TEXT.playing())


def sample_config(length: int | None = None) -> SampleConfig:
    """The sample settings of the Write tab (their widgets live there); InputError if unusable."""
    get = st.session_state.get
    return SampleConfig(
        prompt=get("text-prompt", SampleConfig.prompt),
        length=length or int(get("text-length", SampleConfig.length)),
        temperature=float(get("text-temperature", SampleConfig.temperature)),
        greedy=get("text-decoding", "sampled") == "greedy",
        seed=int(get(SAMPLE_SEED, 0)),
    ).check()


@dataclass(frozen=True)
class Subject:
    """The model being looked at and the corpus it reads: the shipped model, or the live run (which
    also measures held-out text itself, as its chart shows)."""

    model: SequenceModel
    corpus: Corpus
    run: TextRun | None = None

    @property
    def key(self) -> tuple:
        """Changes whenever the weights do: what the caches of samples and activations hang on."""
        return ("pretrained",) if self.run is None else ("live", self.run.uid, self.run.step)

    def reading(self) -> AbstractContextManager:
        """Hold while reading a live model: the fragment's thread may be training it."""
        return self.run.lock if self.run is not None else nullcontext()


def current_sample(subject: Subject) -> Sample | None:
    """The Write tab's sample, remembered until the model or a setting changes."""
    try:
        config = sample_config()
    except InputError as error:
        for problem in error.problems:
            st.error(describe(problem))
        return None
    vocab = subject.corpus.vocab
    return remembered(
        "text_sample",
        (subject.key, config),
        lambda: generate(subject.model, vocab, config),
        shared=subject.run is None,  # the shipped model: the same for every session
    )


def held_out_excerpt(subject: Subject, length: int) -> str:
    """``length`` held-out characters from the start chosen on the units tab, beginning on a fresh
    line (the held-out part itself starts mid-line) so line position and indentation read right."""
    val = subject.corpus.val_text
    start = min(int(st.session_state.get(EXCERPT_START, 0)), max(len(val) - length, 0))
    start = val.find("\n", start, start + 200) + 1 or start
    return val[start : start + length]


def is_prose(subject: Subject) -> bool:
    """The user's own text wraps like prose; code keeps its lines."""
    return subject.corpus.name == "own"
