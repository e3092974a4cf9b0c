"""A trace looks inside a live run without touching its training."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from app.engine.config import RunConfig
from app.engine.run import Run
from app.engine.tasks import TaskConfig

WINDOW = 12


def _config(cell: str, layers: int = 1) -> RunConfig:
    return RunConfig(
        task=TaskConfig(name="sine", window=WINDOW),
        cell=cell,
        num_layers=layers,
        hidden_size=8,
        seed=3,
    )


@pytest.mark.parametrize(("cell", "layers"), [("rnn", 1), ("lstm", 1), ("gru", 2)])
def test_trace_gives_one_gradient_norm_per_time_step(cell, layers):
    run = Run(_config(cell, layers))
    run.train(steps=5)
    trace = run.trace(count=2)
    norms = trace.grad_norms()
    assert norms.shape == (WINDOW,)
    assert torch.isfinite(norms).all() and (norms >= 0).all()
    assert len(trace.layers) == layers
    for layer in trace.layers:
        assert layer.hidden.shape == (2, WINDOW, 8)
    # The last step's gradient is checked by hand: L = mean_i (w . h_T,i + b - y_i)^2, so
    # dL/dh_T,i = (2 / n) (out_i - y_i) w, whose norm averaged over the two samples is below.
    x, y = run.task.x_val[:2], run.task.y_val[:2]
    with torch.no_grad():
        out = run.model(x)
    w = run.model.head.weight.detach()[0]
    expected = float(((out - y).abs() * w.norm()).mean())  # (2 / n) with n = 2 is 1
    assert float(norms[-1]) == pytest.approx(expected, rel=1e-4)
    torch.testing.assert_close(trace.outputs, out, rtol=1e-5, atol=1e-6)
    assert trace.loss == pytest.approx(float(torch.nn.functional.mse_loss(out, y)), rel=1e-5)
    # A trace from a later sample reads later validation windows.
    later = run.trace(count=1, start=3)
    torch.testing.assert_close(later.inputs, run.task.x_val[3:4])


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_tracing_between_steps_leaves_training_unchanged(cell):
    config = _config(cell)
    plain, watched = Run(config), Run(config)
    plain.train(steps=30)
    for _ in range(6):
        watched.trace(count=2)
        watched.evaluate()
        watched.train(steps=5)
    watched.trace(count=2)
    assert watched.step == plain.step == 30
    assert plain.history.columns.keys() == watched.history.columns.keys()
    for name, column in plain.history.columns.items():
        np.testing.assert_array_equal(
            np.asarray(watched.history.columns[name], np.float64),
            np.asarray(column, np.float64),
            err_msg=name,
        )
    for (name, a), (_, b) in zip(
        plain.model.named_parameters(), watched.model.named_parameters(), strict=True
    ):
        assert torch.equal(a, b), name
    assert watched.model.training  # a trace does not leave the model in eval mode
    assert all(p.grad is None or torch.isfinite(p.grad).all() for p in watched.model.parameters())


def test_trace_keeps_the_parameters_gradients():
    run = Run(_config("lstm"))
    run.train(steps=2)
    before = {n: p.grad.clone() for n, p in run.model.named_parameters()}
    run.trace(count=4)
    for name, p in run.model.named_parameters():
        assert torch.equal(p.grad, before[name]), name
