"""Looking inside a character model (the shipped one or the session's live run): the text coloured
by one unit, found by number or by a search over a feature of the text, and held-out bits per character."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app.charts.text import coloured_text_html, held_out_figure, unit_trace_figure
from app.charts.training import Labels
from app.engine.text.run import held_out
from app.engine.text.units import FEATURES, activations, correlation, search_units
from app.ui import state
from app.ui.derived import remembered
from app.ui.i18n import localised, number, t
from app.ui.lazy_tabs import KEEP
from app.ui.text_view import (
    EXCERPT_CHARS,
    EXCERPT_START,
    Subject,
    current_sample,
    held_out_excerpt,
    is_prose,
)

# Enough for two decimals of bits per character, ~0.3 s for the shipped model.
HELD_OUT_CHARS = 50_000


def render_units(subject: Subject) -> None:
    big = state.presentation()
    cols = st.columns([2, 2, 3])
    source = cols[0].radio(
        t("text.source"),
        ("held_out", "sample"),
        key="text-source",
        persist_state=KEEP,
        format_func=lambda s: t(f"text.source_{s}"),
    )
    feature_name = cols[1].selectbox(
        t("text.feature"),
        list(FEATURES),
        key="text-feature",
        persist_state=KEEP,
        format_func=lambda f: t(f"text.feature_{f}"),
    )
    pick = cols[2].radio(
        t("text.pick"),
        ("search", "index"),
        key="text-pick",
        persist_state=KEEP,
        horizontal=True,
        format_func=lambda p: t(f"text.pick_{p}"),
    )
    text = _unit_text(subject, source)
    if len(text) < 2:
        return
    feature = FEATURES[feature_name](text)
    acts = remembered(
        "text_activations",
        (subject.key, text),
        lambda: activations(subject.model, subject.corpus.vocab.encode(text)),
        shared=subject.run is None,
    )
    chosen = _pick_by_search(acts, feature) if pick == "search" else _pick_by_index(acts)
    if chosen is None:
        st.info(t("text.feature_flat"))
        return
    kind, layer, unit = chosen
    values = acts[kind, layer][:, unit]
    r = correlation(values, feature)
    name = t(f"text.state_{kind}", unit=unit, layer=layer + 1)
    feature_label = t(f"text.feature_{feature_name}")
    st.metric(
        t("text.correlation", unit=name, feature=feature_label),
        "—" if np.isnan(r) else number(r, "+.2f"),
        help=t("text.correlation_help"),
    )
    scale = float(np.abs(values).max()) or 1.0
    st.html(
        coloured_text_html(
            text,
            values,
            scale,
            legend=(t("text.negative", scale=scale), t("text.positive", scale=scale)),
            big=big,
            wrap=is_prose(subject),
        )
    )
    fig = unit_trace_figure(
        values,
        feature,
        Labels(t("text.trace_chart"), t("text.char_index"), name, (name, feature_label)),
        big,
    )
    st.plotly_chart(localised(fig), key="text-unit-chart", width="stretch")


def _unit_text(subject: Subject, source: str) -> str:
    if source == "sample":
        sample = current_sample(subject)
        return sample.full if sample is not None else ""
    val = subject.corpus.val_text
    last = max(len(val) - EXCERPT_CHARS, 0)
    if last:
        st.slider(
            t("text.excerpt_start"), 0, last, 0, step=50, key=EXCERPT_START, persist_state=KEEP
        )
    return held_out_excerpt(subject, EXCERPT_CHARS)


def _pick_by_search(acts, feature: np.ndarray) -> tuple[str, int, int] | None:
    scores = search_units(acts, feature, top=8)
    if not scores:
        return None
    labels = [
        f"{t(f'text.state_{s.source}', unit=s.unit, layer=s.layer + 1)}: "
        f"r = {number(s.correlation, '+.2f')}"
        for s in scores
    ]
    index = st.radio(
        t("text.found"),
        range(len(scores)),
        key="text-found",
        persist_state=KEEP,
        horizontal=True,
        format_func=labels.__getitem__,
        help=t("text.found_help"),
    )
    best = scores[index or 0]
    return best.source, best.layer, best.unit


def _pick_by_index(acts) -> tuple[str, int, int]:
    kinds = sorted({kind for kind, _ in acts}, key=("hidden", "cell").index)
    layers = sorted({layer for _, layer in acts})
    units = next(iter(acts.values())).shape[1]
    cols = st.columns(3)
    kind = cols[0].radio(
        t("text.state"),
        kinds,
        key="text-state",
        persist_state=KEEP,
        format_func=lambda k: t(f"text.state_{k}_name"),
    )
    layer = cols[1].selectbox(
        t("setting.num_layers"),
        layers,
        key="text-layer",
        persist_state=KEEP,
        format_func=lambda n: str(n + 1),
    )
    unit = cols[2].number_input(
        t("text.unit"), 0, units - 1, 0, key="text-unit", persist_state=KEEP
    )
    return kind, layer, int(unit)


def render_held_out(subject: Subject) -> None:
    if subject.run is not None:
        result = subject.run.held_out()  # the same numbers as above the live chart
    else:
        result = remembered(
            "text_held_out",
            subject.key,
            lambda: held_out(subject.model, subject.corpus, HELD_OUT_CHARS),
            shared=True,  # the shipped model (a live run measures itself)
        )
    cols = st.columns(4)
    cols[0].metric(t("text.held_out_bits"), number(result.bits, ".2f"), help=t("text.bits_help"))
    cols[1].metric(
        t("text.perplexity"), number(result.perplexity, ".1f"), help=t("text.perplexity_help")
    )
    cols[2].metric(t("text.unigram_bits"), number(result.unigram_bits, ".2f"))
    cols[3].metric(t("text.unigram_perplexity"), number(result.unigram_perplexity, ".1f"))
    fig = held_out_figure(
        {t("text.unigram"): result.unigram_bits, t("text.model"): result.bits},
        Labels(t("text.held_out_chart", chars=result.chars), "", t("text.bits_axis")),
        state.presentation(),
    )
    st.plotly_chart(localised(fig), key="text-held-out-chart", width="stretch")
    st.markdown(t("text.held_out_explained"))
