"""Every field of a saved run checked before a run is built from it, so a run that loads can train.

Three passes: the outline (config, counters, history sizes, tensor shapes and dtypes: read on the meta
device, so no tensor data was read yet), then the values (steps, series), then the tensors against the
model and optimiser the config builds. Each refusal names what is wrong with a Problem.
"""

from __future__ import annotations

import math

import torch

from app.engine.config import RunConfig
from app.engine.config_codec import from_flat
from app.engine.csv_series import MAX_ROWS, MIN_ROWS
from app.engine.problems import InputError, Problem
from app.engine.run import Run
from app.engine.tasks import UPLOAD_NAME
from app.engine.tasks.base import window_problem

MAX_STEP = 10**9
MAX_CAPACITY = 100_000  # History keeps 2,000 rows; anything far beyond is not from this app
MAX_STRIDE = 2**40
MAX_COLUMNS = 512
MAX_NAME = 200
GENERATOR_STATE = torch.Generator().get_state()  # (5056,) uint8 on CPU


def damaged(key: str, text: str) -> InputError:
    return InputError(Problem(key, text))


def check_outline(payload: dict) -> RunConfig:
    """Config, counters and every size, from the file's outline; the config the run will be built from."""
    config = _config(payload.get("config"))
    step = _count(payload.get("step"), "step")
    last_eval = _count(payload.get("last_eval"), "last_eval")
    diverged_at = payload.get("diverged_at")
    if last_eval > step:
        raise damaged("problem.save_counters", "the last evaluation is after the last step")
    if diverged_at is not None and _count(diverged_at, "diverged_at") != step + 1:
        raise damaged("problem.save_counters", "the run diverged at a step other than the next one")
    _history_outline(payload.get("history"))
    for part in ("model", "optimizer"):
        if not isinstance(payload.get(part), dict):
            raise damaged("problem.save_shapes", f"the file has no {part} state")
    generator = payload.get("generator")
    if not _like(generator, GENERATOR_STATE):
        raise damaged("problem.save_random", "the random state has the wrong shape")
    if config.task.name == UPLOAD_NAME:
        _series_outline(payload.get("series"), config.task.window)
    return config


def check_history_values(history: dict, step: int, diverged_at: int | None) -> None:
    """The recorded steps count up from the first one and end no later than the run."""
    columns = history["columns"]
    if not columns or len(columns["step"]) == 0:
        return
    steps = columns["step"]
    last = diverged_at if diverged_at is not None else step
    if not bool(torch.isfinite(steps).all()) or not bool((steps == steps.round()).all()):
        raise damaged("problem.save_history", "the history's steps are not whole numbers")
    if len(steps) > 1 and not bool((steps[1:] > steps[:-1]).all()):
        raise damaged("problem.save_history", "the history's steps do not count up")
    if float(steps[0]) != history["first"] or float(steps[-1]) > last:
        raise damaged("problem.save_counters", "the history does not match the step counter")
    if not {float(s) for s in history["forced"]} <= set(steps.tolist()):
        raise damaged("problem.save_history", "the history marks steps it does not have")


def check_tensors(run: Run, payload: dict) -> None:
    """Weights, optimiser state and random state match what ``run``'s config builds, in shape and kind."""
    expected = run.model.state_dict()
    model = payload["model"]
    if set(model) != set(expected) or not all(_like(model[n], t) for n, t in expected.items()):
        raise damaged("problem.save_shapes", "the weights do not match the saved settings")
    finite = all(bool(torch.isfinite(t).all()) for t in model.values())
    if not finite and payload["diverged_at"] is None:
        raise damaged("problem.save_weights", "weights are not finite but the run has not diverged")
    _check_optimizer(run, payload["optimizer"], payload["step"], payload["diverged_at"] is None)


def _config(values: object) -> RunConfig:
    if not isinstance(values, dict) or not {"task", "cell"} <= set(values):
        raise damaged("problem.save_config", "the file has no settings")
    if not all(type(v) in (int, float, str, bool) for v in values.values()):
        raise damaged("problem.save_config", "the settings hold values that are not plain")
    return from_flat(values)


def _count(value: object, name: str) -> int:
    if type(value) is not int or not 0 <= value <= MAX_STEP:
        raise damaged("problem.save_counters", f"{name} is not a step count")
    return value


def _history_outline(history: object) -> None:
    if not isinstance(history, dict):
        raise damaged("problem.save_history", "the file has no history")
    capacity, stride = history.get("capacity"), history.get("stride")
    if type(capacity) is not int or not 2 <= capacity <= MAX_CAPACITY:
        raise damaged("problem.save_history", "the history's capacity is out of range")
    if type(stride) is not int or not 1 <= stride <= MAX_STRIDE:
        raise damaged("problem.save_history", "the history's stride is out of range")
    columns = history.get("columns")
    if not isinstance(columns, dict) or len(columns) > MAX_COLUMNS:
        raise damaged("problem.save_history", "the history's columns are missing or too many")
    lengths = set()
    for name, values in columns.items():
        if not isinstance(name, str) or not 0 < len(name) <= MAX_NAME:
            raise damaged("problem.save_history", "a history column has no proper name")
        if (
            not isinstance(values, torch.Tensor)
            or values.dtype != torch.float64
            or values.ndim != 1
        ):
            raise damaged("problem.save_history", f"history column {name[:40]} is not numbers")
        lengths.add(values.shape[0])
    rows = lengths.pop() if len(lengths) == 1 else 0
    if lengths or rows > capacity:
        raise damaged(
            "problem.save_history", "the history's columns differ in length or are too long"
        )
    first, forced = history.get("first"), history.get("forced")
    if rows and ("step" not in columns or type(first) is not int or not 0 <= first <= MAX_STEP):
        raise damaged("problem.save_history", "the history has rows but no steps")
    if not rows and first is not None:
        raise damaged("problem.save_history", "an empty history has a first step")
    if not isinstance(forced, list | tuple) or len(forced) > rows:
        raise damaged("problem.save_history", "the history marks more steps than it has")
    if not all(type(s) in (int, float) and math.isfinite(s) for s in forced):
        raise damaged("problem.save_history", "the history marks steps that are not numbers")


def _series_outline(series: object, window: int) -> None:
    if not isinstance(series, torch.Tensor) or series.dtype != torch.float64 or series.ndim != 1:
        raise damaged("problem.save_series", "the run was made from a CSV file but has no series")
    if not MIN_ROWS <= series.shape[0] <= MAX_ROWS or window_problem(window, series.shape[0]):
        raise damaged("problem.save_series", "the saved series is too short or too long")


def _check_optimizer(run: Run, saved: dict, step: int, finite: bool) -> None:
    fresh = run.optimizer.state_dict()
    if saved.get("param_groups") != fresh["param_groups"]:
        raise damaged("problem.save_optimizer", "the optimiser's settings differ from the run's")
    params = list(run.model.parameters())
    keys = _state_keys(run.optimizer)
    state = saved.get("state")
    if not isinstance(state, dict) or not set(state) <= set(range(len(params))):
        raise damaged("problem.save_optimizer", "the optimiser's state names unknown weights")
    for index, entry in state.items():
        if not isinstance(entry, dict) or set(entry) != keys:
            raise damaged("problem.save_optimizer", "the optimiser's state is incomplete")
        for name, value in entry.items():
            if name == "step":
                ok = _like(value, torch.zeros((), dtype=torch.float32))
                ok = ok and bool(torch.isfinite(value)) and 0 <= float(value) <= step
            else:
                ok = _like(value, params[index].detach())
                ok = ok and (not finite or bool(torch.isfinite(value).all()))
            if not ok:
                raise damaged("problem.save_optimizer", f"the optimiser's {name} does not fit")


def _state_keys(optimizer: torch.optim.Optimizer) -> set[str]:
    """What this optimiser keeps per weight, seen on a one-number probe with the same settings."""
    probe = torch.nn.Parameter(torch.zeros(1))
    probe.grad = torch.zeros(1)
    group = {k: v for k, v in optimizer.param_groups[0].items() if k != "params"}
    twin = type(optimizer)([probe], **group)
    twin.step()
    return set(twin.state[probe])


def _like(value: object, reference: torch.Tensor) -> bool:
    return (
        isinstance(value, torch.Tensor)
        and value.shape == reference.shape
        and value.dtype == reference.dtype
        and value.layout == torch.strided
        and not value.requires_grad
    )
