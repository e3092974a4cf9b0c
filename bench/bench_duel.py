"""Is the duel's default preset a demonstration a lecturer can trust? Five seeds, reported one by one.

The adding problem with T = 50: every seed trains RNN, LSTM and GRU side by side on the same batches for a
fixed budget, and prints each model's final validation MSE (baseline: 0.167 for always answering 1.0), its
solve rate (share within 0.04), the step it reached MSE 0.01, and the wall time.

Run: python bench/bench_duel.py [--steps 2000] [--seeds 5]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import torch

from app.engine.duel import Duel, DuelConfig
from app.engine.tasks.memory import ADDING_BASELINE_MSE


def run_seed(seed: int, steps: int) -> tuple[Duel, float]:
    duel = Duel(replace(DuelConfig(), cells=("rnn", "lstm", "gru"), seed=seed))
    start = time.perf_counter()
    duel.train(steps=steps)
    return duel, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(
        f"Adding problem T=50, hidden 32, Adam lr 0.01, batch 32, {args.steps} steps; baseline MSE {ADDING_BASELINE_MSE:.3f}"
    )
    print(
        f"{'seed':>4}  {'cell':<5}{'MSE':>9}{'x baseline':>11}{'solved':>8}{'MSE<0.01 at':>13}{'time s':>8}"
    )
    verdicts = []
    for seed in range(args.seeds):
        duel, seconds = run_seed(seed, args.steps)
        scores = {}
        for cell, run in duel.runs.items():
            evaluation = run.evaluate()
            scores[cell] = evaluation.score
            reached = duel.reached[cell]
            print(
                f"{seed:>4}  {cell:<5}{evaluation.score:>9.4f}{evaluation.score / ADDING_BASELINE_MSE:>10.2f}x"
                f"{evaluation.solve_rate:>8.0%}{reached if reached is not None else '-':>13}{seconds:>8.1f}"
            )
        ok = (
            scores["lstm"] < 0.1 * ADDING_BASELINE_MSE and scores["gru"] < 0.1 * ADDING_BASELINE_MSE
        )
        ok = ok and scores["rnn"] > 0.7 * ADDING_BASELINE_MSE
        verdicts.append(ok)
    print(
        f"seeds where LSTM and GRU end below 10% of the baseline and the RNN stays above 70% of it: "
        f"{sum(verdicts)}/{len(verdicts)}"
    )


if __name__ == "__main__":
    main()
