"""The lesson as a path: its sections in the lesson's order, the section a session is on (kept in
session state across pages, and in the link as ``?section=<id>``), and moving between sections."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from app.ui import state
from app.ui.query import keep_in_link

SECTION_PARAM = "section"
_CURRENT = (
    "lesson_section"  # not a widget key: widget state is dropped on pages that do not draw it
)
PICK_KEY = "lesson-pick"


@dataclass(frozen=True)
class Instrument:
    """A one-click way to a page: load ``preset`` (None: keep the session's setup), then open ``page``."""

    page: str  # file under pages/
    nav: str  # catalog key of the page's name
    preset: str | None = None


TRAIN = ("train.py", "nav.train")
STEPS = ("time_steps.py", "nav.steps")
GRADIENTS = ("gradients.py", "nav.gradients")
DUEL = ("duel.py", "nav.duel")
TEXT = ("text.py", "nav.text")

# Section id -> the instruments it opens, in the lesson's order.
SECTIONS: dict[str, tuple[Instrument, ...]] = {
    "order": (Instrument(*TRAIN, preset="recall"),),
    "equations": (Instrument(*STEPS, preset="lesson"),),
    "bptt": (Instrument(*GRADIENTS, preset="adding"),),
    "gradients": (
        Instrument(*GRADIENTS, preset="vanishing"),
        Instrument(*GRADIENTS, preset="exploding"),
    ),
    "gates": (Instrument(*STEPS, preset="recall"), Instrument(*DUEL)),
    "stacked": (Instrument(*TRAIN, preset="sine"),),
    "embeddings": (Instrument(*TEXT),),
    "examples": (Instrument(*TRAIN, preset="lesson"), Instrument(*TEXT)),
    "exercises": (),
    "next": (Instrument(*TRAIN, preset="seattle"),),
}
ORDER = tuple(SECTIONS)


def current() -> str:
    """The section this session is on. On the lesson's first visit, the link's ``?section=``
    (an unknown one gets a notice and the first section)."""
    if _CURRENT not in st.session_state:
        asked = st.query_params.get(SECTION_PARAM)
        if asked is not None and asked not in SECTIONS:
            state.notify("lesson.bad_section", value=asked[:40])
        st.session_state[_CURRENT] = asked if asked in SECTIONS else ORDER[0]
    section = st.session_state[_CURRENT]
    keep_in_link(SECTION_PARAM, section)
    return section


def go_to(section: str) -> None:
    """Move to ``section`` (a callback: the page redraws on the new section). Live demos pause,
    so nothing trains out of sight."""
    if section not in SECTIONS:
        return
    st.session_state[_CURRENT] = section
    st.session_state[PICK_KEY] = section
    state.ORDER.set_playing(False)
    state.KERAS.set_playing(False)
    state.RACE.set_playing(False)
    keep_in_link(SECTION_PARAM, section)


def step(offset: int) -> None:
    here = ORDER.index(current())
    go_to(ORDER[min(max(here + offset, 0), len(ORDER) - 1)])


def picked() -> None:
    go_to(st.session_state[PICK_KEY])
