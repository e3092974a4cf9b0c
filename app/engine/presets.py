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
    # |eigenvalues| = 3 (tanh), plain SGD without clipping. Through time, measured at step 0 over seeds
    # 0-3: dL/dh_t grows x1.21-1.29 per step going back, the first step's gradient 10^4.8-10^5.6 times
    # the last one's (radius 1.5 gave x1.02-1.06: tanh saturates). Over training: NaN at step 14-15.
    # Turn clipping on and the same run survives.
    "exploding": RunConfig(
        task=TaskConfig(name="adding", length=50),
        cell="rnn",
        init="orthogonal",
        init_radius=3.0,
        optimizer="sgd",
        momentum=0.0,
        learning_rate=1.0,
        clip=False,
    ),
}
DEFAULT_PRESET = "lesson"
