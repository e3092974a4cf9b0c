"""How fast Unrolled trains, and what the step-by-step views cost next to a training step.

For each cell (rnn, lstm, gru) at the default benchmark config (adding problem with T = 50 and
2 input features, batch 32, hidden 32, one layer, Adam), on one torch thread as in the app:

1. training steps per second on the fast path: a full ``Run`` step (batch draw, fused forward,
   loss, finite check, backward, gradient norms, clipping, Adam, history row, plus the validation
   pass every ``Run.validation_every`` steps), and a bare fused step for reference: the same model (a ``Run``'s,
   with its initialisation and optimiser), a fixed batch of the same size, the same loss, backward
   and Adam step, with no batch draw, no clipping and nothing recorded;
2. the ``Run`` step's overhead over the bare step, split into the training step itself (the same
   ``Run`` with its measurements switched off; the batch draw shown as its own share) and the
   validation pass (validation loss and W_hh spectra, counted per training step), and whether a
   ``Run`` step stays within ``AIM`` (1.2x) of the bare step, with and without validation;
3. the same bare step through ``model.core.unroll`` (the hand-written step equations) and the
   ratio unrolled / fused;
4. one ``trace`` (hidden states, gates and dL/dh_t) of 1 sample and of 32 samples, as a ratio to
   one fused bare step and to one ``Run`` step.

Every measurement is warmed up, repeated with the cases interleaved (so slow drift of the machine
hits all of them alike), and reported as the median of the repeats; a ratio to the bare step is
the median of the ratios within each round. The clock is this thread's CPU time
(``time.thread_time``; torch runs on this one thread), so other processes on a shared machine slow
the figures down less than a wall clock would; ``--clock wall`` uses ``time.perf_counter``.
The full run takes about 3 minutes on a busy 2-core machine (``--quick``: about 30 s).

Run from the repository root (after ``pip install -e .``)::

    python bench/bench_training.py           # full run
    python bench/bench_training.py --quick   # a few seconds, smoke test
"""

from __future__ import annotations

import argparse
import gc
import itertools
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from app.engine.config import RunConfig
from app.engine.run import EVAL_EVERY, Run
from app.engine.tasks import TaskConfig
from app.engine.tasks.memory import adding_batch
from models.recurrent import CELL_KINDS
from models.trace import trace

# The app trains on one torch thread per session; measure what a session sees.
torch.set_num_threads(1)

ADDING_FEATURES = 2  # the adding problem reads (value, marker) at every step
AIM = 1.2  # issue 15: a Run step at most 1.2x a bare fused step of the same model
OVERHEAD_PARTS = ("run", "training", "validation", "predrawn")  # compared with the bare step
CLOCKS: dict[str, Callable[[], float]] = {"cpu": time.thread_time, "wall": time.perf_counter}


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
    """Median seconds per operation for one cell (validation and batch: per training step)."""

    cell: str
    run_step: float
    fused_step: float
    unrolled_step: float
    trace_one: float
    trace_batch: float
    training_step: float = math.nan  # a Run step with its measurements (validation) switched off
    validation: float = math.nan  # one validation pass / the Run's validation_every
    validation_every: int = EVAL_EVERY  # steps between the Run's validation passes
    predrawn_step: float = math.nan  # the training step on batches drawn beforehand
    spread: float = 0.0  # the widest interquartile range / median over the repeats of any case
    per_bare: dict[str, float] = field(default_factory=dict)  # OVERHEAD_PARTS, paired by round

    @property
    def unrolled_ratio(self) -> float:
        return self.unrolled_step / self.fused_step

    @property
    def run_ratio(self) -> float:
        """A whole Run step, validation included, per bare fused step."""
        return self.per_bare.get("run", self.run_step / self.fused_step)

    @property
    def training_ratio(self) -> float:
        """A Run step without its validation pass, per bare fused step."""
        return self.per_bare.get("training", self.training_step / self.fused_step)

    def share(self, part: str) -> float:
        """A part of the Run step in bare fused steps: "validation", or "batch" (the training
        step with its batch draw less the same step on batches drawn beforehand)."""
        if part == "validation":
            return self.per_bare.get(part, self.validation / self.fused_step)
        predrawn = self.per_bare.get("predrawn", self.predrawn_step / self.fused_step)
        return self.training_ratio - predrawn

    def trace_ratio(self, seconds: float, per: str = "fused") -> float:
        return seconds / (self.fused_step if per == "fused" else self.run_step)


class UnmeasuredRun(Run):
    """A Run whose extra measurements (validation loss, spectra) are switched off: its step is the
    training step alone, so the validation pass can be shown as its own share."""

    def measure(self, row: dict[str, float]) -> None:
        pass


def bench_run(cell: str, config: BenchConfig, kind: type[Run] = Run) -> Run:
    run = kind(
        RunConfig(
            task=TaskConfig(name="adding", length=config.length, seed=config.seed),
            cell=cell,
            hidden_size=config.hidden,
            batch_size=config.batch,
            seed=config.seed,
        )
    )
    # A history thins (and validates less often) after 2000 rows; however many steps the bench
    # takes, keep the cadence of a run's first 2000 steps: one validation every validation_every.
    run.history.capacity = 2**62
    return run


def run_case(cell: str, config: BenchConfig, kind: type[Run] = Run, name: str = "run") -> Case:
    """``Run`` training steps; each call trains ``validation_every`` steps (one validation pass)."""
    run = bench_run(cell, config, kind)
    steps = run.validation_every

    def call() -> int:
        done = run.train(steps=steps)
        if done != steps:
            raise RuntimeError(f"{cell} run diverged at step {run.diverged_at}")
        return done

    return Case(name, call, steps)


def validation_case(cell: str, config: BenchConfig) -> Case:
    """What ``Run.measure`` adds every ``validation_every`` steps, counted per training step."""
    run = bench_run(cell, config)
    run.train(steps=1)

    def call() -> None:
        run.forget_measurements()  # as a training step does: the next pass runs again
        run.measurements()  # exactly what measure() records: validation loss, W_hh radii

    return Case("validation", call, run.validation_every)


def predrawn_case(cell: str, config: BenchConfig, batches: int = 64) -> Case:
    """The training step on batches drawn beforehand: against the training step, what drawing a
    batch costs where it happens (between two steps, with the caches full of the last backward
    pass it costs about three times what a loop of draws alone suggests)."""
    run = bench_run(cell, config, UnmeasuredRun)
    drawn = [run.batch() for _ in range(batches)]
    turn = itertools.cycle(drawn)

    def call() -> None:
        for _ in range(EVAL_EVERY):
            run.train_on(*next(turn))

    return Case("predrawn", call, EVAL_EVERY)


def sample_batch(size: int, config: BenchConfig) -> tuple[torch.Tensor, torch.Tensor]:
    return adding_batch(size, config.length, torch.Generator().manual_seed(config.seed))


def bare_step_case(cell: str, config: BenchConfig, unrolled: bool = False) -> Case:
    """Forward + loss + backward + Adam on a fixed batch, fused (torch._VF) or unrolled: a Run's
    own model and optimiser, without the batch draw, the norms, clipping or the history row."""
    run = bench_run(cell, config)
    model, optimizer = run.model, run.optimizer
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
    model = bench_run(cell, config).model
    x, y = sample_batch(samples, config)
    return Case(f"trace{samples}", lambda: trace(model, x, y))


def measure(
    cases: list[Case], repeats: int, min_time: float, clock: Callable[[], float] = time.thread_time
) -> dict[str, list[float]]:
    """Seconds per operation of each case in each of ``repeats`` interleaved rounds.

    Each case is warmed up, then calibrated so that one round of it lasts at least ``min_time``.
    """
    numbers = {}
    for case in cases:
        case.call()  # warm-up: first-call allocations, lazy init, Adam state
        start = clock()
        case.call()
        once = clock() - start
        numbers[case.name] = max(1, math.ceil(min_time / max(once, 1e-9)))
    samples: dict[str, list[float]] = {case.name: [] for case in cases}
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            for case in cases:
                number = numbers[case.name]
                start = clock()
                for _ in range(number):
                    case.call()
                elapsed = clock() - start
                samples[case.name].append(elapsed / (number * case.ops))
            gc.collect()
    finally:
        if gc_was_enabled:
            gc.enable()
    return samples


def measure_cell(
    cell: str,
    config: BenchConfig | None = None,
    repeats: int = 7,
    min_time: float = 0.1,
    clock: Callable[[], float] = time.thread_time,
) -> CellResult:
    config = config or BenchConfig()
    cases = [  # the bare step first, next to the parts of a Run step it is compared with
        bare_step_case(cell, config),
        run_case(cell, config),
        run_case(cell, config, UnmeasuredRun, "training"),
        validation_case(cell, config),
        predrawn_case(cell, config),
        bare_step_case(cell, config, unrolled=True),
        trace_case(cell, config, 1),
        trace_case(cell, config, config.trace_batch),
    ]
    samples = measure(cases, repeats, min_time, clock)
    seconds = {name: statistics.median(values) for name, values in samples.items()}
    spread = max(interquartile_range(v) / seconds[name] for name, v in samples.items())
    return CellResult(
        cell=cell,
        run_step=seconds["run"],
        fused_step=seconds["fused"],
        unrolled_step=seconds["unrolled"],
        trace_one=seconds["trace1"],
        trace_batch=seconds[f"trace{config.trace_batch}"],
        training_step=seconds["training"],
        validation=seconds["validation"],
        predrawn_step=seconds["predrawn"],
        validation_every=bench_run(cell, config).validation_every,
        spread=spread,
        per_bare={name: paired_ratio(samples[name], samples["fused"]) for name in OVERHEAD_PARTS},
    )


def paired_ratio(values: list[float], bare: list[float]) -> float:
    """The median over rounds of a case's time / the bare step's time in the same round: the
    two were measured moments apart, so a machine that slows down for a while slows both."""
    return statistics.median(v / b for v, b in zip(values, bare, strict=True))


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
    return aligned(headers, rows)


def format_overhead(results: list[CellResult]) -> str:
    """The issue's figure: a Run step against a bare fused step, and whether the aim holds."""
    headers = (
        "cell",
        "bare step (ms)",
        "Run step (ms)",
        "training/bare",
        "of it batch draw",
        "+ validation",
        "= Run/bare",
    )
    rows = [
        (
            r.cell,
            f"{r.fused_step * 1e3:.2f}",
            f"{r.run_step * 1e3:.2f}",
            f"{r.training_ratio:.2f}x",
            f"{r.share('batch'):.2f}x",
            f"{r.share('validation'):.2f}x",
            f"{r.run_ratio:.2f}x",
        )
        for r in results
    ]
    lines = [
        "Run step / bare fused step (the bare step: the same model, batch size, loss, backward and"
        " Adam step on a fixed batch; no batch draw, clipping or recording; validation: loss on"
        f" the validation set and W_hh spectra every {every_steps(results)} steps, per step):",
        aligned(headers, rows),
        f"aim: a Run step at most {AIM:.1f}x a bare fused step",
        "  training step (validation as its own share): "
        + verdict({r.cell: r.training_ratio for r in results}),
        "  with validation included:                    "
        + verdict({r.cell: r.run_ratio for r in results}),
    ]
    return "\n".join(lines)


def every_steps(results: list[CellResult]) -> str:
    """The Runs' validation strides ("30", or "10 or 30" when the cells differ)."""
    return " or ".join(str(n) for n in sorted({r.validation_every for r in results}))


def verdict(ratios: dict[str, float], aim: float = AIM) -> str:
    """HELD when every ratio is within ``aim``, else NOT HELD naming the cells over it."""
    figures = ", ".join(f"{cell} {ratio:.2f}x" for cell, ratio in ratios.items())
    over = [cell for cell, ratio in ratios.items() if not ratio <= aim]
    if not over:
        return f"HELD ({figures})"
    return f"NOT HELD for {', '.join(over)} ({figures})"


def format_ratios(results: list[CellResult], config: BenchConfig) -> str:
    n = config.trace_batch
    lines = ["ratios (time / time; 'step' = one fused bare step unless it says Run step):"]
    for r in results:
        lines.append(
            f"  {r.cell:<4}  unrolled/fused step {r.unrolled_ratio:5.1f}x"
            f"  | Run step/fused step {r.run_ratio:4.2f}x"
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


def aligned(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]
    lines = ["  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repeats (smoke test)")
    parser.add_argument(
        "--clock", choices=sorted(CLOCKS), default="cpu", help="cpu: this thread's CPU time"
    )
    args = parser.parse_args(argv)
    repeats, min_time = (3, 0.01) if args.quick else (25, 0.05)
    config = BenchConfig()
    print(
        f"adding problem T={config.length}, {ADDING_FEATURES} features, batch {config.batch},"
        f" hidden {config.hidden}, 1 layer, Adam; torch {torch.__version__},"
        f" {torch.get_num_threads()} thread; {args.clock} clock; median of {repeats} repeats"
        f" (>= {min_time * 1e3:.0f} ms each)"
    )
    start = time.perf_counter()
    clock = CLOCKS[args.clock]
    results = [measure_cell(cell, config, repeats, min_time, clock) for cell in CELL_KINDS]
    print()
    print(format_table(results, config))
    print()
    print(format_overhead(results))
    print()
    print(format_ratios(results, config))
    print(f"\n(total {time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
