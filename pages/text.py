"""Text, one character or one word at a time: a model learns to write; inside a character model
single units track quotes, brackets or the position in a line; a word model's embedding puts
similar words together, and both levels are measured on the same held-out characters."""

from functools import partial

import streamlit as st

from app.engine.text.run import TextRun
from app.ui import shell, state
from app.ui.i18n import t
from app.ui.lazy_tabs import draw_open, lazy_tabs
from app.ui.live_fragment import live_section
from app.ui.shell import show_notices
from app.ui.text_inside import render_held_out, render_units
from app.ui.text_view import (
    Subject,
    render_corpus_summary,
    render_text_live,
    render_text_settings,
)
from app.ui.text_write import render_write
from app.ui.words_page import render_words_page
from app.ui.words_view import render_level_choice, render_word_settings

level_box = st.container()  # the level is chosen under the title, which names it
with level_box:
    title, intro = st.empty(), st.empty()
    # On a projector the level and the model share a row: the live chart starts a row higher.
    level_choice, model_choice = (
        st.columns([1, 3]) if state.presentation() else (st.container(), st.container())
    )
    with level_choice:
        level = render_level_choice()
title.title(t("text.title") if level == "chars" else t("words.title"))
with intro.container():
    shell.intro(t("text.intro") if level == "chars" else t("words.intro"))
with st.sidebar:
    st.header(t("text.settings"))
    if level == "chars":
        render_text_settings()
    else:
        render_word_settings()


def characters() -> None:
    """The character level: the shipped model or one trained live, and its three tabs."""
    shipped = state.pretrained()
    choice = model_choice.radio(
        t("text.model_choice"),
        ("pretrained", "live") if shipped is not None else ("live",),
        key="text-model",
        horizontal=True,
        format_func=lambda name: t(f"text.model_{name}"),
    )
    run = state.TEXT.get() if choice == "live" else None  # before the notices: it may queue one
    show_notices()
    if choice == "pretrained" and shipped is not None:
        checkpoint, corpus = shipped
        st.caption(
            t("text.pretrained_info", hidden=checkpoint.config.hidden_size, **checkpoint.info)
        )
        render_tabs(Subject(checkpoint.model, corpus), t("text.corpus_python"))
    elif run is not None:
        live_section(state.TEXT, "text", live_model)


def live_model(run: TextRun) -> None:
    """Under the controls: the live model training, then the tabs that read it (a press reruns
    this, not the page)."""
    render_text_live()
    st.caption(t("text.inside_step", step=run.step))
    render_tabs(Subject(run.model, run.corpus, run), t(f"text.corpus_{run.config.corpus}"))


def render_tabs(subject: Subject, title: str) -> None:
    with subject.reading():
        render_corpus_summary(subject.corpus, title)
        # A press, or the page's run, reads the model for the open tab only.
        tabs = lazy_tabs(
            [t("text.tab_write"), t("text.tab_units"), t("text.tab_held_out")], key="text-tabs"
        )
        draw_open(
            tabs,
            *(partial(render, subject) for render in (render_write, render_units, render_held_out)),
        )


if level == "words":
    render_words_page(model_choice)
else:
    characters()
