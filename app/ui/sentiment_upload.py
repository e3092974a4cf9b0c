"""The user's own labelled texts on the sentiment page: a CSV upload with a text and a label column.
A bad file gets a message (kept while it stays in the uploader) and changes nothing; a good one
says what was understood and how much of it the English GloVe vectors cover."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app.engine.csv_series import MAX_BYTES
from app.engine.problems import InputError, Problem
from app.engine.sentiment.labelled import GLOVE_ENOUGH, OwnReviews, own_reviews, read_labelled
from app.ui import state
from app.ui.i18n import describe, number, t
from app.ui.sentiment_data import own_reviews as session_reviews
from app.ui.sentiment_data import set_own_reviews, shared_vectors
from app.ui.uploader import file_uploader

UPLOAD_KEY = "sentiment-upload"
_SEEN = "sentiment-upload-seen"  # (file id, problems) of the last file read here


def render_own_upload() -> None:
    """The uploader, then what the session's file holds (or why the new one was refused)."""
    limit_mb = MAX_BYTES // 2**20
    file = file_uploader(
        t("sent2.upload"),
        type=["csv", "tsv", "txt", "gz", "zip"],
        key=UPLOAD_KEY,
        help=t("sent2.upload_help", limit_mb=limit_mb),
        max_upload_size=limit_mb,  # the uploader shows (and keeps) the file's own limit
    )
    st.caption(t("files.csv_private"))
    if file is not None:
        seen = st.session_state.get(_SEEN)
        if seen is None or seen[0] != file.file_id:  # a file is read once, not every rerun
            seen = (file.file_id, take_file(file.name, file.size, file.getvalue))
            st.session_state[_SEEN] = seen
        for problem in seen[1]:
            st.error(describe(problem), icon=":material/error:")
    own = session_reviews()
    if own is None:
        st.info(t("sent2.upload_waiting"))
    else:
        describe_own(own)


def take_file(name: str, size: int, read: Callable[[], bytes]) -> list[Problem]:
    """Make the file the session's own texts, or return why not. The size is checked before the
    bytes are asked for (``read`` is the upload's ``getvalue``)."""
    if size > MAX_BYTES:
        return [
            Problem(
                "problem.csv_size",
                f"the file is larger than {MAX_BYTES // 2**20} MB",
                {"limit_mb": MAX_BYTES // 2**20},
            )
        ]
    try:
        labelled = read_labelled(read())
        own = own_reviews(name, labelled, shared_vectors())
    except InputError as error:
        return error.problems
    set_own_reviews(own)
    if state.SENTIMENT.config().source == "own":
        state.SENTIMENT.reset()  # a run on the old file starts again on the new one
    return []


def describe_own(own: OwnReviews) -> None:
    """What was read: the columns, the labels as understood, what was left out, GloVe's coverage."""
    read = own.read
    positives = int(read.labels.sum())
    understood = ", ".join(
        f"{value} → {t(f'sentiment.label_{label}')}" for value, label in read.understood.items()
    )
    st.success(
        t(
            "sent2.upload_read",
            name=own.name,
            texts=number(len(read.texts), ","),
            text_column=read.text_column,
            label_column=read.label_column,
            understood=understood,
            positive=number(positives, ","),
            negative=number(len(read.texts) - positives, ","),
        ),
        icon=":material/check_circle:",
    )
    if read.dropped_empty or read.dropped_unlabelled:
        st.caption(
            t("sent2.upload_dropped", empty=read.dropped_empty, unlabelled=read.dropped_unlabelled)
        )
    coverage = own.coverage
    values = {
        "words": number(coverage.words, ","),
        "word_share": number(coverage.word_share, ".0%"),
        "token_share": number(coverage.token_share, ".0%"),
        "enough": number(GLOVE_ENOUGH, ".0%"),
    }
    if coverage.enough:
        st.caption(t("sent2.coverage_good", **values))
    else:
        st.warning(t("sent2.coverage_low", **values), icon=":material/translate:")


def glove_usable() -> bool:
    """Whether GloVe may start the embedding of a run on the session's own texts."""
    own = session_reviews()
    return own is None or own.coverage.enough
