"""The top of every live view: where a divergence is said, and the step counter with the speed.

Messages that come and go sit in a container that is always there, so the charts below keep their
place in the page and are updated in place, not re-created (app/ui/live_chart.py)."""

from __future__ import annotations

import math

import streamlit as st

from app.engine.live import Live
from app.ui.i18n import number, t
from app.ui.live_slot import Slot


def divergence_note(target: Live, key: str = "train.diverged", error: bool = False) -> None:
    """A fixed place for the message that training stopped on a NaN (empty while it has not)."""
    box = st.container()
    if target.diverged:
        say = box.error if error else box.warning
        say(
            t(key, step=target.diverged_at),
            icon=":material/error:" if error else ":material/warning:",
        )


def steps_and_speed(slot: Slot, target: Live, columns: list) -> None:
    """The step counter in the first column, the training speed (while playing) in the second."""
    columns[0].metric(t("train.steps"), number(target.step, ","))
    speed = target.steps_per_second if slot.playing() else math.nan
    columns[1].metric(t("train.speed"), "—" if math.isnan(speed) else number(speed, ",.0f"))
