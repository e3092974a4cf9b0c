"""The review classifiers over padded batches answer exactly as torch.nn does on each review alone:
padding never changes an answer, and the word-by-word logits are the ones of every prefix."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from models.sentiment import PAD, build_classifier


def padded(reviews: list[torch.Tensor]) -> torch.Tensor:
    return nn.utils.rnn.pad_sequence(reviews, batch_first=True, padding_value=PAD)


@pytest.fixture
def reviews() -> list[torch.Tensor]:
    generator = torch.Generator().manual_seed(3)
    return [torch.randint(2, 40, (n,), generator=generator) for n in (7, 1, 12, 4)]


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_recurrent_reader_matches_torch_nn_on_each_review_alone(cell: str, reviews) -> None:
    generator = torch.Generator().manual_seed(0)
    vectors = torch.randn(40, 6, generator=generator)
    model = build_classifier(cell, vectors, 5, trainable=True, generator=generator)
    batch = padded(reviews)
    logits = model(batch)
    # The reference: the same weights in a fresh torch.nn module, one unpadded review at a time,
    # and also through pack_padded_sequence.
    reference = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell](6, 5, batch_first=True)
    reference.load_state_dict(model.core.state_dict())
    for row, review in enumerate(reviews):
        hidden, _ = reference(vectors[review].unsqueeze(0))
        expected = model.head(hidden[0, -1])
        torch.testing.assert_close(logits[row], expected)
        prefixes = model.prefixes(review.unsqueeze(0))[0]
        torch.testing.assert_close(prefixes, model.head(hidden[0]))
    lengths = torch.tensor([len(r) for r in reviews])
    packed = nn.utils.rnn.pack_padded_sequence(
        vectors[batch], lengths, batch_first=True, enforce_sorted=False
    )
    _, state = reference(packed)
    last = state[0] if cell == "lstm" else state
    torch.testing.assert_close(logits, model.head(last[0]))


def test_averaged_embedding_is_the_mean_of_real_words_and_blind_to_order(reviews) -> None:
    generator = torch.Generator().manual_seed(1)
    vectors = torch.randn(40, 6, generator=generator)
    model = build_classifier("mean", vectors, 0, trainable=False, generator=generator)
    logits = model(padded(reviews))
    for row, review in enumerate(reviews):
        torch.testing.assert_close(logits[row], model.head(vectors[review].mean(0)))
        flipped = model(review.flip(0).unsqueeze(0))[0]
        torch.testing.assert_close(flipped, logits[row])
        torch.testing.assert_close(model.prefixes(review.unsqueeze(0))[0, -1], logits[row])


def test_gradients_flow_to_tuned_vectors_only_when_asked(reviews) -> None:
    generator = torch.Generator().manual_seed(2)
    vectors = torch.randn(40, 6, generator=generator)
    for trainable in (True, False):
        model = build_classifier("lstm", vectors, 5, trainable=trainable, generator=generator)
        model.loss(model(padded(reviews)), torch.tensor([0, 1, 1, 0])).backward()
        assert (model.embedding.weight.grad is not None) == trainable
        if trainable:  # <pad> is never read as a word: its vector gets no gradient
            assert torch.count_nonzero(model.embedding.weight.grad[PAD]) == 0
