"""Binary classification metrics as pure functions of labels, predictions and probabilities.
Class 1 (positive) is the class precision, recall and F1 are about unless told otherwise."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Scores:
    accuracy: float
    precision: float
    recall: float
    f1: float


def confusion(labels: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """2x2 counts: rows are the true class (0, 1), columns the predicted class."""
    matrix = np.zeros((2, 2), dtype=np.int64)
    np.add.at(
        matrix, (np.asarray(labels, dtype=np.int64), np.asarray(predicted, dtype=np.int64)), 1
    )
    return matrix


def scores(matrix: np.ndarray, positive: int = 1) -> Scores:
    """Accuracy, and precision, recall and F1 of class ``positive``. A ratio with nothing to count
    (no predicted positives, say) is 0, as scikit-learn reports it."""
    tp = matrix[positive, positive]
    fp = matrix[1 - positive, positive]
    fn = matrix[positive, 1 - positive]
    total = matrix.sum()
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = _ratio(2 * precision * recall, precision + recall)
    return Scores(_ratio(np.trace(matrix), total), precision, recall, f1)


def precision_recall_curve(
    labels: np.ndarray, probabilities: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision and recall of the positive class when predicting positive for P >= threshold, at
    every distinct threshold (descending): (thresholds, precision, recall)."""
    order = np.argsort(-probabilities, kind="stable")
    p, y = probabilities[order], np.asarray(labels)[order]
    tp = np.cumsum(y == 1)
    predicted = np.arange(1, len(y) + 1)
    last = np.r_[np.flatnonzero(np.diff(p)), len(p) - 1]  # the last index of each distinct P
    positives = max(int((y == 1).sum()), 1)
    return p[last], tp[last] / predicted[last], tp[last] / positives


def rare_class(labels: np.ndarray) -> int:
    """The class with fewer members (1 on a tie: the positive class is the one usually watched)."""
    positives = int((np.asarray(labels) == 1).sum())
    return 1 if positives <= len(labels) - positives else 0


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator else 0.0
