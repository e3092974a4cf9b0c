"""A run or a duel as one standalone PyTorch script: the same model, data, seed and losses as the app.

``run_script(config, task)`` is the training page's run, ``duel_script(config)`` a duel; the script
imports only torch (and the standard library) and prints the loss of every one of its first
``EVERY_STEP`` steps, then of every ``PRINT_EVERY``-th. ``script_name`` names its file.
"""

from __future__ import annotations

from dataclasses import replace
from textwrap import dedent, indent

from app.engine.config import RunConfig
from app.engine.duel import DATA_SEED_OFFSET, DuelConfig, run_configs
from app.engine.export_data import data_code
from app.engine.presets import PRESETS
from app.engine.tasks import Task, build_task

EVERY_STEP = 100  # the first steps, printed one by one: the loss moves fastest there
PRINT_EVERY = 100
DEFAULT_STEPS = 2000
CORES = {"rnn": "nn.RNN", "lstm": "nn.LSTM", "gru": "nn.GRU"}
CELL_NAMES = {"rnn": "vanilla RNN", "lstm": "LSTM", "gru": "GRU"}
OPTIMIZERS = {
    # fused: the app's own Adam kernel, so every update agrees with the app's to the last digit.
    "adam": "torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, fused=True)",
    "sgd": "torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)",
    "rmsprop": "torch.optim.RMSprop(model.parameters(), lr=LEARNING_RATE)",
}


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
        _model(config, task),
        _initialise(config),
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
        _model(first, task, cells=tuple(configs)),
        _initialise(model_config, lstm_only="lstm" in configs and len(configs) > 1),
        _train_step(first, task),
        _DUEL_LOOP,
    ]
    return "\n\n\n".join(part.strip("\n") for part in parts) + "\n"


def _header(settings: list[str], name: str) -> str:
    lines = "\n".join(settings)
    return f'''"""Exported from Unrolled: {name}, as one standalone PyTorch script.

{lines}

It builds the very model the app built (same layers, same initialisation drawn from the same seed),
feeds it the same batches in the same order, and prints the losses the app shows.
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


def _model(config: RunConfig, task: Task, cells: tuple[str, ...] = ()) -> str:
    answer = (
        "self.head(hidden[:, -1]).squeeze(-1)  # one number per sequence"
        if task.head == "regression"
        else "self.head(hidden[:, -1])  # one score per class"
    )
    if cells:  # a duel: one class, several cores
        signature, core = (
            "cell, hidden",
            f"CORES[cell]({task.input_size}, hidden, batch_first=True)",
        )
        table = "CORES = {" + ", ".join(f'"{c}": {CORES[c]}' for c in cells) + "}\n\n"
        hidden = "hidden"
    else:
        signature, hidden, table = "", "HIDDEN", ""
        core = _core(config, task)
    extra = _LINEAR_RNN if config.cell == "rnn" and config.activation == "linear" else ""
    doc = "A recurrent core reads the sequence; a linear head answers from its last hidden state."
    return (
        extra
        + table
        + dedent(f'''
        class Model(nn.Module):
            """{doc}"""

            def __init__(self{", " if signature else ""}{signature}):
                super().__init__()
                self.core = {core}
                self.head = nn.Linear({hidden}, {task.output_size})

            def forward(self, x):  # x: (batch, time, inputs)
                hidden, _ = self.core(x)  # (batch, time, hidden): every step's hidden state
                return {answer}
        ''')
    )


def _core(config: RunConfig, task: Task) -> str:
    layers = f", num_layers={config.num_layers}" if config.num_layers > 1 else ""
    if config.cell == "rnn" and config.activation == "linear":
        return f"LinearRNN({task.input_size}, HIDDEN{layers})"
    extra = ', nonlinearity="relu"' if config.cell == "rnn" and config.activation == "relu" else ""
    return f"{CORES[config.cell]}({task.input_size}, HIDDEN{layers}{extra}, batch_first=True)"


_LINEAR_RNN = '''
class LinearRNN(nn.Module):
    """An RNN with no activation, h_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh: torch.nn.RNN has
    none, so it is written out here, with the same parameter names and shapes."""

    def __init__(self, inputs, hidden, num_layers=1):
        super().__init__()
        self.num_layers = num_layers
        for layer in range(num_layers):
            width = inputs if layer == 0 else hidden
            # The same names, shapes and order as torch.nn.RNN's (initialise() fills them).
            shapes = {"weight_ih": (hidden, width), "weight_hh": (hidden, hidden)}
            shapes |= {"bias_ih": (hidden,), "bias_hh": (hidden,)}
            for name, shape in shapes.items():
                self.register_parameter(f"{name}_l{layer}", nn.Parameter(torch.empty(shape)))

    def forward(self, x):  # x: (batch, time, inputs)
        inputs = list(x.unbind(1))  # unbind, not x[:, t]: indexing in the loop slows the backward
        for layer in range(self.num_layers):
            W_ih, W_hh = getattr(self, f"weight_ih_l{layer}"), getattr(self, f"weight_hh_l{layer}")
            b_ih, b_hh = getattr(self, f"bias_ih_l{layer}"), getattr(self, f"bias_hh_l{layer}")
            hidden = x.new_zeros(x.shape[0], W_hh.shape[0])
            outputs = []
            for x_t in inputs:
                hidden = x_t @ W_ih.T + hidden @ W_hh.T + b_ih + b_hh
                outputs.append(hidden)
            inputs = outputs
        return torch.stack(inputs, dim=1), hidden  # (batch, time, hidden)

'''


def _initialise(config: RunConfig, lstm_only: bool = False) -> str:
    """The app's initialisation (models/init.py), in the same order of draws from one generator."""
    body = [
        "bound = 1 / math.sqrt(hidden)",
        "with torch.no_grad():",
        "    # torch.nn's default (uniform within 1/sqrt(hidden)), but drawn from our generator.",
        "    for weight in model.core.parameters():",
        "        weight.uniform_(-bound, bound, generator=generator)",
    ]
    scheme = config.init
    layer_lines = []
    if scheme in ("orthogonal", "gaussian", "identity"):
        layer_lines += [
            'W_hh = getattr(model.core, f"weight_hh_l{layer}")',
            "for block in W_hh.split(hidden):  # one block per gate",
            "    " + _BLOCK[scheme],
        ]
        if scheme == "gaussian":
            layer_lines[-1:] = [
                "    gauss = torch.randn(hidden, hidden, generator=generator) / hidden**0.5",
                "    radius = torch.linalg.eigvals(gauss.double()).abs().max().item()",
                "    block.copy_(RADIUS * gauss / radius)  # spectral radius exactly RADIUS",
            ]
    if scheme == "identity":
        layer_lines += [
            'getattr(model.core, f"bias_ih_l{layer}").zero_()',
            'getattr(model.core, f"bias_hh_l{layer}").zero_()',
        ]
    if config.cell == "lstm":
        lstm = [
            "# Forget gate open at the start (its bias, the second quarter): memory survives",
            "# early training, before the gate has learned anything.",
            'getattr(model.core, f"bias_ih_l{layer}")[hidden : 2 * hidden] = FORGET_BIAS',
            'getattr(model.core, f"bias_hh_l{layer}")[hidden : 2 * hidden] = 0.0',
        ]
        if lstm_only:
            lstm = ["if isinstance(model.core, nn.LSTM):", *("    " + line for line in lstm)]
        layer_lines += lstm
    if layer_lines:
        body += [f"    for layer in range({config.num_layers}):"]
        body += ["        " + line for line in layer_lines]
    body += [
        "    # The head: torch.nn.Linear's default, drawn from the same generator.",
        "    model.head.weight.uniform_(-bound, bound, generator=generator)",
        "    model.head.bias.uniform_(-bound, bound, generator=generator)",
    ]
    constants = ""
    if scheme != "default":
        constants += f"RADIUS = {config.init_radius!r}  # spectral radius of every W_hh block\n"
    if config.cell == "lstm":
        constants += f"FORGET_BIAS = {config.forget_bias!r}\n"
    helper = _ORTHOGONAL if scheme == "orthogonal" else ""
    doc = '"""Set every weight as the app does: the same draws, in the same order."""'
    return (
        constants
        + ("\n\n" if constants else "")
        + helper
        + "def initialise(model, hidden, generator):\n    "
        + doc
        + "\n"
        + indent("\n".join(body), "    ")
    )


_BLOCK = {
    "orthogonal": "block.copy_(RADIUS * orthogonal(hidden, generator))  # every |eigenvalue| = RADIUS",
    "gaussian": "",
    "identity": "block.copy_(RADIUS * torch.eye(hidden))  # Le et al. 2015's IRNN",
}

_ORTHOGONAL = '''def orthogonal(size, generator):
    """A random orthogonal matrix: every eigenvalue has modulus 1."""
    q, r = torch.linalg.qr(torch.randn(size, size, generator=generator, dtype=torch.float64))
    # Fixing the signs makes Q uniformly (Haar) distributed rather than biased by the QR routine.
    return (q * torch.sign(torch.diagonal(r))).float()


'''


def _train_step(config: RunConfig, task: Task) -> str:
    loss = "F.mse_loss" if task.head == "regression" else "F.cross_entropy"
    norm = ["grads = [p.grad for p in model.parameters()]"]
    if config.clip:
        norm[:0] = [
            "# Clipping: a gradient longer than CLIP is scaled down to length CLIP, its direction",
            "# kept. torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP) does the same; written",
            "# out, the scale is computed as the app computes it, so the losses agree to the digit.",
        ]
        norm += [
            "grad_norm = nn.utils.get_total_norm(grads)",
            "if grad_norm > CLIP:",
            "    scale = CLIP / (grad_norm.item() + 1e-6)",
            "    for grad in grads:",
            "        grad.mul_(scale)",
        ]
    else:
        norm[:0] = [
            "# No clipping in this run: only measure the gradient's length, to stop if it overflows.",
        ]
        norm += ["grad_norm = nn.utils.get_total_norm(grads)"]
    body = "\n".join("    " + line for line in norm)
    return f'''def train_step(model, optimizer, x, y):
    """One step: loss, gradient, clipping, update. Returns the loss and whether it stayed finite
    (the app stops a run, without updating, once its loss or gradient is no longer a number)."""
    optimizer.zero_grad()
    loss = {loss}(model(x), y)
    if not math.isfinite(loss.item()):
        return loss.item(), False
    loss.backward()
{body}
    if not math.isfinite(grad_norm.item()):
        return loss.item(), False
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
    optimizer = {OPTIMIZERS[config.optimizer]}
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
        optimizers[cell] = {OPTIMIZERS["adam"]}
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
