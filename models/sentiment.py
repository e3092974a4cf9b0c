"""Review classifiers over padded batches of token ids (``<pad>`` = 0, padding only at the end):
an order-blind average of word vectors, and RNN/LSTM/GRU readers (torch.nn's fused modules) that
answer from the hidden state after each review's last real word.

Both answer two ways: ``forward`` (one pair of logits per review, for training) and ``prefixes``
(the logits after every word, for reading a review word by word)."""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch.nn import functional as F

PAD = 0
CLASSIFIER_CELLS = ("mean", "rnn", "lstm", "gru")
_RECURRENT = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class ReviewClassifier(nn.Module):
    """Embedding -> reader -> a linear head with two outputs (negative, positive)."""

    def __init__(self, embedding: nn.Embedding, features: int) -> None:
        super().__init__()
        self.embedding = embedding
        self.head = nn.Linear(features, 2)
        # Cross-entropy class weights (None: every review counts the same); an imbalance remedy.
        self.class_weight: Tensor | None = None

    def forward(self, ids: Tensor) -> Tensor:
        """(batch, time) ids -> (batch, 2) logits after each review's last real word."""
        lengths = (ids != PAD).sum(dim=1).clamp(min=1)
        states = self.read(self.embedding(ids))  # (batch, time, features)
        last = (lengths - 1).view(-1, 1, 1).expand(-1, 1, states.shape[-1])
        return self.head(states.gather(1, last).squeeze(1))

    def prefixes(self, ids: Tensor) -> Tensor:
        """(batch, time) -> (batch, time, 2): the logits after reading words 1..t, for every t."""
        return self.head(self.read(self.embedding(ids)))

    def empty(self) -> Tensor:
        """The logits before reading any word (the head on a zero state): (2,)."""
        return self.head(torch.zeros(self.head.in_features))

    def read(self, vectors: Tensor) -> Tensor:
        raise NotImplementedError

    def loss(self, logits: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(logits, target, weight=self.class_weight)


class AveragedEmbedding(ReviewClassifier):
    """The order-blind baseline: the mean of the word vectors read so far. "not good" and
    "good, not" look the same to it."""

    def __init__(self, embedding: nn.Embedding) -> None:
        super().__init__(embedding, embedding.embedding_dim)

    def forward(self, ids: Tensor) -> Tensor:
        """Only the mean over each review's real words is needed here: no running means."""
        mask = (ids != PAD).unsqueeze(-1).to(self.head.weight.dtype)  # (batch, time, 1)
        total = (self.embedding(ids) * mask).sum(dim=1)
        return self.head(total / mask.sum(dim=1).clamp(min=1.0))

    def read(self, vectors: Tensor) -> Tensor:
        # Running means: padding only comes after the last real word, so the mean at a review's
        # last word never includes a pad vector.
        counts = torch.arange(1, vectors.shape[1] + 1, dtype=vectors.dtype).view(1, -1, 1)
        return vectors.cumsum(dim=1) / counts


class RecurrentReader(ReviewClassifier):
    """A recurrent network reading the review word by word; the hidden state after the last real
    word decides (states after padding are never used, so padding cannot change the answer)."""

    def __init__(self, cell: str, embedding: nn.Embedding, hidden_size: int) -> None:
        super().__init__(embedding, hidden_size)
        self.cell = cell
        self.core = _RECURRENT[cell](embedding.embedding_dim, hidden_size, batch_first=True)

    def read(self, vectors: Tensor) -> Tensor:
        hidden, _ = self.core(vectors)  # (batch, time, hidden)
        return hidden


def build_classifier(
    cell: str,
    vectors: Tensor,
    hidden_size: int,
    trainable: bool,
    generator: torch.Generator,
    pretrained: bool = True,
) -> ReviewClassifier:
    """A classifier whose embedding starts from ``vectors`` (pretrained) or from small random values
    of the same shape (learned from scratch); every random draw comes from ``generator``."""
    if cell not in CLASSIFIER_CELLS:
        raise ValueError(f"unknown cell {cell!r}; choose one of {CLASSIFIER_CELLS}")
    weight = vectors.clone()
    if not pretrained:
        weight.normal_(0.0, 0.3, generator=generator)
    weight[PAD] = 0.0
    embedding = nn.Embedding.from_pretrained(weight, freeze=not trainable, padding_idx=PAD)
    if cell == "mean":
        model: ReviewClassifier = AveragedEmbedding(embedding)
    else:
        model = RecurrentReader(cell, embedding, hidden_size)
    _initialise(model, generator)
    return model


def _initialise(model: ReviewClassifier, generator: torch.Generator) -> None:
    """torch's default ranges, drawn from the run's own generator (sessions share one process)."""
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.startswith("embedding"):
                continue
            fan = model.head.in_features if name.startswith("head") else model.core.hidden_size
            bound = fan**-0.5
            parameter.uniform_(-bound, bound, generator=generator)
        if isinstance(model, RecurrentReader) and model.cell == "lstm":
            # Forget-gate bias 1: memory of early words survives the first steps of training.
            hidden = model.core.hidden_size
            model.core.bias_hh_l0[hidden : 2 * hidden] = 1.0
            model.core.bias_ih_l0[hidden : 2 * hidden] = 0.0
