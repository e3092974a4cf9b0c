"""The model part of an exported script: torch.nn's own layers, initialised as models/init.py does.

``model_code`` writes the network (a hand-written cell where torch.nn has none: the linear RNN),
``initialise_code`` the initialisation, drawing the same numbers in the same order from one generator.
"""

from __future__ import annotations

from textwrap import dedent, indent

from app.engine.config import RunConfig
from app.engine.tasks import Task

CORES = {"rnn": "nn.RNN", "lstm": "nn.LSTM", "gru": "nn.GRU"}


def model_code(config: RunConfig, task: Task, cells: tuple[str, ...] = ()) -> str:
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


def initialise_code(config: RunConfig, lstm_only: bool = False) -> str:
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
