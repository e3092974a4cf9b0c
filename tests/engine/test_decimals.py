"""Decimals read and written in each language: what a Brazilian and an English reader type."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine.decimals import read_decimal, write_decimal
from app.engine.problems import InputError

WIDE = (-1e9, 1e9)
RATE = (1e-6, 10.0)  # a learning rate's bounds


@pytest.mark.parametrize(
    ("text", "comma", "value"),
    [
        ("0,002", True, 0.002),
        ("0.002", False, 0.002),
        ("0.002", True, 0.002),  # a group never starts with 0: a point it can only be decimal
        ("0,002", False, 0.002),
        ("2e-3", True, 0.002),
        ("2E-3", False, 0.002),
        ("2,5e-3", True, 0.0025),
        ("1.000", True, 1000.0),  # the language's own reading wins where both are possible
        ("1.000", False, 1.0),
        ("1,000", False, 1000.0),
        ("1,5", False, 1.5),  # a group has three digits: 1,5 can only be one and a half
        ("1.000,5", True, 1000.5),
        ("1,000.5", False, 1000.5),
        ("12.345.678", True, 12345678.0),
        ("−0,5", True, -0.5),  # the typographic minus
        (" 0,01 ", True, 0.01),
        ("1 000,5", True, 1000.5),
        (",5", True, 0.5),
    ],
)
def test_reads_what_people_type(text: str, comma: bool, value: float) -> None:
    assert read_decimal(text, WIDE, comma) == value


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "decimals.empty"),
        ("   ", "decimals.empty"),
        ("abc", "decimals.unreadable"),
        ("0,0,1", "decimals.unreadable"),
        ("1.000.5", "decimals.unreadable"),
        ("nan", "decimals.unreadable"),
        ("inf", "decimals.unreadable"),
        ("1e999", "decimals.unreadable"),
        ("20", "decimals.range"),
        ("0", "decimals.range"),
        ("-0,001", "decimals.range"),
    ],
)
@pytest.mark.parametrize("comma", [True, False])
def test_refuses_with_a_reason(text: str, key: str, comma: bool) -> None:
    with pytest.raises(InputError) as refused:
        read_decimal(text, RATE, comma)
    assert [problem.key for problem in refused.value.problems] == [key]


def test_a_range_refusal_says_what_was_read() -> None:
    with pytest.raises(InputError) as refused:
        read_decimal("20", RATE, True)
    (problem,) = refused.value.problems
    assert problem.values == {"value": "20", "low": 1e-6, "high": 10.0}


@pytest.mark.parametrize(
    ("value", "pt", "en"),
    [
        (0.002, "0,002", "0.002"),
        (1e-6, "0,000001", "0.000001"),  # never 1e-06 in a setting
        (0.5, "0,5", "0.5"),
        (1.0, "1", "1"),
        (1000.5, "1.000,5", "1,000.5"),  # grouped as the metrics are
        (1e6, "1.000.000", "1,000,000"),
        (-0.0, "0", "0"),
    ],
)
def test_writes_the_shortest_text_in_each_language(value: float, pt: str, en: str) -> None:
    assert (write_decimal(value, True), write_decimal(value, False)) == (pt, en)


@settings(max_examples=150, deadline=None)
@given(value=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), comma=st.booleans())
def test_what_is_written_reads_back_exactly(value: float, comma: bool) -> None:
    assert read_decimal(write_decimal(value, comma), WIDE, comma) == value
