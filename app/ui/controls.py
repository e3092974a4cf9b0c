"""Play, Pause, Step and Reset, and a page's preset buttons. They sit outside the live fragment,
in the page's live section (app/ui/live_fragment.py), and act through callbacks, so a press takes
effect at once, even while training runs, and reruns the section, not the page. Each acts on one
live slot (app/ui/live_slot.py)."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from app.ui import state
from app.ui.i18n import number, t
from app.ui.live_slot import Slot
from app.ui.load_meter import beat
from app.ui.settings import load_preset

# The Play/Pause button's icon, by what it does now (the browser tests and the load client read it).
PLAY_PAUSE_ICONS = {"play": ":material/play_arrow:", "pause": ":material/pause:"}
SPEED_WIDTH = 400  # px: the label on one line at the projector's type size, in Portuguese too


def render_controls(slot: Slot, prefix: str = "train") -> None:
    """The four buttons of ``slot``; ``prefix`` names their keys (``train-play-pause``...)."""
    target = slot.get()
    diverged = target is None or target.diverged
    # One row of buttons as wide as their words, then the speed; on a narrow column (the lesson's
    # live part on a projector) the speed wraps under them instead of the words being cut.
    row = st.container(horizontal=True, vertical_alignment="bottom", key=f"{prefix}-controls")
    common = {"width": "content"}
    action = "pause" if slot.playing() else "play"
    # Play and Pause are one button (one key, so one element the browser updates in place), in a
    # box named by what it does now (`st-key-<prefix>-play` or `-pause`). Two buttons taking
    # turns were two elements: after Play, the browser kept the old one beside the new one until
    # the run ended, and as it vanished the row shifted under a click on Pause.
    box = row.container(key=f"{prefix}-{action}", width="content")
    box.button(
        t(f"controls.{action}"),
        key=play_pause_key(prefix),
        on_click=_pause if action == "pause" else _play,
        args=(slot, prefix),
        type="primary",
        icon=PLAY_PAUSE_ICONS[action],
        disabled=diverged and action == "play",
        **common,
    )
    row.button(
        t("controls.step"),
        key=f"{prefix}-step",
        on_click=_step,
        args=(slot, prefix, 1),
        disabled=diverged,
        help=t("controls.step_help"),
        icon=":material/skip_next:",
        **common,
    )
    row.button(
        t("controls.step10"),
        key=f"{prefix}-step10",
        on_click=_step,
        args=(slot, prefix, 10),
        disabled=diverged,
        icon=":material/fast_forward:",
        **common,
    )
    row.button(
        t("controls.reset"),
        key=f"{prefix}-reset",
        on_click=_reset,
        args=(slot,),
        icon=":material/restart_alt:",
        **common,
    )
    row.select_slider(
        t("controls.speed"),
        options=state.SPEEDS,
        value=state.speed(),
        key=f"{prefix}-speed",
        format_func=lambda v: t("controls.speed_full") if v == 0 else number(v, ","),
        on_change=_speed,
        args=(slot, f"{prefix}-speed"),
        help=t("controls.speed_help"),
        width=SPEED_WIDTH,
    )


def play_pause_key(prefix: str) -> str:
    """The widget key of the Play/Pause button of the controls keyed by ``prefix``."""
    return f"{prefix}-play-pause"


def play_pause_box(key: str) -> tuple[str, str] | None:
    """The controls' prefix and the action (``play``, ``pause``) named by ``key`` when it names
    the box of a Play/Pause button (``<prefix>-play``, ``<prefix>-pause``); None otherwise."""
    prefix, _, action = key.rpartition("-")
    return (prefix, action) if action in PLAY_PAUSE_ICONS else None


def render_preset_buttons(names: tuple[str, ...], prefix: str) -> None:
    """One button per preset a page is about (the sidebar has them all)."""
    # In a row of their own width (wrapping on a narrow screen): a column cut their long names.
    with st.container(horizontal=True):
        for name in names:
            st.button(
                t(f"preset.{name}"),
                key=f"{prefix}-preset-{name}",
                on_click=load_preset,
                args=(name,),
                width="content",
                icon=":material/tune:",
            )


def section_key(prefix: str) -> str:
    """The fragment key of the live section holding the controls keyed by ``prefix``."""
    return f"{prefix}-section"


def _pressed(slot: Slot) -> None:
    """Say that a control of ``slot`` was pressed: its buttons are drawn again, even when the
    browser sent the press with a refresh's request as one rerun of the live fragment alone
    and it could not be sent to its section (live_fragment.py)."""
    slot.state().pressed = True


def _answered_by_section(slot: Slot, prefix: str) -> None:
    """Last in a press's callback: the press is answered by a run of its live section.

    The browser sends the widget changes of one moment as one rerun, of the innermost fragment
    when one of them is in it: a press landing with the pacer's request would rerun the live
    fragment alone, whose run cannot redraw the buttons. Then the press asks for its section by
    its key instead (the pacer's callback asks for nothing, so the section's run is the answer).
    A press sent as a rerun of its section, or of the app, is left as it is: asking again would
    start its run twice."""
    ctx = get_script_run_ctx(suppress_warning=True)
    running = getattr(ctx, "fragment_ids_this_run", None)
    if not running:
        return
    try:
        section = ctx.fragment_storage.resolve_target(section_key(prefix))
    except (AttributeError, StreamlitAPIException):
        return  # not drawn yet (or Streamlit changed): the full-app run answers it
    if not set(section) & set(running):
        slot.state().pressed = False  # answered by the section: no full-app run
        st.rerun(section_key(prefix))


def _pause(slot: Slot, prefix: str) -> None:
    _pressed(slot)
    slot.set_playing(False)
    _answered_by_section(slot, prefix)


def _play(slot: Slot, prefix: str) -> None:
    _pressed(slot)
    beat()  # counted at once: the tick of the next refresh already knows this session plays
    slot.set_playing(True)
    _answered_by_section(slot, prefix)


def _step(slot: Slot, prefix: str, count: int) -> None:
    """A step pauses a playing thing first: the press means "one at a time now"."""
    _pressed(slot)
    target = slot.get()
    slot.set_playing(False)
    if target is not None:
        target.train(steps=count)
    _answered_by_section(slot, prefix)


def _speed(slot: Slot, key: str) -> None:
    """The speed is kept in the page's link, written outside the live section: the whole page."""
    slot.state().app_run = True
    state.set_speed(st.session_state[key])


def _reset(slot: Slot) -> None:
    """A new object, and a notice at the top of the page: the answer is the whole page."""
    _pressed(slot)
    slot.state().app_run = True
    slot.reset()
    state.notify("notice.reset")
