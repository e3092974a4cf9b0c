"""The run's settings as widgets. The session's RunConfig is the source of truth; widgets mirror it.

Every widget is created with its value from the config, so a widget Streamlit meets for the first
time (on another page: a widget's identity includes its page; or shown again after being hidden)
starts from the config, never from its own default (a number input's min_value). Widget state
written through ``st.session_state`` is only ever written in the run that draws the widget: a value
left behind for a widget not drawn would outrank the config on a later page.

Widgets the lesson builder hides are simply not drawn, and their values stay in the config.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app.engine.config import OPTIMIZERS
from app.engine.config_codec import FLAT_RANGES, from_flat, to_flat
from app.engine.presets import PRESETS
from app.engine.problems import InputError
from app.engine.tasks import TASKS, UPLOAD_NAME
from app.ui import lesson_lock, state
from app.ui.i18n import describe, t
from app.ui.number_inputs import bounded_number
from app.ui.upload import render_upload
from models.init import INIT_SCHEMES
from models.recurrent import CELL_KINDS, RNN_ACTIVATIONS

BOUNDS = FLAT_RANGES  # every ranged setting by its widget's name (the task's seed is "data_seed")
TASK_NAMES = (*TASKS, UPLOAD_NAME)
# A setting's widget: (setting name, widget key, the config's value) -> the widget's value. A value
# of None leaves Streamlit's own default: the widget's state already holds the value.
Draw = Callable[[str, str, object | None], object]


def widget_key(name: str) -> str:
    return "cfg-" + name.replace("_", "-")


# Set when the config changed under live widgets (a preset, a link): the next drawing makes every
# widget show the config, not what the browser holds.
_SHOW_CONFIG = "settings-show-config"


def load_config(config) -> None:
    """Make ``config`` the session's setup; the widgets show it when they next draw."""
    state.RUN.set_config(config)
    st.session_state[_SHOW_CONFIG] = True
    state.RUN.reset()


def load_preset(name: str) -> None:
    """Load a preset, unless it would change a setting the lesson locked (then say why not)."""
    if not lesson_lock.allows(PRESETS[name]):
        state.notify("problem.preset_locked", name=t(f"preset.{name}"))
        return
    load_config(PRESETS[name])
    state.notify("notice.preset", name=t(f"preset.{name}"))


def render_settings() -> None:
    """Draw the settings; when they change, update the config (a new model only when needed)."""
    current = state.RUN.config()
    values = to_flat(current)
    values.update(lesson_lock.pinned())  # a locked lesson's settings hold, whatever changed them
    hidden = lesson_lock.hidden_controls()
    show_config = st.session_state.pop(_SHOW_CONFIG, False)
    for name, draw in WIDGETS.items():
        key = widget_key(name)
        if name in hidden or not _relevant(name, values):
            # Not drawn: forget whatever state it had, so it comes back from the config.
            st.session_state.pop(key, None)
            continue
        value = values[name]
        if show_config:
            # A live widget holds an older value in the browser: set it through its state, in the
            # run that draws it, and give the widget no second default (Streamlit warns on both).
            st.session_state[key] = value
            value = None
        values[name] = draw(name, key, value)
        if name == "task" and values["task"] == UPLOAD_NAME:
            render_upload()
    try:
        new = from_flat(values, base=current)
    except InputError as error:
        for problem in error.problems:
            st.error(describe(problem))
        return
    state.RUN.set_config(new)  # the slot decides whether that needs a new model


def _relevant(name: str, values: dict[str, object]) -> bool:
    task = values["task"]
    params = TASKS[task][0].params if task in TASKS else ("window",)
    if name in ("window", "length", "lag", "symbols", "noise", "frequency", "days"):
        return name in params
    if name == "data_seed":
        return task in ("synthetic_temperature", "sine", "adding", "recall")
    return {
        "activation": values["cell"] == "rnn",
        "init_radius": values["init"] != "default",
        "forget_bias": values["cell"] == "lstm",
        "momentum": values["optimizer"] == "sgd",
        "clip_threshold": bool(values["clip"]),
    }.get(name, True)


def _choice(options: tuple[str, ...], horizontal: bool = False) -> Draw:
    def draw(name: str, key: str, value: object | None) -> object:
        label = t(f"setting.{name}")
        fmt = lambda v: t(f"option.{name}.{v}")  # noqa: E731
        index = options.index(value) if value in options else 0
        if horizontal:
            return st.radio(label, options, index=index, key=key, format_func=fmt, horizontal=True)
        return st.selectbox(label, options, index=index, key=key, format_func=fmt)

    return draw


def _number(step: float | int, fmt: str | None = None) -> Draw:
    def draw(name: str, key: str, value: object | None) -> object:
        help_text = t(f"help.{name}")
        label = t(f"setting.{name}")
        return bounded_number(label, BOUNDS[name], key, value, step=step, fmt=fmt, help=help_text)

    return draw


def _layers(name: str, key: str, value: object | None) -> object:
    options = (1, 2, 3)
    index = options.index(value) if value in options else 0
    return st.radio(t("setting.num_layers"), options, index=index, key=key, horizontal=True)


def _toggle(name: str, key: str, value: object | None) -> object:
    return st.toggle(t(f"setting.{name}"), value=bool(value), key=key, help=t(f"help.{name}"))


WIDGETS: dict[str, Draw] = {
    "task": _choice(TASK_NAMES),
    "window": _number(1),
    "length": _number(1),
    "lag": _number(1),
    "symbols": _number(1),
    "noise": _number(0.05, "%.2f"),
    "frequency": _number(0.01, "%.3f"),
    "days": _number(30),
    "data_seed": _number(1),
    "cell": _choice(CELL_KINDS, horizontal=True),
    "hidden_size": _number(1),
    "num_layers": _layers,
    "activation": _choice(RNN_ACTIVATIONS, horizontal=True),
    "init": _choice(INIT_SCHEMES),
    "init_radius": _number(0.1, "%.2f"),
    "forget_bias": _number(0.5, "%.1f"),
    "optimizer": _choice(OPTIMIZERS),
    "learning_rate": _number(0.001, "%.4f"),
    "momentum": _number(0.05, "%.2f"),
    "batch_size": _number(1),
    "clip": _toggle,
    "clip_threshold": _number(0.1, "%.2f"),
    "seed": _number(1),
}
# What the lesson builder can hide (everything but the task itself).
HIDEABLE = tuple(name for name in WIDGETS if name != "task")
