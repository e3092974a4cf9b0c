"""Looking inside a character model (the shipped one or the session's live run): writing text,
the next-character distribution, the text coloured by one unit, and held-out bits per character."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from app.charts.text import (
    coloured_text_html,
    held_out_figure,
    next_char_figure,
    shown,
    unit_trace_figure,
)
from app.charts.training import Labels
from app.engine.problems import InputError
from app.engine.text.corpus import Corpus
from app.engine.text.run import TextRun, held_out, next_char_probabilities
from app.engine.text.sampling import Sample, SampleConfig, generate, temper
from app.engine.text.units import FEATURES, activations, correlation, search_units
from app.ui import state
from app.ui.i18n import describe, t
from app.ui.text_view import SAMPLE_SEED, sample_config
from models.sequence import SequenceModel

TOP_CHARS = 10
EXCERPT_CHARS = (
    1500  # one screen of code; the unit search reads the same characters the reader sees
)
HELD_OUT_CHARS = (
    50_000  # enough for two decimals of bits per character, ~0.3 s for the shipped model
)


@dataclass(frozen=True)
class Subject:
    """The model being looked at, the corpus it reads, and a key that changes with its weights."""

    model: SequenceModel
    corpus: Corpus
    key: tuple
    run: TextRun | None = None  # a live run measures held-out text itself, as its chart shows


def render_write(subject: Subject) -> None:
    cols = st.columns([3, 2, 2, 2])
    cols[0].text_input(t("text.prompt"), SampleConfig.prompt, max_chars=500, key="text-prompt")
    cols[1].slider(t("text.length"), 20, 1000, SampleConfig.length, step=20, key="text-length")
    cols[2].slider(
        t("text.temperature"),
        0.05,
        2.0,
        SampleConfig.temperature,
        step=0.05,
        key="text-temperature",
        help=t("text.temperature_help"),
    )
    cols[3].radio(
        t("text.decoding"),
        ("sampled", "greedy"),
        key="text-decoding",
        format_func=lambda d: t(f"text.decoding_{d}"),
        help=t("text.decoding_help"),
    )
    st.button(
        t("text.resample"), key="text-resample", on_click=_next_seed, icon=":material/casino:"
    )
    sample = current_sample(subject)
    if sample is None:
        return
    full = sample.full
    probabilities = state.text_cache(
        "probabilities",
        (subject.key, full),
        lambda: next_char_probabilities(subject.model, subject.corpus.vocab.encode(full)),
    )
    last = len(full) - 2
    start = max(len(sample.prompt) - 1, 0)
    if st.session_state.get("text-position", 0) > last:
        st.session_state["text-position"] = min(start, last)  # a shorter text than before
    position = st.slider(
        t("text.position"),
        0,
        last,
        min(start, last),
        key="text-position",
        help=t("text.position_help"),
    )
    big = state.presentation()
    # On a projector the text and the chart each need the full width; on a laptop they sit side by side.
    left, right = (st.container(), st.container()) if big else st.columns([3, 2])
    with left:
        st.html(coloured_text_html(full, None, cursor=position, big=big, wrap=_prose(subject)))
        st.caption(t("text.sample_caption", prompt=len(sample.prompt), written=len(sample.text)))
    with right:
        st.plotly_chart(
            _next_char_chart(subject, probabilities[position], full[position + 1], sample, big),
            key="text-next-chart",
            width="stretch",
        )


def current_sample(subject: Subject) -> Sample | None:
    """The Write tab's sample, remembered until the model or a setting changes."""
    try:
        config = sample_config()
    except InputError as error:
        for problem in error.problems:
            st.error(describe(problem))
        return None
    vocab = subject.corpus.vocab
    return state.text_cache(
        "sample", (subject.key, config), lambda: generate(subject.model, vocab, config)
    )


def render_units(subject: Subject) -> None:
    big = state.presentation()
    cols = st.columns([2, 2, 3])
    source = cols[0].radio(
        t("text.source"),
        ("held_out", "sample"),
        key="text-source",
        format_func=lambda s: t(f"text.source_{s}"),
    )
    feature_name = cols[1].selectbox(
        t("text.feature"),
        list(FEATURES),
        key="text-feature",
        format_func=lambda f: t(f"text.feature_{f}"),
    )
    pick = cols[2].radio(
        t("text.pick"),
        ("search", "index"),
        key="text-pick",
        horizontal=True,
        format_func=lambda p: t(f"text.pick_{p}"),
    )
    text = _unit_text(subject, source)
    if len(text) < 2:
        return
    feature = FEATURES[feature_name](text)
    acts = state.text_cache(
        "activations",
        (subject.key, text),
        lambda: activations(subject.model, subject.corpus.vocab.encode(text)),
    )
    chosen = _pick_by_search(acts, feature) if pick == "search" else _pick_by_index(acts)
    if chosen is None:
        st.info(t("text.feature_flat"))
        return
    kind, layer, unit = chosen
    values = acts[kind, layer][:, unit]
    r = correlation(values, feature)
    name = t(f"text.state_{kind}", unit=unit, layer=layer + 1)
    feature_label = t(f"text.feature_{feature_name}")
    st.metric(
        t("text.correlation", unit=name, feature=feature_label),
        "—" if np.isnan(r) else f"{r:+.2f}",
        help=t("text.correlation_help"),
    )
    scale = float(np.abs(values).max()) or 1.0
    st.html(
        coloured_text_html(
            text,
            values,
            scale,
            legend=(t("text.negative", scale=scale), t("text.positive", scale=scale)),
            big=big,
            wrap=_prose(subject),
        )
    )
    fig = unit_trace_figure(
        values,
        feature,
        Labels(t("text.trace_chart"), t("text.char_index"), name, (name, feature_label)),
        big,
    )
    st.plotly_chart(fig, key="text-unit-chart", width="stretch")


def _unit_text(subject: Subject, source: str) -> str:
    if source == "sample":
        sample = current_sample(subject)
        return sample.full if sample is not None else ""
    val = subject.corpus.val_text
    length = min(EXCERPT_CHARS, len(val))
    last = max(len(val) - length, 0)
    start = st.slider(t("text.excerpt_start"), 0, last, 0, step=50, key="text-start") if last else 0
    # Begin on a fresh line (the held-out part itself starts mid-line): line position and
    # indentation then read right from the first row.
    start = val.find("\n", start, start + 200) + 1 or start
    return val[start : start + length]


def _pick_by_search(acts, feature: np.ndarray) -> tuple[str, int, int] | None:
    scores = search_units(acts, feature, top=8)
    if not scores:
        return None
    labels = [
        f"{t(f'text.state_{s.source}', unit=s.unit, layer=s.layer + 1)}: r = {s.correlation:+.2f}"
        for s in scores
    ]
    index = st.radio(
        t("text.found"),
        range(len(scores)),
        key="text-found",
        horizontal=True,
        format_func=labels.__getitem__,
        help=t("text.found_help"),
    )
    best = scores[index or 0]
    return best.source, best.layer, best.unit


def _pick_by_index(acts) -> tuple[str, int, int]:
    kinds = sorted({kind for kind, _ in acts}, key=("hidden", "cell").index)
    layers = sorted({layer for _, layer in acts})
    units = next(iter(acts.values())).shape[1]
    cols = st.columns(3)
    kind = cols[0].radio(
        t("text.state"), kinds, key="text-state", format_func=lambda k: t(f"text.state_{k}_name")
    )
    layer = cols[1].selectbox(
        t("setting.num_layers"), layers, key="text-layer", format_func=lambda n: str(n + 1)
    )
    unit = cols[2].number_input(t("text.unit"), 0, units - 1, 0, key="text-unit")
    return kind, layer, int(unit)


def render_held_out(subject: Subject) -> None:
    if subject.run is not None:
        result = subject.run.held_out()  # the same numbers as above the live chart
    else:
        result = state.text_cache(
            "held_out", subject.key, lambda: held_out(subject.model, subject.corpus, HELD_OUT_CHARS)
        )
    cols = st.columns(4)
    cols[0].metric(t("text.held_out_bits"), f"{result.bits:.2f}", help=t("text.bits_help"))
    cols[1].metric(t("text.perplexity"), f"{result.perplexity:.1f}", help=t("text.perplexity_help"))
    cols[2].metric(t("text.unigram_bits"), f"{result.unigram_bits:.2f}")
    cols[3].metric(t("text.unigram_perplexity"), f"{result.unigram_perplexity:.1f}")
    fig = held_out_figure(
        {t("text.unigram"): result.unigram_bits, t("text.model"): result.bits},
        Labels(t("text.held_out_chart", chars=result.chars), "", t("text.bits_axis")),
        state.presentation(),
    )
    st.plotly_chart(fig, key="text-held-out-chart", width="stretch")
    st.markdown(t("text.held_out_explained"))


def _next_char_chart(subject: Subject, probs: np.ndarray, actual: str, sample: Sample, big: bool):
    top = np.argsort(probs)[::-1][:TOP_CHARS]
    chars = [subject.corpus.vocab.chars[i] for i in top]
    config = sample.config
    tempered = None
    if not config.greedy and abs(config.temperature - 1.0) > 1e-6:
        tempered = temper(probs, config.temperature)[top]
    return next_char_figure(
        chars,
        probs[top],
        actual,
        Labels(
            t("text.next_chart", actual=shown(actual)),
            t("text.next_axis"),
            t("text.probability"),
            (t("text.model_probability"), t("text.at_temperature", value=config.temperature)),
        ),
        tempered,
        big,
    )


def _prose(subject: Subject) -> bool:
    """The user's own text wraps like prose; code keeps its lines."""
    return subject.corpus.name == "own"


def _next_seed() -> None:
    st.session_state[SAMPLE_SEED] = int(st.session_state.get(SAMPLE_SEED, 0)) + 1
