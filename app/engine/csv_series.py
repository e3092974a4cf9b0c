"""A user's own series from an uploaded CSV file, refused clearly when it is not what it claims."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

from app.engine.problems import InputError, Problem
from app.engine.tasks import Task, TaskInfo
from app.engine.tasks.base import window_problem
from app.engine.tasks.series import series_task

UPLOAD = TaskInfo(
    "csv",
    "Your own series from a CSV file: does the network beat tomorrow = today?",
    ("window",),
    "forecast",
)
MAX_BYTES = 5 * 1024 * 1024
MIN_ROWS = 30
MAX_ROWS = 100_000  # an hourly station series of eleven years; windows of it must fit in memory


def numeric_columns(data: bytes) -> dict[str, np.ndarray]:
    """The columns of a CSV file that hold numbers (at least MIN_ROWS of them), by name."""
    if not data.strip():
        raise InputError(Problem("problem.csv_empty", "the file is empty"))
    if len(data) > MAX_BYTES:
        raise InputError(
            Problem(
                "problem.csv_size",
                f"the file is larger than {MAX_BYTES // 2**20} MB",
                {"limit_mb": MAX_BYTES // 2**20},
            )
        )
    if b"\x00" in data[:4096]:
        raise InputError(Problem("problem.csv_binary", "this is not a text file"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("latin-1")
        except UnicodeDecodeError as error:  # pragma: no cover - latin-1 decodes any byte
            raise InputError(Problem("problem.csv_binary", "this is not a text file")) from error
    try:
        sep = _delimiter(text)
        # With ";" between fields the comma is usually the decimal mark (21,5 °C in a Brazilian file).
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, decimal="," if sep == ";" else ".", engine="python"
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as error:
        raise InputError(
            Problem(
                "problem.csv_parse",
                f"this does not read as CSV ({error})",
                {"detail": str(error)[:200]},
            )
        ) from error
    columns = {}
    for name in frame.columns:
        values = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=np.float64)
        values = values[np.isfinite(values)]
        if len(values) >= MIN_ROWS:
            columns[str(name)] = values
    if not columns:
        raise InputError(
            Problem(
                "problem.csv_numbers",
                f"no column has at least {MIN_ROWS} numbers",
                {"rows": MIN_ROWS},
            )
        )
    return columns


def upload_task(values: np.ndarray, window: int) -> Task:
    """Windows of the uploaded series; the last fifth validates."""
    too_long = window_problem(window, len(values))
    if too_long is not None:
        raise InputError(too_long)
    return series_task(UPLOAD, values, window)


def _delimiter(text: str) -> str:
    """Comma, semicolon (common in Brazil, where the comma is the decimal mark), tab or bar."""
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","  # one column, or nothing to go on
