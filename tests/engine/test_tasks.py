"""The task registry: deterministic data, the right shapes, honest splits, and refusals that name the field."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from app.engine.problems import Problem
from app.engine.tasks import TASKS, Scaler, TaskConfig, build_task, task_problems
from app.engine.tasks.base import windows
from app.engine.tasks.series import seattle_series

# The lesson's seven windows, written out again here (not imported) so a typo in the app shows.
LESSON_WINDOWS = [
    [20, 21, 19],
    [21, 19, 22],
    [19, 22, 23],
    [22, 23, 21],
    [23, 21, 24],
    [21, 24, 25],
    [24, 25, 23],
]
LESSON_NEXT = [22, 23, 24, 24, 25, 23, 22]
SEATTLE_DAYS = 1461  # 2012-01-01 .. 2015-12-31
SYNTHETIC = ("synthetic_temperature", "sine", "adding", "recall")  # data drawn from the seed
REAL = ("lesson_temperature", "seattle_temperature")  # data that is what it is

# name -> (head, input_size, output_size, time steps with the default TaskConfig)
EXPECTED_SHAPES = {
    "lesson_temperature": ("regression", 1, 1, 3),
    "seattle_temperature": ("regression", 1, 1, 3),
    "synthetic_temperature": ("regression", 1, 1, 3),
    "sine": ("regression", 1, 1, 3),
    "adding": ("regression", 2, 1, 50),
    "recall": ("classification", 4, 4, 11),  # lag 10 + the symbol itself
}


def _data(task) -> list[torch.Tensor]:
    return [task.x_train, task.y_train, task.x_val, task.y_val]


def _train_series(task) -> np.ndarray:
    """The standardised training series, rebuilt from its windows: first window, then every target."""
    return np.concatenate([task.x_train[0, :, 0].numpy(), task.y_train.numpy()]).astype(np.float64)


def _val_series(task) -> np.ndarray:
    return np.concatenate([task.x_val[0, :, 0].numpy(), task.y_val.numpy()]).astype(np.float64)


def test_registry_is_what_the_tests_cover():
    assert set(TASKS) == set(EXPECTED_SHAPES)
    for name, (info, _) in TASKS.items():
        assert info.name == name


@pytest.mark.parametrize("name", sorted(TASKS))
def test_same_config_builds_identical_data(name):
    first = build_task(TaskConfig(name=name, seed=3))
    second = build_task(TaskConfig(name=name, seed=3))
    for a, b in zip(_data(first), _data(second), strict=True):
        assert a.dtype == b.dtype
        assert torch.equal(a, b)
    assert first.scaler == second.scaler


@pytest.mark.parametrize("name", SYNTHETIC)
def test_another_seed_draws_other_data(name):
    first = build_task(TaskConfig(name=name, seed=0))
    second = build_task(TaskConfig(name=name, seed=1))
    assert first.x_train.shape == second.x_train.shape
    assert not torch.equal(first.x_train, second.x_train)
    assert not torch.equal(first.x_val, second.x_val)
    assert not torch.equal(first.y_val, second.y_val)


@pytest.mark.parametrize("name", REAL)
def test_real_data_does_not_depend_on_the_seed(name):
    first = build_task(TaskConfig(name=name, seed=0))
    second = build_task(TaskConfig(name=name, seed=7))
    for a, b in zip(_data(first), _data(second), strict=True):
        assert torch.equal(a, b)


@pytest.mark.parametrize("name", sorted(EXPECTED_SHAPES))
def test_shapes_agree_with_the_declared_sizes(name):
    head, input_size, output_size, steps = EXPECTED_SHAPES[name]
    task = build_task(TaskConfig(name=name))
    assert (task.head, task.input_size, task.output_size) == (head, input_size, output_size)
    for x, y in ((task.x_train, task.y_train), (task.x_val, task.y_val)):
        assert x.ndim == 3
        assert x.shape[1:] == (steps, input_size)
        assert y.shape == (x.shape[0],)
        assert x.shape[0] > 0
        assert x.dtype == torch.float32
        if head == "classification":
            assert y.dtype == torch.int64
            assert int(y.min()) >= 0 and int(y.max()) < output_size
        else:
            assert y.dtype == torch.float32
            assert torch.isfinite(x).all() and torch.isfinite(y).all()


def test_lesson_task_holds_exactly_the_lessons_windows():
    task = build_task(TaskConfig(name="lesson_temperature"))
    assert task.unit == "°C"
    assert task.x_train.shape == (7, 3, 1)
    np.testing.assert_allclose(task.to_units(task.x_train[:, :, 0]), LESSON_WINDOWS, atol=1e-4)
    np.testing.assert_allclose(task.to_units(task.y_train), LESSON_NEXT, atol=1e-4)
    # Validation is the same seven windows: the point is to watch the network fit them.
    assert torch.equal(task.x_val, task.x_train)
    assert torch.equal(task.y_val, task.y_train)
    # Standardised with the statistics of every temperature it shows (inputs and targets).
    values = np.concatenate([np.ravel(LESSON_WINDOWS), LESSON_NEXT]).astype(np.float64)
    assert task.scaler.mean == pytest.approx(values.mean())
    assert task.scaler.std == pytest.approx(values.std())


def test_lesson_task_ignores_the_window_setting():
    task = build_task(TaskConfig(name="lesson_temperature", window=7))
    assert task.x_train.shape == (7, 3, 1)


@pytest.mark.parametrize(
    "values",
    [
        np.array([20.0, 21.0, 19.0, 22.0, 23.0]),
        np.linspace(-40.0, 1e4, 257),
        np.random.default_rng(0).normal(5.0, 0.01, 1000),
    ],
)
def test_scaler_round_trip(values):
    scaler = Scaler.fit(values)
    z = scaler.apply(values)
    assert z.mean() == pytest.approx(0.0, abs=1e-9)
    assert z.std() == pytest.approx(1.0, abs=1e-9)
    np.testing.assert_allclose(scaler.invert(z), values, rtol=1e-12, atol=1e-9)
    # Tensors (what a model outputs) come back in units as well.
    back = scaler.invert(torch.as_tensor(z, dtype=torch.float64))
    assert isinstance(back, np.ndarray)
    np.testing.assert_allclose(back, values, rtol=1e-12, atol=1e-9)


def test_scaler_of_a_constant_series_does_not_divide_by_zero():
    scaler = Scaler.fit(np.full(10, 4.0))
    assert scaler.std == 1.0
    np.testing.assert_array_equal(scaler.apply(np.full(3, 4.0)), np.zeros(3))
    np.testing.assert_array_equal(scaler.invert(np.zeros(3)), np.full(3, 4.0))


def test_default_scaler_is_the_identity():
    values = np.array([-1.5, 0.0, 2.25])
    np.testing.assert_array_equal(Scaler().apply(values), values)
    np.testing.assert_array_equal(Scaler().invert(values), values)


@pytest.mark.parametrize("name", ["seattle_temperature", "synthetic_temperature", "sine"])
def test_training_part_is_standardised(name):
    task = build_task(TaskConfig(name=name, window=5))
    train = _train_series(task)
    assert train.mean() == pytest.approx(0.0, abs=1e-4)
    assert train.std() == pytest.approx(1.0, abs=1e-4)
    # Validation is scaled with the training part's statistics, not its own.
    val = _val_series(task)
    overlap = task.to_units(val[:5])
    np.testing.assert_allclose(overlap, task.to_units(train[-5:]), atol=1e-4)


def test_seattle_series_is_four_years_of_plausible_daily_maxima():
    series = seattle_series()
    assert series.shape == (SEATTLE_DAYS,)
    assert series.dtype == np.float64
    assert np.isfinite(series).all()
    assert series.min() > -10.0 and series.max() < 40.0
    assert 10.0 < series.mean() < 22.0  # Seattle's mean daily maximum is about 16 °C
    # Summer is warmer than winter: July of the first year against its January.
    assert series[181:212].mean() > series[0:31].mean() + 10.0
    assert not series.flags.writeable  # shared between sessions: nobody may change it


@pytest.mark.parametrize("window", [1, 3, 7, 30])
def test_seattle_windows_and_chronological_split(window):
    series = seattle_series()
    task = build_task(TaskConfig(name="seattle_temperature", window=window))
    cut = int(SEATTLE_DAYS * 0.8)  # 1168: the first 80 % of the days train
    x_tr = task.to_units(task.x_train[:, :, 0])
    y_tr = task.to_units(task.y_train)
    x_va = task.to_units(task.x_val[:, :, 0])
    y_va = task.to_units(task.y_val)
    assert x_tr.shape == (cut - window, window)
    assert x_va.shape == (SEATTLE_DAYS - cut, window)
    tol = 1e-4 * 40
    for i in (0, 1, len(y_tr) // 2, len(y_tr) - 1):
        np.testing.assert_allclose(x_tr[i], series[i : i + window], atol=tol)
        assert y_tr[i] == pytest.approx(series[i + window], abs=tol)
    # Validation predicts the days after the training part, reading its window across the cut.
    for j in (0, 1, len(y_va) - 1):
        np.testing.assert_allclose(x_va[j], series[cut - window + j : cut + j], atol=tol)
        assert y_va[j] == pytest.approx(series[cut + j], abs=tol)
    np.testing.assert_allclose(y_tr, series[window:cut], atol=tol)
    np.testing.assert_allclose(y_va, series[cut:], atol=tol)
    # The scaler was fitted on the training days only.
    assert task.scaler.mean == pytest.approx(series[:cut].mean())
    assert task.scaler.std == pytest.approx(series[:cut].std())


@pytest.mark.parametrize("name", ["synthetic_temperature", "sine"])
def test_every_target_is_the_value_after_its_window(name):
    window = 6
    task = build_task(TaskConfig(name=name, window=window, days=400))
    for x, y in ((task.x_train, task.y_train), (task.x_val, task.y_val)):
        # Consecutive windows slide by one value, and the target is the value that slides in next.
        assert torch.equal(x[1:, :-1, 0], x[:-1, 1:, 0])
        assert torch.equal(y[:-1], x[1:, -1, 0])
        assert torch.equal(y[-window - 1 : -1], x[-1, :, 0])


@pytest.mark.parametrize(("name", "length"), [("synthetic_temperature", 400), ("sine", 2000)])
def test_validation_follows_training_in_time(name, length):
    window = 4
    task = build_task(TaskConfig(name=name, window=window, days=length))
    train, val = _train_series(task), _val_series(task)
    cut = int(length * 0.8)
    assert len(train) == cut
    assert len(val) == length - cut + window
    # The validation part starts with the last `window` training values and then goes on in time.
    np.testing.assert_array_equal(val[:window], train[-window:])
    assert len(task.y_val) == length - cut


def test_windows_of_a_known_series():
    x, y = windows(np.arange(10.0), 3)
    np.testing.assert_array_equal(
        x, [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6, 7], [6, 7, 8]]
    )
    np.testing.assert_array_equal(y, [3, 4, 5, 6, 7, 8, 9])
    x[0, 0] = 99.0  # a copy, not a view into the series
    assert windows(np.arange(10.0), 3)[0][0, 0] == 0.0


def _check_adding(x: torch.Tensor, y: torch.Tensor, length: int) -> None:
    values, markers = x[..., 0], x[..., 1]
    assert ((values >= 0) & (values < 1)).all()
    assert set(markers.unique().tolist()) <= {0.0, 1.0}
    half = length // 2
    assert (markers.sum(1) == 2).all()
    assert (markers[:, :half].sum(1) == 1).all()
    assert (markers[:, half:].sum(1) == 1).all()
    torch.testing.assert_close(y, (values * markers).sum(1), rtol=0, atol=1e-6)


@pytest.mark.parametrize("length", [2, 3, 50, 201])
def test_adding_problem_marks_one_value_in_each_half(length):
    task = build_task(TaskConfig(name="adding", length=length))
    assert task.x_train.shape[1] == length
    _check_adding(task.x_train, task.y_train, length)
    _check_adding(task.x_val, task.y_val, length)
    x, y = task.batch(64, torch.Generator().manual_seed(11))
    assert x.shape == (64, length, 2)
    _check_adding(x, y, length)


def test_adding_problem_constant_answer_scores_the_baseline():
    task = build_task(TaskConfig(name="adding", length=50))
    mse = float(((task.y_val - 1.0) ** 2).mean())
    assert mse == pytest.approx(1 / 6, abs=0.02)
    # Validation is not the training data.
    assert not torch.equal(task.x_val, task.x_train)


@pytest.mark.parametrize(("lag", "symbols"), [(1, 2), (10, 4), (30, 64)])
def test_recall_target_is_the_first_symbol(lag, symbols):
    task = build_task(TaskConfig(name="recall", lag=lag, symbols=symbols))
    x, y = task.batch(128, torch.Generator().manual_seed(2))
    for inputs, target in ((task.x_train, task.y_train), (task.x_val, task.y_val), (x, y)):
        assert inputs.shape[1:] == (lag + 1, symbols)
        assert (inputs.sum(-1) == 1).all()  # one-hot at every step
        assert set(inputs.unique().tolist()) == {0.0, 1.0}
        assert torch.equal(target, inputs[:, 0].argmax(-1))
    # Every symbol shows up as an answer (no off-by-one in the alphabet).
    assert set(task.y_val.tolist()) == set(range(symbols))


@pytest.mark.parametrize("name", ["adding", "recall"])
def test_stream_batches_are_fresh_and_deterministic(name):
    task = build_task(TaskConfig(name=name))
    a = task.batch(32, torch.Generator().manual_seed(5))
    b = task.batch(32, torch.Generator().manual_seed(5))
    c = task.batch(32, torch.Generator().manual_seed(6))
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[0], c[0])
    generator = torch.Generator().manual_seed(5)
    first, second = task.batch(32, generator), task.batch(32, generator)
    assert not torch.equal(first[0], second[0])  # the generator moves on: new samples each step
    assert first[0].shape[0] == 32 and first[1].shape == (32,)


def test_batches_of_a_fixed_dataset_are_deterministic_rows_of_it():
    task = build_task(TaskConfig(name="sine", window=5))
    a = task.batch(16, torch.Generator().manual_seed(5))
    b = task.batch(16, torch.Generator().manual_seed(5))
    c = task.batch(16, torch.Generator().manual_seed(6))
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[0], c[0])
    assert a[0].shape == (16, 5, 1)
    rows = {tuple(r.tolist()) for r in task.x_train[:, :, 0]}
    for x, y in zip(a[0][:, :, 0], a[1], strict=True):
        assert tuple(x.tolist()) in rows
        # ... and each row keeps its own target.
        i = int(((task.x_train[:, :, 0] == x).all(1)).nonzero()[0])
        assert task.y_train[i] == y
    # Asking for more than there is gives everything.
    whole = task.batch(10_000, torch.Generator().manual_seed(5))
    assert torch.equal(whole[0], task.x_train)


def _single(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [p.text for p in problems]
    return problems[0]


def test_window_longer_than_the_validation_part_is_refused():
    problem = _single(task_problems(TaskConfig(name="synthetic_temperature", days=100, window=50)))
    assert problem.key == "problem.window"
    assert "window" in problem.text
    assert problem.values == {"window": 50, "length": 100}
    # One shorter than the limit is fine and builds.
    assert task_problems(TaskConfig(name="synthetic_temperature", days=100, window=18)) == []
    task = build_task(TaskConfig(name="synthetic_temperature", days=100, window=18))
    assert task.x_val.shape[0] > 0 and task.x_train.shape[0] > 0


@pytest.mark.parametrize(
    ("name", "field", "value"),
    [
        ("sine", "window", 0),
        ("sine", "window", 201),
        ("seattle_temperature", "window", -3),
        ("adding", "length", 1),
        ("adding", "length", 1001),
        ("recall", "lag", 0),
        ("recall", "symbols", 1),
        ("recall", "symbols", 65),
        ("sine", "frequency", 0.6),
        ("sine", "noise", -0.1),
        ("synthetic_temperature", "noise", 11.0),
        ("synthetic_temperature", "days", 20001),
    ],
)
def test_out_of_range_values_are_refused_by_name(name, field, value):
    problem = _single(task_problems(TaskConfig(name=name, **{field: value})))
    assert problem.key == "problem.range"
    assert problem.text.startswith(field + " ")
    assert problem.values["field"] == field
    assert problem.values["value"] == value


@pytest.mark.parametrize(
    ("name", "field", "value"),
    [
        ("lesson_temperature", "window", 500),
        ("adding", "window", 0),
        ("adding", "lag", 0),
        ("recall", "length", 1),
        ("sine", "days", 1),
        ("seattle_temperature", "noise", -5.0),
    ],
)
def test_fields_a_task_does_not_read_are_not_checked(name, field, value):
    assert task_problems(TaskConfig(name=name, **{field: value})) == []


@pytest.mark.parametrize("name", sorted(TASKS))
def test_default_settings_of_every_task_are_accepted(name):
    assert task_problems(TaskConfig(name=name)) == []


def test_unknown_task_is_refused():
    problem = _single(task_problems(TaskConfig(name="stock_prices")))
    assert problem.key == "problem.task"
    assert "stock_prices" in problem.text
