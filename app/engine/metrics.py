"""How well a run does on validation data, judged in the data's own units and against a naive baseline."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from app.engine.tasks import Task
from app.engine.tasks.memory import ADDING_BASELINE_MSE, ADDING_SOLVED_WITHIN
from models.sequence import SequenceModel


@dataclass(frozen=True)
class Evaluation:
    loss: float  # the training loss on validation data (standardised units)
    prediction: np.ndarray  # in the data's own units (regression) or predicted class
    truth: np.ndarray
    metric: str  # "mae", "mse", "accuracy"
    score: float  # the metric, in the data's own units
    baseline_name: str  # "persistence", "constant", "chance"
    baseline: float  # the same metric for the naive answer
    solve_rate: float = math.nan  # adding problem: share answered within 0.04


def evaluate(model: SequenceModel, task: Task) -> Evaluation:
    was_training = model.training
    model.eval()
    with torch.inference_mode():  # a little cheaper than no_grad; nothing here is trained on
        output = model(task.x_val)
        loss = float(model.loss(output, task.y_val))
    model.train(was_training)
    if task.head == "classification":
        predicted = output.argmax(-1).numpy()
        truth = task.y_val.numpy()
        return Evaluation(
            loss,
            predicted,
            truth,
            "accuracy",
            float(np.mean(predicted == truth)),
            "chance",
            1.0 / task.output_size,
        )
    prediction = task.to_units(output)
    truth = task.to_units(task.y_val)
    if task.info.kind == "adding":
        error = prediction - truth
        return Evaluation(
            loss,
            prediction,
            truth,
            "mse",
            float(np.mean(error**2)),
            "constant",
            ADDING_BASELINE_MSE,
            solve_rate=float(np.mean(np.abs(error) <= ADDING_SOLVED_WITHIN)),
        )
    persistence = task.to_units(task.x_val[:, -1, 0])  # "tomorrow = today"
    return Evaluation(
        loss,
        prediction,
        truth,
        "mae",
        float(np.mean(np.abs(prediction - truth))),
        "persistence",
        float(np.mean(np.abs(persistence - truth))),
    )
