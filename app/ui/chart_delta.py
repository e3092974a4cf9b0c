"""What a live chart's refresh must send: only what changed since the figure the browser holds.

A live chart is redrawn several times a second while a run plays, and most of each figure is the
same as the last one: the layout, the colours, every point of the loss curve but the newest few.
So the browser keeps the last figure it drew, and a refresh sends its differences: of the layout
only the top-level entries that changed (an axis that gains its ticks, not the titles and fonts
around it), and of each trace's x, y and z the number of values kept from the front and
the values after them (a growing curve sends its new points). Each message names the versions it
applies to; a browser that holds another version (a message lost to an interrupted refresh, a
chart mounted afresh) asks for the whole figure (app/ui/live_chart.js).

Pure: plotly JSON in, plotly JSON out (no Streamlit), so the browser's side can be checked here
(``apply``) exactly as live_chart.js does it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ARRAYS = ("x", "y", "z")  # the per-point arrays a curve grows; everything else compares whole
TypedArray = dict  # plotly's {"dtype": "f4", "bdata": base64, "shape"?: "r, c"}


@dataclass(frozen=True)
class Drawn:
    """The figure a browser was last sent for one chart: its version, layout and traces split
    into the growing arrays and the rest."""

    version: int
    layout: dict[str, str]  # each top-level entry as JSON, compared whole
    props: tuple[str, ...]  # per trace: its JSON without ARRAYS
    arrays: tuple[dict[str, TypedArray | list], ...]  # per trace: its ARRAYS


def split(spec: dict, version: int) -> Drawn:
    """``spec`` (a plotly figure as JSON data) as a Drawn record."""
    props, arrays = [], []
    for trace in spec["data"]:
        props.append(_canonical({k: v for k, v in trace.items() if k not in ARRAYS}))
        arrays.append({k: trace[k] for k in ARRAYS if k in trace})
    layout = {key: _canonical(value) for key, value in spec["layout"].items()}
    return Drawn(version, layout, tuple(props), tuple(arrays))


def delta(window: Sequence[Drawn], spec: dict, version: int) -> tuple[dict, Drawn]:
    """The message making ``spec`` version ``version`` in a browser that holds any one of the
    figures in ``window`` (the last few sent; empty for none): ``{"figure": spec, "version": v}``
    whole, or ``{"bases": [v0, ...], "version": v, "delta": ...}``; and the record of ``spec``.

    A browser busy drawing may be handed only the newest of several messages (React keeps the
    last), so a delta is not only for the version sent just before: it keeps what all the
    window's figures share with ``spec`` and sends the rest."""
    after = split(spec, version)
    if not window or any(len(old.props) != len(after.props) for old in window):
        return {"figure": spec, "version": version}, after
    change: dict = {"traces": []}
    layout = _layout_change(window, spec["layout"], after.layout)
    if layout:
        change["layout"] = layout
    for i, trace in enumerate(spec["data"]):
        arrays = after.arrays[i]
        patch: dict = {
            "arrays": {
                name: _tail([(old.arrays[i].get(name), old.version) for old in window], value)
                for name, value in arrays.items()
            }
        }
        if any(old.props[i] != after.props[i] for old in window):
            patch["props"] = {k: v for k, v in trace.items() if k not in ARRAYS}
        change["traces"].append(patch)
    bases = [old.version for old in window]
    return {"bases": bases, "version": version, "delta": change}, after


def _layout_change(window: Sequence[Drawn], layout: dict, parts: dict[str, str]) -> dict:
    """``{"set": {...}, "drop": [...]}``: the layout entries that differ from any of the window's
    (set) and those that some of them have and ``layout`` has not (drop); empty when none."""
    changed = {
        k: v for k, v in layout.items() if any(old.layout.get(k) != parts[k] for old in window)
    }
    dropped = sorted({k for old in window for k in old.layout} - parts.keys())
    return {"set": changed, "drop": dropped} if changed or dropped else {}


def _tail(olds: list[tuple[TypedArray | list | None, int]], new: TypedArray | list) -> dict | None:
    """None when every one of ``olds`` (each with its version) equals ``new``; else
    ``{"keep": k, "tail": ...}``: the first k values, which every one of ``olds`` shares with
    ``new``, followed by ``tail``; or ``_pick``'s part when that is smaller. Only one-dimensional
    typed arrays of one dtype keep values; anything else is sent whole."""
    if all(old == new for old, _ in olds):
        return None
    if not all(_is_vector(old) and old["dtype"] == new["dtype"] for old, _ in olds) or not (
        _is_vector(new)
    ):
        return {"keep": 0, "tail": new}
    b = values_of(new)
    bits = f"u{b.itemsize}"  # compare bit patterns: a NaN equals itself
    keep = len(b)
    held = [(values_of(old), version) for old, version in olds]
    for a, _ in held:
        shared = min(len(a), keep)
        differ = np.flatnonzero(a[:shared].view(bits) != b[:shared].view(bits))
        keep = int(differ[0]) if len(differ) else shared
    plain = {"keep": keep, "tail": typed_array(b[keep:])}
    # A pick costs its masks whatever it saves, and picks no more values than the shortest old
    # array holds: not worth looking for when the values it could save are no bigger (the usual
    # refresh: a few new points after the kept ones).
    most = min(len(b), *(len(a) for a, _ in held))
    if b.itemsize > 4 or _b64_chars((most - keep) * b.itemsize) <= _masks_chars(held):
        return plain
    # And only when the values it must pick are old ones: the first after the kept front and the
    # last of the fewest worth picking (a curve whose values all moved, not thinned, has neither).
    fewest = keep + -(-_masks_chars(held) * 3 // (4 * b.itemsize))
    probes = b[[keep, min(fewest, len(b) - 1)]].view(bits)
    if not all((a.view(bits) == probe).any() for a, _ in held for probe in probes):
        return plain
    return _pick(held, b, keep) or plain


def _pick(held: list[tuple[np.ndarray, int]], new: np.ndarray, keep: int) -> dict | None:
    """``{"pick": {version: mask, ...}, "tail": ...}``: for each version held, a bit mask over its
    values (np.packbits, base64) whose set bits pick, in order, the old values that make the first
    j values of ``new``, the same j for all; then the rest of ``new``. After a thinned curve's
    buckets double, nearly every value moves but nearly all are old ones. None when this is not
    smaller than the plain part keeping ``keep`` values."""
    found = [_embedding(old, new) for old, _ in held]
    shared = min(len(places) for places in found)
    if _b64_chars((shared - keep) * new.itemsize) <= _masks_chars(held):
        return None
    pick = {}
    for (old, version), places in zip(held, found, strict=True):
        mask = np.zeros(len(old), dtype=bool)
        mask[places[:shared]] = True
        pick[str(version)] = base64.b64encode(np.packbits(mask).tobytes()).decode()
    return {"pick": pick, "tail": typed_array(new[shared:])}


def _embedding(old: np.ndarray, new: np.ndarray, rounds: int = 8) -> np.ndarray:
    """Increasing places in ``old`` of values equal, bit for bit, to the first values of ``new``
    (as many of them as found): the greedy match, which finds the longest such front.

    Vectorised: when ``old``'s values are distinct (a thinned curve's steps and, nearly always, its
    values) each has one place, found by one search. Else each value of ``new`` takes the first
    equal one in ``old`` after the place its predecessor took in the round before, until no place
    moves (a round more per run of a repeated value, NaN gaps), at most ``rounds``, after which
    the front found may be shorter, never wrong: strictly increasing places of equal values are a
    true match."""
    if not len(old) or not len(new):
        return np.zeros(0, dtype=np.int64)
    bits = f"u{old.itemsize}"
    wanted = new.view(bits).astype(np.uint64)
    # (value's bits, place) as one sortable number: "the first v at or after p" is one search.
    high = np.uint64(32)
    keys = np.sort(old.view(bits).astype(np.uint64) << high | np.arange(len(old), dtype=np.uint64))
    if (np.diff(keys >> high) > 0).all():  # distinct values: each has one place, found at once
        at = np.minimum(np.searchsorted(keys, wanted << high), len(keys) - 1)
        found = keys[at]
    else:
        wanted_keys = wanted << high
        floor, start = np.zeros(len(new), dtype=np.uint64), np.zeros(1, dtype=np.uint64)
        for _ in range(rounds):
            found = keys[np.minimum(np.searchsorted(keys, wanted_keys | floor), len(keys) - 1)]
            moved = np.concatenate((start, (found[:-1] & np.uint64(0xFFFFFFFF)) + np.uint64(1)))
            if np.array_equal(moved, floor):
                break
            floor = moved
    places = (found & np.uint64(0xFFFFFFFF)).astype(np.int64)
    bad = found >> high != wanted
    bad[1:] |= places[1:] <= places[:-1]
    return places[: int(np.argmax(bad)) if bad.any() else len(new)]


def _masks_chars(held: list[tuple[np.ndarray, int]]) -> int:
    """About what a pick's masks and their versions cost in the message."""
    return sum(_b64_chars(-(-len(old) // 8)) + len(str(version)) + 6 for old, version in held)


def _b64_chars(n_bytes: int) -> int:
    return 4 * -(-n_bytes // 3)


def apply(held: dict, message: dict) -> dict:
    """The figure a browser holding ``held`` draws after ``message`` (what live_chart.js does; a
    mismatched base raises, where the browser asks for the whole figure)."""
    if "figure" in message:
        return {**message["figure"], "version": message["version"]}
    if held.get("version") not in message["bases"]:
        raise ValueError("the message is for another version")
    change = message["delta"]
    layout = dict(held["layout"])
    if "layout" in change:
        layout.update(change["layout"]["set"])
        for key in change["layout"]["drop"]:
            layout.pop(key, None)
    data = []
    for old, patch in zip(held["data"], change["traces"], strict=True):
        trace = dict(patch.get("props") or {k: v for k, v in old.items() if k not in ARRAYS})
        for name, part in patch["arrays"].items():
            trace[name] = old[name] if part is None else _joined(old[name], part, held["version"])
        data.append(trace)
    return {"data": data, "layout": layout, "version": message["version"]}


def _joined(old: TypedArray | list, part: dict, version: int) -> TypedArray | list:
    if "pick" in part:
        if str(version) not in part["pick"]:
            raise ValueError("the pick is for another version")
        values = values_of(old)
        mask = np.frombuffer(base64.b64decode(part["pick"][str(version)]), dtype=np.uint8)
        if len(mask) != -(-len(values) // 8):
            raise ValueError("the pick is for another array")
        chosen = values[np.unpackbits(mask)[: len(values)].astype(bool)]
        return typed_array(np.concatenate([chosen, values_of(part["tail"])]))
    if part["keep"] == 0:
        return part["tail"]
    return typed_array(np.concatenate([values_of(old)[: part["keep"]], values_of(part["tail"])]))


def _is_vector(value: object) -> bool:
    return isinstance(value, dict) and "bdata" in value and "shape" not in value


def typed_array(values: np.ndarray) -> TypedArray:
    """``values`` (little-endian, of a dtype plotly.js reads) as plotly's typed array."""
    spec = {"dtype": values.dtype.str[1:], "bdata": base64.b64encode(values.tobytes()).decode()}
    if values.ndim > 1:
        spec["shape"] = ", ".join(str(n) for n in values.shape)
    return spec


def values_of(array: TypedArray) -> np.ndarray:
    """The numbers of a plotly typed array, flat."""
    return np.frombuffer(base64.b64decode(array["bdata"]), dtype=f"<{array['dtype']}")


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
