"""Texts for the word level, as tokens with a vocabulary and a fixed split, and the honest price of
an unknown word: the word level names ``<unk>``, then spells the word out character by character.

Three sources, none downloaded: English review sentences (the sentiment page's Rotten Tomatoes
data), the Python standard library the character page reads, and the user's own text.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

import numpy as np

from app.engine.problems import InputError, Problem
from app.engine.sentiment.corpus import read_reviews
from app.engine.text.corpus import python_source
from app.engine.words.tokens import Vocabulary, canonical, coverage, fit_vocabulary, tokenize

WORD_CORPORA = ("reviews", "python", "own")
HELD_OUT = 0.1  # the last tenth of the tokens is never trained on, as on the character level
MIN_TOKENS = 400
PYTHON_CHARS = 1_000_000  # about as much text as the reviews: the same live cost for both


@dataclass(frozen=True)
class Spelling:
    """A character unigram with an end-of-word mark, fitted on the training words: what an unknown
    word costs to write out once the model has said ``<unk>``."""

    log2p: dict[str, float]
    unseen: float  # bits for a character never seen in training
    end: float  # bits for "the word ends here"

    @classmethod
    def fit(cls, tokens: list[str]) -> Spelling:
        counts = Counter("".join(tokens))
        total = sum(counts.values()) + len(tokens) + len(counts) + 2  # add-one: chars, end, unseen
        log2p = {c: -math.log2((n + 1) / total) for c, n in counts.items()}
        return cls(log2p, -math.log2(1 / total), -math.log2((len(tokens) + 1) / total))

    def bits(self, word: str) -> float:
        return sum(self.log2p.get(c, self.unseen) for c in word) + self.end


@dataclass(frozen=True)
class WordCorpus:
    """Tokens as ids, split once: train on the first 90 %, measure on the rest."""

    name: str
    tokens: tuple[str, ...]
    vocab: Vocabulary
    ids: np.ndarray  # (tokens,) int64
    spelling: Spelling
    # Made by shipped_word_corpus (its name and vocabulary size): the same in every process.
    shipped: tuple[str, int] | None = field(default=None, compare=False)

    def __reduce_ex__(self, protocol: int) -> object:
        # Pickles as a call (see app/engine/text/corpus.py Corpus): a word model travelling to the
        # training worker finds its corpus there, and back here the one the sessions share.
        if self.shipped is not None:
            return shipped_word_corpus, self.shipped
        return super().__reduce_ex__(protocol)

    @property
    def split(self) -> int:
        return int(len(self.ids) * (1 - HELD_OUT))

    @property
    def train_ids(self) -> np.ndarray:
        return self.ids[: self.split]

    @property
    def val_ids(self) -> np.ndarray:
        return self.ids[self.split :]

    @property
    def val_tokens(self) -> tuple[str, ...]:
        return self.tokens[self.split :]

    @property
    def text(self) -> str:
        """The canonical text (tokens separated by single spaces), as both levels read it."""
        return canonical(self.tokens)

    def coverage(self) -> float:
        """The share of held-out tokens the vocabulary knows."""
        return coverage(self.vocab, self.val_tokens)

    def counts(self) -> np.ndarray:
        """How often each vocabulary entry occurs in the training part."""
        return np.bincount(self.train_ids, minlength=self.vocab.size)


def make_word_corpus(
    name: str, tokens: list[str], vocab_size: int, vocab: Vocabulary | None = None
) -> WordCorpus:
    """Tokens to ids with a vocabulary fitted on the training part only (held-out words it never
    saw read as ``<unk>``, as new text would), unless one is given (a shipped model's)."""
    if len(tokens) < MIN_TOKENS:
        raise InputError(
            Problem(
                "problem.words_short",
                f"the text has {len(tokens)} words; at least {MIN_TOKENS} are needed",
                {"count": len(tokens), "minimum": MIN_TOKENS},
            )
        )
    train = tokens[: int(len(tokens) * (1 - HELD_OUT))]
    vocab = vocab or fit_vocabulary(train, vocab_size)
    return WordCorpus(name, tuple(tokens), vocab, vocab.encode(tokens), Spelling.fit(train))


@lru_cache(maxsize=8)  # a few vocabulary sizes at once; an evicted one is only rebuilt
def shipped_word_corpus(name: str, vocab_size: int) -> WordCorpus:
    """A corpus the app carries in a vocabulary of ``vocab_size``, built once per process and
    shared: read-only."""
    corpus = make_word_corpus(name, list(builtin_tokens(name)), vocab_size)
    return replace(corpus, shipped=(name, vocab_size))


@cache
def builtin_tokens(name: str) -> tuple[str, ...]:
    """The tokens of a corpus the app carries (read once per process; read-only)."""
    if name == "reviews":
        texts, _ = read_reviews("rt")
        return tuple(tokenize(" ".join(texts)))
    if name == "python":
        return tuple(tokenize(python_source()[:PYTHON_CHARS]))
    raise InputError(Problem("problem.text_corpus", f"unknown corpus {name!r}", {"name": name}))
