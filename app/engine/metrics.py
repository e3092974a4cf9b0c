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


@dataclass(frozen=True)
class Validation:
    """One pass of the model over the validation set: what a training step records (the loss)
    and what an ``Evaluation`` is built from (the output), so the two never run the model twice."""

    output: torch.Tensor  # the model's answers to task.x_val, standardised (regression) or logits
    loss: float


@dataclass(frozen=True)
class Reference:
    """What an evaluation compares with that the weights never change: the truth in the data's
    own units and the naive answer's score. Computed once per task, read-only."""

    truth: np.ndarray
    baseline_name: str
    baseline: float


def evaluate(model: SequenceModel, task: Task) -> Evaluation:
    return evaluation(task, validate(model, task))


def validate(model: SequenceModel, task: Task) -> Validation:
    """The model on the whole validation set and its loss: no numpy, nothing else."""
    was_training = model.training
    model.eval()
    with torch.inference_mode():  # a little cheaper than no_grad; nothing here is trained on
        output = model(task.x_val)
        loss = float(model.loss(output, task.y_val))
    model.train(was_training)
    return Validation(output, loss)


def evaluation(
    task: Task, validation: Validation, reference: Reference | None = None
) -> Evaluation:
    """The score of one validation pass in the data's own units, beside the naive baseline."""
    ref = reference if reference is not None else reference_of(task)
    output, loss = validation.output, validation.loss
    if task.head == "classification":
        predicted = output.argmax(-1).numpy()
        score = float(np.mean(predicted == ref.truth))
        return Evaluation(
            loss, predicted, ref.truth, "accuracy", score, ref.baseline_name, ref.baseline
        )
    prediction = task.to_units(output)
    error = prediction - ref.truth
    if task.info.kind == "adding":
        return Evaluation(
            loss,
            prediction,
            ref.truth,
            "mse",
            float(np.mean(error**2)),
            ref.baseline_name,
            ref.baseline,
            solve_rate=float(np.mean(np.abs(error) <= ADDING_SOLVED_WITHIN)),
        )
    score = float(np.mean(np.abs(error)))
    return Evaluation(loss, prediction, ref.truth, "mae", score, ref.baseline_name, ref.baseline)


def reference_of(task: Task) -> Reference:
    if task.head == "classification":
        truth = task.y_val.numpy()
        return Reference(read_only(truth), "chance", 1.0 / task.output_size)
    truth = task.to_units(task.y_val)
    if task.info.kind == "adding":
        return Reference(read_only(truth), "constant", ADDING_BASELINE_MSE)
    persistence = task.to_units(task.x_val[:, -1, 0])  # "tomorrow = today"
    baseline = float(np.mean(np.abs(persistence - truth)))
    return Reference(read_only(truth), "persistence", baseline)


def read_only(values: np.ndarray) -> np.ndarray:
    """A view nobody can write through: one array is handed to every evaluation of a run."""
    view = values.view()
    view.flags.writeable = False
    return view
