"""A run or a duel as one standalone PyTorch script: the same model, data, seed and losses as the app.

``run_script(config, task)`` is the training page's run, ``duel_script(config)`` a duel; the script
imports only torch (and the standard library) and prints the loss of every one of its first
``EVERY_STEP`` steps, then of every ``PRINT_EVERY``-th. ``script_name`` names its file.
"""

from __future__ import annotations

from dataclasses import replace

from app.engine.config import RunConfig
from app.engine.duel import DATA_SEED_OFFSET, DuelConfig, run_configs
from app.engine.export_data import data_code
from app.engine.export_model import initialise_code, model_code
from app.engine.presets import PRESETS
from app.engine.tasks import Task, build_task

EVERY_STEP = 100  # the first steps, printed one by one: the loss moves fastest there
PRINT_EVERY = 100
DEFAULT_STEPS = 2000
CELL_NAMES = {"rnn": "vanilla RNN", "lstm": "LSTM", "gru": "GRU"}
OPTIMIZERS = {
    # fused: the app's own Adam kernel, so every update agrees with the app's to the last digit.
    "adam": "torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, fused=True)",
    "sgd": "torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)",
    "rmsprop": "torch.optim.RMSprop(model.parameters(), lr=LEARNING_RATE)",
}


# Said in the script, after the optimiser it explains.
_FUSED = "# fused: the app's own Adam kernel, so every update agrees with the app's.\n    "


def script_name(name: str) -> str:
    """The file a script downloads as: ``unrolled_<preset or task>.py``."""
    return f"unrolled_{name}.py"


def run_name(config: RunConfig) -> str:
    """The preset this config is, else its task's name."""
    return next((name for name, preset in PRESETS.items() if preset == config), config.task.name)


def run_script(config: RunConfig, task: Task | None = None) -> str:
    """The script of one run; ``task`` is the run's own task (needed for an uploaded series)."""
    config = config.check()
    task = task if task is not None else build_task(config.task)
    constants = {
        "SEED": config.seed,
        "BATCH_SIZE": config.batch_size,
        "HIDDEN": config.hidden_size,
        "LEARNING_RATE": config.learning_rate,
        **({"MOMENTUM": config.momentum} if config.optimizer == "sgd" else {}),
        **({"CLIP": config.clip_threshold} if config.clip else {}),
    }
    parts = [
        _header(_run_settings(config, task), run_name(config)) + _IMPORTS + _constants(constants),
        data_code(config.task, task),
        model_code(config, task),
        initialise_code(config),
        _train_step(config, task),
        _run_loop(config),
    ]
    return "\n\n\n".join(part.strip("\n") for part in parts) + "\n"


def duel_script(config: DuelConfig) -> str:
    """The script of a duel: every contender trains on the very same stream of batches."""
    configs = run_configs(config)
    first = next(iter(configs.values())).check()
    task = build_task(config.task)
    hidden = ", ".join(f'"{cell}": {c.hidden_size}' for cell, c in configs.items())
    constants = {
        "SEED": config.seed,
        "DATA_SEED": config.seed + DATA_SEED_OFFSET,
        "BATCH_SIZE": config.batch_size,
        "LEARNING_RATE": config.learning_rate,
        "CLIP": first.clip_threshold,
    }
    settings = [
        f"A duel on {_task_words(config.task.name, task)}: "
        + ", ".join(f"{CELL_NAMES[cell]} (hidden {c.hidden_size})" for cell, c in configs.items())
        + ",",
        f"Adam (learning rate {config.learning_rate}), batch {config.batch_size}, "
        f"clipping at {first.clip_threshold}, forget-gate bias {config.forget_bias}, seed {config.seed}.",
    ]
    model_config = replace(first, cell="lstm" if "lstm" in configs else first.cell)
    parts = [
        _header(settings, f"duel_{config.task.name}")
        + _IMPORTS
        + _constants(constants)
        + f"\nHIDDEN = {{{hidden}}}  # hidden size of each contender",
        data_code(config.task, task),
        model_code(first, task, cells=tuple(configs)),
        initialise_code(model_config, lstm_only="lstm" in configs and len(configs) > 1),
        _train_step(first, task),
        _DUEL_LOOP,
    ]
    return "\n\n\n".join(part.strip("\n") for part in parts) + "\n"


def _header(settings: list[str], name: str) -> str:
    lines = "\n".join(settings)
    return f'''"""Exported from Unrolled: {name}, as one standalone PyTorch script.

{lines}

It builds the very model the app built (same layers, same initialisation drawn from the same seed),
feeds it the same batches in the same order, and prints the losses the app shows: every one of
the first {EVERY_STEP} steps, then every {PRINT_EVERY}th.
Run it with `python {script_name(name)}`, or `--steps 500` for a shorter run. It needs only torch.
"""'''


_IMPORTS = """

import argparse
import math

import torch
from torch import nn
from torch.nn import functional as F

"""


def _constants(values: dict[str, object]) -> str:
    lines = [f"{name} = {value!r}" for name, value in values.items()]
    lines.append(f"STEPS = {DEFAULT_STEPS}")
    return "\n".join(lines)


def _run_settings(config: RunConfig, task: Task) -> list[str]:
    cell = CELL_NAMES[config.cell] + (f" ({config.activation})" if config.cell == "rnn" else "")
    init = f"{config.init} initialisation" + (
        f" (radius {config.init_radius})" if config.init != "default" else ""
    )
    optimiser = {"adam": "Adam", "sgd": "SGD", "rmsprop": "RMSprop"}[config.optimizer]
    extra = f", momentum {config.momentum}" if config.optimizer == "sgd" else ""
    clip = f"clipping at {config.clip_threshold}" if config.clip else "no clipping"
    layers = "1 layer" if config.num_layers == 1 else f"{config.num_layers} stacked layers"
    forget = f", forget-gate bias {config.forget_bias}" if config.cell == "lstm" else ""
    return [
        f"Task: {_task_words(config.task.name, task)}.",
        f"Model: {cell}, hidden size {config.hidden_size}, {layers}, {init}{forget}.",
        f"Training: {optimiser} (learning rate {config.learning_rate}{extra}), batch {config.batch_size}, "
        f"{clip}, seed {config.seed}.",
    ]


def _task_words(name: str, task: Task) -> str:
    words = {
        "lesson_temperature": "the lesson's seven temperature windows",
        "seattle_temperature": "Seattle's daily maximum temperatures",
        "synthetic_temperature": "a made-up climate",
        "sine": "a noisy sine wave",
        "adding": "the adding problem",
        "recall": "delayed recall",
    }
    return words.get(name, "your own series")


def _train_step(config: RunConfig, task: Task) -> str:
    loss = "F.mse_loss" if task.head == "regression" else "F.cross_entropy"
    clipping = ""
    if config.clip:
        clipping = """
    # Clipping: a gradient longer than CLIP is scaled down to length CLIP, its direction kept.
    # torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP) does the same; written out, the
    # scale is computed as the app computes it, so the losses agree to the last digit.
    if grad_norm > CLIP:
        scale = CLIP / (grad_norm.item() + 1e-6)
        for grad in grads:
            grad.mul_(scale)"""
    return f'''def train_step(model, optimizer, x, y):
    """One step: loss, gradient, clipping, update. Returns the loss and whether it stayed finite
    (the app stops a run, without updating, once its loss or gradient is no longer a number)."""
    optimizer.zero_grad()
    loss = {loss}(model(x), y)
    if not math.isfinite(loss.item()):
        return loss.item(), False
    loss.backward()
    # The gradient's length over every parameter: an overflow stops the run.
    grads = [p.grad for p in model.parameters()]
    grad_norm = nn.utils.get_total_norm(grads)
    if not math.isfinite(grad_norm.item()):
        return loss.item(), False{clipping}
    optimizer.step()
    return loss.item(), True


def shown(step):
    """Every one of the first {EVERY_STEP} steps, then every {PRINT_EVERY}th."""
    return step <= {EVERY_STEP} or step % {PRINT_EVERY} == 0


def steps_wanted():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=STEPS, help="training steps")
    return parser.parse_args().steps'''


def _run_loop(config: RunConfig) -> str:
    return f"""def main():
    # One generator for every random draw, the weights first and then the batches, seeded as
    # the app seeds its run (a generator of its own, never the global one).
    generator = torch.Generator().manual_seed(SEED)
    model = Model()
    initialise(model, HIDDEN, generator)
    {_FUSED if config.optimizer == "adam" else ""}optimizer = {OPTIMIZERS[config.optimizer]}
    for step in range(1, steps_wanted() + 1):
        x, y = draw_batch(BATCH_SIZE, generator)
        loss, finite = train_step(model, optimizer, x, y)
        if shown(step) or not finite:
            print(f"step {{step:5d}}  loss {{loss:.10g}}")
        if not finite:
            print("The loss or its gradient is no longer a finite number: training stops here.")
            break


if __name__ == "__main__":
    main()"""


_DUEL_LOOP = f"""def main():
    models, optimizers = {{}}, {{}}
    for cell, hidden in HIDDEN.items():
        # Each contender draws its weights from a generator seeded alike, as each of the app's runs does.
        model = Model(cell, hidden)
        initialise(model, hidden, torch.Generator().manual_seed(SEED))
        models[cell] = model
        {_FUSED}    optimizers[cell] = {OPTIMIZERS["adam"]}
    # The batches come from a generator of their own: every model sees the very same stream.
    data_generator = torch.Generator().manual_seed(DATA_SEED)
    for step in range(1, steps_wanted() + 1):
        x, y = draw_batch(BATCH_SIZE, data_generator)
        line, stopped = f"step {{step:5d}}", []
        for cell in list(models):
            loss, finite = train_step(models[cell], optimizers[cell], x, y)
            line += f"  {{cell}} {{loss:.10g}}"
            if not finite:  # this one stops; the others race on
                stopped.append(cell)
                del models[cell]
        if shown(step) or stopped:
            print(line)
        for cell in stopped:
            print(f"{{cell}}: the loss or its gradient is no longer a finite number: it stops here.")
        if not models:
            break


if __name__ == "__main__":
    main()"""
