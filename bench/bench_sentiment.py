"""How fast does the sentiment page learn and read? On the Rotten Tomatoes sentences, one torch thread:
held-out accuracy of the default LSTM over frozen GloVe after 5, 10 and 20 s of training (the aim:
>= 74% within 20 s), its steps/s as a ratio to the averaged baseline's measured in the same run, and
one word-by-word reading of a 200-word review (aim: under 100 ms) as a ratio to one training step.

The machine's load average is printed first: other processes share the cores, so compare the ratios
of one run, not absolute times across runs.

Run: python bench/bench_sentiment.py [--quick] [--seeds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import replace

import torch

from app.engine.sentiment.corpus import load_corpus
from app.engine.sentiment.glove import load_glove
from app.engine.sentiment.reading import read
from app.engine.sentiment.run import SentimentConfig, SentimentRun

CHECKPOINTS = (5.0, 10.0, 20.0)  # seconds of training at which held-out accuracy is measured
ACCURACY_AIM, READING_AIM = 0.74, 0.100


def accuracy_over_time(
    run: SentimentRun, checkpoints: tuple[float, ...]
) -> list[tuple[float, int, float]]:
    """(training seconds, steps, held-out accuracy) at each checkpoint; measuring is not counted."""
    trained, results = 0.0, []
    for mark in checkpoints:
        while trained < mark:
            start = time.perf_counter()
            run.train(seconds=min(0.5, mark - trained))
            trained += time.perf_counter() - start
        results.append((trained, run.step, run.evaluation().positive.accuracy))
    return results


def steps_per_second(run: SentimentRun, seconds: float) -> float:
    run.train(steps=3)  # warm-up
    start, before = time.perf_counter(), run.step
    run.train(seconds=seconds)
    return (run.step - before) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one seed, 10 s of training (~30 s)")
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; torch {torch.__version__}"
    )
    start = time.perf_counter()
    vectors = load_glove()
    corpus = load_corpus("rt", vectors.vocab)
    print(f"loading GloVe subset + RT sentences: {time.perf_counter() - start:.2f} s")

    config = SentimentConfig()
    baseline = SentimentRun(replace(config, cell="mean"), corpus, vectors)
    lstm = SentimentRun(config, corpus, vectors)
    seconds = 2.0 if args.quick else 5.0
    base_speed, lstm_speed = steps_per_second(baseline, seconds), steps_per_second(lstm, seconds)
    print(
        f"training steps/s (batch {config.batch_size}, max_len {config.max_len}): averaged baseline "
        f"{base_speed:.0f}, LSTM hidden {config.hidden_size} {lstm_speed:.0f} "
        f"(ratio LSTM/baseline {lstm_speed / base_speed:.2f})"
    )

    checkpoints = CHECKPOINTS[:2] if args.quick else CHECKPOINTS
    seeds = 1 if args.quick else args.seeds
    reached = []
    for seed in range(seeds):
        run = SentimentRun(replace(config, seed=seed), corpus, vectors)
        marks = accuracy_over_time(run, checkpoints)
        text = ", ".join(f"{s:.0f} s ({n} steps) {a:.1%}" for s, n, a in marks)
        print(f"  seed {seed}: held-out accuracy after {text}")
        reached.append(max(a for _, _, a in marks))
    best = statistics.median(reached)
    verdict = "met" if best >= ACCURACY_AIM else "NOT met"
    print(
        f"aim >= {ACCURACY_AIM:.0%} within {checkpoints[-1]:.0f} s: {verdict} (median best {best:.1%})"
    )

    review = " ".join(corpus.texts[i] for i in range(12)).split()[:200]
    text = " ".join(review)
    read(lstm.model, vectors.vocab, text, 400)  # warm-up
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        reading = read(lstm.model, vectors.vocab, text, 400)
        times.append(time.perf_counter() - t0)
    reading_time = statistics.median(times)
    step_time = 1 / lstm_speed
    verdict = "met" if reading_time < READING_AIM else "NOT met"
    print(
        f"word-by-word reading of {len(reading.tokens)} tokens: {reading_time * 1000:.1f} ms "
        f"({reading_time / step_time:.2f} training steps); aim < 100 ms: {verdict}"
    )


if __name__ == "__main__":
    main()
