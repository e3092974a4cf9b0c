"""The shipped word model and its character twin: small, loaded safely, better than both unigrams
on the held-out sentences, and scored on exactly the same characters as each other."""

from __future__ import annotations

import pytest
import torch

from app.engine.problems import InputError
from app.engine.words.checkpoint import PRETRAINED, load_checkpoint
from app.engine.words.compare import char_held_out, char_unigram_bits, scored_text
from app.engine.words.corpus import builtin_tokens, make_word_corpus
from app.engine.words.run import held_out
from app.engine.words.sampling import WordSampleConfig, generate
from app.engine.words.tokens import canonical

WORDS = 2000  # held-out words scored here: ~10,000 characters


@pytest.fixture(scope="module")
def shipped():
    model = load_checkpoint()
    tokens = list(builtin_tokens(model.config.corpus))
    return model, make_word_corpus("reviews", tokens, model.vocab.size, model.vocab)


def test_shipped_file_is_small_plain_and_read_only(shipped) -> None:
    assert PRETRAINED.stat().st_size < 2 * 1024 * 1024
    payload = torch.load(PRETRAINED, weights_only=True)  # plain values and tensors only
    assert payload["format"] == "unrolled-word-model" and payload["info"]["steps"] >= 1000
    model, _ = shipped
    for each in (model.model, model.char_model):
        assert not any(p.requires_grad for p in each.parameters())  # shared between sessions


def test_both_levels_beat_their_unigrams_on_the_same_characters(shipped) -> None:
    model, corpus = shipped
    train_text = canonical(corpus.tokens[: corpus.split])
    words = held_out(model.model, corpus, WORDS)
    chars = char_held_out(model.char_model, model.char_vocab, corpus, train_text, WORDS)
    text, start = scored_text(corpus, WORDS)
    assert words.chars == chars.chars == len(text) - start  # one scale: the same characters
    assert words.bits_per_char < words.unigram_bits_per_char - 0.15
    assert chars.bits_per_char < chars.unigram_bits_per_char - 1.0
    assert chars.unigram_bits_per_char == pytest.approx(
        char_unigram_bits(corpus, train_text, WORDS)
    )
    sample = generate(model.model, model.vocab, WordSampleConfig(length=30))
    assert len(sample.words) == 30 and "<unk>" not in sample.words


def test_a_damaged_checkpoint_is_refused_clearly() -> None:
    data = PRETRAINED.read_bytes()
    for bad in (b"", data[: len(data) // 2], b"not a model at all" * 10):
        with pytest.raises(InputError) as error:
            load_checkpoint(bad)
        assert error.value.problems[0].key == "problem.text_checkpoint"
