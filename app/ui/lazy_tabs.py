"""Tabs that run only the open one: a page whose tabs read a live model (the text page's levels)
computed every tab at every press, though a person sees one. Switching tabs reruns the part of the
page they are in (their fragment), which then draws the tab opened.

Widgets inside such a tab are not drawn while it is closed, so they keep their values with
``persist_state=KEEP`` (or Streamlit forgets them, and the sample's prompt with them). The open tab
is remembered by its place, not its label: the labels follow the session's language, and a tab
whose labels change is a new one to Streamlit."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

KEEP = "page"  # a closed tab's widgets keep their values while the person stays on the page


def lazy_tabs(labels: Sequence[str], key: str) -> list[DeltaGenerator]:
    """``st.tabs(labels)`` whose ``.open`` says which one is open (draw only that one's content),
    the open one kept across a change of language."""
    place = st.session_state.get(place_key(key), 0)
    return st.tabs(
        list(labels),
        key=key,
        default=labels[place if place < len(labels) else 0],
        on_change=_remember,
        args=(key, tuple(labels)),
    )


def draw_open(tabs: Sequence[DeltaGenerator], *draws: Callable[[], object]) -> None:
    """Draw in each open tab of ``tabs`` what its own function of ``draws`` draws."""
    for tab, draw in zip(tabs, draws, strict=True):
        if tab.open:
            with tab:
                draw()


def _remember(key: str, labels: tuple[str, ...]) -> None:
    label = st.session_state.get(key)
    st.session_state[place_key(key)] = labels.index(label) if label in labels else 0


def place_key(key: str) -> str:
    """Where the session keeps the place of the open tab of tabs ``key`` (0 for the first)."""
    return f"_{key}_open"
