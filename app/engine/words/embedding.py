"""What an embedding learned: a word's nearest neighbours by cosine, and a 2-D map of many words
(their first two principal components), for any table of word vectors (ours or GloVe's)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.engine.sentiment.tokens import SPECIALS
from app.engine.words.tokens import Vocabulary


@dataclass(frozen=True)
class WordMap:
    words: tuple[str, ...]
    points: np.ndarray  # (words, 2) float32, principal components 1 and 2
    explained: tuple[float, float]  # share of the variance each component carries


def learned_vectors(model) -> np.ndarray:
    """The model's embedding table, one row per vocabulary entry: (vocab, dim)."""
    return model.embedding.weight.detach().numpy().astype(np.float32)


def nearest(
    vectors: np.ndarray, vocab: Vocabulary, word: str, count: int = 8, among: set[str] | None = None
) -> list[tuple[str, float]]:
    """The ``count`` words (optionally only those ``among`` a set) whose vectors point most nearly
    the same way as ``word``'s; empty when the word has no vector here."""
    if word not in vocab or word in SPECIALS:
        return []
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    similarity = unit @ unit[vocab.id(word)]
    allowed = np.ones(len(similarity), dtype=bool)
    allowed[: len(SPECIALS)] = False
    allowed[vocab.id(word)] = False
    if among is not None:
        allowed &= np.fromiter((w in among for w in vocab.words), dtype=bool, count=vocab.size)
    similarity = np.where(allowed, similarity, -np.inf)
    best = np.argsort(-similarity)[: min(count, int(allowed.sum()))]
    return [(vocab.words[i], float(similarity[i])) for i in best]


def word_map(vectors: np.ndarray, vocab: Vocabulary, words: Sequence[str]) -> WordMap:
    """The words' vectors projected on their first two principal components."""
    kept = tuple(w for w in words if w in vocab and w not in SPECIALS)
    rows = vectors[[vocab.id(w) for w in kept]].astype(np.float64)
    rows -= rows.mean(axis=0)
    if len(kept) < 3:
        return WordMap(kept, np.zeros((len(kept), 2), dtype=np.float32), (0.0, 0.0))
    _, s, vt = np.linalg.svd(rows, full_matrices=False)
    points = rows @ vt[:2].T
    share = s**2 / max(float((s**2).sum()), 1e-12)
    return WordMap(kept, points.astype(np.float32), (float(share[0]), float(share[1])))
