"""Recurrent holds torch.nn's parameters and computes exactly what torch.nn.RNN/LSTM/GRU compute."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from models.recurrent import Recurrent
from models.sequence import clone_from_torch

BATCH, TIME, INPUT, HIDDEN = 3, 7, 4, 5
KINDS = [("rnn", "tanh"), ("rnn", "relu"), ("lstm", "tanh"), ("gru", "tanh")]
LAYERS = [1, 2, 3]
TOLERANCE = {torch.float32: 1e-5, torch.float64: 1e-10}


def torch_module(
    cell: str, activation: str, layers: int, dtype: torch.dtype, **kwargs
) -> nn.RNNBase:
    if cell == "rnn":
        kwargs["nonlinearity"] = activation
    module = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]
    return module(INPUT, HIDDEN, layers, dtype=dtype, **kwargs)


def random_state(cell: str, layers: int, gen: torch.Generator, dtype: torch.dtype):
    def draw():
        return torch.randn(layers, BATCH, HIDDEN, generator=gen, dtype=dtype)

    return (draw(), draw()) if cell == "lstm" else draw()


def assert_close(got, want, atol: float) -> None:
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            torch.testing.assert_close(g, w, atol=atol, rtol=0)
    else:
        assert isinstance(got, torch.Tensor)
        torch.testing.assert_close(got, want, atol=atol, rtol=0)


def check_both_paths(core: Recurrent, ref: nn.RNNBase, cell: str, layers: int, dtype, seed: int):
    """forward and unroll of ``core`` against ``ref`` (batch_first), from zero and random states."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(BATCH, TIME, INPUT, generator=gen, dtype=dtype)
    atol = TOLERANCE[dtype]
    for state in (None, random_state(cell, layers, gen, dtype)):
        with torch.no_grad():
            want_out, want_state = ref(x, state)
            fused_out, fused_state = core(x, state)
            steps_out, steps_state, records = core.unroll(x, state)
        assert fused_out.shape == steps_out.shape == (BATCH, TIME, HIDDEN)
        assert_close(fused_out, want_out, atol)
        assert_close(fused_state, want_state, atol)
        assert_close(steps_out, want_out, atol)
        assert_close(steps_state, want_state, atol)
        assert len(records) == layers and len(records[-1].hidden) == TIME


@pytest.mark.parametrize("layers", LAYERS)
@pytest.mark.parametrize(("cell", "activation"), KINDS)
def test_parameter_names_and_shapes_equal_torch(cell, activation, layers):
    ref = torch_module(cell, activation, layers, torch.float32, batch_first=True)
    core = Recurrent(cell, INPUT, HIDDEN, layers, activation)
    want = [(name, tuple(p.shape)) for name, p in ref.named_parameters()]
    assert [(name, tuple(p.shape)) for name, p in core.named_parameters()] == want
    assert list(core.state_dict()) == list(ref.state_dict())


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("layers", LAYERS)
@pytest.mark.parametrize(("cell", "activation"), KINDS)
def test_torch_weights_loaded_into_recurrent(cell, activation, layers, dtype):
    torch.manual_seed(1)
    ref = torch_module(cell, activation, layers, dtype, batch_first=True)
    core = Recurrent(cell, INPUT, HIDDEN, layers, activation).to(dtype)
    core.load_state_dict(ref.state_dict())
    check_both_paths(core, ref, cell, layers, dtype, seed=2)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("layers", LAYERS)
@pytest.mark.parametrize(("cell", "activation"), KINDS)
def test_recurrent_weights_loaded_into_torch(cell, activation, layers, dtype):
    torch.manual_seed(3)
    core = Recurrent(cell, INPUT, HIDDEN, layers, activation).to(dtype)
    core.reset_parameters(torch.Generator().manual_seed(4))
    ref = torch_module(cell, activation, layers, dtype, batch_first=True)
    ref.load_state_dict(core.state_dict())
    check_both_paths(core, ref, cell, layers, dtype, seed=5)


@pytest.mark.parametrize("batch_first", [True, False])
@pytest.mark.parametrize(("cell", "activation"), KINDS)
def test_clone_from_torch(cell, activation, batch_first):
    torch.manual_seed(6)
    ref = torch_module(cell, activation, 2, torch.float32, batch_first=batch_first)
    core = clone_from_torch(ref)
    assert (core.cell, core.activation, core.num_layers) == (cell, activation, 2)
    assert (core.input_size, core.hidden_size) == (INPUT, HIDDEN)
    if not batch_first:  # the weights do not depend on the layout; compare with a batch-first twin
        twin = torch_module(cell, activation, 2, torch.float32, batch_first=True)
        twin.load_state_dict(ref.state_dict())
        ref = twin
    check_both_paths(core, ref, cell, 2, torch.float32, seed=7)


def hand_linear_rnn(core: Recurrent, x: torch.Tensor, h0: torch.Tensor):
    """h_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh, layer after layer, written out by hand."""
    sequence = x
    finals = []
    for k in range(core.num_layers):
        W_ih = core.state_dict()[f"weight_ih_l{k}"]
        W_hh = core.state_dict()[f"weight_hh_l{k}"]
        b_ih = core.state_dict()[f"bias_ih_l{k}"]
        b_hh = core.state_dict()[f"bias_hh_l{k}"]
        h = h0[k]
        out = torch.empty(x.shape[0], x.shape[1], core.hidden_size, dtype=x.dtype)
        for t in range(x.shape[1]):
            for b in range(x.shape[0]):
                h_b = h[b]
                out[b, t] = W_ih.mv(sequence[b, t]) + b_ih + W_hh.mv(h_b) + b_hh
            h = out[:, t]
        finals.append(h)
        sequence = out
    return sequence, torch.stack(finals)


@pytest.mark.parametrize("zero_state", [True, False])
@pytest.mark.parametrize("layers", LAYERS)
def test_linear_rnn_matches_hand_written_loop(layers, zero_state):
    torch.manual_seed(8)
    gen = torch.Generator().manual_seed(9)
    core = Recurrent("rnn", INPUT, HIDDEN, layers, "linear").double()
    core.reset_parameters(gen)
    x = torch.randn(BATCH, TIME, INPUT, generator=gen, dtype=torch.float64)
    h0 = torch.zeros(layers, BATCH, HIDDEN, dtype=torch.float64)
    if not zero_state:
        h0 = torch.randn(layers, BATCH, HIDDEN, generator=gen, dtype=torch.float64)
    with torch.no_grad():
        want_out, want_h = hand_linear_rnn(core, x, h0)
        fused_out, fused_h = core(x, None if zero_state else h0)
        steps_out, steps_h, _ = core.unroll(x, None if zero_state else h0)
    for got_out, got_h in ((fused_out, fused_h), (steps_out, steps_h)):
        torch.testing.assert_close(got_out, want_out, atol=1e-10, rtol=0)
        torch.testing.assert_close(got_h, want_h, atol=1e-10, rtol=0)
    torch.testing.assert_close(fused_out, steps_out, atol=1e-12, rtol=0)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("layers", LAYERS)
@pytest.mark.parametrize(("cell", "activation"), KINDS)
def test_one_step_at_a_time_computes_what_torch_computes_for_the_sequence(
    cell, activation, layers, dtype
):
    """Writing text feeds one time step per call (the fused cells, not the sequence kernel): fed so,
    a sequence gives torch.nn's outputs and final state, and one step its gradients too."""
    ref = torch_module(cell, activation, layers, dtype, batch_first=True)
    core = Recurrent(cell, INPUT, HIDDEN, layers, activation).to(dtype)
    core.load_state_dict(ref.state_dict())
    gen = torch.Generator().manual_seed(11)
    x = torch.randn(BATCH, TIME, INPUT, generator=gen, dtype=dtype)
    atol = TOLERANCE[dtype]
    for start in (None, random_state(cell, layers, gen, dtype)):
        with torch.no_grad():
            want_out, want_state = ref(x, start)
            state, outputs = start, []
            for step in x.unbind(1):
                out, state = core(step.unsqueeze(1), state)
                assert out.shape == (BATCH, 1, HIDDEN)
                outputs.append(out)
        assert_close(torch.cat(outputs, dim=1), want_out, atol)
        assert_close(state, want_state, atol)
    first = x[:, :1]
    ref(first)[0].square().sum().backward()
    core(first)[0].square().sum().backward()
    for (name, got), want in zip(core.named_parameters(), ref.parameters(), strict=True):
        torch.testing.assert_close(got.grad, want.grad, atol=atol, rtol=0, msg=name)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("layers", LAYERS)
@pytest.mark.parametrize(("cell", "activation"), [*KINDS, ("rnn", "linear")])
def test_states_are_every_state_the_equations_record(cell, activation, layers, dtype):
    """A look inside a long excerpt reads every layer's h_t and c_t through the fused kernels
    (``Recurrent.states``): the same states as the step equations, from zero and random states;
    the top layer's h_t are torch.nn's outputs."""
    core = Recurrent(cell, INPUT, HIDDEN, layers, activation).to(dtype)
    core.reset_parameters(torch.Generator().manual_seed(3))
    gen = torch.Generator().manual_seed(4)
    x = torch.randn(BATCH, TIME, INPUT, generator=gen, dtype=dtype)
    atol = TOLERANCE[dtype]
    for start in (None, random_state(cell, layers, gen, dtype)):
        found = core.states(x, start)
        with torch.no_grad():
            outputs, _, records = core.unroll(x, start)
        assert len(found) == layers
        for (hidden, cell_state), steps in zip(found, records, strict=True):
            assert hidden.shape == (BATCH, TIME, HIDDEN)
            assert_close(hidden, torch.stack(steps.hidden, dim=1), atol)
            if cell == "lstm":
                assert_close(cell_state, torch.stack(steps.cell, dim=1), atol)
            else:
                assert cell_state is None
        assert_close(found[-1][0], outputs, atol)
