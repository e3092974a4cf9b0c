"""Corpora for the text page: indices round-trip, vocabularies are stable, bad text is refused clearly."""

from __future__ import annotations

import pytest

from app.engine.problems import InputError
from app.engine.text.corpus import (
    MAX_BYTES,
    MIN_CHARS,
    PLACEHOLDER,
    STDLIB_MODULES,
    Vocabulary,
    builtin_corpus,
    make_corpus,
    own_text,
    toy_code,
)

SENTENCE = 'def f(x):\n    return "olá, ação!"  # {ok}\n'


def test_text_round_trips_through_indices() -> None:
    vocab = Vocabulary.fit(SENTENCE)
    ids = vocab.encode(SENTENCE)
    assert ids.dtype.kind == "i" and len(ids) == len(SENTENCE)
    assert vocab.decode(ids) == SENTENCE
    assert vocab.size == len(set(SENTENCE)) + 1  # every character, plus the placeholder


def test_unknown_and_rare_characters_read_as_the_placeholder() -> None:
    vocab = Vocabulary.fit("aaaabbbc", max_size=3)  # room for a, b and the placeholder
    assert vocab.chars == "ab" + PLACEHOLDER
    assert vocab.decode(vocab.encode("abcz")) == "ab" + PLACEHOLDER * 2


def test_corpus_holds_out_its_last_tenth_and_fits_vocabulary_on_training_text() -> None:
    text = "ab" * 1000 + "c" * 100
    corpus = make_corpus("own", text)
    assert len(corpus.val_ids) == 210 and corpus.val_text == text[-210:]
    assert "c" not in corpus.vocab.chars[:-1]  # the held-out part alone has "c"
    assert corpus.vocab.decode(corpus.val_ids[-1:]) == PLACEHOLDER


def test_python_corpus_is_the_fixed_stdlib_modules_in_order() -> None:
    corpus = builtin_corpus("python")
    assert len(corpus.text) > 500_000
    positions = [corpus.text.index(f"# {module}\n") for module in STDLIB_MODULES]
    assert positions == sorted(positions)
    assert "def " in corpus.val_text and 60 < corpus.vocab.size <= 128


def test_toy_code_is_deterministic_and_has_quotes_brackets_and_blocks() -> None:
    text = toy_code()
    assert text == toy_code.__wrapped__()  # the same text without the cache
    assert '"' in text and ("((" in text or "([" in text)
    assert "\n    " in text and text.count("\n") == 6000


def test_windows_line_endings_give_the_same_corpus() -> None:
    unix = "line one\nline two\n" * 200
    assert make_corpus("own", unix.replace("\n", "\r\n")).text == unix


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "problem.text_empty"),
        ("   \n\t  ", "problem.text_empty"),
        (b"x" * (MAX_BYTES + 1), "problem.text_size"),
        (b"PK\x03\x04\x00\x00" + b"a" * 5000, "problem.text_binary"),
        (bytes(range(1, 32)) * 200, "problem.text_binary"),
        ("too short " * 10, "problem.text_short"),
        ("z" * (MIN_CHARS + 10), "problem.text_vocab"),
    ],
)
def test_bad_own_text_is_refused_with_a_problem(data: bytes | str, key: str) -> None:
    with pytest.raises(InputError) as refused:
        own_text(data)
    assert [p.key for p in refused.value.problems] == [key]


def test_own_text_accepts_utf8_and_latin1() -> None:
    text = "Ação e coração, não é? " * 100
    assert own_text(text.encode("utf-8")) == text
    assert own_text(text.encode("latin-1")) == text


def test_unknown_corpus_is_refused() -> None:
    with pytest.raises(InputError):
        builtin_corpus("klingon")
