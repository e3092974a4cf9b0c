"""How fast Unrolled trains, and what the step-by-step views cost next to a training step.

For each cell (rnn, lstm, gru) at the default benchmark config (adding problem with T = 50 and
2 input features, batch 32, hidden 32, one layer, Adam), on one torch thread as in the app:

1. training steps per second on the fast path: a full ``Run`` step (batch draw, fused forward,
   loss, backward, clipping, Adam, history, plus the validation pass every ``EVAL_EVERY`` steps),
   and a bare step (``SequenceModel`` fused forward + loss + backward + Adam) for reference;
2. the same bare step through ``model.core.unroll`` (the hand-written step equations) and the
   ratio unrolled / fused;
3. one ``trace`` (hidden states, gates and dL/dh_t) of 1 sample and of 32 samples, as a ratio to
   one fused bare step and to one ``Run`` step.

Every measurement is warmed up, repeated with the cases interleaved (so slow drift of the machine
hits all of them alike), and reported as the median of the repeats, timed with
``time.perf_counter``. The full run takes about 40 s (``--quick``: about 5 s).

Run from the repository root (after ``pip install -e .``)::

    python bench/bench_training.py           # full run
    python bench/bench_training.py --quick   # a few seconds, smoke test
"""

from __future__ import annotations

import argparse
import gc
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch

from app.engine.config import RunConfig
from app.engine.run import EVAL_EVERY, Run, build_optimizer
from app.engine.tasks import TaskConfig
from app.engine.tasks.memory import adding_batch
from models.recurrent import CELL_KINDS
from models.sequence import ModelSpec, SequenceModel
from models.trace import trace

# The app trains on one torch thread per session; measure what a session sees.
torch.set_num_threads(1)

ADDING_FEATURES = 2  # the adding problem reads (value, marker) at every step


@dataclass(frozen=True)
class BenchConfig:
    """Sizes of the benchmark; the defaults are the app's adding problem at T = 50."""

    batch: int = 32
    length: int = 50
    hidden: int = 32
    trace_batch: int = 32
    seed: int = 0


@dataclass(frozen=True)
class Case:
    """One timed operation: ``call()`` performs ``ops`` of the operations being measured."""

    name: str
    call: Callable[[], object]
    ops: int = 1


@dataclass(frozen=True)
class CellResult:
    """Median seconds per operation for one cell."""

    cell: str
    run_step: float
    fused_step: float
    unrolled_step: float
    trace_one: float
    trace_batch: float
    spread: float = 0.0  # the widest interquartile range / median over the repeats of any case

    @property
    def unrolled_ratio(self) -> float:
        return self.unrolled_step / self.fused_step

    def trace_ratio(self, seconds: float, per: str = "fused") -> float:
        return seconds / (self.fused_step if per == "fused" else self.run_step)


def run_case(cell: str, config: BenchConfig) -> Case:
    """A full ``Run`` training step; each call trains ``EVAL_EVERY`` steps (one validation pass)."""
    run = Run(
        RunConfig(
            task=TaskConfig(name="adding", length=config.length, seed=config.seed),
            cell=cell,
            hidden_size=config.hidden,
            batch_size=config.batch,
            seed=config.seed,
        )
    )

    def call() -> int:
        done = run.train(steps=EVAL_EVERY)
        if done != EVAL_EVERY:
            raise RuntimeError(f"{cell} run diverged at step {run.diverged_at}")
        return done

    return Case("run", call, EVAL_EVERY)


def build_model(cell: str, config: BenchConfig) -> SequenceModel:
    torch.manual_seed(config.seed)
    spec = ModelSpec(cell=cell, input_size=ADDING_FEATURES, hidden_size=config.hidden)
    return SequenceModel(spec)


def sample_batch(size: int, config: BenchConfig) -> tuple[torch.Tensor, torch.Tensor]:
    return adding_batch(size, config.length, torch.Generator().manual_seed(config.seed))


def bare_step_case(cell: str, config: BenchConfig, unrolled: bool = False) -> Case:
    """Forward + loss + backward + Adam on a fixed batch, fused (torch._VF) or unrolled."""
    model = build_model(cell, config)
    optimizer = build_optimizer(RunConfig(cell=cell, hidden_size=config.hidden), model)
    x, y = sample_batch(config.batch, config)

    def call() -> float:
        optimizer.zero_grad(set_to_none=True)
        if unrolled:
            hidden, _, _ = model.core.unroll(model.encode(x))
            prediction = model.read_out(hidden)
        else:
            prediction = model(x)
        loss = model.loss(prediction, y)
        loss.backward()
        optimizer.step()
        return float(loss.detach())

    return Case("unrolled" if unrolled else "fused", call)


def trace_case(cell: str, config: BenchConfig, samples: int) -> Case:
    """One ``trace`` of ``samples`` sequences, with the target so dL/dh_t is computed."""
    model = build_model(cell, config)
    x, y = sample_batch(samples, config)
    return Case(f"trace{samples}", lambda: trace(model, x, y))


def measure(cases: list[Case], repeats: int, min_time: float) -> dict[str, list[float]]:
    """Seconds per operation of each case in each of ``repeats`` interleaved rounds.

    Each case is warmed up, then calibrated so that one round of it lasts at least ``min_time``.
    """
    numbers = {}
    for case in cases:
        case.call()  # warm-up: first-call allocations, lazy init, Adam state
        start = time.perf_counter()
        case.call()
        once = time.perf_counter() - start
        numbers[case.name] = max(1, math.ceil(min_time / max(once, 1e-9)))
    samples: dict[str, list[float]] = {case.name: [] for case in cases}
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            for case in cases:
                number = numbers[case.name]
                start = time.perf_counter()
                for _ in range(number):
                    case.call()
                elapsed = time.perf_counter() - start
                samples[case.name].append(elapsed / (number * case.ops))
            gc.collect()
    finally:
        if gc_was_enabled:
            gc.enable()
    return samples


def measure_cell(
    cell: str, config: BenchConfig | None = None, repeats: int = 7, min_time: float = 0.1
) -> CellResult:
    config = config or BenchConfig()
    cases = [
        run_case(cell, config),
        bare_step_case(cell, config),
        bare_step_case(cell, config, unrolled=True),
        trace_case(cell, config, 1),
        trace_case(cell, config, config.trace_batch),
    ]
    samples = measure(cases, repeats, min_time)
    seconds = {name: statistics.median(values) for name, values in samples.items()}
    spread = max(interquartile_range(v) / seconds[name] for name, v in samples.items())
    return CellResult(
        cell=cell,
        run_step=seconds["run"],
        fused_step=seconds["fused"],
        unrolled_step=seconds["unrolled"],
        trace_one=seconds["trace1"],
        trace_batch=seconds[f"trace{config.trace_batch}"],
        spread=spread,
    )


def interquartile_range(values: list[float]) -> float:
    if len(values) < 2:
        return 0.0
    low, _, high = statistics.quantiles(values, n=4)
    return high - low


def format_table(results: list[CellResult], config: BenchConfig) -> str:
    n = config.trace_batch
    headers = (
        "cell",
        "Run step/s",
        "fused step/s",
        "unrolled step/s",
        "unrolled/fused",
        "trace 1 (ms)",
        f"trace {n} (ms)",
        "trace 1/step",
        f"trace {n}/step",
    )
    rows = [
        (
            r.cell,
            f"{1 / r.run_step:.0f}",
            f"{1 / r.fused_step:.0f}",
            f"{1 / r.unrolled_step:.0f}",
            f"{r.unrolled_ratio:.1f}x",
            f"{r.trace_one * 1e3:.2f}",
            f"{r.trace_batch * 1e3:.2f}",
            f"{r.trace_ratio(r.trace_one):.1f}x",
            f"{r.trace_ratio(r.trace_batch):.1f}x",
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]
    lines = ["  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def format_ratios(results: list[CellResult], config: BenchConfig) -> str:
    n = config.trace_batch
    lines = ["ratios (time / time; 'step' = one fused bare step unless it says Run step):"]
    for r in results:
        lines.append(
            f"  {r.cell:<4}  unrolled/fused step {r.unrolled_ratio:5.1f}x"
            f"  | Run step/fused step {r.run_step / r.fused_step:4.2f}x"
            f"  | trace 1: {r.trace_ratio(r.trace_one):4.1f}x step,"
            f" {r.trace_ratio(r.trace_one, 'run'):4.1f}x Run step"
            f"  | trace {n}: {r.trace_ratio(r.trace_batch):4.1f}x step,"
            f" {r.trace_ratio(r.trace_batch, 'run'):4.1f}x Run step"
        )
    worst = max(r.spread for r in results)
    lines.append(
        f"noise: the widest interquartile range of one case over its repeats was {worst:.0%}"
        " of its median"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repeats (smoke test)")
    args = parser.parse_args(argv)
    repeats, min_time = (3, 0.01) if args.quick else (25, 0.05)
    config = BenchConfig()
    print(
        f"adding problem T={config.length}, {ADDING_FEATURES} features, batch {config.batch},"
        f" hidden {config.hidden}, 1 layer, Adam; torch {torch.__version__},"
        f" {torch.get_num_threads()} thread; median of {repeats} repeats"
        f" (>= {min_time * 1e3:.0f} ms each)"
    )
    start = time.perf_counter()
    results = [measure_cell(cell, config, repeats, min_time) for cell in CELL_KINDS]
    print()
    print(format_table(results, config))
    print()
    print(format_ratios(results, config))
    print(f"\n(total {time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
