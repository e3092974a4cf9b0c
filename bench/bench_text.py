"""How fast is the text page? Training steps/s and characters sampled/s for the default live config,
plus the one-off costs of looking inside the shipped model (exact pass, unit search, held-out text).

One torch thread, as in the app. Medians of --repeats interleaved timings; the machine's load average is
printed first, because other processes share the cores.

Run: python bench/bench_text.py [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import torch
from streamlit.testing.v1 import AppTest

from app.engine.text.checkpoint import load_checkpoint
from app.engine.text.corpus import builtin_corpus, make_corpus, python_source
from app.engine.text.run import TextConfig, TextRun, held_out
from app.engine.text.sampling import SampleConfig, generate
from app.engine.text.units import FEATURES, activations, search_units
from app.ui import lazy_tabs
from app.ui.pacing import MAX_SLICE, TICKS
from devtools.app_server import ROOT
from models.recurrent import Recurrent


@contextmanager
def stepping(through: str) -> Iterator[None]:
    """The baselines for writing text: each character's step through the sequence kernel (as
    before the fused cells took single steps), or through the module's forward, which looks its
    cells' weights up at every call (as before ``Recurrent.stepper`` served a whole sample)."""
    stepper = Recurrent.stepper

    def each_call(self: Recurrent):
        def step(x, state):
            if through == "kernel":
                out, state = self._sequence(x.unsqueeze(1), state)
                return out[:, 0], state
            return stepper(self)(x, state)  # the cells looked up again at every step

        return step

    Recurrent.stepper = each_call
    try:
        yield
    finally:
        Recurrent.stepper = stepper


def unrolled_states(model, ids) -> object:
    """What ``activations`` computed before: every state through the cell's step equations."""
    with torch.no_grad():
        return model.core.unroll(model.encode(torch.as_tensor(ids).unsqueeze(0)))


@contextmanager
def every_tab_drawn() -> Iterator[None]:
    """The baseline for a press on the text page: every tab drawn, as before lazy tabs."""
    draw_open = lazy_tabs.draw_open

    def draw_all(tabs, *draws) -> None:
        for tab, draw in zip(tabs, draws, strict=True):
            with tab:
                draw()

    lazy_tabs.draw_open = draw_all
    try:
        yield
    finally:
        lazy_tabs.draw_open = draw_open


def press_times(rounds: int) -> tuple[float, float]:
    """Median seconds of a Step press on the live character model's page (AppTest, which runs
    the whole page: the same for both), with the open tab only and with every tab drawn,
    alternating on one session."""
    at = AppTest.from_file(str(ROOT / "app" / "main.py"), default_timeout=120)
    at.run()
    at.switch_page("../pages/text.py")
    at.run()
    at.radio(key="text-model").set_value("live").run()
    step = next(b for b in at.button if b.key == "text-step")
    open_only, every = [], []
    for _ in range(rounds):
        for times, baseline in ((open_only, False), (every, True)):
            with every_tab_drawn() if baseline else contextlib.nullcontext():
                start = time.perf_counter()
                step.click().run()
                times.append(time.perf_counter() - start)
            step = next(b for b in at.button if b.key == "text-step")
    assert not at.exception, [e.value for e in at.exception]
    return statistics.median(open_only), statistics.median(every)


def median_time(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (~15 s)")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    torch.set_num_threads(1)
    print(
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; torch {torch.__version__}"
    )

    config = TextConfig()
    corpus = builtin_corpus(config.corpus)
    run = TextRun(config, corpus)
    run.train(steps=3)  # warm-up: first steps allocate
    steps = 10 if args.quick else 30
    step_time = median_time(lambda: run.train(steps=steps), repeats) / steps
    sample = SampleConfig(length=300)
    sample_time = median_time(lambda: generate(run.model, corpus.vocab, sample), repeats)
    with stepping("kernel"):
        kernel_time = median_time(lambda: generate(run.model, corpus.vocab, sample), repeats)
    with stepping("forward"):
        call_time = median_time(lambda: generate(run.model, corpus.vocab, sample), repeats)
    print(
        f"default live config: {config.cell} hidden {config.hidden_size}, "
        f"{'one-hot' if not config.embedding_dim else f'embedding {config.embedding_dim}'}, "
        f"{config.seq_len} chars x batch {config.batch_size}, vocabulary {corpus.vocab.size}"
    )
    print(f"  training:   {1 / step_time:8.1f} steps/s  ({step_time * 1000:.1f} ms per step)")
    print(
        f"  per tick:   {MAX_SLICE / step_time:8.1f} steps in a {MAX_SLICE * 1000:.0f} ms "
        f"slice at most, one tick every {TICKS[0] * 1000:.0f} ms"
    )
    print(
        f"  sampling:   {sample.length / sample_time:8.0f} chars/s  "
        f"({sample_time * 1000:.0f} ms for {sample.length} characters); "
        f"{kernel_time / sample_time:.2f}x faster than one step per call of the sequence kernel "
        f"({kernel_time * 1000:.0f} ms), {call_time / sample_time:.2f}x faster than one call of "
        f"the module per step ({call_time * 1000:.0f} ms)"
    )

    shipped = load_checkpoint()
    python = make_corpus("python", python_source(), shipped.vocab)
    text = python.val_text[:1500]
    ids = shipped.vocab.encode(text)
    look = median_time(lambda: activations(shipped.model, ids), repeats)
    equations = median_time(lambda: unrolled_states(shipped.model, ids), repeats)
    acts = activations(shipped.model, ids)
    search = median_time(lambda: search_units(acts, FEATURES["quotes"](text)), repeats)
    measure = median_time(lambda: held_out(shipped.model, python, 50_000), max(repeats // 2, 1))
    shipped_sample = median_time(lambda: generate(shipped.model, shipped.vocab, sample), repeats)
    states = sum(a.shape[1] for a in acts.values())
    print(f"shipped model: {shipped.config.cell} hidden {shipped.config.hidden_size}")
    rows = (
        (
            "exact pass over 1500 characters (every h and c)",
            f"{look * 1000:.0f} ms through the fused kernels; {equations / look:.1f}x faster than "
            f"the step equations (Recurrent.unroll, {equations * 1000:.0f} ms)",
        ),
        (f"unit search over its {states} states", f"{search * 1000:.1f} ms"),
        ("held-out bits on 50,000 characters", f"{measure * 1000:.0f} ms"),
        (
            "sampling",
            f"{sample.length / shipped_sample:.0f} chars/s "
            f"({shipped_sample * 1000:.0f} ms for {sample.length})",
        ),
    )
    for name, value in rows:
        print(f"  {name + ':':<50}{value}")

    lazy, eager = press_times(3 if args.quick else 7)
    print(
        f"a Step on the live model's page (the whole page, AppTest): {lazy * 1000:.0f} ms with the "
        f"open tab only (Write), {eager / lazy:.2f}x faster than every tab drawn ({eager * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
