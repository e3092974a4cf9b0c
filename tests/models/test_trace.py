"""trace() sees the same numbers torch.nn computes, and finds dL/dh_t as autograd does."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from models.sequence import ModelSpec, SequenceModel
from models.trace import trace

BATCH, TIME, INPUT, HIDDEN, VOCAB = 3, 6, 2, 5, 7
KINDS = [("rnn", "tanh"), ("rnn", "relu"), ("rnn", "linear"), ("lstm", "tanh"), ("gru", "tanh")]
LAYERS = [1, 2, 3]
WEIGHTS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


class LinearCell(nn.RNNCell):
    """h_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh: torch.nn's RNNCell has no identity option."""

    def forward(self, x, h):
        return F.linear(x, self.weight_ih, self.bias_ih) + F.linear(h, self.weight_hh, self.bias_hh)


def reference_cell(cell: str, activation: str, input_size: int) -> nn.Module:
    if activation == "linear":
        return LinearCell(input_size, HIDDEN, dtype=torch.float64)
    if cell == "rnn":
        return nn.RNNCell(input_size, HIDDEN, nonlinearity=activation, dtype=torch.float64)
    return {"lstm": nn.LSTMCell, "gru": nn.GRUCell}[cell](input_size, HIDDEN, dtype=torch.float64)


def reference(model: SequenceModel, features: torch.Tensor, loss_of_top):
    """Unroll torch.nn cells holding the model's weights, one step at a time; backprop the loss.

    Returns per layer (hidden states, cell states), every h_t with its .grad = dL/dh_t, and the loss.
    """
    spec, params = model.spec, model.state_dict()
    inputs = list(features.unbind(1))
    layers = []
    for k in range(spec.num_layers):
        cell = reference_cell(spec.cell, spec.activation, inputs[0].shape[-1])
        cell.load_state_dict({name: params[f"core.{name}_l{k}"].clone() for name in WEIGHTS})
        h = torch.zeros(BATCH, HIDDEN, dtype=torch.float64)
        c = torch.zeros_like(h)
        hs, cs = [], []
        for x_t in inputs:
            if spec.cell == "lstm":
                h, c = cell(x_t, (h, c))
                cs.append(c)
            else:
                h = cell(x_t, h)
            h.retain_grad()
            hs.append(h)
        layers.append((hs, cs))
        inputs = hs
    logits = F.linear(torch.stack(inputs, 1), params["head.weight"], params["head.bias"])
    loss = loss_of_top(logits)
    loss.backward()
    return layers, loss


def make_model(cell: str, activation: str, layers: int, **spec) -> SequenceModel:
    torch.manual_seed(10 * layers + len(cell))
    spec = {"input_size": INPUT, "hidden_size": HIDDEN, "num_layers": layers, **spec}
    return SequenceModel(ModelSpec(cell=cell, activation=activation, **spec))


def regression_data(gen: torch.Generator, dtype=torch.float64):
    x = torch.randn(BATCH, TIME, INPUT, generator=gen, dtype=dtype)
    return x, torch.randn(BATCH, generator=gen, dtype=dtype)


def compare_with_reference(tr, layers, loss) -> None:
    assert tr.loss == pytest.approx(loss.item(), rel=1e-12)
    for got, (hs, cs) in zip(tr.layers, layers, strict=True):
        torch.testing.assert_close(got.hidden, torch.stack(hs, 1).detach(), atol=1e-10, rtol=0)
        torch.testing.assert_close(
            got.grad_hidden, torch.stack([h.grad for h in hs], 1), atol=1e-10, rtol=0
        )
        if cs:
            torch.testing.assert_close(got.cell, torch.stack(cs, 1).detach(), atol=1e-10, rtol=0)
        else:
            assert got.cell is None


@pytest.mark.parametrize("layers", LAYERS)
@pytest.mark.parametrize(("cell", "activation"), KINDS)
def test_trace_outputs_equal_fused_forward(cell, activation, layers):
    model = make_model(cell, activation, layers)
    x, y = regression_data(torch.Generator().manual_seed(1), torch.float32)
    tr = trace(model, x, y)
    with torch.no_grad():
        want = model(x)
    assert tr.outputs.shape == want.shape == (BATCH,)
    torch.testing.assert_close(tr.outputs, want, atol=1e-5, rtol=0)
    assert tr.loss == pytest.approx(float(F.mse_loss(want, y)), rel=1e-4)


@pytest.mark.parametrize("layers", LAYERS)
@pytest.mark.parametrize(("cell", "activation"), KINDS)
def test_grad_hidden_equals_autograd_on_torch_cells(cell, activation, layers):
    model = make_model(cell, activation, layers).double()
    x, y = regression_data(torch.Generator().manual_seed(2))
    tr = trace(model, x, y)
    ref_layers, loss = reference(model, x, lambda out: ((out[:, -1, 0] - y) ** 2).mean())
    compare_with_reference(tr, ref_layers, loss)
    # grad_norms: the batch mean of ||dL/dh_t||, from the reference gradients
    for k, (hs, _) in enumerate(ref_layers):
        want = torch.stack([h.grad.norm(dim=-1).mean() for h in hs])
        torch.testing.assert_close(tr.grad_norms(k), want, atol=1e-10, rtol=0)
    assert tr.layers[-1].grad_hidden[:, -1].abs().sum() > 0  # the check is not vacuous


@pytest.mark.parametrize(("cell", "activation"), KINDS)
def test_trace_leaves_parameter_grads_alone(cell, activation):
    model = make_model(cell, activation, 2)
    x, y = regression_data(torch.Generator().manual_seed(3), torch.float32)
    trace(model, x, y)
    assert all(p.grad is None for p in model.parameters())
    # mid-training: existing gradients are neither changed nor accumulated into
    for p in model.parameters():
        p.grad = torch.full_like(p, 0.25)
    trace(model, x, y)
    assert all(torch.equal(p.grad, torch.full_like(p, 0.25)) for p in model.parameters())


def test_trace_without_target_has_no_gradients():
    model = make_model("gru", "tanh", 2)
    x, _ = regression_data(torch.Generator().manual_seed(4), torch.float32)
    tr = trace(model, x)
    assert tr.loss is None and all(layer.grad_hidden is None for layer in tr.layers)
    with pytest.raises(ValueError):
        tr.grad_norms()


@pytest.mark.parametrize("layers", LAYERS)
def test_lstm_gates_and_cell_update(layers):
    model = make_model("lstm", "tanh", layers).double()
    x, y = regression_data(torch.Generator().manual_seed(5))
    x = 3 * x  # drive the gates towards saturation
    for layer in trace(model, x, y).layers:
        gates = layer.gates
        assert set(gates) == {"i", "f", "g", "o"}
        for name in "ifo":
            assert ((gates[name] > 0) & (gates[name] < 1)).all()
        assert ((gates["g"] > -1) & (gates["g"] < 1)).all()
        previous = torch.cat([torch.zeros_like(layer.cell[:, :1]), layer.cell[:, :-1]], dim=1)
        want_cell = gates["f"] * previous + gates["i"] * gates["g"]
        torch.testing.assert_close(layer.cell, want_cell, atol=1e-6, rtol=0)
        torch.testing.assert_close(
            layer.hidden, gates["o"] * torch.tanh(layer.cell), atol=1e-6, rtol=0
        )
        assert layer.pre.shape == (BATCH, TIME, 4 * HIDDEN)


@pytest.mark.parametrize("layers", LAYERS)
def test_gru_update_blends_old_and_new(layers):
    model = make_model("gru", "tanh", layers).double()
    x, y = regression_data(torch.Generator().manual_seed(6))
    for layer in trace(model, x, y).layers:
        gates = layer.gates
        assert set(gates) == {"r", "z", "n"} and layer.cell is None
        previous = torch.cat([torch.zeros_like(layer.hidden[:, :1]), layer.hidden[:, :-1]], dim=1)
        want = (1 - gates["z"]) * gates["n"] + gates["z"] * previous
        torch.testing.assert_close(layer.hidden, want, atol=1e-10, rtol=0)


@pytest.mark.parametrize("embedding_dim", [0, 4])
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_next_token_trace_matches_forward(cell, embedding_dim):
    model = make_model(
        cell,
        "tanh",
        2,
        head="next_token",
        vocab_size=VOCAB,
        output_size=VOCAB,
        embedding_dim=embedding_dim,
    )
    gen = torch.Generator().manual_seed(7)
    x = torch.randint(0, VOCAB, (BATCH, TIME), generator=gen)
    y = torch.randint(0, VOCAB, (BATCH, TIME), generator=gen)
    tr = trace(model, x, y)
    with torch.no_grad():
        want = model(x)
        encoded = model.embedding.weight[x] if embedding_dim else torch.eye(VOCAB)[x]
    assert tr.outputs.shape == want.shape == (BATCH, TIME, VOCAB)
    torch.testing.assert_close(tr.outputs, want, atol=1e-5, rtol=0)
    torch.testing.assert_close(tr.inputs, encoded, atol=0, rtol=0)
    nll = -want.log_softmax(-1).gather(-1, y.unsqueeze(-1)).mean()
    assert tr.loss == pytest.approx(float(nll), rel=1e-4)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_next_token_grad_hidden_equals_autograd(cell):
    """Every step feeds the loss here, so dL/dh_t has a direct term at each t."""
    spec = {"head": "next_token", "vocab_size": VOCAB, "output_size": VOCAB, "embedding_dim": 3}
    model = make_model(cell, "tanh", 2, **spec).double()
    gen = torch.Generator().manual_seed(8)
    x = torch.randint(0, VOCAB, (BATCH, TIME), generator=gen)
    y = torch.randint(0, VOCAB, (BATCH, TIME), generator=gen)
    tr = trace(model, x, y)
    features = model.state_dict()["embedding.weight"][x]

    def nll(logits):
        return -logits.log_softmax(-1).gather(-1, y.unsqueeze(-1)).mean()

    ref_layers, loss = reference(model, features, nll)
    compare_with_reference(tr, ref_layers, loss)
