"""Named setups a lecturer can trust: one click gives a demo that works within seconds."""

from __future__ import annotations

from app.engine.config import RunConfig
from app.engine.tasks import TaskConfig

PRESETS: dict[str, RunConfig] = {
    # The lesson's SimpleRNN on its own seven windows: fits in a couple of seconds.
    "lesson": RunConfig(),
    "seattle": RunConfig(
        task=TaskConfig(name="seattle_temperature", window=7),
        cell="lstm",
        hidden_size=32,
        learning_rate=0.005,
    ),
    "sine": RunConfig(
        task=TaskConfig(name="sine", window=20, noise=0.05), cell="rnn", hidden_size=16
    ),
    # An LSTM solves it in ~1000 steps (a few seconds); a vanilla RNN stays at the 0.167 baseline.
    "adding": RunConfig(
        task=TaskConfig(name="adding", length=50), cell="lstm", hidden_size=32, learning_rate=0.01
    ),
    "recall": RunConfig(
        task=TaskConfig(name="recall", lag=10, symbols=4), cell="lstm", hidden_size=32
    ),
}
DEFAULT_PRESET = "lesson"
