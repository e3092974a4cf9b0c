"""The Write tab: a prompt, a length, a temperature, greedy or sampled decoding, and at any point of the
sample (or of held-out text) the model's probabilities for the next character."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app.charts.text import coloured_text_html, next_char_figure, shown
from app.charts.training import Labels
from app.engine.text.run import next_char_probabilities
from app.engine.text.sampling import SampleConfig, temper
from app.ui import state
from app.ui.derived import remembered
from app.ui.i18n import localised, t
from app.ui.lazy_tabs import KEEP
from app.ui.number_inputs import decimal_slider
from app.ui.text_view import SAMPLE_SEED, Subject, current_sample, held_out_excerpt, is_prose

TOP_CHARS = 10
LOOK_CHARS = 600  # held-out characters offered to the next-character chart


def render_write(subject: Subject) -> None:
    cols = st.columns([3, 2, 2, 2])
    cols[0].text_input(
        t("text.prompt"), SampleConfig.prompt, max_chars=500, key="text-prompt", persist_state=KEEP
    )
    cols[1].slider(
        t("text.length"),
        20,
        1000,
        SampleConfig.length,
        step=20,
        key="text-length",
        persist_state=KEEP,
    )
    with cols[2]:
        decimal_slider(
            t("text.temperature"),
            0.05,
            2.0,
            SampleConfig.temperature,
            step=0.05,
            key="text-temperature",
            persist_state=KEEP,
            help=t("text.temperature_help"),
        )
    cols[3].radio(
        t("text.decoding"),
        ("sampled", "greedy"),
        key="text-decoding",
        persist_state=KEEP,
        format_func=lambda d: t(f"text.decoding_{d}"),
        help=t("text.decoding_help"),
    )
    st.button(
        t("text.resample"), key="text-resample", on_click=_next_seed, icon=":material/casino:"
    )
    look = st.radio(
        t("text.look_at"),
        ("sample", "held_out"),
        key="text-look",
        persist_state=KEEP,
        horizontal=True,
        format_func=lambda name: t(f"text.look_{name}"),
    )
    sample = current_sample(subject)
    if sample is None:
        return
    text = sample.full if look == "sample" else held_out_excerpt(subject, LOOK_CHARS)
    probabilities = remembered(
        "text_probabilities",
        (subject.key, text),
        lambda: next_char_probabilities(subject.model, subject.corpus.vocab.encode(text)),
        shared=subject.run is None,
    )
    last = len(text) - 2
    first = max(len(sample.prompt) - 1, 0) if look == "sample" else 0
    if st.session_state.get("text-position", 0) > last:
        st.session_state["text-position"] = min(first, last)  # a shorter text than before
    position = st.slider(
        t("text.position"),
        0,
        last,
        min(first, last),
        key="text-position",
        persist_state=KEEP,
        help=t("text.position_help"),
    )
    big = state.presentation()
    # On a projector the text and the chart each need the full width; on a laptop they sit side by side.
    left, right = (st.container(), st.container()) if big else st.columns([3, 2])
    with left:
        st.html(coloured_text_html(text, None, cursor=position, big=big, wrap=is_prose(subject)))
        if look == "sample":
            st.caption(
                t("text.sample_caption", prompt=len(sample.prompt), written=len(sample.text))
            )
        else:
            st.caption(t("text.look_held_out_caption"))
    with right:
        sampled = sample.config if look == "sample" else None
        st.plotly_chart(
            localised(
                _next_char_chart(subject, probabilities[position], text[position + 1], sampled, big)
            ),
            key="text-next-chart",
            width="stretch",
        )


def _next_char_chart(
    subject: Subject, probs: np.ndarray, actual: str, sampled: SampleConfig | None, big: bool
):
    """The top characters; for a sample drawn at a temperature, also the distribution it drew from."""
    top = np.argsort(probs)[::-1][:TOP_CHARS]
    chars = [subject.corpus.vocab.chars[i] for i in top]
    tempered = None
    temperature = sampled.temperature if sampled is not None else 1.0
    if sampled is not None and not sampled.greedy and abs(temperature - 1.0) > 1e-6:
        tempered = temper(probs, temperature)[top]
    return next_char_figure(
        chars,
        probs[top],
        actual,
        Labels(
            t("text.next_chart", actual=shown(actual)),
            t("text.next_axis"),
            t("text.probability"),
            (t("text.model_probability"), t("text.at_temperature", value=temperature)),
        ),
        tempered,
        big,
    )


def _next_seed() -> None:
    st.session_state[SAMPLE_SEED] = int(st.session_state.get(SAMPLE_SEED, 0)) + 1
