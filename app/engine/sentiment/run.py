"""A review classifier learning live: batches of padded reviews, cross-entropy, and held-out
accuracy, precision, recall, F1 and the confusion matrix measured every few steps. The training
set's class shares can be skewed, with three remedies for the rare class."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import torch

from app.engine.history import History
from app.engine.live import Learner, learner_columns
from app.engine.problems import InputError
from app.engine.ranges import Ranges, choice_problems, range_problems
from app.engine.sentiment.corpus import SOURCES, SPLIT_SEED, ReviewCorpus, with_positive_share
from app.engine.sentiment.glove import WordVectors
from app.engine.sentiment.metrics import Scores, confusion, rare_class, scores
from app.engine.sentiment.tokens import pad
from models.sentiment import CLASSIFIER_CELLS, ReviewClassifier, build_classifier

EMBEDDINGS = ("glove_frozen", "glove_tuned", "scratch")
REMEDIES = ("none", "weights", "resample", "threshold")
OWN = "own"  # the source of a user's own labelled texts (app/engine/sentiment/labelled.py)
EVAL_EVERY = 25  # steps between held-out measurements while training
COLUMNS = learner_columns("loss", "val_loss", "val_accuracy", "val_f1", "val_rare_f1")
EVAL_LIMIT = 2000  # held-out reviews measured live (all 1,706 of RT; a fixed sample of IMDB)
EVAL_CHUNK = 256  # held-out reviews per forward pass, sorted by length so little is padding


@dataclass(frozen=True)
class SentimentConfig:
    """Defaults: an LSTM over frozen GloVe reaches about 75% held-out accuracy on the Rotten
    Tomatoes sentences in 10-20 s of training on one core."""

    source: str = "rt"
    cell: str = "lstm"
    embedding: str = "glove_frozen"
    hidden_size: int = 64
    max_len: int = 50  # tokens read per review; longer reviews are cut
    batch_size: int = 64
    learning_rate: float = 0.005
    clip: float = 1.0
    positive_share: float = 0.5  # share of positive reviews kept in training (and held-out)
    remedy: str = "none"
    seed: int = 0

    LIVE_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"learning_rate", "clip", "remedy", "max_len"}
    )

    def check(self) -> SentimentConfig:
        problems = choice_problems(self, CHOICES) + range_problems(self, RANGES)
        if problems:
            raise InputError(problems)
        return self


CHOICES = {
    "source": (*SOURCES, OWN),
    "cell": CLASSIFIER_CELLS,
    "embedding": EMBEDDINGS,
    "remedy": REMEDIES,
}
RANGES: Ranges = {
    "hidden_size": (4, 256),
    "max_len": (5, 400),
    "batch_size": (1, 512),
    "learning_rate": (1e-5, 1.0),
    "clip": (0.0, 100.0),
    "positive_share": (0.05, 0.95),
    "seed": (0, 2**31 - 1),
}


@dataclass(frozen=True)
class Evaluation:
    """The model on the held-out reviews at one step."""

    probabilities: np.ndarray  # P(positive) per held-out review
    labels: np.ndarray
    threshold: float  # predict positive when P >= threshold
    matrix: np.ndarray  # confusion: rows true class, columns predicted
    positive: Scores  # precision, recall, F1 of the positive class
    rare: Scores  # the same for the rarer class of the held-out reviews
    rare_label: int
    loss: float


class SentimentRun(Learner):
    """One classifier learning one corpus. Never raises on divergence: it stops and says where."""

    # Its model and Adam state pickle whole (4.5 MB for the default LSTM, the GloVe rows its
    # embedding holds included); the shipped corpus and vectors as calls, an uploaded file's whole.
    travels = True

    def __init__(self, config: SentimentConfig, corpus: ReviewCorpus, vectors: WordVectors) -> None:
        super().__init__()
        self.config = config.check()
        if corpus.vocab != vectors.vocab:
            raise ValueError("the corpus must be encoded with the word vectors' vocabulary")
        self.corpus = corpus
        self.vectors = vectors  # the rows of corpus.vocab the embedding started from
        # The class shares depend on the setting, never on the run's seed: every seed of a
        # setting learns from and is judged on the same reviews.
        split = np.random.default_rng(SPLIT_SEED)
        share = config.positive_share
        self.train_index = with_positive_share(corpus.train_index, corpus.labels, share, split)
        held = with_positive_share(corpus.held_out_index, corpus.labels, share, split)
        if len(held) > EVAL_LIMIT:
            held = np.sort(split.choice(held, EVAL_LIMIT, replace=False))
        self.held_out_index = held
        labels = torch.from_numpy(corpus.labels[self.train_index])
        self._by_class = [torch.from_numpy(self.train_index)[labels == c] for c in (0, 1)]
        self.train_positive_share = float(labels.float().mean())

        self.generator = torch.Generator().manual_seed(config.seed)
        self.model: ReviewClassifier = build_classifier(
            config.cell,
            vectors.vectors,
            config.hidden_size,
            trainable=config.embedding != "glove_frozen",
            generator=self.generator,
            pretrained=config.embedding != "scratch",
        )
        trainable = [p for p in self.model.parameters() if p.requires_grad]
        self.optimizer = torch.optim.Adam(trainable, lr=config.learning_rate, fused=True)
        self.history = History(known=COLUMNS)
        self._evaluation: Evaluation | None = None
        self._chunks: list[tuple[torch.Tensor, torch.Tensor]] | None = None
        self._last_eval = 0
        self._apply_remedy()

    @property
    def clip_threshold(self) -> float | None:
        return self.config.clip or None

    @property
    def threshold(self) -> float:
        """The decision threshold: 0.5, or the training set's positive share when moving the
        threshold is the remedy (the model's P(positive) carries the training prior with it)."""
        return self.train_positive_share if self.config.remedy == "threshold" else 0.5

    def batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Padded ids (batch, longest in batch) and labels; balanced classes when resampling."""
        size = self.config.batch_size
        if self.config.remedy == "resample":
            classes = torch.randint(0, 2, (size,), generator=self.generator)
            rows = torch.empty(size, dtype=torch.long)
            for c, members in enumerate(self._by_class):
                chosen = classes == c
                picks = torch.randint(
                    0, len(members), (int(chosen.sum()),), generator=self.generator
                )
                rows[chosen] = members[picks]
        else:
            rows = torch.from_numpy(self.train_index)[
                torch.randint(0, len(self.train_index), (size,), generator=self.generator)
            ]
        ids, _ = pad([self.corpus.ids[int(r)] for r in rows], self.config.max_len)
        return ids, torch.from_numpy(self.corpus.labels[rows.numpy()])

    def loss_columns(self, loss: float) -> dict[str, float]:
        return {"loss": loss}

    def forget_measurements(self) -> None:
        self._evaluation = None

    def measure(self, row: dict[str, float]) -> None:
        if self.measure_due(EVAL_EVERY, self._last_eval):
            self._last_eval = self.step
            result = self.evaluation()
            row.update(
                val_loss=result.loss,
                val_accuracy=result.positive.accuracy,
                val_f1=result.positive.f1,
                val_rare_f1=result.rare.f1,
            )

    def evaluation(self) -> Evaluation:
        """The held-out measurement at the current step (cached until the next step)."""
        with self.lock:
            if self._evaluation is None:
                self._evaluation = evaluate(
                    self.model,
                    self.corpus,
                    self.held_out_index,
                    self.config.max_len,
                    self.threshold,
                )
            return self._evaluation

    def before_drawing(self) -> None:
        if not self.diverged:
            self.evaluation()  # every held-out review read again: what the page's numbers show

    def _retuned(self) -> None:
        super()._retuned()
        self._apply_remedy()
        self._evaluation = None  # a new threshold or length changes what is measured
        self._chunks = None

    def _apply_remedy(self) -> None:
        """Class weights inversely proportional to the training shares, or none."""
        if self.config.remedy == "weights":
            p = self.train_positive_share
            self.model.class_weight = torch.tensor([0.5 / (1 - p), 0.5 / p])
        else:
            self.model.class_weight = None


def evaluate(
    model: ReviewClassifier,
    corpus: ReviewCorpus,
    index: np.ndarray,
    max_len: int,
    threshold: float = 0.5,
    chunks: list[tuple[torch.Tensor, torch.Tensor]] | None = None,
) -> Evaluation:
    """P(positive) for every review of ``index`` (read up to ``max_len`` tokens) and the metrics.
    ``chunks`` are ``held_out_chunks`` of the same arguments, when already made."""
    chunks = chunks if chunks is not None else held_out_chunks(corpus, index, max_len)
    probabilities, labels, loss = [], [], 0.0
    with torch.no_grad():
        for ids, target in chunks:
            logits = model(ids)
            loss += float(torch.nn.functional.cross_entropy(logits, target, reduction="sum"))
            probabilities.append(torch.softmax(logits.double(), -1)[:, 1].numpy())
            labels.append(target.numpy())
    p = np.concatenate(probabilities) if probabilities else np.zeros(0)
    y = np.concatenate(labels) if labels else np.zeros(0, dtype=np.int64)
    matrix = confusion(y, (p >= threshold).astype(np.int64))
    rare = rare_class(y)
    return Evaluation(
        probabilities=p,
        labels=y,
        threshold=threshold,
        matrix=matrix,
        positive=scores(matrix, 1),
        rare=scores(matrix, rare),
        rare_label=rare,
        loss=loss / len(y) if len(y) else math.nan,
    )


def held_out_chunks(
    corpus: ReviewCorpus, index: np.ndarray, max_len: int
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """The reviews of ``index`` as padded batches of EVAL_CHUNK, sorted by length so that little of
    each batch is padding: (ids, labels) per batch."""
    order = index[np.argsort(np.minimum(corpus.lengths[index], max_len), kind="stable")]
    chunks = []
    for start in range(0, len(order), EVAL_CHUNK):
        part = order[start : start + EVAL_CHUNK]
        ids, _ = pad([corpus.ids[int(i)] for i in part], max_len)
        chunks.append((ids, torch.from_numpy(corpus.labels[part])))
    return chunks
