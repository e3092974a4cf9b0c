"""A user's own series from an uploaded CSV file, read the way real files come, or refused clearly.

Real files: station exports with metadata lines above the header (INMET, BDMEP), ``;`` separators and
decimal commas (``21,4``, ``1.234,56``), Google Sheets exports with quoted ``"21,5"``, tab-separated
pastes, UTF-16 "Unicode text" from Excel. Missing values and sentinel markers (empty, ``null``, ``NA``,
``-9999``...) are counted, and every column reports what was done with them: dropped at the ends,
filled in by linear interpolation inside, or the column refused when too many are missing.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass

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
MAX_WINDOW_VALUES = 4_000_000  # rows x window: the task's windows take 12 bytes per value, twice
MAX_MISSING_SHARE = 0.2  # beyond a fifth missing, filling in would invent the series
MISSING_WORDS = frozenset({"", "null", "na", "n/a", "nan", "none", "-", "--", "?", "#n/d", "#n/a"})
SENTINELS = (-9999.0, -999.0, -99999.0)  # station "no reading" markers (INMET writes -9999)
DELIMITERS = ("\t", ";", ",", "|")  # in order of preference when two fit equally well
ONE_COLUMN = "\x1f"  # a delimiter no text file holds: the whole line is one field


@dataclass(frozen=True)
class ColumnReport:
    """What reading one column found and did: every number of it can be shown to the user."""

    rows: int  # data rows in the file
    blank: int  # empty cells and words such as null, NA, NaN
    sentinels: int  # -9999 and the like
    unreadable: int  # text that is not a number (e.g. "?0.2")
    dropped: int  # missing values at the start or end, left out
    filled: int  # missing values inside, filled in by linear interpolation
    longest_gap: int
    example: str = ""  # one unreadable cell, to show the user

    @property
    def missing(self) -> int:
        return self.blank + self.sentinels + self.unreadable


@dataclass(frozen=True)
class SeriesFile:
    columns: dict[str, np.ndarray]  # the usable numeric columns, by name, gaps handled
    reports: dict[str, ColumnReport]
    skipped: dict[str, ColumnReport]  # numeric columns with too many missing values


def numeric_columns(data: bytes) -> dict[str, np.ndarray]:
    """The columns of a CSV file that hold numbers (at least MIN_ROWS of them), by name."""
    return read_series(data).columns


def read_series(data: bytes) -> SeriesFile:
    """Every numeric column of the file and what was done to its gaps, or InputError saying what
    to change."""
    delimiter, names, rows = _table(_text_of(data))
    comma_hint = delimiter == ";"  # "1.234" alone: thousands in a semicolon file (Brazil)
    columns, reports, skipped = {}, {}, {}
    for index, name in enumerate(names):
        cells = pd.Series([row[index] if index < len(row) else "" for row in rows], dtype=object)
        read = _column(cells, comma_hint)
        if read is None:
            continue
        values, report = read
        if report.missing > MAX_MISSING_SHARE * report.rows or len(values) < MIN_ROWS:
            skipped[name] = report
        else:
            columns[name], reports[name] = values, report
    if not columns and skipped:
        name, report = next(iter(skipped.items()))
        raise InputError(
            Problem(
                "problem.csv_gaps",
                f"column {name} has {report.missing} of {report.rows} values missing",
                {"column": name, "missing": report.missing, "rows": report.rows},
            )
        )
    if not columns:
        raise InputError(
            Problem(
                "problem.csv_numbers",
                f"no column has at least {MIN_ROWS} numbers",
                {"rows": MIN_ROWS},
            )
        )
    return SeriesFile(columns, reports, skipped)


def read_table(data: bytes) -> tuple[list[str], list[list[str]]]:
    """(column names, data rows) of any CSV file, checked and decoded as series files are (size,
    empty, binary, encoding, rows), or InputError: the one way the app reads an uploaded table."""
    _, names, rows = _table(_text_of(data))
    return names, rows


def upload_task(values: np.ndarray, window: int) -> Task:
    """Windows of the uploaded series; the last fifth validates."""
    too_long = window_problem(window, len(values))
    if too_long is not None:
        raise InputError(too_long)
    if len(values) * window > MAX_WINDOW_VALUES:
        raise InputError(
            Problem(
                "problem.csv_window_memory",
                f"{len(values)} values with a window of {window} would not fit in memory",
                {"rows": len(values), "window": window, "limit": MAX_WINDOW_VALUES // window},
            )
        )
    return series_task(UPLOAD, values, window)


def _text_of(data: bytes) -> str:
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
    text = _decode(data)
    if text.count("\n") > MAX_ROWS + 100:  # refused before millions of lines become objects
        raise _too_many_rows(text.count("\n"))
    return text


def _table(text: str) -> tuple[str, list[str], list[list[str]]]:
    """(delimiter, column names, data rows) of the table in ``text``, metadata lines skipped."""
    try:
        lines = text.splitlines()
        delimiter, header_at = _layout(lines)
        rows = _trimmed(list(csv.reader(lines[header_at:], delimiter=delimiter)))
    except csv.Error:
        raise InputError(
            Problem("problem.csv_table", "the file does not read as a table")
        ) from None
    if all(_looks_numeric(cell) for cell in rows[0] if cell.strip()):
        names = _names([""] * len(rows[0]))  # no header row: the first line is data
    else:
        names, rows = _names(rows[0]), rows[1:]
    if len(rows) > MAX_ROWS:
        raise _too_many_rows(len(rows))
    return delimiter, names, rows


def _too_many_rows(rows: int) -> InputError:
    return InputError(
        Problem(
            "problem.csv_rows",
            f"the file has {rows} rows; at most {MAX_ROWS} are read",
            {"rows": rows, "limit": MAX_ROWS},
        )
    )


def _trimmed(rows: list[list[str]]) -> list[list[str]]:
    """Without empty lines at the top and bottom; an empty line inside is a row of missing values."""
    filled = [i for i, row in enumerate(rows) if any(cell.strip() for cell in row)]
    if not filled:
        raise InputError(Problem("problem.csv_empty", "the file is empty"))
    return rows[filled[0] : filled[-1] + 1]


def _decode(data: bytes) -> str:
    """UTF-16 with a byte order mark (Excel's "Unicode text"), UTF-8, else Latin-1 (older Windows)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(Problem("problem.csv_binary", "this is not a text file")) from None
    elif b"\x00" in data[:4096]:
        raise InputError(Problem("problem.csv_binary", "this is not a text file"))
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise InputError(Problem("problem.csv_binary", "this is not a text file"))
    return text


def _layout(lines: list[str]) -> tuple[str, int]:
    """The delimiter, and where the header is: the first line from which the rest of the file keeps
    the data's number of fields (metadata lines above it, like ``ESTACAO:;PORTO ALEGRE``, do not).
    A delimiter that only splits numbers ("21,5" in a one-column file) is not the delimiter."""
    sample = lines[:2000]
    best: tuple[int, int, int, str, int] | None = None
    for rank, delimiter in enumerate(DELIMITERS):
        rows = list(csv.reader(sample, delimiter=delimiter))
        counts = [len(row) if any(c.strip() for c in row) else 0 for row in rows]
        filled = [c for c in counts if c]
        if not filled:
            continue
        tail = filled[len(filled) // 4 :] or filled  # the data, past any metadata at the top
        fields = Counter(tail).most_common(1)[0][0]
        if fields < 2:
            continue
        start = next(i for i, c in enumerate(counts) if c == fields)
        after = [c for c in counts[start:] if c]
        consistent = sum(c == fields for c in after) >= 0.9 * len(after)
        header_is_data = any(counts[:start]) and all(
            _looks_numeric(cell) for cell in rows[start] if cell.strip()
        )
        if not consistent or header_is_data:
            continue
        score = (len(after), fields, -rank)
        if best is None or score > best[:3]:
            best = (*score, delimiter, start)
    if best is not None:
        return best[3], best[4]
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise InputError(Problem("problem.csv_empty", "the file is empty"))
    return ONE_COLUMN, first


def _names(header: list[str]) -> list[str]:
    names: list[str] = []
    for index, cell in enumerate(header):
        name = cell.strip().strip('"') or f"#{index + 1}"
        while name in names:
            name += "'"
        names.append(name)
    return names


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}([.,]\d{3})+([.,]\d+)?$")


def _looks_numeric(cell: str) -> bool:
    text = cell.strip().replace(" ", "")
    return bool(_NUMBER.match(text) or _GROUPED.match(text))


def _column(cells: pd.Series, comma_hint: bool) -> tuple[np.ndarray, ColumnReport] | None:
    """One column's numbers with its gaps handled and reported; None if it is not a numeric column."""
    text = cells.astype(str).str.strip().str.replace("\u00a0", "", regex=False)
    text = text.str.replace(" ", "", regex=False)
    blank = text.str.lower().isin(MISSING_WORDS)
    numbers = pd.to_numeric(_as_dot_decimal(text, comma_hint), errors="coerce")
    values = numbers.to_numpy(dtype=float, copy=True)
    values[~np.isfinite(values)] = np.nan
    number = ~np.isnan(values)
    present = int((~blank).sum())
    if number.sum() < MIN_ROWS or number.sum() < 0.8 * present:
        return None  # dates, names, times: not a series
    sentinel = np.isin(values, SENTINELS)
    unreadable = ~blank.to_numpy() & ~number
    values[sentinel] = np.nan
    series, dropped, filled, longest = _fill_gaps(values)
    example = str(text[unreadable].iloc[0])[:20] if unreadable.any() else ""
    report = ColumnReport(
        rows=len(values),
        blank=int(blank.sum()),
        sentinels=int(sentinel.sum()),
        unreadable=int(unreadable.sum()),
        dropped=dropped,
        filled=filled,
        longest_gap=longest,
        example=example,
    )
    return series, report


def _as_dot_decimal(text: pd.Series, comma_hint: bool) -> pd.Series:
    """Numbers as Python reads them: the column decides whether its comma or its dot is decimal."""
    comma = text.str.contains(r"^[+-]?\d*(?:\.\d{3})*,\d+$", regex=True)
    dot = text.str.contains(r"^[+-]?\d*(?:,\d{3})*\.\d+$", regex=True)
    # "1.234" or "1,234" alone is ambiguous; cells with one or two decimals, or both marks, are not.
    clear_comma = comma & ~text.str.contains(r"^[+-]?\d{1,3},\d{3}$", regex=True)
    clear_dot = dot & ~text.str.contains(r"^[+-]?\d{1,3}\.\d{3}$", regex=True)
    decimal_comma = clear_comma.sum() > clear_dot.sum() or (
        clear_comma.sum() == clear_dot.sum() and comma_hint
    )
    # Only grouped digits lose their separators: "21,5" in a dot-decimal column stays unreadable
    # (and is reported) rather than silently becoming 215.
    if decimal_comma:
        grouped = text.str.contains(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$", regex=True)
        text = text.where(~grouped, text.str.replace(".", "", regex=False))
        return text.str.replace(",", ".", regex=False)
    grouped = text.str.contains(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$", regex=True)
    return text.where(~grouped, text.str.replace(",", "", regex=False))


def _fill_gaps(values: np.ndarray) -> tuple[np.ndarray, int, int, int]:
    """(series, dropped at the ends, filled inside, longest inside gap): linear interpolation."""
    known = np.flatnonzero(~np.isnan(values))
    if len(known) == 0:
        return values[:0], len(values), 0, 0
    first, last = known[0], known[-1]
    inner = values[first : last + 1].copy()
    gaps = np.isnan(inner)
    if gaps.any():
        positions = np.arange(len(inner))
        inner[gaps] = np.interp(positions[gaps], positions[~gaps], inner[~gaps])
    runs = np.diff(np.flatnonzero(np.diff(np.concatenate([[0], gaps.astype(int), [0]]))))[::2]
    longest = int(runs.max()) if len(runs) else 0
    return inner, int(first + len(values) - 1 - last), int(gaps.sum()), longest
