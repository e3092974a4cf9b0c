"""GloVe 6B 50-d word vectors (Stanford NLP, PDDL 1.0), the subset of words the review corpora use,
shipped with the app as ``glove_50d_subset.npz`` (scripts/build_glove_subset.py writes it)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import numpy as np
import torch

from app.engine.problems import InputError, Problem
from app.engine.sentiment.tokens import SPECIALS, Vocabulary

GLOVE_FILE = Path(__file__).parent / "glove_50d_subset.npz"


@dataclass(frozen=True)
class WordVectors:
    """One row per vocabulary word (``<pad>`` and ``<unk>`` are zero rows)."""

    vocab: Vocabulary
    vectors: torch.Tensor  # (vocab, dim) float32
    shipped: bool = field(default=False, compare=False)  # made by shipped_vectors, once a process

    def __reduce_ex__(self, protocol: int) -> object:
        # The shipped vectors pickle as a call: a review classifier travelling to the training
        # worker (app/engine/slice_worker.py) finds them there, and back here the very object the
        # sessions share.
        if self.shipped:
            return shipped_vectors, ()
        return super().__reduce_ex__(protocol)

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def cosine(self, a: str, b: str) -> float:
        """Cosine similarity of two words' vectors (NaN when either is not in the vocabulary)."""
        if a not in self.vocab or b not in self.vocab:
            return float("nan")
        va, vb = self.vectors[self.vocab.id(a)], self.vectors[self.vocab.id(b)]
        return float(torch.nn.functional.cosine_similarity(va, vb, dim=0))

    def nearest(self, word: str, count: int = 10) -> list[tuple[str, float]]:
        """The ``count`` words whose vectors point most nearly the same way as ``word``'s."""
        if word not in self.vocab:
            return []
        unit = torch.nn.functional.normalize(self.vectors, dim=1)
        similarity = unit @ unit[self.vocab.id(word)]
        similarity[: len(SPECIALS)] = -2.0
        similarity[self.vocab.id(word)] = -2.0
        best = torch.topk(similarity, count)
        return [
            (self.vocab.words[int(i)], float(s))
            for s, i in zip(best.values, best.indices, strict=True)
        ]


def load_glove(path: Path = GLOVE_FILE) -> WordVectors:
    try:
        with np.load(path) as data:
            words = tuple(str(w) for w in data["words"])
            vectors = data["vectors"].astype(np.float32)
    except FileNotFoundError as error:
        raise InputError(
            Problem("problem.glove_missing", f"the word vectors file {path.name} is missing")
        ) from error
    vocab = Vocabulary(words)
    full = np.zeros((vocab.size, vectors.shape[1]), dtype=np.float32)
    full[len(SPECIALS) :] = vectors
    return WordVectors(vocab, torch.from_numpy(full))


@cache
def shipped_vectors() -> WordVectors:
    """The shipped vectors, read once per process and shared: read-only."""
    return replace(load_glove(), shipped=True)
