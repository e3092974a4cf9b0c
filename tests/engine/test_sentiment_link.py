"""The sentiment page's setup in a link: written short, read back exactly, bad values dropped one by one
with a reason each (and never mixed up with the training page's settings of the same name)."""

from __future__ import annotations

from dataclasses import replace

from app.engine.config_codec import from_page_query, page_query
from app.engine.sentiment.run import RANGES, SentimentConfig

PREFIX = "sentiment_"


def test_only_what_differs_is_written_and_reads_back_exactly() -> None:
    assert page_query(SentimentConfig(), PREFIX) == {}
    config = replace(SentimentConfig(), cell="gru", learning_rate=0.0031, positive_share=0.15)
    query = page_query(config, PREFIX)
    assert query == {
        "sentiment_cell": "gru",
        "sentiment_learning_rate": "0.0031",
        "sentiment_positive_share": "0.15",
    }
    assert from_page_query(SentimentConfig, query, PREFIX, RANGES) == (config, [])


def test_bad_values_keep_their_default_and_say_why_the_rest_is_used() -> None:
    link = {
        "sentiment_cell": "transformer",
        "sentiment_hidden_size": "3.5",
        "sentiment_seed": "7",
        "sentiment_max_len": "100000",
        "hidden_size": "8",  # the training page's, not this page's
    }
    config, problems = from_page_query(SentimentConfig, link, PREFIX, RANGES)
    assert config == replace(SentimentConfig(), seed=7)
    assert {p.values["field"] for p in problems} == {"cell", "hidden_size", "max_len"}
