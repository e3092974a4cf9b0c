"""The top of every live view: where a divergence is said, the row of numbers, and the step counter
with the speed.

Messages that come and go sit in a container that is always there, so the charts below keep their
place in the page and are updated in place, not re-created (app/ui/live_chart.py).

Every refresh of a live fragment sends each of its blocks again, so a live view keeps few of them:
its numbers share one row (one block; four columns were five, a third of a refresh's messages)."""

from __future__ import annotations

import math

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from app.engine.live import Live
from app.ui.i18n import number, t
from app.ui.live_slot import Slot


def divergence_note(
    target: Live, key: str = "train.diverged", error: bool = False
) -> DeltaGenerator:
    """A fixed place for the message that training stopped on a NaN (empty while it has not);
    returned, so a view's other notes (a rebound, "press Play") share its one block."""
    box = st.container()
    if target.diverged:
        say = box.error if error else box.warning
        say(
            t(key, step=target.diverged_at),
            icon=":material/error:" if error else ":material/warning:",
        )
    return box


def metric_row() -> DeltaGenerator:
    """One row for a live view's numbers, equal shares of the width, wrapping on a narrow screen."""
    return st.container(horizontal=True, gap="medium")


def steps_and_speed(slot: Slot, target: Live, row: DeltaGenerator) -> None:
    """The step counter, then the training speed (while playing), in ``row``."""
    row.metric(t("train.steps"), number(target.step, ","))
    speed = target.steps_per_second if slot.playing() else math.nan
    row.metric(t("train.speed"), "—" if math.isnan(speed) else number(speed, ",.0f"))
