"""The shipped review classifier: small, plain, loaded safely over the shipped GloVe, its stored
held-out score true, and a tampered or foreign file refused with a clear message."""

from __future__ import annotations

import io

import pytest
import torch

from app.engine.problems import InputError
from app.engine.sentiment.corpus import load_corpus
from app.engine.sentiment.glove import WordVectors, load_glove
from app.engine.sentiment.pretrained import PRETRAINED, checkpoint_bytes, load_pretrained
from app.engine.sentiment.reading import read
from app.engine.sentiment.run import SentimentConfig, evaluate
from app.engine.sentiment.tokens import Vocabulary
from models.sentiment import build_classifier


@pytest.fixture(scope="module")
def vectors() -> WordVectors:
    return load_glove()


@pytest.fixture(scope="module")
def shipped(vectors):
    return load_pretrained(vectors)


def test_shipped_model_is_small_plain_and_read_only(shipped) -> None:
    assert PRETRAINED.stat().st_size < 2 * 1024 * 1024
    payload = torch.load(PRETRAINED, weights_only=True)  # plain values and tensors only
    assert not any(name.startswith("embedding") for name in payload["state"])  # GloVe not copied
    for name in ("steps", "seconds", "machine", "held_out_accuracy", "held_out_f1"):
        assert name in shipped.info, name
    assert shipped.info["steps"] >= 250 and shipped.info["seconds"] > 0
    assert not any(p.requires_grad for p in shipped.model.parameters())  # shared read-only


def test_stored_score_matches_a_new_measurement_on_the_held_out_split(shipped, vectors) -> None:
    corpus = load_corpus("rt", vectors.vocab)
    result = evaluate(shipped.model, corpus, corpus.held_out_index, shipped.config.max_len)
    assert len(result.labels) == shipped.info["held_out_count"] == 1706
    assert result.positive.accuracy == pytest.approx(shipped.info["held_out_accuracy"], abs=1e-6)
    assert result.positive.f1 == pytest.approx(shipped.info["held_out_f1"], abs=1e-6)
    assert result.positive.accuracy > 0.72  # well above chance (0.5) on sentences it never saw


def test_shipped_model_reads_word_by_word(shipped) -> None:
    good = read(shipped.model, shipped.vocab, "a wonderful , moving film", 50)
    bad = read(shipped.model, shipped.vocab, "a dull , tedious mess", 50)
    assert len(good.p_positive) == 5 and good.final > 0.5 > bad.final


def test_round_trip_keeps_every_weight(vectors) -> None:
    config = SentimentConfig(cell="gru", hidden_size=8)
    model = build_classifier("gru", vectors.vectors, 8, False, torch.Generator().manual_seed(3))
    loaded = load_pretrained(vectors, checkpoint_bytes(model, vectors.vocab, config, {"steps": 2}))
    ids = torch.tensor([[5, 9, 40, 0]])
    assert torch.equal(model(ids), loaded.model(ids)) and loaded.config == config


def refusal(vectors: WordVectors, data: bytes) -> str:
    with pytest.raises(InputError) as refused:
        load_pretrained(vectors, data)
    problem = refused.value.problems[0]
    assert problem.key == "problem.review_checkpoint"
    return problem.text


def test_tampered_or_foreign_files_are_refused(vectors) -> None:
    good = PRETRAINED.read_bytes()
    assert "no usable" in refusal(vectors, good[: len(good) // 2])  # truncated
    assert "no usable" in refusal(vectors, b"not a model at all")
    other = io.BytesIO()
    torch.save({"format": "unrolled-char-model", "version": 1}, other)
    assert "no usable" in refusal(vectors, other.getvalue())  # another kind of Unrolled file
    payload = torch.load(PRETRAINED, weights_only=True)
    for change, says in (
        (lambda p: p["state"].pop("head.bias"), "inconsistent"),
        (lambda p: p["state"].__setitem__("head.weight", torch.zeros(3, 3)), "inconsistent"),
        (lambda p: p["config"].__setitem__("hidden_size", 9999), "inconsistent"),
        (lambda p: p["vectors"].__setitem__("digest", "0" * 32), "other word vectors"),
    ):
        tampered = {**payload, "state": dict(payload["state"])}
        tampered["config"], tampered["vectors"] = dict(payload["config"]), dict(payload["vectors"])
        change(tampered)
        buffer = io.BytesIO()
        torch.save(tampered, buffer)
        assert says in refusal(vectors, buffer.getvalue())


def test_a_model_over_other_vectors_is_refused(vectors) -> None:
    small = WordVectors(Vocabulary(("good", "bad")), torch.zeros(4, 50))
    assert "other word vectors" in refusal(small, PRETRAINED.read_bytes())
