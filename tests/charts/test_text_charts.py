"""Figures of the text page carry the data they should; coloured text is escaped HTML."""

from __future__ import annotations

import html
import re

import numpy as np

from app.charts.text import (
    bits_figure,
    coloured_text_html,
    held_out_figure,
    next_char_figure,
    shown,
    unit_trace_figure,
)
from app.charts.training import Labels

LABELS = Labels("title", "x", "y", ("a", "b", "c"))


def test_coloured_text_has_one_escaped_span_per_character() -> None:
    text = '<script>alert("x")</script> & ok\n'
    values = np.linspace(-1, 1, len(text))
    page = coloured_text_html(text, values, scale=1.0)
    assert "<script" not in page and "&lt;" in page and "&amp;" in page
    shown_text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert shown_text == text.replace("\n", "↵\n")  # every character, in order
    spans = re.findall(r'<span style="([^"]*)" title="([^"]*)">', page)
    assert len(spans) == len(text)
    assert "rgba(31,119,180,0.85)" in spans[0][0]  # the most negative value: full blue
    assert "rgba(214,39,40,0.85)" in spans[-1][0]  # the most positive: full red
    assert spans[0][1] == "-1.000"
    assert "↵\n" in page  # a newline is shown, and still breaks the line


def test_cursor_outlines_one_character_and_legend_is_escaped() -> None:
    page = coloured_text_html("abc", None, cursor=1, legend=("<neg>", "pos"))
    assert page.count("outline:3px") == 1
    assert "&lt;neg&gt;" in page


def test_bits_figure_has_train_held_out_and_baseline() -> None:
    steps = np.arange(1, 6, dtype=np.float32)
    val = np.array([4.0, np.nan, np.nan, np.nan, 3.0], dtype=np.float32)
    fig = bits_figure(steps, np.full(5, 3.5, dtype=np.float32), val, 4.4, LABELS)
    assert len(fig.data) == 2 and len(fig.data[1].x) == 2  # held-out only where measured
    assert fig.layout.shapes[0].y0 == 4.4


def test_next_char_figure_highlights_what_came_next() -> None:
    probs = np.array([0.6, 0.3, 0.1])
    fig = next_char_figure([" ", "e", "\n"], probs, "e", LABELS, tempered=np.array([0.8, 0.2, 0.0]))
    bars = fig.data[0]
    assert list(bars.x) == ["␣", "e", "↵"]
    assert bars.marker.color[1] != bars.marker.color[0]
    assert len(fig.data) == 2 and fig.layout.showlegend


def test_held_out_and_unit_trace_figures_carry_their_values() -> None:
    fig = held_out_figure({"unigram": 4.4, "model": 2.1}, LABELS)
    np.testing.assert_allclose(fig.data[0].y, [4.4, 2.1], rtol=1e-6)
    trace = unit_trace_figure(np.array([0.1, 0.5]), np.array([0, 1]), LABELS)
    assert len(trace.data) == 2 and trace.data[1].yaxis == "y2"
    assert shown("\t") == "⇥" and shown("a") == "a"
