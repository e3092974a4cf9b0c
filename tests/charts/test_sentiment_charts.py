"""Figures of the sentiment page: the map of words carries every word at its place, coloured by its
group; the word-by-word reading is drawn with the shared look of every chart (app/charts/style.py)."""

from __future__ import annotations

import numpy as np

from app.charts.sentiment import MAP_COLORS, reading_figure, word_map_figure
from app.charts.style import style_layout
from app.charts.training import Labels


def test_word_map_puts_each_word_at_its_place_in_its_groups_colour() -> None:
    words = ("good", "bad", "the", "film")
    xy = np.array([[1, 2], [3, 4], [5, 6], [7, 8]], dtype=np.float32)
    fig = word_map_figure(
        words, xy, np.array([1, -1, 0, 0]), Labels("t", "x", "y", ("+", "-", "o"))
    )
    traces = {trace.name: trace for trace in fig.data}
    assert set(traces) == {"+", "-", "o"}
    assert list(traces["o"].text) == ["the", "film"]
    assert list(traces["o"].x) == [5, 7] and list(traces["o"].y) == [6, 8]
    assert traces["+"].textfont.color == MAP_COLORS[1] != traces["-"].textfont.color
    assert all(trace.mode == "text" for trace in fig.data)


def test_word_map_leaves_out_a_group_with_no_words() -> None:
    fig = word_map_figure(
        ("a",), np.zeros((1, 2)), np.array([0]), Labels("t", "x", "y", ("+", "-", "o"))
    )
    assert [trace.name for trace in fig.data] == ["o"]


def test_reading_chart_has_the_shared_look_of_the_live_charts() -> None:
    for big in (False, True):
        fig = reading_figure(
            ("not", "bad"), np.array([0.3, 0.6]), 0.5, 0.5, Labels("t", "x", "y", ("p",)), big
        )
        shared = style_layout("t", big)
        assert fig.layout.title.font.size == shared["title"]["font"]["size"]
        assert fig.layout.font.size == shared["font"]["size"]
        assert fig.layout.legend.orientation == "h" and fig.layout.uirevision == "keep"
        assert fig.layout.xaxis.tickfont.size == fig.layout.yaxis.tickfont.size
