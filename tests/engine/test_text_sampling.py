"""Writing with a character model: greedy, sampled, and the temperature between them."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from app.engine.problems import InputError
from app.engine.text.corpus import Vocabulary
from app.engine.text.run import TextConfig, build_text_model, next_char_probabilities
from app.engine.text.sampling import SampleConfig, generate, temper

VOCAB = Vocabulary.fit("def print(self, x):\n    return 'abc' + \"xyz\"\n")


@pytest.fixture(scope="module")
def model():
    config = TextConfig(cell="gru", hidden_size=24, embedding_dim=8)
    return build_text_model(config, VOCAB.size, torch.Generator().manual_seed(3))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sampling_near_zero_temperature_is_greedy_decoding(model, seed: int) -> None:
    greedy = generate(model, VOCAB, SampleConfig(prompt="def ", length=80, greedy=True))
    cold = generate(
        model, VOCAB, SampleConfig(prompt="def ", length=80, temperature=1e-4, seed=seed)
    )
    assert cold.text == greedy.text
    warm = generate(
        model, VOCAB, SampleConfig(prompt="def ", length=80, temperature=1.0, seed=seed)
    )
    assert warm.text != greedy.text  # the temperature really is used


def test_greedy_takes_the_likeliest_character_every_step(model) -> None:
    sample = generate(model, VOCAB, SampleConfig(prompt="ret", length=40, greedy=True))
    full = sample.full
    probs = next_char_probabilities(model, VOCAB.encode(full))  # one pass over the whole text
    chosen = [VOCAB.chars[i] for i in probs[len("ret") - 1 : -1].argmax(axis=1)]
    assert "".join(chosen) == sample.text


def test_same_seed_same_sample_other_seed_other_sample(model) -> None:
    config = SampleConfig(prompt="", length=60, temperature=1.2, seed=7)
    assert generate(model, VOCAB, config) == generate(model, VOCAB, config)
    other = SampleConfig(prompt="", length=60, temperature=1.2, seed=8)
    assert generate(model, VOCAB, other).text != generate(model, VOCAB, config).text


def test_temper_sharpens_and_flattens() -> None:
    p = np.array([0.5, 0.3, 0.2])
    np.testing.assert_allclose(temper(p, 1.0), p)
    np.testing.assert_allclose(temper(p, 1e-3), [1, 0, 0], atol=1e-9)
    hot = temper(p, 10.0)
    assert hot.sum() == pytest.approx(1.0) and hot.max() - hot.min() < 0.05


@pytest.mark.parametrize(
    ("config", "key"),
    [
        (SampleConfig(length=0), "problem.text_length"),
        (SampleConfig(length=10**6), "problem.text_length"),
        (SampleConfig(temperature=0.0), "problem.text_temperature"),
        (SampleConfig(prompt="x" * 501), "problem.text_prompt"),
    ],
)
def test_bad_sample_settings_are_refused(model, config: SampleConfig, key: str) -> None:
    with pytest.raises(InputError) as refused:
        generate(model, VOCAB, config)
    assert refused.value.problems[0].key == key
