"""A user's own labelled texts: good files read with what was understood, every bad file refused
with its own message, and a small Portuguese file learned from scratch because GloVe misses it."""

from __future__ import annotations

import gzip
import io
import zipfile
from dataclasses import replace

import numpy as np
import pytest

from app.engine.csv_series import MAX_BYTES
from app.engine.problems import InputError
from app.engine.sentiment.glove import load_glove
from app.engine.sentiment.labelled import MIN_PER_CLASS, inflated, own_reviews, read_labelled
from app.engine.sentiment.run import SentimentConfig, SentimentRun
from tests.conftest import ROOT

PORTUGUESE = ROOT / "tests" / "data" / "avaliacoes_pt.csv"


@pytest.fixture(scope="module")
def glove():
    return load_glove()


def english(labels: tuple[str, str] = ("pos", "neg"), rows: int = 6) -> bytes:
    lines = ["review,label"]
    for k in range(rows):
        lines += [f'"a great, moving film {k}",{labels[0]}', f"a dull boring mess {k},{labels[1]}"]
    return "\n".join(lines).encode()


@pytest.mark.parametrize(
    ("written", "positive"),
    [
        (("pos", "neg"), "pos"),
        (("1", "0"), "1"),
        (("Positive", "NEGATIVE"), "positive"),
        (("positivo", "negativo"), "positivo"),
        (("1.0", "0.0"), "1"),
    ],
)
def test_two_classes_are_understood_however_written(written, positive: str) -> None:
    read = read_labelled(english(written))
    assert read.understood[positive] == 1 and len(read.understood) == 2
    assert (read.text_column, read.label_column) == ("review", "label")
    assert len(read.texts) == 12 and read.labels.sum() == 6
    assert read.texts[0] == "a great, moving film 0"  # the quoted comma stays in the text


def test_columns_are_found_by_their_values_when_names_say_nothing() -> None:
    data = b"a,b\n" + b"\n".join(
        f"{'neg' if k % 2 else 'pos'},some words here {k}".encode() for k in range(12)
    )
    read = read_labelled(data)
    assert (read.label_column, read.text_column) == ("a", "b")


def test_rows_without_text_or_label_are_left_out_and_counted() -> None:
    data = english() + b'\n"",pos\nno label here,\n'
    read = read_labelled(data)
    assert (read.dropped_empty, read.dropped_unlabelled, len(read.texts)) == (1, 1, 12)


def refused(data: bytes) -> str:
    with pytest.raises(InputError) as error:
        read_labelled(data)
    return error.value.problems[0].key


def test_bad_uploads_are_refused_each_with_its_own_message() -> None:
    no_label = b"review,author\n" + b"\n".join(b"nice film %d,ann" % k for k in range(12))
    assert refused(no_label) == "problem.reviews_no_label"
    assert refused(b"review\n" + b"\n".join(b"nice film %d" % k for k in range(12))) == (
        "problem.reviews_no_label"
    )
    assert refused(english(("pos", "pos"))) == "problem.reviews_one_class"
    stars = b"text,rating\n" + b"\n".join(b"film %d,%d" % (k, k % 5 + 1) for k in range(20))
    assert refused(stars) == "problem.reviews_no_label"  # star ratings: not a label column
    assert refused(stars.replace(b"rating", b"label")) == "problem.reviews_labels"
    assert refused(english(("good", "neutral"))) == "problem.reviews_labels"
    empty = b"text,label\n" + b"\n".join(b",%s" % (b"pos" if k % 2 else b"neg") for k in range(12))
    assert refused(empty) == "problem.reviews_empty_texts"
    assert refused(english(rows=MIN_PER_CLASS - 1)) == "problem.reviews_few"
    assert refused(b"") == "problem.csv_empty"
    assert refused(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)) == "problem.csv_binary"
    assert refused(b"x" * (MAX_BYTES + 1)) == "problem.csv_size"


def test_compressed_files_are_opened_but_never_beyond_the_limit() -> None:
    assert read_labelled(gzip.compress(english())).label_column == "label"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("reviews.csv", english())
    assert read_labelled(buffer.getvalue()).label_column == "label"
    bomb = gzip.compress(b"a" * (MAX_BYTES + 10))  # ~5 KB that would inflate past 5 MB
    assert len(bomb) < 100_000
    with pytest.raises(InputError) as error:
        inflated(bomb)
    assert error.value.problems[0].key == "problem.reviews_inflates"
    assert refused(b"\x1f\x8b not really gzip") == "problem.csv_binary"
    damaged = gzip.compress(english())
    assert refused(damaged[:12] + bytes(len(damaged) - 12)) == "problem.csv_binary"
    two = io.BytesIO()
    with zipfile.ZipFile(two, "w") as archive:
        archive.writestr("a.csv", english())
        archive.writestr("b.csv", english())
    assert refused(two.getvalue()) == "problem.csv_binary"  # which one? not guessed


def test_portuguese_file_is_barely_covered_by_glove_and_learns_from_scratch(glove) -> None:
    read = read_labelled(PORTUGUESE.read_bytes())
    assert (read.text_column, read.label_column) == ("texto", "sentimento")
    assert read.understood == {"negativo": 0, "positivo": 1}
    own = own_reviews("avaliacoes_pt.csv", read, glove)
    assert not own.coverage.enough and own.coverage.token_share < 0.5
    assert own.corpus.vocab == own.vectors.vocab and len(own.corpus.held_out_index) == 8
    config = SentimentConfig(source="own", embedding="scratch", hidden_size=16, batch_size=16)
    run = SentimentRun(config, own.corpus, own.vectors)
    run.train(steps=60)
    losses = run.history.array("loss")
    assert np.mean(losses[-10:]) < 0.5 * np.mean(losses[:10])  # it learns the file's words


def test_english_file_is_covered_and_may_start_from_glove(glove) -> None:
    own = own_reviews("en.csv", read_labelled(english()), glove)
    assert own.coverage.enough and own.coverage.word_share > 0.9
    assert own.vectors.cosine("great", "film") == pytest.approx(glove.cosine("great", "film"))
    run = SentimentRun(replace(SentimentConfig(), source="own"), own.corpus, own.vectors)
    run.train(steps=2)
    assert run.step == 2
