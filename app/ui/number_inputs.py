"""Number inputs bounded by the engine's own ranges, so a widget never offers what the engine refuses."""

from __future__ import annotations

import streamlit as st

from app.engine.ranges import Bounds, is_whole
from app.ui.i18n import number


def bounded_number(
    label: str,
    bounds: Bounds,
    key: str,
    value: float | None = None,
    step: float | None = None,
    fmt: str | None = None,
    help: str | None = None,
) -> float:
    """``st.number_input`` from ``bounds``: whole numbers when the range is, else floats.

    Leave ``value`` out when the widget's value is already in session state under ``key``.
    """
    cast = int if is_whole(bounds) else float
    low, high = cast(bounds[0]), cast(bounds[1])
    extra: dict[str, object] = {} if value is None else {"value": cast(value)}
    return st.number_input(
        label,
        min_value=low,
        max_value=high,
        step=None if step is None else cast(step),
        format=fmt,
        key=key,
        help=help,
        **extra,
    )


def decimal_slider(
    label: str,
    low: float,
    high: float,
    value: float,
    step: float,
    key: str,
    help: str | None = None,
    spec: str = ".2f",
) -> float:
    """A slider over decimals that writes them in the session's language (0,80 in Portuguese):
    st.slider prints its value with a fixed printf format, always with a point. The stops are
    ``low, low + step, ... high``; a ``value`` between stops takes the nearest."""
    count = int(round((high - low) / step)) + 1
    stops = [round(low + k * step, 10) for k in range(count)]
    start = min(stops, key=lambda stop: abs(stop - value))
    if key in st.session_state and st.session_state[key] not in stops:
        st.session_state[key] = min(stops, key=lambda stop: abs(stop - st.session_state[key]))
    extra = {} if key in st.session_state else {"value": start}
    return float(
        st.select_slider(
            label, stops, key=key, help=help, format_func=lambda v: number(v, spec), **extra
        )
    )
