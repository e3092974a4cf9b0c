"""Saved runs: a faithful round trip, and every kind of bad file refused without side effects."""

from __future__ import annotations

import io
import pickle
from dataclasses import replace

import numpy as np
import pytest
import torch

from app.engine.csv_series import numeric_columns, upload_task
from app.engine.presets import PRESETS
from app.engine.problems import InputError
from app.engine.run import Run
from app.engine.saving import FORMAT, history_csv, load_run, save_run


def same_columns(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k], equal_nan=True) for k in a)


@pytest.mark.parametrize("preset", ["lesson", "adding", "recall", "exploding"])
def test_round_trip_restores_charts_and_training_continues_identically(preset: str) -> None:
    run = Run(PRESETS[preset])
    run.train(steps=25)
    loaded = load_run(save_run(run))
    assert loaded.config == run.config
    assert (loaded.step, loaded.diverged_at) == (run.step, run.diverged_at)
    assert same_columns(loaded.history.columns, run.history.columns)
    for name, value in run.model.state_dict().items():
        assert torch.equal(loaded.model.state_dict()[name], value)
    # Same random stream, same optimiser moments: the next steps are the same as if never saved.
    run.train(steps=15)
    loaded.train(steps=15)
    assert same_columns(loaded.history.columns, run.history.columns)


def test_an_uploaded_series_travels_with_the_run() -> None:
    values = np.sin(np.arange(200) / 7) * 10 + 20
    text = "day,temp\n" + "\n".join(f"{i},{v:.4f}" for i, v in enumerate(values))
    series = numeric_columns(text.encode())["temp"]
    config = replace(PRESETS["lesson"], task=replace(PRESETS["lesson"].task, name="csv", window=5))
    run = Run(config, task=upload_task(series, 5))
    run.train(steps=5)
    loaded = load_run(save_run(run))
    np.testing.assert_allclose(
        loaded.task.to_units(loaded.task.y_val), run.task.to_units(run.task.y_val), rtol=1e-5
    )
    assert loaded.evaluate().score == pytest.approx(run.evaluate().score, rel=1e-4)


def _payload(run: Run) -> dict:
    return torch.load(io.BytesIO(save_run(run)), weights_only=True)


def _bytes(payload: object) -> bytes:
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    return buffer.getvalue()


class Exploit:
    def __reduce__(self):  # would run code if unpickled without weights_only
        return (exec, ("import sys; sys.exploited = True",))


def test_bad_files_are_refused_with_a_reason() -> None:
    run = Run(PRESETS["lesson"])
    run.train(steps=3)
    good = save_run(run)
    wrong_version = _payload(run) | {"version": 99}
    wrong_shapes = _payload(run)
    wrong_shapes["model"]["core.weight_hh_l0"] = torch.zeros(3, 3)
    bad_config = _payload(run)
    bad_config["config"]["hidden_size"] = -4
    cases = {
        b"": "problem.save_empty",
        b"id,value\n1,2\n": "problem.save_unreadable",
        good[: len(good) // 2]: "problem.save_unreadable",
        _bytes({"format": "something-else"}): "problem.save_unreadable",
        _bytes([1, 2, 3]): "problem.save_unreadable",
        _bytes(wrong_version): "problem.save_version",
        _bytes(wrong_shapes): "problem.save_shapes",
        _bytes(bad_config): "problem.range",
        pickle.dumps({"format": FORMAT, "version": 1, "x": Exploit()}): "problem.save_unreadable",
    }
    for data, key in cases.items():
        with pytest.raises(InputError) as error:
            load_run(data)
        assert error.value.problems[0].key == key, key
    import sys

    assert not getattr(sys, "exploited", False)  # the pickle's code never ran


def test_missing_parts_are_refused_not_crashed() -> None:
    run = Run(PRESETS["lesson"])
    for part in ("model", "optimizer", "history", "generator", "step"):
        payload = _payload(run)
        del payload[part]
        with pytest.raises(InputError) as error:
            load_run(_bytes(payload))
        assert error.value.problems[0].key.startswith("problem.save_"), part


def test_history_csv_has_a_row_per_recorded_step() -> None:
    run = Run(PRESETS["lesson"])
    run.train(steps=12)
    lines = history_csv(run.history).strip().splitlines()
    header = lines[0].split(",")
    assert {"step", "loss", "grad_norm", "val_loss"} <= set(header)
    assert len(lines) == 1 + len(run.history)
    assert [float(line.split(",")[header.index("step")]) for line in lines[1:]] == list(
        range(1, 13)
    )
