"""History keeps a long run's whole shape in bounded memory."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from app.engine.config import RunConfig
from app.engine.history import Columns, History
from app.engine.run import Run
from app.engine.tasks import TaskConfig

STEPS = 100_000
CAPACITY = 500


def _value(step: int) -> float:
    return 1.0 / (step + 1) + step % 7  # depends on the step, so misaligned rows would show


def _long_history(first_step: int) -> History:
    history = History(capacity=CAPACITY)
    for step in range(first_step, first_step + STEPS):
        history.record(step, {"loss": _value(step)})
    return history


def _check_bounded_and_strided(history: History, first_step: int) -> None:
    steps = history.array("step").astype(np.int64)
    assert 0 < len(history) < CAPACITY
    assert len(history) > CAPACITY // 4  # thinned, not emptied
    for column in history.columns.values():
        assert len(column) == len(history)
    diffs = np.diff(steps)
    assert (diffs == diffs[0]).all(), "steps are not evenly strided"
    assert diffs[0] == history.stride > 1
    assert ((steps - first_step) % history.stride == 0).all()  # strides count from the first step
    last_step = first_step + STEPS - 1
    assert last_step - history.stride < steps[-1] <= last_step  # a late step is kept
    # Each kept value still belongs to its own step.
    np.testing.assert_allclose(history.array("loss"), [_value(int(s)) for s in steps], rtol=1e-6)


def test_long_history_from_step_zero_stays_bounded():
    history = _long_history(first_step=0)
    _check_bounded_and_strided(history, first_step=0)
    assert history.columns["step"][0] == 0.0


def test_long_history_as_a_run_records_it_stays_bounded():
    history = _long_history(first_step=1)  # Run records its first step as step 1
    _check_bounded_and_strided(history, first_step=1)


def test_long_history_keeps_a_runs_first_step():
    history = _long_history(first_step=1)
    assert history.columns["step"][0] == 1.0


def test_thinning_halves_and_keeps_every_other_step():
    history = History(capacity=8)
    for step in range(8):
        history.record(step, {"x": float(step)})
    assert history.stride == 2
    assert history.columns["step"] == [0.0, 2.0, 4.0, 6.0]
    assert history.columns["x"] == [0.0, 2.0, 4.0, 6.0]
    history.record(9, {"x": 9.0})  # off the stride: skipped
    history.record(10, {"x": 10.0})
    assert history.columns["step"] == [0.0, 2.0, 4.0, 6.0, 10.0]
    assert len(history) == 5


def test_small_history_keeps_every_step():
    history = History(capacity=100)
    for step in range(1, 51):
        history.record(step, {"loss": float(step)})
    assert len(history) == 50
    assert history.stride == 1
    assert history.columns["step"] == [float(s) for s in range(1, 51)]


def test_columns_that_appear_later_are_nan_padded():
    history = History()
    history.record(0, {"loss": 1.0})
    history.record(1, {"loss": 2.0, "val_loss": 3.0})
    history.record(2, {"loss": 4.0})
    assert history.columns["loss"] == [1.0, 2.0, 4.0]
    val = history.columns["val_loss"]
    assert math.isnan(val[0]) and val[1] == 3.0 and math.isnan(val[2])
    assert history.last("val_loss") == 3.0  # the latest measured value, not the NaN after it
    assert history.last("loss") == 4.0
    assert history.array("loss").dtype == np.float32
    assert history.names() == ["loss", "step", "val_loss"]
    assert history.names("val") == ["val_loss"]


def test_last_of_an_all_nan_column_is_nan():
    history = History()
    history.record(0, {"a": math.nan})
    history.record(1, {"a": math.nan})
    assert math.isnan(history.last("a"))


def test_a_run_history_stays_bounded():
    run = Run(RunConfig(task=TaskConfig(name="sine", window=5), hidden_size=4))
    run.history = History(capacity=50)
    run.train(steps=1000)
    history = run.history
    assert run.step == 1000
    assert len(history) < 50
    steps = history.array("step").astype(np.int64)
    assert (np.diff(steps) == history.stride).all()
    assert history.stride >= 16
    assert steps[0] == 1  # the run's first step is never thinned away
    assert 1000 - history.stride < steps[-1] <= 1000
    grad_columns = history.names("grad/")
    assert grad_columns
    for name in ["loss", "grad_norm", "clipped", "val_loss", *grad_columns]:
        assert len(history.columns[name]) == len(history)
    assert np.isfinite(history.array("loss")).all()
    # val_loss is measured only on rows the history keeps, at least 10 steps apart: most rows have one.
    measured = steps[~np.isnan(history.array("val_loss"))]
    assert len(measured) >= len(steps) // 2
    assert (np.diff(measured) >= 10).all()


def test_divergence_is_recorded_in_a_thinned_history():
    config = RunConfig(
        task=TaskConfig(name="sine", window=20),
        optimizer="sgd",
        learning_rate=10.0,
        clip=False,
    )
    run = Run(config)
    run.history = History(capacity=4)
    run.train(steps=200)
    assert run.diverged_at is not None
    assert run.history.stride > 1  # the case this test is about: a thinned history
    assert run.history.columns["step"][-1] == run.diverged_at
    assert math.isinf(run.history.last("loss")) or run.history.last("loss") > 1e6


def test_an_unknown_column_name_is_refused_not_silently_nan():
    run = Run(RunConfig(task=TaskConfig(name="sine", window=5), hidden_size=4))
    assert len(run.history.array("val_loss")) == 0  # declared, nothing recorded yet: empty
    assert math.isnan(run.history.last("val_loss"))
    with pytest.raises(KeyError):
        run.history.array("vall_loss")
    run.train(steps=2)  # val_loss is measured at step 1 only, radius/ on the same step
    assert np.isnan(run.history.array("val_loss")[1])
    assert run.history.array("radius/l0").shape == (2,)
    for name in ("vall_loss", "radius", "grad", "bits"):
        with pytest.raises(KeyError):
            run.history.array(name)
        with pytest.raises(KeyError):
            run.history.last(name)


def test_declared_columns_read_as_nan_until_measured():
    history = History(known=Columns(frozenset({"loss", "val_loss"}), ("grad/",)))
    assert history.array("grad/core.weight_hh_l0").shape == (0,)
    history.record(1, {"loss": 1.0})
    assert np.isnan(history.array("val_loss")).all() and len(history.array("val_loss")) == 1
    assert np.isnan(history.array("grad/core.weight_hh_l0")).all()
    history.record(2, {"extra": 5.0})  # recorded names are readable even if undeclared
    assert history.last("extra") == 5.0
    with pytest.raises(KeyError):
        history.array("val_los")


def test_declared_columns_survive_state_and_old_states_still_load():
    run = Run(RunConfig(task=TaskConfig(name="sine", window=5), hidden_size=4))
    run.train(steps=3)
    state = run.history.state()
    again = History.from_state(state)
    assert again.known == run.history.known
    with pytest.raises(KeyError):
        again.array("vall_loss")
    old = {key: value for key, value in state.items() if key != "known"}  # saved before declaring
    legacy = History.from_state(old)
    np.testing.assert_array_equal(legacy.array("loss"), run.history.array("loss"))
    assert np.isnan(legacy.array("never_declared")).all()  # as histories read before


def test_every_column_the_app_reads_is_declared_by_its_owner():
    """The names app/ and bench/ pass to history.array/last, checked against the owners' columns."""
    from app.engine.run import COLUMNS as RUN_COLUMNS
    from app.engine.sentiment.run import COLUMNS as SENTIMENT_COLUMNS
    from app.engine.text.run import COLUMNS as TEXT_COLUMNS
    from app.engine.words.run import COLUMNS as WORD_COLUMNS
    from tests.conftest import ROOT

    pattern = re.compile(r"""history\.(?:array|last)\(\s*["']([^"']+)["']""")
    text_files = {"text_view.py", "text_write.py", "text_inside.py", "bench_text.py"}
    for path in [*ROOT.glob("app/**/*.py"), *ROOT.glob("bench/*.py"), *ROOT.glob("pages/*.py")]:
        columns = (
            SENTIMENT_COLUMNS
            if "sentiment" in path.name
            else WORD_COLUMNS
            if path.name.startswith(("words_", "bench_words"))
            else TEXT_COLUMNS
            if path.name in text_files
            else RUN_COLUMNS
        )
        for name in pattern.findall(path.read_text()):
            assert name in columns, f"{path.name} reads {name!r}, which its owner never records"


def test_a_saved_run_keeps_its_declared_columns():
    from app.engine.saving import load_run, save_run

    run = Run(RunConfig(task=TaskConfig(name="sine", window=5), hidden_size=4))
    run.train(steps=2)
    loaded = load_run(save_run(run))
    assert loaded.history.known == run.history.known
    np.testing.assert_array_equal(loaded.history.array("val_loss"), run.history.array("val_loss"))
    with pytest.raises(KeyError):
        loaded.history.last("vall_loss")


def test_a_column_read_while_it_grows_and_thins_equals_a_fresh_conversion() -> None:
    """array() extends what it converted before (a live refresh reads every column it draws):
    whatever the history did in between, it reads as the column itself, and nobody can write
    into the array it hands out."""
    history = History(capacity=64)
    seen = 0
    for step in range(300):
        history.record(step, {"loss": 1 / (step + 1), **({"val": step} if step % 7 == 0 else {})})
        if step % 5 == 0:  # read now and then, across thinnings
            for name in ("step", "loss", "val"):
                column = history.columns[name]
                assert np.array_equal(
                    history.array(name), np.asarray(column, dtype=np.float32), equal_nan=True
                )
            seen += 1
    assert history.stride > 1 and seen
    with pytest.raises(ValueError):
        history.array("loss")[0] = 0.0


def _records(count: int, first: int, forced: frozenset[int]) -> list[tuple[int, dict, bool]]:
    records = []
    for step in range(first, first + count):
        values = {"loss": _value(step), **({"val": step / 3} if step % 11 == 0 else {})}
        records.append((step, values, step in forced))
    return records


@pytest.mark.parametrize("before, after", [(0, 40), (30, 200), (130, 700), (590, 10)])
def test_a_travelling_copy_notes_what_its_history_then_records_exactly(
    before: int, after: int
) -> None:
    """A run's slice in the training worker records into a travelling copy of its history (its
    steps only, app/engine/slice_worker.py); replaying what the copy noted into the history at
    home gives the rows recording them there would have, across thinnings and forced rows."""
    forced = frozenset({before + 3, before + after - 2})
    home, here = History(capacity=64), History(capacity=64)
    for step, values, force in _records(before, 1, forced):
        home.record(step, values, force)
        here.record(step, values, force)
    away = home.travelling()
    for step, values, force in _records(after, before + 1, forced):
        assert away.keeps(step) == here.keeps(step)  # what decides whether to measure
        away.record(step, values, force)
        here.record(step, values, force)
    assert (away.stride, len(away)) == (here.stride, len(here))
    assert len(home) == min(before, len(home))  # the copy never touched it
    home.replay(away.journal)
    assert home == here and home.names() == here.names()
    for name in here.names():
        np.testing.assert_array_equal(home.array(name), here.array(name))


def test_a_travelling_history_refuses_to_be_read() -> None:
    history = History()
    history.record(1, {"loss": 0.5})
    away = history.travelling()
    assert len(away) == 1 and away.keeps(2)
    for read in (lambda: away.array("loss"), lambda: away.last("loss"), away.names, away.state):
        with pytest.raises(RuntimeError, match="travelling"):
            read()
