"""Number inputs bounded by the engine's own ranges, so a widget never offers what the engine refuses."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from app.engine.decimals import read_decimal, write_decimal
from app.engine.problems import InputError, Problem
from app.engine.ranges import Bounds, is_whole
from app.ui.i18n import number, t, uses_decimal_comma

_DECIMALS = "number-inputs-decimals"  # widget key -> _Typed: how its text was written, last value


def bounded_number(
    label: str,
    bounds: Bounds,
    key: str,
    value: float | None = None,
    step: float | None = None,
    fmt: str | None = None,
    help: str | None = None,
) -> float:
    """``st.number_input`` from ``bounds`` for whole numbers; for decimals a text input that
    writes and reads them in the session's language (``decimal_input``: ``step`` and ``fmt`` are
    for whole numbers only).

    Leave ``value`` out when the widget's value is already in session state under ``key``.
    """
    if not is_whole(bounds):
        return decimal_input(label, bounds, key, value, help)
    extra: dict[str, object] = {} if value is None else {"value": int(value)}
    return st.number_input(
        label,
        min_value=int(bounds[0]),
        max_value=int(bounds[1]),
        step=None if step is None else int(step),
        format=fmt,
        key=key,
        help=help,
        **extra,
    )


def decimal_input(
    label: str, bounds: Bounds, key: str, value: float | None = None, help: str | None = None
) -> float:
    """A decimal setting as text: 0,002 in Portuguese, 0.002 in English (st.number_input writes
    only the point). Text that is not a number within ``bounds`` gets a message under the input,
    and the last good value stays in use. The widget's state is its text; a number put there (a
    preset, a link) is written out before the widget is drawn, as is what was understood from
    the last text typed (2e-3 shows as 0,002), in the session's language."""
    comma = uses_decimal_comma()
    record = st.session_state.setdefault(_DECIMALS, {})
    typed = record.get(key)
    kept = float(value) if value is not None else typed.value if typed else float(bounds[0])
    shown = _shown(st.session_state.get(key), bounds, typed.comma if typed else comma, comma)
    if shown is not None:
        # Written even when unchanged: the same key on another page is a new widget, which
        # takes a state only when this run wrote it.
        st.session_state[key] = shown
    extra = {} if key in st.session_state else {"value": write_decimal(kept, comma)}
    text = st.text_input(label, key=key, help=help, **extra)
    try:
        kept = read_decimal(text, bounds, comma)
    except InputError as error:
        st.error(_message(error.problems[0], label, kept, comma), icon=":material/error:")
    record[key] = _Typed(comma, kept)
    return kept


def decimal_slider(
    label: str,
    low: float,
    high: float,
    value: float,
    step: float,
    key: str,
    help: str | None = None,
    spec: str = ".2f",
    persist_state: str | None = None,
) -> float:
    """A slider over decimals that writes them in the session's language (0,80 in Portuguese):
    st.slider prints its value with a fixed printf format, always with a point. The stops are
    ``low, low + step, ... high``; a ``value`` between stops takes the nearest. ``persist_state``
    as Streamlit's (app/ui/lazy_tabs.py)."""
    count = int(round((high - low) / step)) + 1
    stops = [round(low + k * step, 10) for k in range(count)]
    start = min(stops, key=lambda stop: abs(stop - value))
    if key in st.session_state and st.session_state[key] not in stops:
        st.session_state[key] = min(stops, key=lambda stop: abs(stop - st.session_state[key]))
    extra = {} if key in st.session_state else {"value": start}
    return float(
        st.select_slider(
            label,
            stops,
            key=key,
            help=help,
            format_func=lambda v: number(v, spec),
            persist_state=persist_state,
            **extra,
        )
    )


@dataclass(frozen=True)
class _Typed:
    comma: bool  # the decimal mark the widget's text was written with
    value: float  # the last value read from it: kept while its text is not a number in range


def _shown(state: object, bounds: Bounds, written_comma: bool, comma: bool) -> str | None:
    """The text the widget should show for its state: a number or a good text written out in
    the language (read with the marks it was written in: a switch of language keeps 1.000 a
    thousand), a bad text as typed, None for no state yet."""
    if isinstance(state, int | float) and not isinstance(state, bool):
        return write_decimal(state, comma)
    if not isinstance(state, str):
        return None
    try:
        return write_decimal(read_decimal(state, bounds, written_comma), comma)
    except InputError:
        return state


def _message(problem: Problem, label: str, kept: float, comma: bool) -> str:
    """The refusal in the session's language, its numbers written as the input writes them."""
    values = {"label": label, "kept": write_decimal(kept, comma), **problem.values}
    for end in ("low", "high"):
        if end in values:
            values[end] = write_decimal(values[end], comma)
    return t(problem.key, **values)
