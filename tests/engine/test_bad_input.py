"""Every input a person can give, fed absurd, empty, huge and malformed values: each one ends in a
working result or a clear Problem, never another exception."""

from __future__ import annotations

import io
import math

import numpy as np
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.engine.config import RunConfig
from app.engine.config_codec import FLAT_NAMES, from_flat, from_query, to_query
from app.engine.csv_series import numeric_columns, upload_task
from app.engine.presets import PRESETS
from app.engine.problems import InputError, Problem
from app.engine.run import Run
from app.engine.saving import load_run, save_run
from app.engine.tasks import TaskConfig, build_task
from app.engine.time_steps import parse_sequence
from app.ui.i18n import catalog

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["", " ", "nan", "inf", "-inf", "1e309", "-0", "0x10", "1,5", "NaN", "∞", "１２", "None"]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
KNOWN_KEYS = set(catalog("en"))


def assert_clear(problems: list[Problem]) -> None:
    assert problems
    for problem in problems:
        assert problem.key in KNOWN_KEYS, problem.key  # a message the UI can show in both languages
        assert problem.text


@FAST
@given(st.dictionaries(st.sampled_from([*FLAT_NAMES, "lang", "hide", "junk"]), texts, max_size=6))
def test_any_link_opens_a_valid_setup(params: dict[str, str]) -> None:
    config, problems = from_query(params)
    assert config.check() is config
    if problems:  # the values it could use are kept (tests/engine/test_links.py checks which)
        assert_clear(problems)


@FAST
@given(st.sampled_from(list(PRESETS.values())))
def test_every_preset_survives_its_own_link(config: RunConfig) -> None:
    assert from_query(to_query(config)) == (config, [])


@FAST
@given(
    st.dictionaries(
        st.sampled_from(FLAT_NAMES),
        st.one_of(st.integers(), st.floats(), st.booleans(), texts),
        max_size=5,
    )
)
def test_settings_values_build_or_explain(values: dict[str, object]) -> None:
    try:
        config = from_flat(values)
    except InputError as error:
        assert_clear(error.problems)
        return
    assert config.problems() == []


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_as_csv(data: bytes) -> None:
    try:
        columns = numeric_columns(data)
    except InputError as error:
        assert_clear(error.problems)
        return
    assert all(np.isfinite(v).all() and len(v) >= 30 for v in columns.values())


def test_csv_edge_cases_are_explained() -> None:
    cases = {
        b"": "problem.csv_empty",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR": "problem.csv_binary",
        b"a,b\n1,2\n": "problem.csv_numbers",
        b"texto,valor\n" + b"abc,def\n" * 50: "problem.csv_numbers",
        b"x\n" + b"1\n" * (6 * 1024 * 1024 // 2): "problem.csv_size",
    }
    for data, key in cases.items():
        try:
            numeric_columns(data)
        except InputError as error:
            assert error.problems[0].key == key
        else:
            raise AssertionError(f"accepted {data[:20]!r}")
    values = numeric_columns(b"v\n" + b"\n".join(str(i).encode() for i in range(40)))["v"]
    try:
        upload_task(values, window=30)
    except InputError as error:
        assert error.problems[0].key == "problem.window"


@FAST
@given(texts)
def test_typed_sequences(text: str) -> None:
    task = build_task(TaskConfig())
    try:
        x = parse_sequence(text, task)
    except InputError as error:
        assert_clear(error.problems)
        return
    assert x.ndim == 3 and torch.isfinite(x).all()


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_damaged_saved_runs_are_refused(data: st.DataObject) -> None:
    saved = SAVED
    cut = data.draw(st.integers(0, len(saved) - 1))
    flips = data.draw(st.lists(st.integers(0, len(saved) - 1), max_size=4))
    damaged = bytearray(saved[:cut] if data.draw(st.booleans()) else saved)
    for position in flips:
        if position < len(damaged):
            damaged[position] ^= 0xFF
    try:
        run = load_run(bytes(damaged))
    except InputError as error:
        assert_clear(error.problems)
        return
    run.train(steps=1)  # a file that loads must also train


@settings(max_examples=20, deadline=None)
@given(
    hidden=st.sampled_from([1, 2, 512]),
    layers=st.integers(1, 3),
    rate=st.sampled_from([1e-6, 10.0]),
    radius=st.sampled_from([0.0, 10.0]),
    batch=st.sampled_from([1, 1024]),
    cell=st.sampled_from(["rnn", "lstm", "gru"]),
    activation=st.sampled_from(["tanh", "relu", "linear"]),
    clip=st.booleans(),
)
def test_extreme_but_allowed_settings_train_or_stop_cleanly(**kw: object) -> None:
    config = RunConfig(
        task=TaskConfig(name="sine", window=5),
        cell=kw["cell"],
        hidden_size=kw["hidden"],
        num_layers=kw["layers"],
        learning_rate=kw["rate"],
        init="orthogonal",
        init_radius=kw["radius"],
        batch_size=kw["batch"],
        activation=kw["activation"],
        clip=kw["clip"],
        optimizer="sgd",
    )
    run = Run(config)
    run.train(steps=2)
    assert run.step + (run.diverged_at is not None) >= 1
    loss = run.history.last("loss")
    assert run.diverged_at is not None or math.isfinite(loss)


def _saved() -> bytes:
    run = Run(PRESETS["lesson"])
    run.train(steps=2)
    return save_run(run)


SAVED = _saved()
assert isinstance(torch.load(io.BytesIO(SAVED), weights_only=True), dict)


def test_brazilian_csv_with_semicolons_and_decimal_commas() -> None:
    text = "data;temperatura\n" + "\n".join(f"2020-01-{i:02d};{20 + i % 5},5" for i in range(1, 41))
    values = numeric_columns(text.encode("latin-1"))["temperatura"]
    assert values[:3].tolist() == [21.5, 22.5, 23.5]
