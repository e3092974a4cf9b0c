"""The run's settings as widgets. The session's RunConfig is the source of truth; widgets mirror it.

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
from app.ui import state
from app.ui.i18n import describe, t
from app.ui.number_inputs import bounded_number
from app.ui.upload import render_upload
from models.init import INIT_SCHEMES
from models.recurrent import CELL_KINDS, RNN_ACTIVATIONS

BOUNDS = FLAT_RANGES  # every ranged setting by its widget's name (the task's seed is "data_seed")
TASK_NAMES = (*TASKS, UPLOAD_NAME)


def widget_key(name: str) -> str:
    return "cfg-" + name.replace("_", "-")


def load_config(config) -> None:
    """Make ``config`` the session's setup and point every widget at it (call before widgets draw)."""
    state.RUN.set_config(config)
    for name, value in to_flat(config).items():
        st.session_state[widget_key(name)] = value
    state.RUN.reset()


def load_preset(name: str) -> None:
    load_config(PRESETS[name])
    state.notify("notice.preset", name=t(f"preset.{name}"))


def render_settings() -> None:
    """Draw the settings; when they change, update the config (a new model only when needed)."""
    current = state.RUN.config()
    values = to_flat(current)
    hidden = state.hidden_controls()
    for name, draw in WIDGETS.items():
        if name in hidden or not _relevant(name, values):
            continue
        key = widget_key(name)
        if key not in st.session_state:
            st.session_state[key] = values[name]
        values[name] = draw(name, key)
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


def _choice(options: tuple[str, ...], horizontal: bool = False) -> Callable[[str, str], object]:
    def draw(name: str, key: str) -> object:
        label = t(f"setting.{name}")
        fmt = lambda v: t(f"option.{name}.{v}")  # noqa: E731
        if horizontal:
            return st.radio(label, options, key=key, format_func=fmt, horizontal=True)
        return st.selectbox(label, options, key=key, format_func=fmt)

    return draw


def _number(step: float | int, fmt: str | None = None) -> Callable[[str, str], object]:
    def draw(name: str, key: str) -> object:
        help_text = t(f"help.{name}")
        return bounded_number(
            t(f"setting.{name}"), BOUNDS[name], key, step=step, fmt=fmt, help=help_text
        )

    return draw


def _layers(name: str, key: str) -> object:
    return st.radio(t("setting.num_layers"), (1, 2, 3), key=key, horizontal=True)


def _toggle(name: str, key: str) -> object:
    return st.toggle(t(f"setting.{name}"), key=key, help=t(f"help.{name}"))


WIDGETS: dict[str, Callable[[str, str], object]] = {
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
