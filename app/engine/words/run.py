"""A word-level language model learning live: an embedding, RNN/LSTM/GRU and a softmax over the
vocabulary that predicts the next word; its loss in bits per word, its held-out score also in bits
per character of the same text the character level reads."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import torch
from torch.nn import functional as F

from app.engine.history import History
from app.engine.live import learner_columns
from app.engine.problems import InputError
from app.engine.ranges import Ranges, choice_problems, range_problems
from app.engine.text.run import NextTokenLearner
from app.engine.words.corpus import WORD_CORPORA, WordCorpus
from app.engine.words.sampling import WordSample, WordSampleConfig, generate
from app.engine.words.tokens import UNK
from models.init import initialise, initialise_head
from models.recurrent import CELL_KINDS
from models.sequence import ModelSpec, SequenceModel

LN2 = math.log(2)
EVAL_CHUNK = 64  # held-out words read in chunks of this many, each from a zero state
LIVE_EVAL_WORDS = 3000  # ~15,000 characters: a steady curve, cheap during a live run
COLUMNS = learner_columns("bits", "val_bits")  # bits per word, training and held-out


@dataclass(frozen=True)
class WordConfig:
    """Defaults that write review-like English within half a minute of live training on one core."""

    corpus: str = "reviews"
    vocab_size: int = 2000
    cell: str = "lstm"
    hidden_size: int = 128
    num_layers: int = 1
    embedding_dim: int = 64
    seq_len: int = 32  # words per training sequence
    batch_size: int = 32
    learning_rate: float = (
        0.01  # fastest early progress of 0.005, 0.01, 0.02 (clipping keeps it safe)
    )
    clip: float = 1.0
    seed: int = 0

    LIVE_FIELDS: ClassVar[frozenset[str]] = frozenset({"learning_rate", "clip"})

    def check(self) -> WordConfig:
        problems = choice_problems(self, {"cell": CELL_KINDS, "corpus": WORD_CORPORA})
        problems += range_problems(self, RANGES)
        if problems:
            raise InputError(problems)
        return self


RANGES: Ranges = {
    "vocab_size": (50, 10_000),
    "hidden_size": (8, 512),
    "num_layers": (1, 3),
    "embedding_dim": (4, 256),
    "seq_len": (4, 128),
    "batch_size": (1, 256),
    "learning_rate": (1e-5, 1.0),
    "clip": (0.0, 100.0),
    "seed": (0, 2**31 - 1),
}


@dataclass(frozen=True)
class WordHeldOut:
    """Held-out scores, per word and per character of the canonical text they cover.

    ``unknown_bits`` is the part of ``total_bits`` spent spelling out unknown words: the word level
    names ``<unk>`` (its probability) and then writes the word with a character unigram, so every
    character is paid for, as the character level pays for it."""

    total_bits: float
    unigram_total_bits: float
    unknown_bits: float
    words: int
    chars: int
    unknown: int

    @property
    def bits_per_word(self) -> float:
        return self.total_bits / self.words

    @property
    def bits_per_char(self) -> float:
        return self.total_bits / self.chars

    @property
    def unigram_bits_per_word(self) -> float:
        return self.unigram_total_bits / self.words

    @property
    def unigram_bits_per_char(self) -> float:
        return self.unigram_total_bits / self.chars

    @property
    def perplexity(self) -> float:
        return 2.0**self.bits_per_word


class WordRun(NextTokenLearner):
    """One word model learning one corpus. Never raises on divergence: it stops and says where."""

    # Its model and Adam state pickle whole (7.8 MB for the default: the embedding and the head are
    # a row per word); a built-in corpus goes as its name and vocabulary size, the user's whole.
    travels = True

    def __init__(self, config: WordConfig, corpus: WordCorpus) -> None:
        super().__init__()
        self.config = config.check()
        self.corpus = corpus
        self.generator = torch.Generator().manual_seed(config.seed)
        self.model = build_word_model(config, corpus.vocab.size, self.generator)
        self.optimizer = torch.optim.Adam(
            self.model.parameters(), lr=config.learning_rate, fused=True
        )
        self.history = History(known=COLUMNS)
        self._train = torch.from_numpy(corpus.train_ids)
        self._offsets = torch.arange(min(config.seq_len, len(self._train) - 2) + 1)
        self._held_out: WordHeldOut | None = None

    @property
    def clip_threshold(self) -> float | None:
        return self.config.clip or None

    def write(self, config: WordSampleConfig) -> WordSample:
        return generate(self.model, self.corpus.vocab, config)

    def held_out(self) -> WordHeldOut:
        with self.lock:
            if self._held_out is None:
                self._held_out = held_out(self.model, self.corpus, LIVE_EVAL_WORDS)
            return self._held_out

    def held_out_bits(self) -> float:
        return self.held_out().bits_per_word


def build_word_model(
    config: WordConfig, vocab_size: int, generator: torch.Generator
) -> SequenceModel:
    spec = ModelSpec(
        cell=config.cell,
        hidden_size=config.hidden_size,
        num_layers=config.num_layers,
        head="next_token",
        output_size=vocab_size,
        vocab_size=vocab_size,
        embedding_dim=config.embedding_dim,
    )
    model = SequenceModel(spec)
    initialise(model.core, generator=generator)
    with torch.no_grad():  # small vectors: a first softmax close to uniform, steady first steps
        model.embedding.weight.normal_(0.0, 0.3, generator=generator)
    initialise_head(model.head, generator)
    return model


def held_out(model: SequenceModel, corpus: WordCorpus, max_words: int | None = None) -> WordHeldOut:
    """Cross-entropy on the held-out words (every word but the first is a target), per word and per
    character of the canonical text, against the word unigram baseline; unknowns spelled out."""
    ids = corpus.val_ids[: (max_words + 1) if max_words else None]
    log_p = log_probabilities(model, ids)  # (words - 1,) natural log of each target
    targets = ids[1:]
    words = corpus.val_tokens[1 : len(ids)]
    unknown = targets == UNK
    spelled = sum(corpus.spelling.bits(w) for w, u in zip(words, unknown, strict=True) if u)
    counts = corpus.counts().astype(np.float64) + 1.0  # add-one: every entry keeps some mass
    counts[0] = 0.0  # <pad> is never a word
    unigram = -np.log2(counts[targets] / counts.sum()).sum()
    return WordHeldOut(
        total_bits=float(-log_p.sum() / LN2 + spelled),
        unigram_total_bits=float(unigram + spelled),
        unknown_bits=float(spelled),
        words=len(targets),
        chars=sum(len(w) + 1 for w in words),  # each word and the space before it
        unknown=int(unknown.sum()),
    )


def log_probabilities(model: SequenceModel, ids: np.ndarray) -> np.ndarray:
    """log P(ids[t + 1] | ids[:t + 1]) for every t, read in chunks from a zero state."""
    x_all = torch.as_tensor(ids[:-1], dtype=torch.long)
    y_all = torch.as_tensor(ids[1:], dtype=torch.long)
    out = []
    with torch.no_grad():
        full = len(x_all) // EVAL_CHUNK * EVAL_CHUNK
        parts = [(x_all[:full].view(-1, EVAL_CHUNK), y_all[:full].view(-1, EVAL_CHUNK))]
        if full < len(x_all):
            parts.append((x_all[full:].unsqueeze(0), y_all[full:].unsqueeze(0)))
        for x, y in parts:
            if x.numel():
                logits = model(x).double()  # (chunks, chunk, vocab)
                logits[..., 0] = -math.inf  # <pad> is never a word: as sampling sees it
                picked = F.log_softmax(logits, dim=-1).gather(-1, y.unsqueeze(-1))
                out.append(picked.reshape(-1).numpy())
    return np.concatenate(out) if out else np.zeros(0)


def next_word_probabilities(model: SequenceModel, ids: np.ndarray) -> np.ndarray:
    """P(next word | words up to and including the last): (vocab,), ``<pad>`` at zero."""
    x = torch.as_tensor(ids if len(ids) else [UNK], dtype=torch.long).unsqueeze(0)
    with torch.no_grad():
        logits = model(x)[0, -1].double()
        logits[0] = -math.inf
        return F.softmax(logits, dim=-1).numpy()
