"""A character-level language model learning live: next-character prediction, loss in bits per character."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import torch
from torch.nn import functional as F

from app.engine.history import History
from app.engine.live import Learner, learner_columns
from app.engine.problems import InputError, Problem
from app.engine.ranges import Ranges, choice_problems, range_problems
from app.engine.text.corpus import Corpus
from app.engine.text.sampling import Sample, SampleConfig, generate
from models.init import initialise, initialise_head
from models.recurrent import CELL_KINDS
from models.sequence import ModelSpec, SequenceModel

LN2 = math.log(2)
EVAL_EVERY = 25  # steps between held-out measurements while training
EVAL_CHUNK = 256  # held-out text is read in chunks of this many characters, each from a zero state
LIVE_EVAL_CHARS = 4096  # enough for a steady curve, cheap enough to measure during a live run
LIVE_SAMPLE_EVERY = 1.5  # seconds between fresh live samples while playing (one costs ~50 ms)
COLUMNS = learner_columns("bits", "val_bits")  # and the training step's gradient norms


@dataclass(frozen=True)
class TextConfig:
    """Defaults learn recognisable Python within a minute of live training on one core."""

    corpus: str = "python"
    cell: str = "lstm"
    hidden_size: int = 128
    num_layers: int = 1
    embedding_dim: int = 0  # 0 = one-hot input
    seq_len: int = 64  # characters per training sequence (how far back the gradient flows)
    batch_size: int = 32
    learning_rate: float = 0.01  # fast early progress: clipping keeps it safe
    clip: float = 1.0  # largest gradient norm; 0 turns clipping off
    seed: int = 0

    # Settings a run can take while it trains (app/engine/live.py): everything else needs a new model.
    LIVE_FIELDS: ClassVar[frozenset[str]] = frozenset({"learning_rate", "clip"})

    def check(self) -> TextConfig:
        problems = choice_problems(self, {"cell": CELL_KINDS}) + range_problems(self, RANGES)
        if problems:
            raise InputError(problems)
        return self


RANGES: Ranges = {
    "hidden_size": (4, 512),
    "num_layers": (1, 3),
    "embedding_dim": (0, 128),
    "seq_len": (8, 256),
    "batch_size": (1, 256),
    "learning_rate": (1e-5, 1.0),
    "clip": (0.0, 100.0),
    "seed": (0, 2**31 - 1),
}


@dataclass(frozen=True)
class Written:
    """A live sample (a Sample, a WordSample) and when it was written: the step, and
    ``time.monotonic()`` (the machine's clock, the same in the training worker's process)."""

    step: int
    at: float
    sample: Any


@dataclass(frozen=True)
class HeldOut:
    """Bits per character on held-out text, the model's and the unigram baseline's."""

    bits: float
    unigram_bits: float
    chars: int

    @property
    def perplexity(self) -> float:
        return 2.0**self.bits

    @property
    def unigram_perplexity(self) -> float:
        return 2.0**self.unigram_bits


class NextTokenLearner(Learner):
    """A model that learns to predict the next token (a character, a word) of its training ids:
    random windows as batches, its loss in bits, held-out bits every ``EVAL_EVERY`` steps.
    A subclass sets ``_train`` (the ids), ``_offsets`` (0 .. window) and ``_held_out``, and says
    what its held-out bits are."""

    corpus: Any  # with its train_ids
    _train: torch.Tensor
    _offsets: torch.Tensor
    _held_out: object | None
    sample_wanted: Any = None  # the live sample's settings, last asked (its config class)
    _written: Written | None = None

    def held_out(self) -> Any:
        """Held-out bits at the current step (cached until the next step)."""
        raise NotImplementedError

    def held_out_bits(self) -> float:
        raise NotImplementedError

    def write(self, config: Any) -> Any:
        """A sample of the model as it is now, with ``config``."""
        raise NotImplementedError

    def live_sample(self, config: Any, playing: bool) -> Written:
        """What the model writes with ``config`` at this step; while ``playing``, the last sample
        written with ``config`` if it is younger than LIVE_SAMPLE_EVERY (a fresh one at every
        refresh would cost more than the training it shows), with the step it was written at."""
        with self.lock:
            self.sample_wanted = config
            kept = self._written
            if kept is not None and kept.sample.config == config:
                recent = playing and time.monotonic() - kept.at < LIVE_SAMPLE_EVERY
                if kept.step == self.step or recent:
                    return kept
            self._written = Written(self.step, time.monotonic(), self.write(config))
            return self._written

    def before_drawing(self) -> None:
        if not self.diverged:
            self.held_out()  # 4,096 held-out characters: some 20 ms of the server's core a refresh
            if self.sample_wanted is not None:  # the page asked for one: some 50 ms when due
                self.live_sample(self.sample_wanted, playing=True)

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        del state["_train"]  # the corpus's own ids, as a tensor: rebuilt from the corpus
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._train = torch.from_numpy(self.corpus.train_ids)

    def batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Random windows of the training ids: inputs and the same windows shifted by one."""
        high = len(self._train) - len(self._offsets)
        starts = torch.randint(0, high, (self.config.batch_size, 1), generator=self.generator)
        windows = self._train[starts + self._offsets]  # (batch, window + 1)
        return windows[:, :-1], windows[:, 1:]

    def loss_columns(self, loss: float) -> dict[str, float]:
        return {"bits": loss / LN2}

    def forget_measurements(self) -> None:
        self._held_out = None

    def measure(self, row: dict[str, float]) -> None:
        if self.step == 1 or (self.step % EVAL_EVERY == 0 and self.history.keeps(self.step)):
            row["val_bits"] = self.held_out_bits()


class TextRun(NextTokenLearner):
    """One character model learning one corpus. Never raises on divergence: it stops and says where."""

    # Its model, optimiser, generator and History pickle whole (2.1 MB for the default LSTM of 128);
    # a built-in corpus goes as its name, the user's own whole (too big for a long text).
    travels = True

    def __init__(self, config: TextConfig, corpus: Corpus) -> None:
        super().__init__()
        self.config = config.check()
        self.corpus = corpus
        if len(corpus.train_ids) <= config.seq_len + 1:
            raise InputError(
                Problem(
                    "problem.text_short",
                    "the text is too short for this sequence length",
                    {"count": len(corpus.text), "minimum": 10 * (config.seq_len + 2)},
                )
            )
        # Every random draw of this run comes from here: sessions are threads of one process.
        self.generator = torch.Generator().manual_seed(config.seed)
        self.model = build_text_model(config, corpus.vocab.size, self.generator)
        self.optimizer = torch.optim.Adam(
            self.model.parameters(), lr=config.learning_rate, fused=True
        )
        self.history = History(known=COLUMNS)
        self._train = torch.from_numpy(corpus.train_ids)
        self._offsets = torch.arange(config.seq_len + 1)
        self._held_out: HeldOut | None = None

    @property
    def clip_threshold(self) -> float | None:
        return self.config.clip or None

    def held_out(self) -> HeldOut:
        """Held-out bits per character at the current step (cached until the next step)."""
        with self.lock:
            if self._held_out is None:
                self._held_out = held_out(self.model, self.corpus, LIVE_EVAL_CHARS)
            return self._held_out

    def held_out_bits(self) -> float:
        return self.held_out().bits

    def write(self, config: SampleConfig) -> Sample:
        return generate(self.model, self.corpus.vocab, config)


def build_text_model(
    config: TextConfig, vocab_size: int, generator: torch.Generator
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
    if model.embedding is not None:
        with torch.no_grad():  # torch's default, drawn from the run's own generator
            model.embedding.weight.normal_(generator=generator)
    initialise_head(model.head, generator)
    return model


def held_out(model: SequenceModel, corpus: Corpus, max_chars: int | None = None) -> HeldOut:
    """Cross-entropy in bits per character on the held-out part, against the unigram baseline."""
    val = corpus.val_ids[: max_chars or None]
    chunk = min(EVAL_CHUNK, len(val) - 1)
    count = (len(val) - 1) // chunk
    ids = torch.from_numpy(val[: count * chunk + 1])
    x = ids[:-1].view(count, chunk)  # (chunks, chunk)
    y = ids[1:].view(count, chunk)
    with torch.no_grad():
        loss = float(model.loss(model(x), y))
    return HeldOut(loss / LN2, unigram_bits(corpus, y.numpy().ravel()), int(y.numel()))


def unigram_bits(corpus: Corpus, targets: np.ndarray) -> float:
    """Bits per character when every character is guessed from its training frequency alone."""
    counts = np.bincount(corpus.train_ids, minlength=corpus.vocab.size) + 1.0  # add-one smoothing
    log_p = np.log2(counts / counts.sum())
    return float(-log_p[targets].mean())


def next_char_probabilities(model: SequenceModel, ids: np.ndarray) -> np.ndarray:
    """P(next character | text up to and including position t), for every t: (chars, vocab)."""
    x = torch.as_tensor(ids, dtype=torch.long).unsqueeze(0)
    with torch.no_grad():
        return F.softmax(model(x)[0].double(), dim=-1).numpy()
