"""The sentiment page's read-only data, loaded once per process and shared by every session: the
GloVe subset, the review corpora encoded with its vocabulary and the shipped pretrained classifier.
Nothing shared is ever written to; a session's own uploaded texts stay in its session state."""

from __future__ import annotations

import streamlit as st

from app.engine.problems import InputError, Problem
from app.engine.sentiment.corpus import ReviewCorpus, shipped_reviews
from app.engine.sentiment.glove import WordVectors, shipped_vectors
from app.engine.sentiment.labelled import OwnReviews
from app.engine.sentiment.pretrained import PretrainedReviews, load_pretrained
from app.engine.sentiment.run import OWN, SentimentConfig, SentimentRun

_OWN_REVIEWS = "sentiment_own_reviews"


@st.cache_resource(show_spinner=False)
def shared_vectors() -> WordVectors:
    return shipped_vectors()


@st.cache_resource(show_spinner=False)
def shared_reviews(source: str) -> ReviewCorpus:
    """One corpus, tokenised and encoded once (IMDB takes a few seconds the first time)."""
    return shipped_reviews(source)


def build_sentiment_run(config: SentimentConfig) -> SentimentRun:
    """A classifier of ``config`` (InputError when the data or the vectors cannot be read, or no
    labelled file has been uploaded yet for "own")."""
    if config.source != OWN:
        return SentimentRun(config, shared_reviews(config.source), shared_vectors())
    own = own_reviews()
    if own is None:
        raise InputError(
            Problem("problem.reviews_own_missing", "upload a CSV file of labelled texts first")
        )
    return SentimentRun(config, own.corpus, own.vectors)


def own_reviews() -> OwnReviews | None:
    """This session's uploaded labelled texts (never shared: one session's file is its own)."""
    return st.session_state.get(_OWN_REVIEWS)


def set_own_reviews(own: OwnReviews) -> None:
    st.session_state[_OWN_REVIEWS] = own


@st.cache_resource(show_spinner=False)
def shared_pretrained() -> PretrainedReviews:
    """The shipped review classifier, read-only (no gradients): every session reads with it."""
    return load_pretrained(shared_vectors())
