"""SequenceModel: head shapes, losses, and rejection of unknown settings."""

from __future__ import annotations

import pytest
import torch

from models.recurrent import Recurrent
from models.sequence import ModelSpec, SequenceModel, parameter_count

BATCH, TIME, INPUT, HIDDEN, CLASSES, VOCAB = 4, 5, 3, 6, 3, 9
CELLS = ["rnn", "lstm", "gru"]


@pytest.mark.parametrize("cell", CELLS)
def test_regression_head(cell):
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    model = SequenceModel(ModelSpec(cell=cell, input_size=INPUT, hidden_size=HIDDEN, num_layers=2))
    x = torch.randn(BATCH, TIME, INPUT, generator=gen)
    y = torch.randn(BATCH, generator=gen)
    pred = model(x)
    assert pred.shape == (BATCH,)
    with torch.no_grad():  # the answer reads only the last step's top hidden state
        last = model.core(x)[0][:, -1]
        want = last @ model.head.weight[0] + model.head.bias[0]
        torch.testing.assert_close(pred, want, atol=1e-6, rtol=0)
        changed = x.clone()
        changed[:, -1] += 1.0
        assert not torch.allclose(model(changed), pred)
    loss = model.loss(pred, y)
    assert loss.shape == ()
    assert loss.item() == pytest.approx(((pred - y) ** 2).mean().item(), rel=1e-6)
    loss.backward()
    assert all(p.grad is not None for p in model.parameters())


@pytest.mark.parametrize("cell", CELLS)
def test_classification_head(cell):
    torch.manual_seed(2)
    gen = torch.Generator().manual_seed(3)
    spec = ModelSpec(
        cell=cell, input_size=INPUT, hidden_size=HIDDEN, head="classification", output_size=CLASSES
    )
    model = SequenceModel(spec)
    x = torch.randn(BATCH, TIME, INPUT, generator=gen)
    y = torch.randint(0, CLASSES, (BATCH,), generator=gen)
    logits = model(x)
    assert logits.shape == (BATCH, CLASSES)
    loss = model.loss(logits, y)
    nll = -torch.stack([logits[b].log_softmax(0)[y[b]] for b in range(BATCH)]).mean()
    assert loss.item() == pytest.approx(nll.item(), rel=1e-6)
    loss.backward()


@pytest.mark.parametrize("embedding_dim", [0, 4])
@pytest.mark.parametrize("cell", CELLS)
def test_next_token_head(cell, embedding_dim):
    torch.manual_seed(4)
    gen = torch.Generator().manual_seed(5)
    spec = ModelSpec(
        cell=cell,
        hidden_size=HIDDEN,
        head="next_token",
        output_size=VOCAB,
        vocab_size=VOCAB,
        embedding_dim=embedding_dim,
    )
    model = SequenceModel(spec)
    assert model.core.input_size == (embedding_dim or VOCAB)
    assert (model.embedding is None) == (embedding_dim == 0)
    x = torch.randint(0, VOCAB, (BATCH, TIME), generator=gen)
    y = torch.randint(0, VOCAB, (BATCH, TIME), generator=gen)
    logits = model(x)
    assert logits.shape == (BATCH, TIME, VOCAB)
    loss = model.loss(logits, y)
    picked = [logits[b, t].log_softmax(0)[y[b, t]] for b in range(BATCH) for t in range(TIME)]
    assert loss.item() == pytest.approx(-torch.stack(picked).mean().item(), rel=1e-6)
    loss.backward()


def test_parameter_count_by_hand():
    spec = ModelSpec(cell="lstm", input_size=INPUT, hidden_size=HIDDEN, num_layers=2, output_size=2)
    per_layer = [4 * HIDDEN * (width + HIDDEN + 2) for width in (INPUT, HIDDEN)]
    assert parameter_count(SequenceModel(spec)) == sum(per_layer) + HIDDEN * 2 + 2


@pytest.mark.parametrize(
    "spec",
    [
        ModelSpec(cell="transformer"),
        ModelSpec(cell="LSTM"),
        ModelSpec(cell="rnn", activation="sigmoid"),
        ModelSpec(head="ranking"),
    ],
)
def test_invalid_spec_raises_value_error(spec):
    with pytest.raises(ValueError):
        SequenceModel(spec)


@pytest.mark.parametrize(("cell", "activation"), [("cell", "tanh"), ("rnn", "gelu"), ("rnn", "")])
def test_invalid_recurrent_raises_value_error(cell, activation):
    with pytest.raises(ValueError):
        Recurrent(cell, INPUT, HIDDEN, 1, activation)
