"""The word level's Write tab: a prompt, a length, a temperature and a decoding (greedy, sampled,
top-k, nucleus), and after any prefix the model's likeliest next words."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app.charts.training import Labels
from app.charts.words import next_word_figure
from app.engine.words.run import next_word_probabilities
from app.engine.words.sampling import DECODINGS, SAMPLE_RANGES, WordSampleConfig
from app.engine.words.tokens import UNK, readable, tokenize
from app.ui import state
from app.ui.derived import remembered
from app.ui.i18n import localised, number, t
from app.ui.lazy_tabs import KEEP
from app.ui.number_inputs import decimal_slider
from app.ui.words_view import SAMPLE_SEED, WordSubject, current_sample

TOP_WORDS = 10


def render_write(subject: WordSubject) -> None:
    base = WordSampleConfig()
    cols = st.columns([3, 2, 2, 2])
    cols[0].text_input(
        t("text.prompt"), base.prompt, max_chars=500, key="words-prompt", persist_state=KEEP
    )
    cols[1].slider(
        t("words.length"), 5, 200, base.length, step=5, key="words-length", persist_state=KEEP
    )
    with cols[2]:
        decimal_slider(
            t("text.temperature"),
            0.05,
            2.0,
            base.temperature,
            step=0.05,
            key="words-temperature",
            persist_state=KEEP,
            help=t("words.temperature_help"),
        )
    decoding = cols[3].radio(
        t("text.decoding"),
        DECODINGS,
        index=DECODINGS.index(base.decoding),
        key="words-decoding",
        persist_state=KEEP,
        format_func=lambda d: t(f"words.decoding_{d}"),
        help=t("words.decoding_help"),
    )
    cols = st.columns([2, 2, 3])
    if decoding == "top_k":
        low, high = SAMPLE_RANGES["top_k"]
        cols[0].number_input(
            t("words.top_k"), low, high, base.top_k, key="words-top-k", persist_state=KEEP
        )
    if decoding == "nucleus":
        with cols[0]:
            decimal_slider(
                t("words.top_p"),
                0.05,
                1.0,
                base.top_p,
                step=0.05,
                key="words-top-p",
                persist_state=KEEP,
            )
    cols[1].toggle(
        t("words.allow_unknown"),
        base.allow_unknown,
        key="words-allow-unknown",
        persist_state=KEEP,
        help=t("words.allow_unknown_help"),
    )
    cols[2].button(
        t("text.resample"), key="words-resample", on_click=_next_seed, icon=":material/casino:"
    )
    sample = current_sample(subject)
    if sample is not None:
        st.code(readable(sample.prompt + sample.words), language=None, wrap_lines=True)
        unknown = sum(1 for w in sample.words if w == "<unk>")
        st.caption(
            t("words.sample_caption", written=len(sample.words), unknown=unknown)
            + " "
            + t(f"words.decoding_{decoding}_note")
        )
    render_next_words(subject)


def render_next_words(subject: WordSubject) -> None:
    """After any prefix: the top words with their probabilities."""
    st.subheader(t("words.next_title"))
    prefix = st.text_input(
        t("words.prefix"), "the film is", max_chars=500, key="words-next-prefix", persist_state=KEEP
    )
    vocab = subject.corpus.vocab
    tokens = tokenize(prefix)
    ids = vocab.encode(tokens)
    probs = remembered(
        "words_next",
        (subject.key, prefix),
        lambda: next_word_probabilities(subject.model, ids),
        shared=subject.run is None,
    )
    top = np.argsort(probs)[::-1][:TOP_WORDS]
    words = [vocab.words[i] for i in top]
    fig = next_word_figure(
        words,
        probs[top],
        Labels(t("words.next_chart", prefix=readable(tokens)[-60:]), t("text.probability"), ""),
        state.presentation(),
    )
    st.plotly_chart(localised(fig), key="words-next-chart", width="stretch")
    unknown = [w for w, i in zip(tokens, ids, strict=True) if i == UNK]
    st.caption(
        t(
            "words.next_caption",
            shown=number(100 * float(probs[top].sum()), ".0f"),
            unknown=", ".join(unknown[:8]) or "—",
        )
    )


def _next_seed() -> None:
    st.session_state[SAMPLE_SEED] = int(st.session_state.get(SAMPLE_SEED, 0)) + 1
