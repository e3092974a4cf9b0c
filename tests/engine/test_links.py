"""Links: a valid setup comes back exactly, and any value of any field is either used as written or
left at its default with a refusal naming it, never an exception and never a silent change."""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal, InvalidOperation

import pytest
import torch
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from app.engine.config import OPTIMIZERS, RANGES, RunConfig
from app.engine.config_codec import (
    FLAT_NAMES,
    FLAT_RANGES,
    blamed_fields,
    from_query,
    to_flat,
    to_query,
)
from app.engine.duel import RANGES as DUEL_RANGES
from app.engine.duel import DuelConfig
from app.engine.ranges import is_whole
from app.engine.run import Run
from app.engine.tasks import LIMITS, TASKS, UPLOAD_NAME, TaskConfig
from app.engine.text.run import RANGES as TEXT_RANGES
from app.engine.text.run import TextConfig
from app.ui.i18n import catalog
from models.init import INIT_SCHEMES
from models.recurrent import CELL_KINDS, RNN_ACTIVATIONS

DEFAULTS = to_flat(RunConfig())
CHOICES = {
    "task": (*TASKS, UPLOAD_NAME),
    "cell": CELL_KINDS,
    "activation": RNN_ACTIVATIONS,
    "init": INIT_SCHEMES,
    "optimizer": OPTIMIZERS,
}


def _in_range(bounds: tuple[float, float]) -> st.SearchStrategy:
    low, high = bounds
    if is_whole(bounds):
        return st.integers(low, high)
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


@st.composite
def valid_configs(draw: st.DrawFn) -> RunConfig:
    """Any config the engine accepts: every field drawn over its whole range, every task."""
    task = TaskConfig(
        name=draw(st.sampled_from(CHOICES["task"])),
        **{name: draw(_in_range(bounds)) for name, bounds in LIMITS.items()},
    )
    run_fields = {name: draw(_in_range(bounds)) for name, bounds in RANGES.items()}
    run_fields.update(
        {name: draw(st.sampled_from(CHOICES[name])) for name in CHOICES if name != "task"}
    )
    config = RunConfig(task=task, clip=draw(st.booleans()), **run_fields)
    assume(not config.problems())  # a window too long for a short synthetic series
    return config


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_configs())
@example(RunConfig(learning_rate=0.00123456789))
@example(RunConfig(learning_rate=1e-6, clip_threshold=1e6, init_radius=5e-324, seed=2**31 - 1))
@example(RunConfig(forget_bias=-0.0, momentum=0.1 + 0.2))
def test_every_valid_config_survives_its_own_link(config: RunConfig) -> None:
    query = to_query(config)
    assert all(" " not in text and "+" not in text for text in query.values())  # safe in a URL
    assert from_query(query) == (config, [])


def test_floats_are_written_in_their_shortest_exact_form() -> None:
    query = to_query(RunConfig(learning_rate=0.00123456789, clip_threshold=1e6, momentum=0.5))
    assert query == {
        "learning_rate": "0.00123456789",
        "clip_threshold": "1000000",
        "momentum": "0.5",
    }


# Values a link may carry: anything typed, pasted, truncated or crafted.
hostile = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            *("", " ", "nan", "NaN", "inf", "-inf", "Infinity", "1e400", "-1e400", "1e-400"),
            *("-0", "-0.0", "+0", "0x10", "1_000", "1,5", "１２", "٣", "3.7", "1e30", "1e31"),
            *(str(2**70), "2^70", "2**70", "true", "TRUE", "yes", "off", "maybe", "2", "-1"),
            *("transformer", "<script>alert(1)</script>", "None", "csv", "lstm", "sine"),
        ]
    ),
    st.integers(-(10**40), 10**40).map(str),
    st.floats().map(repr),
    st.floats().map(lambda v: f"{v:g}"),
    st.sampled_from(sorted({str(end) for bounds in FLAT_RANGES.values() for end in bounds})),
)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from([*FLAT_NAMES, "lang", "junk"]), hostile, max_size=8))
def test_any_link_keeps_what_it_can_and_names_what_it_refuses(params: dict[str, str]) -> None:
    config, problems = from_query(params)
    assert config.check() is config
    messages = set(catalog("en"))
    assert all(problem.key in messages for problem in problems)
    refused = set().union(*(blamed_fields(problem) for problem in problems))
    flat = to_flat(config)
    for name in FLAT_NAMES:
        if name not in params or name in refused:
            assert flat[name] == DEFAULTS[name], name  # never changed without a word
        else:
            assert _reads_as(params[name], flat[name]), (name, params[name], flat[name])


def _reads_as(text: str, value: object) -> bool:
    """Whether ``value`` is what ``text`` says, judged independently of the codec."""
    if isinstance(value, bool):
        return text.strip().lower() in (
            ("1", "true", "yes", "on") if value else ("0", "false", "no", "off")
        )
    if isinstance(value, str):
        return text == value
    try:
        exact = Decimal(text.strip())
    except InvalidOperation:
        return False
    if isinstance(value, int):
        return exact == value
    return math.isfinite(value) and float(exact) == value and (value != 0 or exact.is_zero())


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("learning_rate", "1e400", "problem.unreadable"),
        ("momentum", "inf", "problem.unreadable"),
        ("init_radius", "-inf", "problem.unreadable"),
        ("forget_bias", "nan", "problem.unreadable"),
        ("forget_bias", "-0", "problem.unreadable"),
        ("init_radius", "1e-400", "problem.unreadable"),  # would read as 0.0
        ("seed", str(2**70), "problem.range"),
        ("data_seed", str(2**70), "problem.range"),
        ("data_seed", "2^70", "problem.unreadable"),
        ("batch_size", "1e30", "problem.range"),
        ("days", "1e31", "problem.unreadable"),
        ("hidden_size", "3.7", "problem.whole"),
        ("num_layers", "2.5", "problem.whole"),
        ("clip", "maybe", "problem.unreadable"),
        ("clip", "2", "problem.unreadable"),
        ("seed", "", "problem.unreadable"),
        ("symbols", " ", "problem.unreadable"),
        ("window", "0x10", "problem.unreadable"),
        ("noise", "1,5", "problem.unreadable"),
        ("hidden_size", "１２", "problem.unreadable"),
        ("cell", "transformer", "problem.choice"),
        ("optimizer", "", "problem.choice"),
        ("task", "<script>", "problem.task"),
        ("lag", "0", "problem.range"),  # recall is not the task, but a widget may show it later
        ("hidden_size", "1e9", "problem.range"),
    ],
)
def test_a_bad_value_is_refused_by_name_and_the_rest_of_the_link_kept(
    field: str, value: str, key: str
) -> None:
    good = {"cell": "gru", "learning_rate": "0.003", "data_seed": "5"}
    good.pop(field, None)
    config, problems = from_query({field: value, **good})
    assert [p.key for p in problems] == [key]
    assert blamed_fields(problems[0]) == {field}
    flat = to_flat(config)
    assert flat[field] == DEFAULTS[field]
    assert {name: to_query(config).get(name) for name in good} == good


def test_a_window_longer_than_its_series_falls_back_alone() -> None:
    link = {"task": "synthetic_temperature", "days": "30", "window": "9", "cell": "lstm"}
    config, problems = from_query(link)
    assert [p.key for p in problems] == ["problem.window"]
    assert (config.task.name, config.task.days, config.task.window) == (
        "synthetic_temperature",
        30,
        3,
    )
    assert config.cell == "lstm"


def test_several_bad_values_are_all_named() -> None:
    config, problems = from_query(
        {"hidden_size": "abc", "cell": "transformer", "seed": "-1", "window": "7"}
    )
    assert {field for p in problems for field in blamed_fields(p)} == {
        "hidden_size",
        "cell",
        "seed",
    }
    assert config == RunConfig(task=TaskConfig(window=7))


def test_a_link_with_seeds_trains_exactly_as_its_config() -> None:
    link = {"task": "sine", "seed": "7", "data_seed": "11", "hidden_size": "8"}
    config, problems = from_query(link)
    assert problems == []
    direct = RunConfig(task=TaskConfig(name="sine", seed=11), seed=7, hidden_size=8)
    assert config == direct
    losses = [
        _first_losses(c) for c in (config, direct, _seeds(direct, 0, 11), _seeds(direct, 7, 0))
    ]
    assert torch.equal(losses[0], losses[1])  # the same run, step for step
    assert not torch.equal(losses[0], losses[2])  # the model's seed matters
    assert not torch.equal(losses[0], losses[3])  # and so does the data's


def _seeds(config: RunConfig, seed: int, data_seed: int) -> RunConfig:
    return replace(config, seed=seed, task=replace(config.task, seed=data_seed))


def _first_losses(config: RunConfig) -> torch.Tensor:
    run = Run(config)
    run.train(steps=5)
    return torch.tensor(run.history.array("loss"))  # a copy: the history hands out read-only arrays


@pytest.mark.parametrize(
    ("config", "field"),
    [
        (RunConfig(hidden_size=513), "hidden_size"),
        (RunConfig(hidden_size=3.5), "hidden_size"),
        (RunConfig(learning_rate=math.nan), "learning_rate"),
        (RunConfig(seed=True), "seed"),
        (RunConfig(task=TaskConfig(name="sine", seed=2**64)), "data_seed"),
        (RunConfig(task=TaskConfig(name="lesson_temperature", seed=-1)), "data_seed"),
        (TextConfig(seq_len=4), "seq_len"),
        (TextConfig(learning_rate=2.0), "learning_rate"),
        (DuelConfig(hidden_size=300), "hidden_size"),
        (DuelConfig(learning_rate=1e-5), "learning_rate"),
        (DuelConfig(seed=2**31), "seed"),
        (DuelConfig(batch_size=0), "batch_size"),
        (DuelConfig(task=TaskConfig(name="adding", length=500)), "length"),
        (DuelConfig(task=TaskConfig(name="recall", lag=101)), "lag"),
    ],
)
def test_every_config_refuses_out_of_range_values_through_one_check(config, field: str) -> None:
    found = config.problems() if hasattr(config, "problems") else _text_problems(config)
    assert [p.values["field"] for p in found] == [field]
    assert found[0].key in ("problem.range", "problem.whole")


def _text_problems(config: TextConfig) -> list:
    try:
        config.check()
    except ValueError as error:
        return error.problems
    return []


def test_the_duel_and_text_ranges_fit_inside_a_single_runs() -> None:
    """A duel builds RunConfigs from its own settings: its ranges never allow what a run refuses."""
    for name, (low, high) in DUEL_RANGES.items():
        run_low, run_high = RANGES[name]
        assert run_low <= low <= high <= run_high, name
    assert DuelConfig().problems() == []
    assert TextConfig().check() == TextConfig()
    assert set(TEXT_RANGES) >= {"hidden_size", "learning_rate", "seed"}
