"""Reading one review word by word: P(positive) after each word, and how much each word moved it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from app.engine.sentiment.tokens import UNK, Vocabulary, tokenize
from models.sentiment import ReviewClassifier


@dataclass(frozen=True)
class Reading:
    tokens: tuple[str, ...]  # as tokenised (cut at max_len)
    ids: np.ndarray  # their ids (``<unk>`` = 1 for words outside the vocabulary)
    before: float  # P(positive) before any word: the head on a zero state
    p_positive: np.ndarray  # (words,) P(positive) after reading words 1..t

    @property
    def change(self) -> np.ndarray:
        """The attribution shown: P(positive) after word t minus P(positive) before it."""
        return np.diff(np.r_[self.before, self.p_positive])

    @property
    def unknown(self) -> np.ndarray:
        return self.ids == UNK

    @property
    def final(self) -> float:
        return float(self.p_positive[-1]) if len(self.p_positive) else self.before


def read(model: ReviewClassifier, vocab: Vocabulary, text: str, max_len: int) -> Reading:
    tokens = tuple(tokenize(text)[:max_len])
    ids = vocab.encode(tokens)
    with torch.no_grad():
        before = float(torch.softmax(model.empty().double(), -1)[1])
        if not len(ids):
            return Reading(tokens, ids, before, np.zeros(0))
        logits = model.prefixes(torch.from_numpy(ids).unsqueeze(0))[0]  # (words, 2)
        p = torch.softmax(logits.double(), -1)[:, 1].numpy()
    return Reading(tokens, ids, before, p)


# Short sentences whose sentiment hangs on word order: negation, contrast, a late verdict. Written
# for this page, not picked from the data; scored as they come, whatever the model makes of them.
PROBES: tuple[tuple[str, int], ...] = (
    ("good", 1),
    ("bad", 0),
    ("not good", 0),
    ("not bad at all", 1),
    ("i did not like it", 0),
    ("i did not dislike it", 1),
    ("good , but the ending was awful", 0),
    ("a slow start , but in the end a wonderful film", 1),
    ("never boring", 1),
    ("it could have been great , but it was not", 0),
    ("the actors are fine but the script is a mess", 0),
    ("far from perfect , yet i loved every minute", 1),
)


@dataclass(frozen=True)
class ProbeResult:
    text: str
    expected: int
    p_positive: float
    threshold: float

    @property
    def correct(self) -> bool:
        return int(self.p_positive >= self.threshold) == self.expected


def score_probes(
    model: ReviewClassifier, vocab: Vocabulary, threshold: float, max_len: int
) -> list[ProbeResult]:
    return [
        ProbeResult(text, label, read(model, vocab, text, max_len).final, threshold)
        for text, label in PROBES
    ]
