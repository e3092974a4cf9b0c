"""The sentiment page's setup in the link (``?sentiment_cell=gru&sentiment_hidden_size=32``), read on
the page's first visit of a session and written back on every run, as the run's setup is
(app/ui/query.py): a shared link opens the same classifier."""

from __future__ import annotations

import streamlit as st

from app.engine.config_codec import from_page_query, page_query
from app.engine.sentiment.run import RANGES, SentimentConfig
from app.ui import state
from app.ui.query import ignored_notice, keep_in_link

PREFIX = "sentiment_"  # never a run setting's name: ?hidden_size= stays the training page's
_READ = "sentiment-link-read"


def read_sentiment_link() -> None:
    """On the page's first visit of the session: the link's sentiment settings (a value it cannot
    use keeps its default, and one notice says which)."""
    if st.session_state.get(_READ):
        return
    st.session_state[_READ] = True
    config, problems = from_page_query(SentimentConfig, st.query_params.to_dict(), PREFIX, RANGES)
    if problems:
        state.notify(ignored_notice(problems))
    if config != SentimentConfig():
        state.SENTIMENT.set_config(config)


def write_sentiment_link() -> None:
    """Keep the page's setup (what differs from the defaults) in the address bar."""
    for name, value in page_query(state.SENTIMENT.config(), PREFIX).items():
        keep_in_link(name, value)
