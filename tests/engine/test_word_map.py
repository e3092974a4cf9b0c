"""The map of words: principal components of the embedding in use, with the hand-listed words."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from app.engine.sentiment.tokens import Vocabulary
from app.engine.sentiment.word_map import word_map


def test_two_components_of_a_plane_keep_all_its_variance_and_its_distances() -> None:
    words = ("good", ",", "film", "bad", "plot", "great")
    vocab = Vocabulary(words)
    rng = np.random.default_rng(0)
    plane = rng.normal(size=(len(words), 2)) @ rng.normal(size=(2, 8))  # rank 2 in 8-d
    vectors = torch.zeros(vocab.size, 8, dtype=torch.float64)
    vectors[2:] = torch.from_numpy(plane)
    found = word_map(vectors, vocab, count=3)
    # Punctuation is no word; the three most frequent words, then every listed word the vocabulary has.
    assert found.words == ("good", "film", "bad", "great")
    assert found.explained > 0.999
    assert found.sentiment.tolist() == [1, 0, -1, 1]
    chosen = plane[[0, 2, 3, 5]]
    distance = np.linalg.norm(chosen[0] - chosen[2])
    assert np.linalg.norm(found.xy[0] - found.xy[2]) == pytest.approx(distance, rel=1e-4)
