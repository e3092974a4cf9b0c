"""The sentiment page's map of words: the embedding the live model reads with (GloVe, or what it
learned), a few hundred words on its first two principal components."""

from __future__ import annotations

import streamlit as st

from app.charts.sentiment import word_map_figure
from app.charts.training import Labels
from app.engine.sentiment.run import SentimentRun
from app.engine.sentiment.word_map import MAP_WORDS, word_map
from app.ui import state
from app.ui.derived import remembered
from app.ui.i18n import localised, number, t


def render_word_map(run: SentimentRun) -> None:
    frozen = run.config.embedding == "glove_frozen"
    # A frozen embedding never changes: one map for the whole run; a learned one follows its step.
    key = (run.config.source, run.config.embedding, None if frozen else run.step)
    found = remembered(
        "sentiment_word_map",
        key,
        lambda: word_map(run.model.embedding.weight, run.corpus.vocab, MAP_WORDS),
        owner=None if frozen and run.config.source != "own" else run,
        max_age=2.0,
    )
    which = t(f"sent2.map_{run.config.embedding}", step=run.step)
    st.markdown(
        t(
            "sent2.map_intro",
            words=len(found.words),
            which=which,
            explained=number(found.explained, ".0%"),
        )
    )
    fig = word_map_figure(
        found.words,
        found.xy,
        found.sentiment,
        Labels(
            t("sent2.map_chart", which=which),
            t("sent2.map_x"),
            t("sent2.map_y"),
            (t("sent2.map_positive"), t("sent2.map_negative"), t("sent2.map_other")),
        ),
        state.presentation(),
    )
    st.plotly_chart(localised(fig), key="sentiment-map-chart", width="stretch")
    st.caption(t("sent2.map_colours"))
