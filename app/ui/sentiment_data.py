"""The sentiment page's read-only data, loaded once per process and shared by every session: the
GloVe subset and the review corpora encoded with its vocabulary. Nothing here is ever written to."""

from __future__ import annotations

import streamlit as st

from app.engine.sentiment.corpus import ReviewCorpus, load_corpus
from app.engine.sentiment.glove import WordVectors, load_glove
from app.engine.sentiment.run import SentimentConfig, SentimentRun


@st.cache_resource(show_spinner=False)
def shared_vectors() -> WordVectors:
    return load_glove()


@st.cache_resource(show_spinner=False)
def shared_reviews(source: str) -> ReviewCorpus:
    """One corpus, tokenised and encoded once (IMDB takes a few seconds the first time)."""
    return load_corpus(source, shared_vectors().vocab)


def build_sentiment_run(config: SentimentConfig) -> SentimentRun:
    """A classifier of ``config`` (InputError when the data or the vectors cannot be read)."""
    return SentimentRun(config, shared_reviews(config.source), shared_vectors())
