"""A live refresh sends the chart builders' dicts without plotly's validation (app/charts/style.py
plain_figures): on every live page, what is sent must be exactly what plotly would have made of
the same figure (an invalid property would raise here; a value plotly coerces would differ)."""

from __future__ import annotations

import base64

import numpy as np
import plotly.graph_objects as go
import pytest

from app.ui import live_chart
from tests.pages.conftest import open_link

PAGES = [
    ("../pages/train.py", "train", {}),
    ("../pages/train.py", "train", {"preset": "recall"}),
    ("../pages/gradients.py", "grad", {"clip": "1", "clip_threshold": "0.5"}),
    ("../pages/duel.py", "duel", {}),
    ("../pages/text.py", "text", {}),
    ("../pages/text.py", "words", {"mode": "words"}),
    ("../pages/sentiment.py", "sentiment", {}),
]


@pytest.mark.parametrize(("page", "prefix", "query"), PAGES)
def test_live_figures_sent_plain_are_what_plotly_makes_of_them(
    monkeypatch: pytest.MonkeyPatch, page: str, prefix: str, query: dict[str, str]
) -> None:
    checked: list[str] = []
    sent_plain = live_chart.payload

    def compared(fig):
        sent = sent_plain(fig)
        if isinstance(fig, dict):
            validated = go.Figure(data=fig["data"], layout=fig["layout"])  # raises if invalid
            differences = list(_differences(_meaning(sent), _meaning(sent_plain(validated))))
            assert not differences, differences[:8]
            checked.append(str(fig["layout"].get("title")))
            # Its title clear of long tick labels (2×10⁻⁷ on a projector): the margin fits them.
            assert fig["layout"]["yaxis"].get("automargin") is True, checked[-1]
        return sent

    monkeypatch.setattr(live_chart, "payload", compared)
    at = open_link(page, **query)  # a shared link: its first run is the page
    model = f"{prefix}-model"  # the text page's live model, not the shipped one
    if any(radio.key == model for radio in at.radio):
        at.radio(key=model).set_value("live").run()
    step = next(b.key for b in at.button if (b.key or "").startswith(f"{prefix}-step"))
    at.button(key=step).click().run()  # a chart with data, not only the empty one
    at.button(key=step).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert checked, "no live chart drawn from plain figures"


def _meaning(value):
    """What plotly.js reads from JSON data: a typed array as its values whatever its dtype, an
    empty list as no list."""
    if isinstance(value, dict) and "bdata" in value:
        values = np.frombuffer(base64.b64decode(value["bdata"]), dtype=f"<{value['dtype']}")
        return {"values": values.astype(np.float32).tolist(), "shape": value.get("shape")}
    if isinstance(value, dict):
        return {k: _meaning(v) for k, v in value.items() if v != []}
    if isinstance(value, list):
        return [_meaning(v) for v in value]
    return value


def _differences(a, b, path: str = ""):
    """Where two JSON values differ, as paths (the first few are reported)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            yield from _differences(
                a.get(key, "<missing>"), b.get(key, "<missing>"), f"{path}.{key}"
            )
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _differences(x, y, f"{path}[{i}]")
    elif a != b:
        yield f"{path}: {str(a)[:80]} != {str(b)[:80]}"
