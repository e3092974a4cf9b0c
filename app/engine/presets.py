"""Named setups a lecturer can trust: one click gives a demo that works within seconds."""

from __future__ import annotations

from app.engine.config import RunConfig
from app.engine.tasks import TaskConfig

PRESETS: dict[str, RunConfig] = {
    # The lesson's SimpleRNN on its own seven windows: loss below 1e-2 by step ~190, then a flat
    # floor (Adam at 0.002; at 0.01 it fits by step ~60 but saw-tooths back up to 1e-3).
    "lesson": RunConfig(),
    "seattle": RunConfig(
        task=TaskConfig(name="seattle_temperature", window=7),
        cell="lstm",
        hidden_size=32,
        learning_rate=0.005,
    ),
    "sine": RunConfig(
        task=TaskConfig(name="sine", window=20, noise=0.05),
        cell="rnn",
        hidden_size=16,
        learning_rate=0.01,
    ),
    # An LSTM solves it in ~1000 steps (a few seconds); a vanilla RNN stays at the 0.167 baseline.
    "adding": RunConfig(
        task=TaskConfig(name="adding", length=50), cell="lstm", hidden_size=32, learning_rate=0.01
    ),
    "recall": RunConfig(
        task=TaskConfig(name="recall", lag=10, symbols=4),
        cell="lstm",
        hidden_size=32,
        learning_rate=0.01,
    ),
    # tanh, |eigenvalues| = 0.5, T = 100: dL/dh_t shrinks ~0.5x per step, dead within a few dozen.
    "vanishing": RunConfig(
        task=TaskConfig(name="adding", length=100),
        cell="rnn",
        init="orthogonal",
        init_radius=0.5,
        learning_rate=0.01,
    ),
    # |eigenvalues| = 1.5 and plain SGD without clipping: gradient norms climb for ~15 steps, then NaN.
    # Turn clipping on and the same run survives.
    "exploding": RunConfig(
        task=TaskConfig(name="adding", length=50),
        cell="rnn",
        init="orthogonal",
        init_radius=1.5,
        optimizer="sgd",
        momentum=0.0,
        learning_rate=1.0,
        clip=False,
    ),
}
DEFAULT_PRESET = "lesson"
