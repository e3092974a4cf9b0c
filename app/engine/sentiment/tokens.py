"""From text to tensors: lower-case word tokens, a vocabulary with ``<pad>`` = 0 and ``<unk>`` = 1,
and padded batches with their lengths."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

PAD, UNK = 0, 1
SPECIALS = ("<pad>", "<unk>")
# Words (split at hyphens and apostrophes), "n't" as its own token as GloVe's tokeniser has it
# ("doesn't" -> "does", "n't": the negation stays visible), clitics ("'s") and punctuation. Letters
# are any language's ("não", "clichés" stay whole: an upload may be Portuguese).
_TOKEN = re.compile(r"n't|'[^\W_]+|[^\W_]+|[!?,.;:]")
_BREAK = re.compile(r"<br\s*/?>")


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens; IMDB's ``<br />`` line breaks are spaces."""
    text = _BREAK.sub(" ", text.lower()).replace("n't", " n't")
    return _TOKEN.findall(text)


@dataclass(frozen=True)
class Vocabulary:
    """Word <-> id. Ids 0 and 1 are ``<pad>`` and ``<unk>``; words follow in the order given."""

    words: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.words[: len(SPECIALS)] != SPECIALS:
            object.__setattr__(self, "words", SPECIALS + tuple(self.words))
        object.__setattr__(self, "_index", {w: i for i, w in enumerate(self.words)})

    @property
    def size(self) -> int:
        return len(self.words)

    def id(self, word: str) -> int:
        return self._index.get(word, UNK)  # type: ignore[attr-defined]

    def encode(self, tokens: Iterable[str]) -> np.ndarray:
        return np.fromiter((self.id(w) for w in tokens), dtype=np.int64)

    def decode(self, ids: Iterable[int]) -> list[str]:
        return [self.words[int(i)] for i in ids]

    def __contains__(self, word: str) -> bool:
        return word in self._index  # type: ignore[attr-defined]


_EMPTY = np.array([UNK], dtype=np.int64)


def pad(sequences: Sequence[np.ndarray], max_len: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Padded ids (batch, time) and lengths (batch,): each sequence keeps its first ``max_len``
    ids, the batch is as long as its longest (truncated) member, ``<pad>`` fills the rest. An empty
    text keeps one ``<unk>`` so every row has something to read."""
    cut = [s[:max_len] if len(s) else _EMPTY for s in sequences]
    lengths = np.fromiter((len(s) for s in cut), dtype=np.int64, count=len(cut))
    ids = np.full((len(cut), int(lengths.max(initial=1))), PAD, dtype=np.int64)
    if cut:
        # One scatter for the whole batch: row r holds its ids in columns 0..length-1.
        rows = np.repeat(np.arange(len(cut)), lengths)
        columns = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        ids[rows, columns] = np.concatenate(cut)
    return torch.from_numpy(ids), torch.from_numpy(lengths)


def lengths_of(ids: torch.Tensor) -> torch.Tensor:
    """Lengths of a padded batch (padding only at the end, never inside), at least 1."""
    return (ids != PAD).sum(dim=1).clamp(min=1)


def truncated_count(lengths: np.ndarray, max_len: int) -> int:
    """How many texts lose words when cut at ``max_len`` tokens."""
    return int((lengths > max_len).sum())
