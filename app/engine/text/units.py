"""What single hidden units respond to: activations over a text, simple features of the text, and a
search that ranks units by how well they follow a feature (Karpathy et al. 2015's "visualizing" idea)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from models.sequence import SequenceModel

VOWELS = frozenset("aeiouAEIOUáéíóúâêôãõàüÁÉÍÓÚÂÊÔÃÕÀ")
OPENING, CLOSING = "([{", ")]}"


@dataclass(frozen=True)
class UnitScore:
    source: str  # "hidden" (h_t) or "cell" (the LSTM's c_t)
    layer: int
    unit: int
    correlation: float  # Pearson r between the unit and the feature over the text


Activations = dict[tuple[str, int], np.ndarray]  # (source, layer) -> (chars, units)


def activations(model: SequenceModel, ids: np.ndarray) -> Activations:
    """Every layer's h_t (and c_t for the LSTM) after reading each character, from a zero state:
    the same states the cell's own equations give (``Recurrent.unroll``, which the other pages
    trace), through torch's fused cells (``Recurrent.states``), several times faster."""
    x = torch.as_tensor(ids, dtype=torch.long).unsqueeze(0)
    with torch.no_grad():
        layers = model.core.states(model.encode(x))
    found: Activations = {}
    for layer, (hidden, cell) in enumerate(layers):
        found["hidden", layer] = hidden[0].numpy()  # (chars, units)
        if cell is not None:
            found["cell", layer] = cell[0].numpy()
    return found


def in_quotes(text: str) -> np.ndarray:
    """1 from an opening quote up to its closing one (on the same line), else 0."""
    out = np.zeros(len(text), dtype=np.float32)
    open_quote = ""
    for t, c in enumerate(text):
        if c == "\n":
            open_quote = ""
        elif c in "\"'" and (not open_quote or c == open_quote):
            open_quote = "" if open_quote else c
            if open_quote:
                out[t] = 1.0
            continue
        out[t] = float(bool(open_quote))
    return out


def bracket_depth(text: str) -> np.ndarray:
    """How many brackets are open after each character (never below 0)."""
    out = np.zeros(len(text), dtype=np.float32)
    depth = 0
    for t, c in enumerate(text):
        if c in OPENING:
            depth += 1
        elif c in CLOSING:
            depth = max(depth - 1, 0)
        out[t] = depth
    return out


def line_position(text: str) -> np.ndarray:
    """Characters read since the last newline (0 on the newline itself)."""
    out = np.zeros(len(text), dtype=np.float32)
    column = 0
    for t, c in enumerate(text):
        column = 0 if c == "\n" else column + 1
        out[t] = column
    return out


def indentation(text: str) -> np.ndarray:
    """Leading spaces of the current line, as far as read."""
    out = np.zeros(len(text), dtype=np.float32)
    indent, leading = 0, True
    for t, c in enumerate(text):
        if c == "\n":
            indent, leading = 0, True
        elif leading and c == " ":
            indent += 1
        else:
            leading = False
        out[t] = indent
    return out


def whitespace(text: str) -> np.ndarray:
    return np.fromiter((c.isspace() for c in text), dtype=np.float32, count=len(text))


def vowel(text: str) -> np.ndarray:
    return np.fromiter((c in VOWELS for c in text), dtype=np.float32, count=len(text))


# The first is the page's default: on the shipped model a cell follows it clearly (see pretrain_char.py).
FEATURES: dict[str, Callable[[str], np.ndarray]] = {
    "line_position": line_position,
    "brackets": bracket_depth,
    "quotes": in_quotes,
    "indentation": indentation,
    "whitespace": whitespace,
    "vowel": vowel,
}


def search_units(acts: Activations, feature: np.ndarray, top: int = 5) -> list[UnitScore]:
    """The units whose activation correlates most (in absolute value) with ``feature``.

    Empty when the feature never changes over the text: there is nothing to correlate with."""
    f = feature.astype(np.float64) - feature.mean()
    f_norm = np.linalg.norm(f)
    if f_norm < 1e-9:
        return []
    scores = []
    for (source, layer), values in acts.items():
        a = values.astype(np.float64)
        a -= a.mean(axis=0)
        norms = np.linalg.norm(a, axis=0)
        r = (f @ a) / np.maximum(norms * f_norm, 1e-12)
        r[norms < 1e-9] = 0.0  # a unit that never moves follows nothing
        scores += [UnitScore(source, layer, k, float(v)) for k, v in enumerate(r)]
    scores.sort(key=lambda s: -abs(s.correlation))
    return scores[:top]


def correlation(values: np.ndarray, feature: np.ndarray) -> float:
    """Pearson r of one unit with a feature (NaN when either never changes)."""
    if np.std(values) < 1e-9 or np.std(feature) < 1e-9:
        return float("nan")
    return float(np.corrcoef(values.astype(np.float64), feature.astype(np.float64))[0, 1])
