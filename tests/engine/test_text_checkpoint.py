"""The shipped character model: small, loaded safely, better than the baseline, with units worth showing."""

from __future__ import annotations

import io

import pytest
import torch

from app.engine.problems import InputError
from app.engine.text.checkpoint import PRETRAINED, checkpoint_bytes, load_checkpoint
from app.engine.text.corpus import Vocabulary, make_corpus, python_source
from app.engine.text.run import TextConfig, build_text_model, held_out
from app.engine.text.units import FEATURES, activations, search_units

SEARCH_CHARS = 5000


@pytest.fixture(scope="module")
def shipped():
    model = load_checkpoint()
    return model, make_corpus("python", python_source(), model.vocab)


def test_shipped_checkpoint_is_small_and_plain(shipped) -> None:
    assert PRETRAINED.stat().st_size < 2 * 1024 * 1024
    payload = torch.load(PRETRAINED, weights_only=True)  # plain values and tensors only
    assert payload["format"] == "unrolled-char-model" and payload["info"]["steps"] >= 1000
    model, _ = shipped
    assert not any(p.requires_grad for p in model.model.parameters())  # shared read-only


def test_shipped_model_beats_the_unigram_baseline_on_held_out_code(shipped) -> None:
    model, corpus = shipped
    result = held_out(model.model, corpus, 20_000)
    assert result.bits < result.unigram_bits - 1.5, result


@pytest.mark.parametrize(("feature", "least"), [("line_position", 0.6), ("brackets", 0.5)])
def test_shipped_model_has_a_unit_that_follows_the_text(
    shipped, feature: str, least: float
) -> None:
    model, corpus = shipped
    text = corpus.val_text[:SEARCH_CHARS]
    best = search_units(activations(model.model, model.vocab.encode(text)), FEATURES[feature](text))
    assert abs(best[0].correlation) > least, best[:3]


def test_checkpoint_round_trips_the_weights() -> None:
    vocab = Vocabulary.fit("abc def\n")
    config = TextConfig(cell="gru", hidden_size=8, embedding_dim=4)
    model = build_text_model(config, vocab.size, torch.Generator().manual_seed(1))
    loaded = load_checkpoint(checkpoint_bytes(model, vocab, config, {"steps": 3, "torch": "x"}))
    x = torch.as_tensor(vocab.encode("abc dd")).unsqueeze(0)
    with torch.no_grad():
        assert torch.equal(model(x), loaded.model(x))
    assert loaded.vocab == vocab and loaded.config == config and loaded.info["steps"] == 3


def test_foreign_or_damaged_files_are_refused() -> None:
    vocab = Vocabulary.fit("abc")
    config = TextConfig(hidden_size=8)
    good = checkpoint_bytes(
        build_text_model(config, vocab.size, torch.Generator()), vocab, config, {}
    )
    other = io.BytesIO()
    torch.save({"format": "something else"}, other)
    wrong_vocab = checkpoint_bytes(
        build_text_model(config, vocab.size, torch.Generator()), Vocabulary("ab"), config, {}
    )
    for data in (b"not a checkpoint", good[: len(good) // 2], other.getvalue(), wrong_vocab):
        with pytest.raises(InputError) as refused:
            load_checkpoint(data)
        assert refused.value.problems[0].key == "problem.text_checkpoint"
