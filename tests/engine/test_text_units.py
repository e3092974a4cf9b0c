"""Features of text, activations, and the unit search: it finds units planted by hand."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from app.engine.text.corpus import Vocabulary
from app.engine.text.units import (
    FEATURES,
    activations,
    bracket_depth,
    correlation,
    in_quotes,
    indentation,
    line_position,
    search_units,
    vowel,
    whitespace,
)
from models.init import initialise
from models.sequence import ModelSpec, SequenceModel

TEXT = 'print(len("a b"), [x (y)])\n    if ok: say("it\'s")\n' * 30


def model_for(vocab: Vocabulary, cell: str = "rnn", activation: str = "tanh") -> SequenceModel:
    spec = ModelSpec(
        cell=cell,
        hidden_size=8,
        activation=activation,
        head="next_token",
        output_size=vocab.size,
        vocab_size=vocab.size,
    )
    model = SequenceModel(spec)
    initialise(model.core, generator=torch.Generator().manual_seed(0))
    return model


def test_features_mark_what_they_claim() -> None:
    assert in_quotes('a "bc" d').tolist() == [0, 0, 1, 1, 1, 0, 0, 0]
    assert in_quotes('"it\'s"\nx').tolist() == [1, 1, 1, 1, 1, 0, 0, 0]  # ' inside "..."
    assert bracket_depth("f(a[b])c").tolist() == [0, 1, 1, 2, 2, 1, 0, 0]
    assert line_position("ab\ncd").tolist() == [1, 2, 0, 1, 2]
    assert indentation("  x\n    y").tolist() == [1, 2, 2, 0, 1, 2, 3, 4, 4]
    assert whitespace("a b\n").tolist() == [0, 1, 0, 1]
    assert vowel("Pão!").tolist() == [0, 1, 1, 0]


def test_search_finds_a_planted_vowel_unit() -> None:
    vocab = Vocabulary.fit(TEXT)
    model = model_for(vocab)
    vowels = torch.tensor([c in "aeiou" for c in vocab.chars], dtype=torch.float32)
    with torch.no_grad():  # unit 3 = tanh(5 [vowel] - 2.5): it reads the input and nothing else
        model.core.weight_ih_l0[3] = 5 * vowels
        model.core.weight_hh_l0[3] = 0
        model.core.bias_ih_l0[3] = -2.5
        model.core.bias_hh_l0[3] = 0
    acts = activations(model, vocab.encode(TEXT))
    best = search_units(acts, vowel(TEXT), top=3)
    assert (best[0].source, best[0].layer, best[0].unit) == ("hidden", 0, 3)
    assert best[0].correlation > 0.99
    assert abs(best[1].correlation) < 0.9  # the planted unit stands out


def test_search_finds_a_planted_bracket_counter() -> None:
    """A linear unit that adds 1 for every opening bracket and subtracts 1 for every closing one."""
    vocab = Vocabulary.fit(TEXT)
    model = model_for(vocab, activation="linear")
    step = torch.tensor([(c in "([{") - (c in ")]}") for c in vocab.chars], dtype=torch.float32)
    with torch.no_grad():
        model.core.weight_hh_l0.copy_(0.5 * torch.eye(8))  # the other units forget quickly
        model.core.weight_hh_l0[5, 5] = 1.0  # unit 5 keeps its count
        model.core.weight_ih_l0[5] = step
        model.core.bias_ih_l0.zero_()
        model.core.bias_hh_l0.zero_()
    acts = activations(model, vocab.encode(TEXT))
    best = search_units(acts, bracket_depth(TEXT), top=1)[0]
    assert best.unit == 5 and best.correlation > 0.999


def test_activations_are_the_exact_states_the_fused_model_computes() -> None:
    vocab = Vocabulary.fit(TEXT)
    model = model_for(vocab, cell="lstm")
    ids = vocab.encode(TEXT[:120])
    acts = activations(model, ids)
    assert set(acts) == {("hidden", 0), ("cell", 0)}
    with torch.no_grad():
        hidden, (h, c) = model.core(model.encode(torch.as_tensor(ids).unsqueeze(0)))
    np.testing.assert_allclose(acts["hidden", 0], hidden[0].numpy(), atol=1e-5)
    np.testing.assert_allclose(acts["cell", 0][-1], c[0, 0].numpy(), atol=1e-5)


def test_a_feature_that_never_changes_finds_nothing() -> None:
    vocab = Vocabulary.fit(TEXT)
    acts = activations(model_for(vocab), vocab.encode("abc abc"))
    assert search_units(acts, in_quotes("abc abc")) == []
    assert np.isnan(correlation(acts["hidden", 0][:, 0], np.zeros(7)))


@pytest.mark.parametrize("name", list(FEATURES))
def test_every_feature_gives_one_value_per_character(name: str) -> None:
    values = FEATURES[name](TEXT)
    assert values.shape == (len(TEXT),) and values.std() > 0
