"""A 2-D map of a few hundred words: the principal components of an embedding (GloVe, or the one a
live model learned), with sentiment words marked from a small hand-written list."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from app.engine.sentiment.tokens import SPECIALS, Vocabulary

MAP_WORDS = 300
# Written for this page (English and Portuguese), not taken from the model: the map shows whether
# the embedding in use puts them apart, without the model having a say in which words they are.
POSITIVE_WORDS = frozenset(
    [
        "good",
        "great",
        "excellent",
        "wonderful",
        "best",
        "love",
        "loved",
        "beautiful",
        "funny",
        "brilliant",
        "perfect",
        "fun",
        "enjoyable",
        "charming",
        "fine",
        "delightful",
        "superb",
        "amazing",
        "fascinating",
        "powerful",
        "bom",
        "boa",
        "ótimo",
        "ótima",
        "excelente",
        "maravilhoso",
        "lindo",
        "linda",
        "adorei",
        "gostei",
        "incrível",
        "divertido",
    ]
)
NEGATIVE_WORDS = frozenset(
    [
        "bad",
        "worst",
        "boring",
        "dull",
        "awful",
        "terrible",
        "mess",
        "stupid",
        "waste",
        "poor",
        "worse",
        "tedious",
        "lame",
        "disappointing",
        "horrible",
        "annoying",
        "pointless",
        "ugly",
        "flat",
        "ruim",
        "péssimo",
        "péssima",
        "horrível",
        "chato",
        "fraco",
        "decepcionante",
        "tédio",
        "detestei",
        "tedioso",
    ]
)


@dataclass(frozen=True)
class WordMap:
    words: tuple[str, ...]
    xy: np.ndarray  # (words, 2) float32: the first two principal components
    sentiment: np.ndarray  # (words,) int: 1 positive, -1 negative, 0 not in the hand list
    explained: float  # share of the words' variance the two components keep


def word_map(vectors: torch.Tensor, vocab: Vocabulary, count: int = MAP_WORDS) -> WordMap:
    """The ``count`` most frequent words (the vocabulary's order) that are words, not punctuation,
    and every hand-listed word the vocabulary has, projected on their two principal components."""
    listed = POSITIVE_WORDS | NEGATIVE_WORDS
    frequent = [w for w in vocab.words[len(SPECIALS) :] if any(c.isalnum() for c in w)][:count]
    chosen = frequent + sorted(w for w in listed if w in vocab and w not in set(frequent))
    rows = vectors[[vocab.id(w) for w in chosen]].detach().double().numpy()
    centred = rows - rows.mean(axis=0)
    _, singular, components = np.linalg.svd(centred, full_matrices=False)
    variance = singular**2
    explained = float(variance[:2].sum() / variance.sum()) if variance.sum() > 0 else 0.0
    xy = (centred @ components[:2].T).astype(np.float32)
    sentiment = np.array(
        [1 if w in POSITIVE_WORDS else -1 if w in NEGATIVE_WORDS else 0 for w in chosen]
    )
    return WordMap(tuple(chosen), xy, sentiment, explained)
