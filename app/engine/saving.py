"""A run as one file, and back: config, weights, optimiser state, history and random state.

The file is ``torch.save`` of plain containers and tensors, read with ``weights_only=True``: loading never
runs code from the file. Anything unexpected is refused with a Problem and builds nothing.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import torch

from app.engine.config import RunConfig
from app.engine.config_codec import to_flat
from app.engine.csv_series import UPLOAD, upload_task
from app.engine.history import History
from app.engine.problems import InputError, Problem
from app.engine.run import Run
from app.engine.saved_file import SavedFormat, read_saved
from app.engine.saved_run_checks import check_history_values, check_outline, check_tensors, damaged
from app.engine.tasks import UPLOAD_NAME, Task

FORMAT = "unrolled-run"
VERSION = 1
# The largest run the settings allow (three LSTM layers of 512 units with Adam's moments) saves to
# about 62 MB: the limit lets every run the app can make travel, and no more.
MAX_BYTES = 64 * 2**20
RUN_FILE = SavedFormat(FORMAT, VERSION, max_bytes=MAX_BYTES, max_inflated=MAX_BYTES)


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
        payload["series"] = torch.tensor(uploaded_series(run), dtype=torch.float64)
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    return buffer.getvalue()


def load_run(data: bytes) -> Run:
    """Rebuild a saved run exactly, or raise InputError saying why the file is refused.

    Every field is checked before anything is built: first the file's outline (sizes, counters,
    shapes; no tensor data read), then its values. A run that loads can train."""
    outline = read_saved(data, RUN_FILE, outline=True)
    try:
        config = check_outline(outline)
        payload = read_saved(data, RUN_FILE)
        return _rebuild(config, payload)
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


def _rebuild(config: RunConfig, payload: dict) -> Run:
    task: Task | None = None
    if config.task.name == UPLOAD_NAME:
        series = payload["series"]
        if not bool(torch.isfinite(series).all()):
            raise damaged("problem.save_series", "the saved series has missing or infinite values")
        task = upload_task(series.numpy(), config.task.window)
    check_history_values(payload["history"], payload["step"], payload["diverged_at"])
    run = Run(config, task=task)
    check_tensors(run, payload)
    run.model.load_state_dict(payload["model"])
    run.optimizer.load_state_dict(payload["optimizer"])
    saved = payload["history"]
    columns = {name: values.tolist() for name, values in saved["columns"].items()}
    run.history = History.from_state({**saved, "columns": columns})
    run.step = payload["step"]
    run.diverged_at = payload["diverged_at"]
    run._last_eval = payload["last_eval"]
    try:
        run.generator.set_state(payload["generator"])
    except RuntimeError:
        raise damaged("problem.save_random", "the random state is damaged") from None
    return run


def uploaded_series(run: Run) -> np.ndarray:
    """The raw series a CSV run learns, in its own units: the standardisation of the first windows and
    the targets undone."""
    task = run.task
    train = task.to_units(torch.cat([task.x_train[0, :, 0], task.y_train]))
    val = task.to_units(task.y_val)
    return np.concatenate([train, val])
