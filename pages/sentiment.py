"""Sentiment of movie reviews: from text to tensors, a classifier learning live with its held-out
scores, reading a review word by word, probe sentences, class imbalance, word vectors and a map of words."""

from functools import partial

import streamlit as st

from app.engine.sentiment.glove import WordVectors
from app.engine.sentiment.run import SentimentRun
from app.ui import shell, state
from app.ui.i18n import t
from app.ui.lazy_tabs import draw_open, lazy_tabs
from app.ui.live_fragment import live_section
from app.ui.sentiment_data import shared_vectors
from app.ui.sentiment_inside import render_imbalance, render_probes, render_reading, render_vectors
from app.ui.sentiment_link import read_sentiment_link, write_sentiment_link
from app.ui.sentiment_map import render_word_map
from app.ui.sentiment_readers import keep_reader_in_link
from app.ui.sentiment_view import chosen_text, render_live, render_settings, render_tensors
from app.ui.shell import show_notices

st.title(t("sentiment.title"))
shell.intro(t("sentiment.intro"))
read_sentiment_link()
with st.sidebar:
    st.header(t("sentiment.settings"))
    render_settings()
write_sentiment_link()
run = state.SENTIMENT.get()  # before the notices: it may queue one
show_notices()
# On a projector the live training comes first, so its charts are on screen without scrolling;
# "from text to tensors" follows it.
tensors_first = not state.presentation()


def sentiment_section(run: SentimentRun) -> None:
    """Under the controls: the live training, then what reads the live model (a press reruns this,
    not the page)."""
    render_live()
    if not tensors_first:
        render_tensors(run.corpus, run.config.max_len)
    text, _ = chosen_text(run.corpus)
    vectors = shared_vectors()
    with run.lock:  # the live fragment's thread may be training this model
        keep_reader_in_link()  # its radio is in a tab that may be closed
        # A press, or the page's run, reads the model for the open tab only.
        tabs = lazy_tabs(
            [
                t("sentiment.tab_reading"),
                t("sentiment.tab_probes"),
                t("sentiment.tab_imbalance"),
                t("sentiment.tab_vectors"),
            ],
            key="sentiment-tabs",
        )
        draw_open(
            tabs,
            partial(render_reading, run, text),
            partial(render_probes, run),
            partial(render_imbalance, run),
            partial(render_words, vectors, run),
        )


def render_words(vectors: WordVectors, run: SentimentRun) -> None:
    render_vectors(vectors)
    render_word_map(run)


if run is not None:
    if tensors_first:
        render_tensors(run.corpus, run.config.max_len)
    st.subheader(t("sentiment.training"))
    live_section(state.SENTIMENT, "sentiment", sentiment_section)
