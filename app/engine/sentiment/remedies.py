"""What each imbalance remedy does for the rare class: the same short training with no remedy,
class weights and balanced batches (and the untreated model with its threshold moved), on the
held-out reviews of the same class shares."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from app.engine.sentiment.corpus import ReviewCorpus
from app.engine.sentiment.glove import WordVectors
from app.engine.sentiment.run import REMEDIES, SentimentConfig, SentimentRun, evaluate


@dataclass(frozen=True)
class RemedyEffect:
    """Held-out F1 of the rare class (and accuracy) per remedy, one value per seed."""

    rare_f1: dict[str, list[float]]
    accuracy: dict[str, list[float]]
    rare_label: int
    steps: int

    def mean_rare_f1(self, remedy: str) -> float:
        return float(np.mean(self.rare_f1[remedy]))


def compare_remedies(
    config: SentimentConfig,
    corpus: ReviewCorpus,
    vectors: WordVectors,
    steps: int,
    seeds: tuple[int, ...] = (0, 1, 2),
) -> RemedyEffect:
    rare_f1: dict[str, list[float]] = {r: [] for r in REMEDIES}
    accuracy: dict[str, list[float]] = {r: [] for r in REMEDIES}
    rare_label = 1
    for seed in seeds:
        for remedy in ("none", "weights", "resample"):
            run = SentimentRun(replace(config, remedy=remedy, seed=seed), corpus, vectors)
            run.train(steps=steps)
            results = {remedy: run.evaluation()}
            if remedy == "none":  # the same weights, judged with the moved threshold
                results["threshold"] = evaluate(
                    run.model,
                    corpus,
                    run.held_out_index,
                    config.max_len,
                    run.train_positive_share,
                )
            for name, result in results.items():
                rare_f1[name].append(result.rare.f1)
                accuracy[name].append(result.positive.accuracy)
                rare_label = result.rare_label
    return RemedyEffect(rare_f1, accuracy, rare_label, steps)
