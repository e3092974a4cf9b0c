"""AppTest helpers: start from app/main.py as `streamlit run` does, then switch page."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button

from app.ui.controls import PLAY_PAUSE_ICONS, play_pause_box, play_pause_key
from app.ui.lazy_tabs import place_key
from tests.conftest import ROOT

MAIN = str(ROOT / "app" / "main.py")
TRAIN = "../pages/train.py"
HOME = "../pages/home.py"


def open_page(page: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_link(page: str, **query: str) -> AppTest:
    """A shared link to ``page``: its first run is that page (open_page starts from home), so
    whatever the link makes the app say is on it. Does not assert: callers check exceptions."""
    at = AppTest.from_file(MAIN, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


def control(at: AppTest, key: str) -> Button:
    """A live control by the key the tests name it with. ``<prefix>-play`` and ``<prefix>-pause``
    are the one Play/Pause button (app/ui/controls.py), which must show that action; missing, as
    a button that is not drawn, it fails the test."""
    box = play_pause_box(key)
    if box is None:
        return at.button(key=key)
    prefix, action = box
    button = at.button(key=play_pause_key(prefix))
    assert button.proto.icon == PLAY_PAUSE_ICONS[action], f"{key}: it shows {button.label!r}"
    return button


def steps(at: AppTest) -> int:
    """The step counter as the page shows it (first metric)."""
    return int(at.metric[0].value.replace(",", "").replace(".", ""))  # 1,234 or 1.234 (pt)


@pytest.fixture
def train_page() -> AppTest:
    return open_page(TRAIN)


LIVE_CHART = "unrolled.live_chart"


def charts(at: AppTest) -> list[dict]:
    """Every figure the page draws, in page order: st.plotly_chart's and the live charts' (the
    component of app/ui/live_chart.py, which carries the same plotly JSON)."""
    found = []
    for element in at.main:  # the main area's elements in page order
        if element.type == "plotly_chart":
            found.append(json.loads(element.proto.spec))
        elif element.type == "bidi_component" and element.proto.component_name == LIVE_CHART:
            found.append(component_data(element)["figure"])
    return found


def component_data(element) -> dict:
    """What one of the app's components (a live chart, a pacer) was handed: JSON bytes
    (app/ui/static_code.py packed)."""
    return json.loads(element.proto.bytes)


def open_tab(at: AppTest, key: str, place: int) -> AppTest:
    """Open the tab at ``place`` (0 for the first) of the lazy tabs ``key`` (app/ui/lazy_tabs.py)
    and run, as a click on it does: AppTest cannot click a tab."""
    at.session_state[place_key(key)] = place
    return at.run()
