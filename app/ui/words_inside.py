"""Inside the word level: both levels in bits per character on the same held-out text (with what
each gets right and wrong, from the measured numbers), and what the embedding learned, beside GloVe."""

from __future__ import annotations

import math

import streamlit as st

from app.charts.training import Labels
from app.charts.words import levels_figure, word_map_figure
from app.engine.sentiment.glove import WordVectors, shipped_vectors
from app.engine.text.sampling import SampleConfig, generate
from app.engine.words.compare import (
    CharHeldOut,
    char_held_out,
    char_unigram_bits,
    invented_share,
)
from app.engine.words.corpus import WordCorpus
from app.engine.words.embedding import learned_vectors, nearest, word_map
from app.engine.words.run import LIVE_EVAL_WORDS, held_out
from app.engine.words.tokens import canonical, tokenize
from app.ui import state
from app.ui.derived import remembered
from app.ui.i18n import localised, number, t
from app.ui.lazy_tabs import KEEP
from app.ui.words_view import WordSubject

COMPARE_WORDS = 6000  # ~32,000 held-out characters: two decimals, about a second for both models
NEIGHBOURS = 8
CHAR_SAMPLE = 600


@st.cache_resource(show_spinner=False)
def glove() -> WordVectors | None:
    """GloVe's 50-d vectors of the 20,000 commonest review words (read-only, shared)."""
    try:
        return shipped_vectors()  # the sentiment page's too: one copy in the process
    except Exception:  # a missing or damaged file: the page says GloVe is not available
        return None


def render_levels(subject: WordSubject) -> None:
    corpus = subject.corpus
    train_text = canonical(corpus.tokens[: corpus.split])
    if subject.run is not None:  # the numbers above its live chart, measured once per step
        words, limit = subject.run.held_out(), LIVE_EVAL_WORDS
    else:
        limit = COMPARE_WORDS
        words = remembered(
            "words_levels",
            subject.key,
            lambda: held_out(subject.model, corpus, limit),
            shared=subject.run is None,
        )
    shipped = state.pretrained_words()
    twin = shipped[0] if shipped is not None and corpus.name == shipped[0].config.corpus else None
    bits = {
        t("words.unigram_chars"): remembered(
            "words_char_unigram",
            (corpus.name, len(corpus.tokens), limit),
            lambda: char_unigram_bits(corpus, train_text, limit),
        ),
        t("words.unigram"): words.unigram_bits_per_char,
        t("words.bar_words"): words.bits_per_char,
    }
    invented = math.nan
    if twin is not None:
        chars, invented = twin_scores(twin, corpus, limit)
        bits[t("words.bar_chars")] = chars.bits_per_char
    fig = levels_figure(
        bits,
        {t("words.unigram_chars"), t("words.unigram")},
        Labels(t("words.levels_chart", chars=words.chars), "", t("text.bits_axis")),
        state.presentation(),
    )
    st.plotly_chart(localised(fig), key="words-levels-chart", width="stretch")
    st.markdown(t("words.levels_how"))
    _verdict(words, bits.get(t("words.bar_chars")), invented, subject)


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs={WordCorpus: lambda c: c.name})
def twin_scores(_twin, corpus: WordCorpus, limit: int) -> tuple[CharHeldOut, float]:
    """The shipped character model on the word level's scored characters, and the share of made-up
    words in a sample of it at temperature 0.8: the same for every session (read-only, shared)."""
    train_text = canonical(corpus.tokens[: corpus.split])
    scores = char_held_out(_twin.char_model, _twin.char_vocab, corpus, train_text, limit)
    sample = generate(_twin.char_model, _twin.char_vocab, SampleConfig("the film is ", CHAR_SAMPLE))
    known = set(corpus.tokens[: corpus.split])
    return scores, invented_share(tokenize(sample.text)[1:-1], known)  # the ends may be half words


def _verdict(words, char_bits: float | None, invented: float, subject: WordSubject) -> None:
    """What each level gets right and wrong, in the numbers just measured."""
    lines = [
        t(
            "words.verdict_unknown",
            share=number(100 * words.unknown_bits / words.total_bits, ".0f"),
            unknown=words.unknown,
            words=words.words,
        ),
        _context_line(words.unigram_bits_per_word - words.bits_per_word),
    ]
    if char_bits is not None:
        gap = words.bits_per_char - char_bits
        key = "words.verdict_chars_win" if gap > 0 else "words.verdict_words_win"
        lines.append(t(key, gap=number(abs(gap), ".2f")))
        lines.append(t("words.verdict_spelling", invented=number(100 * invented, ".0f")))
    else:
        lines.append(t("words.verdict_no_twin"))
    lines.append(t("words.verdict_meaning"))
    if subject.corpus.name == "own":
        lines.append(t("words.verdict_own"))
    st.markdown("\n".join(f"- {line}" for line in lines))


def _context_line(gain: float) -> str:
    key = "words.verdict_context" if gain > 0 else "words.verdict_context_not_yet"
    return t(key, gain=number(abs(gain), ".2f"))


def render_embedding(subject: WordSubject) -> None:
    vocab = subject.corpus.vocab
    ours = learned_vectors(subject.model)
    vectors = glove()
    cols = st.columns([2, 3])
    word = cols[0].text_input(
        t("words.neighbour_of"), "good", max_chars=40, key="words-neighbour", persist_state=KEEP
    )
    count = cols[1].slider(
        t("words.map_count"), 20, 300, 100, step=10, key="words-map-count", persist_state=KEEP
    )
    word = (tokenize(word) or [""])[0]
    shared = {w for w in vocab.words[2:] if vectors is not None and w in vectors.vocab}
    mine = nearest(ours, vocab, word, NEIGHBOURS)
    theirs = (
        nearest(vectors.vectors.numpy(), vectors.vocab, word, NEIGHBOURS, shared) if vectors else []
    )
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('words.ours', corpus=t(f'words.corpus_{subject.corpus.name}'))}**")
        _neighbours(mine, word)
    with right:
        st.markdown(f"**{t('words.glove')}**")
        if vectors is None:
            st.info(t("words.glove_missing"))
        else:
            _neighbours(theirs, word)
    frequent = [w for w in vocab.words[2:] if vectors is None or w in shared][:count]
    highlight = {word} | {w for w, _ in mine}
    left, right = st.columns(2)
    with left:
        _map(word_map(ours, vocab, frequent), highlight, t("words.map_ours"), "words-map-ours")
    if vectors is not None:
        with right:
            glove_map = word_map(vectors.vectors.numpy(), vectors.vocab, frequent)
            _map(
                glove_map, {word} | {w for w, _ in theirs}, t("words.map_glove"), "words-map-glove"
            )
    st.caption(t("words.map_caption"))


def _neighbours(found: list[tuple[str, float]], word: str) -> None:
    if not found:
        st.info(t("words.not_in_vocab", word=word))
        return
    st.markdown("\n".join(f"- {w} ({number(s, '.2f')})" for w, s in found))


def _map(found, highlight: set[str], title: str, key: str) -> None:
    labels = Labels(
        title,
        t("words.map_axis", component=1, share=number(100 * found.explained[0], ".0f")),
        t("words.map_axis", component=2, share=number(100 * found.explained[1], ".0f")),
    )
    fig = word_map_figure(found.words, found.points, highlight, labels, state.presentation())
    st.plotly_chart(localised(fig), key=key, width="stretch")
