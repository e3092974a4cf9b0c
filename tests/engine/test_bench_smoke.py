"""bench/bench_training.py still runs: its measurements return positive, finite numbers."""

from __future__ import annotations

import importlib.util
import math
import sys
from types import ModuleType

import pytest

from tests.conftest import ROOT


def load_bench() -> ModuleType:
    path = ROOT / "bench" / "bench_training.py"
    spec = importlib.util.spec_from_file_location("bench_training", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(spec.name, None)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench()


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_measure_cell_returns_positive_finite_numbers(bench: ModuleType, cell: str) -> None:
    tiny = bench.BenchConfig(batch=4, length=5, hidden=4, trace_batch=3)
    result = bench.measure_cell(cell, tiny, repeats=1, min_time=0.0)
    numbers = [
        result.run_step,
        result.fused_step,
        result.unrolled_step,
        result.trace_one,
        result.trace_batch,
        result.unrolled_ratio,
        result.trace_ratio(result.trace_one),
        result.trace_ratio(result.trace_batch, "run"),
        result.run_ratio,
        result.training_ratio,
    ]
    assert all(math.isfinite(n) and n > 0 for n in numbers), numbers
    # Shares are differences of two timings: on a model this small, noise can take one to zero.
    assert all(math.isfinite(result.share(part)) for part in ("validation", "batch"))
    table = bench.format_table([result], tiny)
    assert cell in table and "trace 3 (ms)" in table
    assert "unrolled/fused" in bench.format_ratios([result], tiny)
    overhead = bench.format_overhead([result])
    assert f"{result.run_ratio:.2f}x" in overhead and "HELD" in overhead


def test_verdict_names_the_cells_over_the_aim(bench: ModuleType) -> None:
    assert bench.verdict({"rnn": 1.1, "lstm": 1.2}, aim=1.2) == "HELD (rnn 1.10x, lstm 1.20x)"
    assert bench.verdict({"rnn": 1.1, "gru": 1.3, "lstm": math.nan}, aim=1.2) == (
        "NOT HELD for gru, lstm (rnn 1.10x, gru 1.30x, lstm nanx)"
    )


def test_the_unmeasured_run_trains_as_a_run_without_validation(bench: ModuleType) -> None:
    """The bench's training-only step is the Run's own step: same losses, no validation column."""
    tiny = bench.BenchConfig(batch=4, length=5, hidden=4)
    run = bench.bench_run("lstm", tiny)
    unmeasured = bench.bench_run("lstm", tiny, bench.UnmeasuredRun)
    run.train(steps=3)
    unmeasured.train(steps=3)
    assert unmeasured.history.array("loss").tolist() == run.history.array("loss").tolist()
    assert math.isfinite(run.history.last("val_loss"))
    assert math.isnan(unmeasured.history.last("val_loss"))
