"""Which classifier reads on the sentiment page: the shipped pretrained one (useful before anyone
presses Play) or this session's live one. The choice is kept in the link (``?reader=live``)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from app.engine.problems import InputError
from app.engine.sentiment.pretrained import PretrainedReviews
from app.engine.sentiment.run import SentimentRun
from app.engine.sentiment.tokens import Vocabulary
from app.ui import state
from app.ui.i18n import describe, number, t
from app.ui.lazy_tabs import KEEP
from app.ui.query import keep_in_link
from app.ui.sentiment_data import shared_pretrained
from models.sentiment import ReviewClassifier

READERS = ("pretrained", "live")
READER_KEY = "sentiment-reader"
READER_PARAM = "reader"


@dataclass(frozen=True)
class Reader:
    """A classifier as the reading and the probes use it."""

    name: str  # one of READERS
    model: ReviewClassifier
    vocab: Vocabulary
    threshold: float
    max_len: int
    version: tuple  # what a reading by it depends on: which model, at which step


def pretrained() -> PretrainedReviews | None:
    """The shipped model, or None with the reason shown (a damaged or missing file)."""
    try:
        return shared_pretrained()
    except InputError as error:
        for problem in error.problems:
            st.warning(describe(problem))
        return None


def live_reader(run: SentimentRun) -> Reader:
    return Reader(
        "live",
        run.model,
        run.corpus.vocab,
        run.threshold,
        run.config.max_len,
        ("live", run.uid, run.step),
    )


def pretrained_reader(shipped: PretrainedReviews, max_len: int) -> Reader:
    """The shipped model reads as far as the page's truncation says (it trained on up to
    ``shipped.config.max_len`` words)."""
    return Reader("pretrained", shipped.model, shipped.vocab, 0.5, max_len, ("pretrained",))


def choose_reader(run: SentimentRun) -> Reader:
    """A radio between the pretrained and the live model (pretrained first, as the link says)."""
    shipped = pretrained()
    if shipped is None:
        return live_reader(run)
    keep_reader_in_link()
    name = st.radio(
        t("sent2.reader"),
        READERS,
        key=READER_KEY,
        on_change=_write_link,
        horizontal=True,
        format_func=lambda r: t(f"sent2.reader_{r}"),
        persist_state=KEEP,  # in a tab that may be closed (app/ui/lazy_tabs.py)
    )
    if name == "live":
        return live_reader(run)
    st.caption(pretrained_caption(shipped))
    return pretrained_reader(shipped, run.config.max_len)


def keep_reader_in_link() -> None:
    """The reader chosen (at first the link's), kept in the link whether or not its tab is open."""
    if READER_KEY not in st.session_state:
        asked = st.query_params.get(READER_PARAM)
        st.session_state[READER_KEY] = asked if asked in READERS else READERS[0]
    if st.session_state[READER_KEY] != READERS[0]:
        keep_in_link(READER_PARAM, st.session_state[READER_KEY])


def _write_link() -> None:
    """The choice is kept in the link, which only the full-app run writes: the radio sits in the
    page's live section (app/ui/live_fragment.py), so its answer is the whole page."""
    state.SENTIMENT.state().app_run = True


def pretrained_caption(shipped: PretrainedReviews) -> str:
    """Its cost and its held-out score, as the training script measured and stored them."""
    info = shipped.info
    return t(
        "sent2.pretrained_caption",
        hidden=shipped.config.hidden_size,
        steps=number(int(info.get("steps", 0)), ","),
        seconds=number(float(info.get("seconds", 0.0)), ".0f"),
        machine=str(info.get("machine", "?")),
        accuracy=number(float(info.get("held_out_accuracy", float("nan"))), ".1%"),
        f1=number(float(info.get("held_out_f1", float("nan"))), ".3f"),
        count=number(int(info.get("held_out_count", 0)), ","),
    )
