"""The sentiment page's settings, "from text to tensors", and the live training part."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from app.charts.sentiment import confusion_figure, scores_figure
from app.charts.training import Labels, loss_figure
from app.engine.sentiment.corpus import SOURCES, ReviewCorpus
from app.engine.sentiment.run import (
    EMBEDDINGS,
    OWN,
    RANGES,
    REMEDIES,
    SentimentConfig,
    SentimentRun,
)
from app.engine.sentiment.tokens import pad, tokenize, truncated_count
from app.ui import state
from app.ui.i18n import number, t
from app.ui.live_chart import live_chart
from app.ui.live_fragment import live_fragment
from app.ui.live_header import divergence_note, metric_row, steps_and_speed
from app.ui.number_inputs import bounded_number, decimal_slider
from app.ui.sentiment_upload import glove_usable, render_own_upload
from models.sentiment import CLASSIFIER_CELLS

REVIEW = "sentiment-review"
TYPED = "sentiment-typed"
BATCH_SHOWN = 4  # reviews in the padded batch shown


def render_settings() -> None:
    """Sidebar widgets -> the session's SentimentConfig."""
    current = state.SENTIMENT.config()
    sources = (*SOURCES, OWN)
    source = st.radio(
        t("setting.source"),
        sources,
        index=sources.index(current.source),
        key="sentiment-source",
        format_func=lambda name: t(f"sentiment.source_{name}"),
    )
    if source == OWN:
        render_own_upload()
    scratch_only = source == OWN and not glove_usable()
    cell = st.radio(
        t("setting.cell"),
        CLASSIFIER_CELLS,
        index=CLASSIFIER_CELLS.index(current.cell),
        key="sentiment-cell",
        horizontal=True,
        format_func=lambda c: t(f"sentiment.cell_{c}"),
    )
    if scratch_only:  # English vectors for a file they hardly cover: learn the words instead
        embedding = "scratch"
        st.radio(
            t("setting.embedding"),
            EMBEDDINGS,
            index=EMBEDDINGS.index(embedding),
            key="sentiment-embedding-own",
            format_func=lambda e: t(f"sentiment.embedding_{e}"),
            disabled=True,
        )
        st.caption(t("sent2.scratch_only"))
    else:
        embedding = st.radio(
            t("setting.embedding"),
            EMBEDDINGS,
            index=EMBEDDINGS.index(current.embedding),
            key="sentiment-embedding",
            format_func=lambda e: t(f"sentiment.embedding_{e}"),
            help=t("sentiment.embedding_help"),
        )
    hidden = bounded_number(
        t("setting.hidden_size"), RANGES["hidden_size"], "sentiment-hidden", current.hidden_size, 16
    )
    max_len = bounded_number(
        t("setting.max_len"), RANGES["max_len"], "sentiment-max-len", current.max_len, 5
    )
    batch = bounded_number(
        t("setting.batch_size"), RANGES["batch_size"], "sentiment-batch", current.batch_size
    )
    rate = bounded_number(
        t("setting.learning_rate"),
        RANGES["learning_rate"],
        "sentiment-lr",
        current.learning_rate,
        0.001,
        "%.4f",
    )
    seed = bounded_number(t("setting.seed"), RANGES["seed"], "sentiment-seed", current.seed)
    st.subheader(t("sentiment.imbalance"))
    share = decimal_slider(
        t("setting.positive_share"),
        0.05,
        0.95,
        current.positive_share,
        step=0.05,
        key="sentiment-share",
        help=t("sentiment.share_help"),
    )
    remedy = st.radio(
        t("setting.remedy"),
        REMEDIES,
        index=REMEDIES.index(current.remedy),
        key="sentiment-remedy",
        format_func=lambda r: t(f"sentiment.remedy_{r}"),
    )
    state.SENTIMENT.set_config(
        SentimentConfig(
            source=source,
            cell=cell,
            embedding=embedding,
            hidden_size=int(hidden),
            max_len=int(max_len),
            batch_size=int(batch),
            learning_rate=float(rate),
            positive_share=float(share),
            remedy=remedy,
            seed=int(seed),
        )
    )


def chosen_text(corpus: ReviewCorpus) -> tuple[str, int | None]:
    """The typed text, or else the review chosen by number (with its index)."""
    typed = st.session_state.get(TYPED, "").strip()
    if typed:
        return typed, None
    index = min(int(st.session_state.get(REVIEW, 0)), len(corpus) - 1)
    return corpus.texts[index], index


def render_tensors(corpus: ReviewCorpus, max_len: int) -> None:
    """A review as tokens, then ids, then a padded batch with its lengths; what truncation cuts."""
    st.subheader(t("sentiment.tensors"))
    left, right = st.columns([1, 2])
    left.number_input(t("sentiment.review_number"), 0, len(corpus) - 1, 0, key=REVIEW)
    right.text_input(t("sentiment.typed"), key=TYPED, placeholder=t("sentiment.typed_hint"))
    text, index = chosen_text(corpus)
    if index is not None:
        label = t("sentiment.label_1") if corpus.labels[index] else t("sentiment.label_0")
        st.caption(t("sentiment.review_caption", number=index, label=label))
    st.markdown(f"> {text[:1500]}")
    tokens = tokenize(text)
    ids = corpus.vocab.encode(tokens)
    unknown = int((ids == 1).sum())
    st.markdown(t("sentiment.tokens_intro", count=len(tokens), unknown=unknown))
    shown = max_len if len(tokens) > max_len else len(tokens)
    # One column per position (words along the row, as the model reads them), all as text.
    table = pd.DataFrame(
        [tokens[:shown], [str(i) for i in ids[:shown]], corpus.vocab.decode(ids[:shown])],
        index=[t("sentiment.token"), t("sentiment.id"), t("sentiment.as_read")],
        columns=[str(k + 1) for k in range(shown)],
    )
    st.dataframe(table)
    if len(tokens) > max_len:
        st.caption(t("sentiment.cut_here", kept=max_len, lost=len(tokens) - max_len))
    render_batch(corpus, ids, index, max_len)


def render_batch(corpus: ReviewCorpus, ids: np.ndarray, index: int | None, max_len: int) -> None:
    """The chosen text and the next reviews as one padded batch, ``<pad>`` = 0 visible."""
    start = 0 if index is None else index + 1
    rows = [ids] + [corpus.ids[(start + k) % len(corpus)] for k in range(BATCH_SHOWN - 1)]
    batch, lengths = pad(rows, max_len)
    st.markdown(t("sentiment.batch_intro", rows=batch.shape[0], columns=batch.shape[1]))
    frame = pd.DataFrame(batch.numpy(), columns=[str(k + 1) for k in range(batch.shape[1])])
    frame.insert(0, t("sentiment.length"), lengths.numpy())
    st.dataframe(frame, hide_index=True)
    cut = truncated_count(corpus.lengths, max_len)
    st.caption(
        t(
            "sentiment.truncation",
            max_len=max_len,
            cut=cut,
            total=number(len(corpus), ","),
            share=number(cut / len(corpus), ".1%"),
            median=int(np.median(corpus.lengths)),
            longest=int(corpus.lengths.max()),
        )
    )


def render_live() -> None:
    live_fragment(state.SENTIMENT, _draw)


def _draw(run: SentimentRun) -> None:
    big = state.presentation()
    notes = divergence_note(run)
    result = run.evaluation()
    row = metric_row()
    steps_and_speed(state.SENTIMENT, run, row)
    for name, value in (
        ("accuracy", result.positive.accuracy),
        ("precision", result.positive.precision),
        ("recall", result.positive.recall),
        ("f1", result.positive.f1),
    ):
        row.metric(t(f"sentiment.{name}"), number(value, ".1%"), help=t(f"sentiment.{name}_help"))
    history = run.history
    steps = history.array("step")
    if big:
        # On a projector the scores (the main chart) get the width their legend needs on one row,
        # beside the confusion matrix; what they were measured on and the loss follow under them,
        # and the empty scores chart says what to press.
        left, right = st.columns([3, 1.4])
        measured_on = st.container()
        middle = st.container()
    else:
        measured_on = st.container()  # what the scores were measured on (filled below)
        if not history.columns:
            notes.info(t("train.press_play"))
        left, middle, right = st.columns([2, 2, 1.4])
    with left:
        series = [history.array("val_accuracy"), history.array("val_f1")]
        names = [t("sentiment.accuracy"), t("sentiment.f1")]
        if result.rare_label == 1:
            # The positive class is the rare one (or the classes are even): its F1 is both lines,
            # and a second line would only hide under the first.
            names[1] = t("sentiment.f1_rare_positive")
        else:
            series.append(history.array("val_rare_f1"))
            names.append(t("sentiment.rare_f1"))
        fig = scores_figure(
            steps,
            series,
            Labels(
                t("sentiment.scores_chart"),
                t("chart.step"),
                t("sentiment.score_axis"),
                tuple(names),
            ),
            big,
            empty_note=t("train.press_play_short") if big else "",
        )
        live_chart(fig, key="sentiment-scores-chart")
    with middle:
        fig = loss_figure(
            steps,
            history.array("loss"),
            history.array("val_loss"),
            Labels(
                t("chart.loss"),
                t("chart.step"),
                t("sentiment.loss_axis"),
                (t("chart.train"), t("sentiment.held_out")),
            ),
            log_scale=False,
            big=big,
        )
        live_chart(fig, key="sentiment-loss-chart")
    with right:
        names = (t("sentiment.label_0"), t("sentiment.label_1"))
        fig = confusion_figure(
            result.matrix,
            Labels(t("sentiment.confusion"), t("sentiment.predicted"), t("sentiment.true"), names),
            big,
        )
        live_chart(fig, key="sentiment-confusion-chart")
    measured_on.caption(
        t(
            "sentiment.held_out_caption",
            count=len(result.labels),
            corpus=t(f"sentiment.source_{run.config.source}"),
            share=number(float(result.labels.mean()), ".0%"),
            threshold=number(result.threshold, ".2f"),
        )
    )
