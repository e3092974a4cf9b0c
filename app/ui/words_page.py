"""The text page at the word level: the shipped word model or one trained live, its vocabulary,
and the tabs that write, compare the two levels and look at the embedding."""

from __future__ import annotations

from functools import partial

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from app.engine.words.run import WordRun
from app.ui import state
from app.ui.i18n import number, t
from app.ui.lazy_tabs import draw_open, lazy_tabs
from app.ui.live_fragment import live_section
from app.ui.shell import show_notices
from app.ui.words_inside import render_embedding, render_levels
from app.ui.words_view import WordSubject, render_corpus_summary, render_words_live
from app.ui.words_write import render_write


def render_words_page(choice_box: DeltaGenerator | None = None) -> None:
    """``choice_box`` holds the choice of model (a column beside the level's on a projector)."""
    shipped = state.pretrained_words()
    choice = (choice_box or st).radio(
        t("text.model_choice"),
        ("pretrained", "live") if shipped is not None else ("live",),
        key="words-model",
        horizontal=True,
        format_func=lambda name: t(f"words.model_{name}"),
    )
    run = state.WORDS.get() if choice == "live" else None  # before the notices: it may queue one
    show_notices()
    if choice == "pretrained" and shipped is not None:
        checkpoint, corpus = shipped
        info = checkpoint.info
        st.caption(
            t(
                "words.pretrained_info",
                hidden=checkpoint.config.hidden_size,
                vocab=checkpoint.vocab.size,
                steps=info.get("steps", 0),
                seconds=info.get("seconds", 0),
                bits=number(float(info.get("bits_per_char", 0)), ".2f"),
                char_bits=number(float(info.get("char_bits_per_char", 0)), ".2f"),
            )
        )
        render_tabs(WordSubject(checkpoint.model, corpus))
    elif run is not None:
        live_section(state.WORDS, "words", live_model)


def live_model(run: WordRun) -> None:
    """Under the controls: the live word model training, then the tabs that read it (a press
    reruns this, not the page)."""
    render_words_live()
    st.caption(t("text.inside_step", step=run.step))
    # Hold the live model while reading it: the fragment's thread may be training it.
    with run.lock:
        render_tabs(WordSubject(run.model, run.corpus, run))


def render_tabs(subject: WordSubject) -> None:
    render_corpus_summary(subject.corpus)
    tabs = lazy_tabs(
        [t("text.tab_write"), t("words.tab_levels"), t("words.tab_embedding")], key="words-tabs"
    )
    # A press, or the page's run, reads the model for the open tab only.
    draw_open(
        tabs,
        *(partial(render, subject) for render in (render_write, render_levels, render_embedding)),
    )
