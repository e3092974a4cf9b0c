"""A whole network for a task: optional embedding, recurrent core, and an output head."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from models.recurrent import Recurrent, State

HEAD_KINDS = ("regression", "classification", "next_token")


@dataclass(frozen=True)
class ModelSpec:
    """Everything needed to build the same network again (and to check a saved one)."""

    cell: str = "rnn"
    input_size: int = 1
    hidden_size: int = 32
    num_layers: int = 1
    activation: str = "tanh"
    head: str = (
        "regression"  # regression: one value; classification: K classes; next_token: every step
    )
    output_size: int = 1
    vocab_size: int = (
        0  # > 0: inputs are token indices, embedded (or one-hot when embedding_dim == 0)
    )
    embedding_dim: int = 0


class SequenceModel(nn.Module):
    """Reads a sequence and answers once at the end (regression, classification) or at every step."""

    def __init__(self, spec: ModelSpec) -> None:
        super().__init__()
        if spec.head not in HEAD_KINDS:
            raise ValueError(f"unknown head {spec.head!r}; choose one of {HEAD_KINDS}")
        self.spec = spec
        self.embedding = (
            nn.Embedding(spec.vocab_size, spec.embedding_dim)
            if spec.vocab_size and spec.embedding_dim
            else None
        )
        core_input = spec.input_size
        if spec.vocab_size:
            core_input = spec.embedding_dim or spec.vocab_size
        self.core = Recurrent(
            spec.cell, core_input, spec.hidden_size, spec.num_layers, spec.activation
        )
        self.head = nn.Linear(spec.hidden_size, spec.output_size)

    @property
    def every_step(self) -> bool:
        return self.spec.head == "next_token"

    def encode(self, x: Tensor) -> Tensor:
        """Token indices (batch, time) -> vectors (batch, time, features); real inputs pass through."""
        if not self.spec.vocab_size:
            return x
        if self.embedding is not None:
            return self.embedding(x)
        return F.one_hot(x, self.spec.vocab_size).to(self.head.weight.dtype)

    def forward(self, x: Tensor, state: State | None = None) -> Tensor:
        hidden, _ = self.core(self.encode(x), state)  # (batch, time, hidden)
        return self.read_out(hidden)

    def read_out(self, hidden: Tensor) -> Tensor:
        """y_t = W_hy h_t + b_y: at every step for next-token models, else only at the last step."""
        if self.every_step:
            return self.head(hidden)  # (batch, time, outputs)
        out = self.head(hidden[:, -1])  # (batch, outputs)
        return out.squeeze(-1) if self.spec.head == "regression" else out

    def loss(self, prediction: Tensor, target: Tensor) -> Tensor:
        if self.spec.head == "regression":
            return F.mse_loss(prediction, target)
        if self.every_step:
            return F.cross_entropy(prediction.reshape(-1, prediction.shape[-1]), target.reshape(-1))
        return F.cross_entropy(prediction, target)


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def clone_from_torch(module: nn.RNNBase) -> Recurrent:
    """A Recurrent holding the same weights as a torch.nn.RNN/LSTM/GRU (batch_first or not)."""
    cell = {"RNN_TANH": "rnn", "RNN_RELU": "rnn", "LSTM": "lstm", "GRU": "gru"}[module.mode]
    activation = "relu" if module.mode == "RNN_RELU" else "tanh"
    core = Recurrent(cell, module.input_size, module.hidden_size, module.num_layers, activation)
    with torch.no_grad():
        core.load_state_dict(module.state_dict())
    return core
