"""The two levels on one scale: a character model's bits per character on exactly the characters
the word level is scored on (the canonical held-out text after its first word)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch.nn import functional as F

from app.engine.text.corpus import Vocabulary as CharVocabulary
from app.engine.words.corpus import WordCorpus
from app.engine.words.tokens import canonical
from models.sequence import SequenceModel

CHAR_CHUNK = 256  # as the character page measures: chunks from a zero state


@dataclass(frozen=True)
class CharHeldOut:
    bits_per_char: float
    unigram_bits_per_char: float
    chars: int


def scored_text(corpus: WordCorpus, max_words: int | None = None) -> tuple[str, int]:
    """The canonical held-out text the word level reads, and where its scored part starts (after
    the first word, which is only read)."""
    words = corpus.val_tokens[: (max_words + 1) if max_words else None]
    return canonical(words), len(words[0]) if words else 0


def char_held_out(
    model: SequenceModel,
    vocab: CharVocabulary,
    corpus: WordCorpus,
    train_text: str,
    max_words: int | None = None,
) -> CharHeldOut:
    """A character model's bits per character on the word level's scored characters, and the
    character unigram's (fitted on ``train_text``, the text the character model learned from)."""
    text, start = scored_text(corpus, max_words)
    ids = vocab.encode(text[start - 1 :]) if start else vocab.encode(text)
    total = 0.0
    with torch.no_grad():
        for begin in range(0, len(ids) - 1, CHAR_CHUNK):
            piece = torch.as_tensor(ids[begin : begin + CHAR_CHUNK + 1]).unsqueeze(0)
            logits = model(piece[:, :-1]).double()
            total -= float(F.log_softmax(logits, -1).gather(-1, piece[:, 1:, None]).sum())
    targets = ids[1:]
    counts = np.bincount(vocab.encode(train_text), minlength=vocab.size) + 1.0
    unigram = -np.log2(counts[targets] / counts.sum()).sum()
    return CharHeldOut(
        total / math.log(2) / len(targets), float(unigram / len(targets)), len(targets)
    )


def char_unigram_bits(corpus: WordCorpus, train_text: str, max_words: int | None = None) -> float:
    """The character unigram's bits per character on the word level's scored characters."""
    text, start = scored_text(corpus, max_words)
    vocab = CharVocabulary.fit(train_text)
    targets = vocab.encode(text[start:])
    counts = np.bincount(vocab.encode(train_text), minlength=vocab.size) + 1.0
    return float(-np.log2(counts[targets] / counts.sum()).mean()) if len(targets) else math.nan


def invented_share(words: list[str], known: set[str]) -> float:
    """The share of ``words`` never seen in training: how often a character model misspells or
    makes up a word (a word model cannot: it only writes words it has)."""
    return sum(1 for w in words if w not in known) / len(words) if words else math.nan
