"""Number inputs bounded by the engine's own ranges, so a widget never offers what the engine refuses."""

from __future__ import annotations

import streamlit as st

from app.engine.ranges import Bounds, is_whole


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
