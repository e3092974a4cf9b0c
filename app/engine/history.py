"""A bounded record of a run: one row per recorded step, thinned out as it grows so memory stays flat."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Columns:
    """The columns a history may have: exact names, and prefixes for families of columns (one per
    parameter, one per layer). "step" is always one of them."""

    names: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (
            name == "step" or name in self.names or name.startswith(self.prefixes)
        )


@dataclass
class History:
    """Columns of floats keyed by name. When ``capacity`` rows are reached, every other row is dropped
    (the first one always stays) and from then on only every ``stride``-th record is kept: a long run
    keeps its whole shape. ``force`` keeps a row whatever the stride (the step where a run diverged).

    Its owner declares the columns it may record (``known``): reading a declared column not measured
    yet gives NaN, reading any other name raises KeyError, so a misspelt curve fails loudly instead of
    vanishing. ``known=None`` accepts any name (a history saved before columns were declared)."""

    capacity: int = 2000
    stride: int = 1
    known: Columns | None = field(default_factory=Columns)
    columns: dict[str, list[float]] = field(default_factory=dict)
    _rows: int = 0
    _first: int | None = None  # strides count from the first recorded step
    _forced: set[float] = field(default_factory=set)
    # Set on a history travelling with its run to the training worker (``travelling``): it keeps
    # only its steps (what thinning and ``keeps`` read) and notes every record, for ``replay``.
    journal: list[tuple[int, dict[str, float], bool]] | None = None
    # Columns already converted by array(), extended with the rows added since: a live refresh reads
    # every column it draws, and converting 2,000 floats each time was a tenth of its drawing.
    _arrays: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def record(self, step: int, values: dict[str, float], force: bool = False) -> None:
        if self._first is None:
            self._first = step
        if not force and (step - self._first) % self.stride:
            return
        if force:
            self._forced.add(float(step))
        if self.journal is not None:
            self.journal.append((step, dict(values), force))
            values = {}
        row = {"step": float(step), **values}
        for name in row.keys() - self.columns.keys():
            self.columns[name] = [math.nan] * self._rows  # a column that appears later
        for name, column in self.columns.items():
            column.append(float(row.get(name, math.nan)))
        self._rows += 1
        if self._rows >= self.capacity:
            self._thin()

    def travelling(self) -> History:
        """A copy that records as this one would, holding only the steps, and notes what it
        records: what a run's slice in another process needs of its history, a tenth of it."""
        light = History(self.capacity, self.stride, self.known, journal=[])
        light.columns = {"step": list(self.columns.get("step", []))}
        light._rows, light._first, light._forced = self._rows, self._first, set(self._forced)
        return light

    def replay(self, journal: list[tuple[int, dict[str, float], bool]]) -> None:
        """Record what a travelling copy of this history noted (the same rows, thinned the same)."""
        for step, values, force in journal:
            self.record(step, values, force)

    def keeps(self, step: int) -> bool:
        """Whether a row recorded at ``step`` would be kept (so costly values are measured only then)."""
        return self._first is None or (step - self._first) % self.stride == 0

    def __len__(self) -> int:
        return self._rows

    def array(self, name: str) -> np.ndarray:
        """One column as float32 (what plotly serialises fastest); NaN where not measured. Read-only:
        the same array is handed out until the column grows."""
        column = self._column(name, [])
        if len(column) < self._rows:  # declared, never measured
            return np.full(self._rows, np.nan, dtype=np.float32)
        done = self._arrays.get(name)
        if done is None or len(done) != len(column):
            new = np.asarray(column[len(done) if done is not None else 0 :], dtype=np.float32)
            done = new if done is None else np.concatenate((done, new))
            done.flags.writeable = False
            self._arrays[name] = done
        return done

    def last(self, name: str) -> float:
        """The latest measured (not NaN) value of a column, or NaN."""
        for value in reversed(self._column(name, [])):
            if not math.isnan(value):
                return value
        return math.nan

    def names(self, prefix: str = "") -> list[str]:
        self._whole()
        return sorted(n for n in self.columns if n.startswith(prefix))

    def may_have(self, name: str) -> bool:
        """Whether ``name`` is a column this history has or may come to have."""
        return name in self.columns or self.known is None or name in self.known

    def state(self) -> dict[str, object]:
        """Everything needed to rebuild this history (columns as float64 arrays)."""
        self._whole()
        known = None
        if self.known is not None:
            known = {"names": sorted(self.known.names), "prefixes": list(self.known.prefixes)}
        return {
            "known": known,
            "capacity": self.capacity,
            "stride": self.stride,
            "first": self._first,
            "forced": sorted(self._forced),
            "columns": {
                name: np.asarray(values, dtype=np.float64) for name, values in self.columns.items()
            },
        }

    @classmethod
    def from_state(cls, state: dict) -> History:
        """The inverse of ``state()``; raises ValueError if the columns do not line up. A state
        saved before columns were declared (no "known") gives a history that accepts any name."""
        known = state.get("known")
        history = cls(
            known=None
            if known is None
            else Columns(
                frozenset(str(n) for n in known["names"]),
                tuple(str(p) for p in known["prefixes"]),
            ),
            capacity=int(state["capacity"]),
            stride=int(state["stride"]),
        )
        history.columns = {
            str(name): [float(v) for v in values] for name, values in state["columns"].items()
        }
        lengths = {len(column) for column in history.columns.values()}
        if len(lengths) > 1:
            raise ValueError("history columns differ in length")
        history._rows = lengths.pop() if lengths else 0
        history._first = None if state["first"] is None else int(state["first"])
        history._forced = {float(s) for s in state["forced"]}
        return history

    def _column(self, name: str, missing: list[float]) -> list[float]:
        if name != "step":
            self._whole()
        if name in self.columns:
            return self.columns[name]
        if not self.may_have(name):
            raise KeyError(f"this history has no column {name!r} and never will")
        return missing

    def _whole(self) -> None:
        """Reading values needs the rows: a travelling history has only its steps."""
        if self.journal is not None:
            raise RuntimeError("a travelling history holds only its steps")

    def _thin(self) -> None:
        self.stride *= 2
        steps = self.columns["step"]
        keep = [
            i
            for i, step in enumerate(steps)
            if (step - self._first) % self.stride == 0 or step in self._forced
        ]
        for name, column in self.columns.items():
            self.columns[name] = [column[i] for i in keep]
        self._arrays.clear()  # rows were dropped: convert again
        self._rows = len(keep)
