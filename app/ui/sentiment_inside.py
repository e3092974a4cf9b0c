"""Looking at a review classifier: reading word by word, the probe sentences, the imbalance
remedies measured side by side, and the word vectors' neighbours."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from app.charts.sentiment import precision_recall_figure, reading_figure, remedies_figure
from app.charts.training import Labels
from app.engine.sentiment.glove import WordVectors
from app.engine.sentiment.metrics import precision_recall_curve
from app.engine.sentiment.reading import PROBES, Reading, read, score_probes
from app.engine.sentiment.remedies import compare_remedies
from app.engine.sentiment.run import REMEDIES, SentimentRun
from app.ui import state
from app.ui.derived import peek, remembered
from app.ui.i18n import localised, number, t
from app.ui.lazy_tabs import KEEP
from app.ui.sentiment_readers import choose_reader, live_reader, pretrained, pretrained_reader

STRONG, WEAK = 0.05, 0.01  # |change in P(positive)| for a coloured background / coloured word
REMEDY_STEPS = (
    100  # enough for every remedy to show (tests/engine/test_sentiment.py), a few seconds
)
NEIGHBOURS = 10
PAIRS = (("good", "great"), ("good", "bad"), ("awful", "terrible"), ("boring", "exciting"))


def render_reading(run: SentimentRun, text: str) -> None:
    big = state.presentation()
    reader = choose_reader(run)
    reading = remembered(
        "sentiment_reading",
        (reader.version, text, reader.max_len),
        lambda: read(reader.model, reader.vocab, text, reader.max_len),
        shared=reader.name == "pretrained",  # the shipped model: the same for every session
    )
    if reader.name == "live":
        st.markdown(t("sentiment.reading_intro", step=run.step))
    else:
        st.markdown(t("sent2.reading_pretrained_intro"))
    if not reading.tokens:
        st.info(t("sentiment.no_words"))
        return
    st.markdown(coloured_words(reading))
    st.caption(t("sentiment.colour_legend", strong=number(STRONG, ".2f")))
    verdict = (
        t("sentiment.label_1") if reading.final >= reader.threshold else t("sentiment.label_0")
    )
    st.markdown(t("sentiment.verdict", p=number(reading.final, ".2f"), verdict=verdict))
    fig = reading_figure(
        reading.tokens,
        reading.p_positive,
        reading.before,
        reader.threshold,
        Labels(
            t("sentiment.reading_chart"),
            t("sentiment.word_axis"),
            t("sentiment.p_axis"),
            (t("sentiment.p_positive"),),
        ),
        big,
    )
    # Static (outside the live fragment): the shared builders of app/charts/style.py give it
    # the live charts' look.
    st.plotly_chart(localised(fig), key="sentiment-reading-chart", width="stretch")


def coloured_words(reading: Reading) -> str:
    """Markdown: each word coloured by how much reading it moved P(positive) (green up, red down);
    ``<unk>`` words are struck through (the model saw only the unknown-word vector)."""
    words = []
    for token, change, unknown in zip(reading.tokens, reading.change, reading.unknown, strict=True):
        word = token.replace("\\", "").replace("[", "(").replace("]", ")")
        word = f"~~{word}~~" if unknown else word
        colour = "green" if change > 0 else "red"
        if abs(change) >= STRONG:
            word = f":{colour}-background[{word}]"
        elif abs(change) >= WEAK:
            word = f":{colour}[{word}]"
        words.append(word)
    return " ".join(words)


def render_probes(run: SentimentRun) -> None:
    """The probe set scored by the pretrained model (when shipped) and the live one, side by side."""
    readers = [live_reader(run)]
    shipped = pretrained()
    if shipped is not None:
        readers.insert(0, pretrained_reader(shipped, run.config.max_len))
    st.markdown(t("sent2.probes_intro", step=run.step))
    columns: dict[str, list[str | float]] = {
        t("sentiment.probe"): [text for text, _ in PROBES],
        t("sentiment.expected"): [t(f"sentiment.label_{label}") for _, label in PROBES],
    }
    right = {}
    for reader in readers:
        results = remembered(
            f"sentiment_probes_{reader.name}",
            (reader.version, reader.threshold, reader.max_len),
            lambda reader=reader: score_probes(
                reader.model, reader.vocab, reader.threshold, reader.max_len
            ),
            shared=reader.name == "pretrained",
        )
        name = t(f"sent2.reader_{reader.name}")
        columns[t("sent2.p_of", model=name)] = [round(r.p_positive, 2) for r in results]
        columns[t("sent2.correct_of", model=name)] = ["✓" if r.correct else "✗" for r in results]
        right[name] = sum(r.correct for r in results)
    st.dataframe(pd.DataFrame(columns), hide_index=True)
    for col, (name, count) in zip(st.columns(len(right)), right.items(), strict=True):
        col.metric(t("sent2.probes_right_of", model=name), f"{count} / {len(PROBES)}")
    st.markdown(t("sentiment.probes_honest"))


def render_imbalance(run: SentimentRun) -> None:
    big = state.presentation()
    result = run.evaluation()
    rare = t(f"sentiment.label_{result.rare_label}")
    st.markdown(
        t(
            "sentiment.imbalance_intro",
            share=number(run.config.positive_share, ".0%"),
            rare=rare,
            rare_f1=number(result.rare.f1, ".2f"),
            accuracy=number(result.positive.accuracy, ".1%"),
        )
    )
    thresholds, precision, recall = precision_recall_curve(result.labels, result.probabilities)
    chosen = result.positive
    fig = precision_recall_figure(
        recall,
        precision,
        (chosen.recall, chosen.precision),
        Labels(
            t("sentiment.pr_chart"),
            t("sentiment.recall"),
            t("sentiment.precision"),
            (
                t("sentiment.pr_curve"),
                t("sentiment.pr_point", threshold=number(result.threshold, ".2f")),
            ),
        ),
        big,
    )
    st.plotly_chart(localised(fig), key="sentiment-pr-chart", width="stretch")
    config = run.config
    # The corpus's texts too: two uploaded files are both "own".
    key = (
        config.source,
        hash(run.corpus.texts),
        config.embedding,
        config.positive_share,
        config.max_len,
    )
    st.markdown(t("sentiment.remedies_intro", steps=REMEDY_STEPS))
    if st.button(
        t("sentiment.measure_remedies"), key="sentiment-measure", icon=":material/science:"
    ):
        remembered(
            "sentiment_remedies",
            key,
            lambda: compare_remedies(
                replace(config, cell="mean"), run.corpus, run.vectors, REMEDY_STEPS
            ),
        )
    effect = peek("sentiment_remedies", key)
    if effect is None:
        return
    names = [t(f"sentiment.remedy_{r}") for r in REMEDIES]
    fig = remedies_figure(
        names,
        [effect.rare_f1[r] for r in REMEDIES],
        Labels(
            t("sentiment.remedies_chart", rare=t(f"sentiment.label_{effect.rare_label}")),
            "",
            t("sentiment.rare_f1"),
            (t("sentiment.mean_of_seeds"), t("sentiment.one_seed")),
        ),
        big,
    )
    st.plotly_chart(localised(fig), key="sentiment-remedies-chart", width="stretch")


def render_vectors(vectors: WordVectors) -> None:
    st.markdown(t("sentiment.vectors_intro", words=vectors.vocab.size - 2, dim=vectors.dim))
    word = (
        st.text_input(t("sentiment.word"), "good", key="sentiment-word", persist_state=KEEP)
        .strip()
        .lower()
    )
    neighbours = vectors.nearest(word, NEIGHBOURS)
    if not neighbours:
        st.info(t("sentiment.word_unknown", word=word))
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    t("sentiment.neighbour"): [w for w, _ in neighbours],
                    t("sentiment.cosine"): np.round([s for _, s in neighbours], 3),
                }
            ),
            hide_index=True,
        )
    pairs = {f"{a} · {b}": vectors.cosine(a, b) for a, b in PAIRS}
    cols = st.columns(len(pairs))
    for col, (pair, value) in zip(cols, pairs.items(), strict=True):
        col.metric(t("sentiment.cos_pair", pair=pair), number(value, ".2f"))
    st.markdown(
        t(
            "sentiment.cosine_remark",
            good_bad=number(vectors.cosine("good", "bad"), ".2f"),
            good_great=number(vectors.cosine("good", "great"), ".2f"),
        )
    )
    st.caption(t("sentiment.glove_source"))
