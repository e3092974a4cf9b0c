"""Settings widgets offer exactly the engine's ranges: nothing a widget allows is refused later."""

from __future__ import annotations

from app.engine.config_codec import FLAT_RANGES
from app.engine.decimals import write_decimal
from app.engine.duel import RANGES as DUEL_RANGES
from app.engine.duel import TASK_RANGES as DUEL_TASK_RANGES
from app.engine.ranges import Bounds, is_whole
from app.engine.text.run import RANGES as TEXT_RANGES
from tests.pages.conftest import open_link, open_page


def _bounds(widget) -> tuple[float, float]:
    return widget.min, widget.max


def _takes(at, key: str, bounds: Bounds) -> bool:
    """Whether the widget ``key`` takes exactly ``bounds``: a whole number input's own min and
    max, or a decimal text that takes both ends and refuses just beyond them."""
    if is_whole(bounds):
        return _bounds(at.number_input(key=key)) == bounds
    low, high = bounds
    answers = []
    for value in (low, high, low - max(abs(low), 1e-3) / 10, high * 1.1):
        at.text_input(key=key).input(write_decimal(value, False)).run()
        answers.append(not at.error)
    at.text_input(key=key).input(write_decimal(low, False)).run()  # a good value again
    return answers == [True, True, False, False]


def test_train_settings_take_the_engine_ranges() -> None:
    at = open_link("../pages/train.py", task="sine")
    for key, name in (
        ("cfg-hidden-size", "hidden_size"),
        ("cfg-learning-rate", "learning_rate"),
        ("cfg-seed", "seed"),
        ("cfg-data-seed", "data_seed"),  # unbounded before: any seed up to 2**64 and beyond
        ("cfg-window", "window"),
        ("cfg-noise", "noise"),
    ):
        assert _takes(at, key, FLAT_RANGES[name]), key


def test_duel_settings_take_the_duel_ranges() -> None:
    at = open_page("../pages/duel.py")
    for key, name in (
        ("duel-hidden", "hidden_size"),
        ("duel-lr", "learning_rate"),
        ("duel-seed", "seed"),
    ):
        assert _takes(at, key, DUEL_RANGES[name]), key
    assert (at.slider(key="duel-length").min, at.slider(key="duel-length").max) == DUEL_TASK_RANGES[
        "length"
    ]


def test_text_settings_take_the_text_ranges() -> None:
    at = open_page("../pages/text.py")
    for key, name in (
        ("text-hidden", "hidden_size"),
        ("text-layers", "num_layers"),
        ("text-embedding", "embedding_dim"),
        ("text-seq-len", "seq_len"),
        ("text-batch", "batch_size"),
        ("text-lr", "learning_rate"),
        ("text-seed", "seed"),
    ):
        assert _takes(at, key, TEXT_RANGES[name]), key
