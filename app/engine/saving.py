"""A run as one file, and back: config, weights, optimiser state, history and random state.

The file is ``torch.save`` of plain containers and tensors, read with ``weights_only=True``: loading never
runs code from the file. Anything unexpected is refused with a Problem and builds nothing.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import torch

from app.engine.config_codec import from_flat, to_flat
from app.engine.csv_series import UPLOAD, upload_task
from app.engine.history import History
from app.engine.problems import InputError, Problem
from app.engine.run import Run
from app.engine.tasks import UPLOAD_NAME, Task

FORMAT = "unrolled-run"
VERSION = 1
MAX_BYTES = 50 * 1024 * 1024


def save_run(run: Run) -> bytes:
    history_state = run.history.state()
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "config": to_flat(run.config),
        "model": run.model.state_dict(),
        "optimizer": run.optimizer.state_dict(),
        # Columns as tensors: weights_only loading reads tensors, not numpy arrays.
        "history": {
            **history_state,
            "columns": {name: torch.from_numpy(v) for name, v in history_state["columns"].items()},
        },
        "step": run.step,
        "diverged_at": run.diverged_at,
        "last_eval": run._last_eval,
        "generator": run.generator.get_state(),
    }
    if run.task.info.name == UPLOAD.name:
        # An uploaded series cannot be rebuilt from the config alone: it travels with the run.
        payload["series"] = torch.tensor(_series_of(run.task), dtype=torch.float64)
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    return buffer.getvalue()


def load_run(data: bytes) -> Run:
    """Rebuild a saved run exactly, or raise InputError saying why the file is refused."""
    if not data:
        raise InputError(Problem("problem.save_empty", "the file is empty"))
    if len(data) > MAX_BYTES:
        raise InputError(
            Problem(
                "problem.save_size",
                "the file is too large to be a saved run",
                {"limit_mb": MAX_BYTES // 2**20},
            )
        )
    try:
        payload = torch.load(io.BytesIO(data), weights_only=True, map_location="cpu")
    except Exception as error:  # any unreadable, truncated or foreign file: say so, change nothing
        raise InputError(
            Problem("problem.save_unreadable", f"not a saved Unrolled run ({type(error).__name__})")
        ) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise InputError(Problem("problem.save_unreadable", "not a saved Unrolled run"))
    if payload.get("version") != VERSION:
        raise InputError(
            Problem(
                "problem.save_version",
                f"saved by another version ({payload.get('version')!r})",
                {"version": str(payload.get("version"))[:20], "expected": VERSION},
            )
        )
    try:
        return _rebuild(payload)
    except InputError:
        raise
    except (KeyError, TypeError, ValueError, RuntimeError, IndexError, AttributeError) as error:
        raise InputError(
            Problem(
                "problem.save_contents",
                f"the file's contents do not fit together ({error})",
                {"detail": str(error)[:160]},
            )
        ) from None


def history_csv(history: History) -> str:
    """The history as CSV, one row per recorded step (the chart data, for a spreadsheet)."""
    frame = pd.DataFrame({name: history.array(name) for name in history.columns})
    return frame.to_csv(index=False)


def _rebuild(payload: dict) -> Run:
    config = from_flat(payload["config"])
    task: Task | None = None
    if config.task.name == UPLOAD_NAME:
        task = upload_task(payload["series"].numpy(), config.task.window)
    run = Run(config, task=task)
    _check_shapes(run.model.state_dict(), payload["model"])
    run.model.load_state_dict(payload["model"])
    run.optimizer.load_state_dict(payload["optimizer"])
    saved = payload["history"]
    columns = {name: values.tolist() for name, values in saved["columns"].items()}
    run.history = History.from_state({**saved, "columns": columns})
    run.step = int(payload["step"])
    run.diverged_at = None if payload["diverged_at"] is None else int(payload["diverged_at"])
    run._last_eval = int(payload["last_eval"])
    run.generator.set_state(payload["generator"])
    if (
        not all(math.isfinite(float(p.detach().abs().sum())) for p in run.model.parameters())
        and run.diverged_at is None
    ):
        raise ValueError("weights are not finite but the run is not marked as diverged")
    return run


def _check_shapes(expected: dict[str, torch.Tensor], found: object) -> None:
    if not isinstance(found, dict) or set(found) != set(expected):
        raise InputError(
            Problem("problem.save_shapes", "the weights do not match the saved settings")
        )
    for name, tensor in expected.items():
        other = found[name]
        if (
            not isinstance(other, torch.Tensor)
            or other.shape != tensor.shape
            or other.dtype != tensor.dtype
        ):
            raise InputError(
                Problem("problem.save_shapes", f"{name} has the wrong shape for the saved settings")
            )


def _series_of(task: Task) -> np.ndarray:
    """The raw uploaded series: undo the standardisation of the first windows and the targets."""
    train = task.to_units(torch.cat([task.x_train[0, :, 0], task.y_train]))
    val = task.to_units(task.y_val)
    return np.concatenate([train, val])
