"""The step-through-time engine: the terms it shows are the model's, and they add up to its h_t."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
import torch
from torch import nn

from app.engine.config import RunConfig
from app.engine.problems import InputError
from app.engine.run import Run
from app.engine.tasks import TaskConfig
from app.engine.time_steps import (
    MAX_TYPED,
    Inspection,
    inspect,
    parse_sequence,
    pca_trajectory,
    recompute_rnn_hidden,
    step_terms,
    top_units,
)

SETUPS = [
    ("rnn", "tanh"),
    ("rnn", "relu"),
    ("rnn", "linear"),
    ("lstm", "tanh"),
    ("gru", "tanh"),
]
CASES = [(cell, act, layers) for cell, act in SETUPS for layers in (1, 2)]
IDS = [f"{cell}-{act}-{layers}layer" for cell, act, layers in CASES]
ATOL = 1e-5


@cache
def trained(cell: str, activation: str, layers: int) -> Run:
    """A run on a one-value series task (sine, window 12) trained 20 steps: weights off their init."""
    config = RunConfig(
        task=TaskConfig(name="sine", window=12, noise=0.05),
        cell=cell,
        activation=activation,
        num_layers=layers,
        hidden_size=8,
        learning_rate=0.01,
    )
    run = Run(config)
    assert run.train(steps=20) == 20
    return run


def looked_at(run: Run, index: int = 3) -> tuple[torch.Tensor, Inspection]:
    x = run.task.x_val[index : index + 1]
    return x, inspect(run, x)


def length_of(seen: Inspection) -> int:
    return seen.trace.inputs.shape[1]


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z.astype(np.float64)))


# (a) the shown terms reproduce h_t ---------------------------------------------------------------


@pytest.mark.parametrize(("cell", "activation", "layers"), CASES, ids=IDS)
def test_shown_terms_rebuild_every_hidden_state(cell: str, activation: str, layers: int) -> None:
    run = trained(cell, activation, layers)
    _, seen = looked_at(run)
    hidden = run.config.hidden_size
    for layer in range(layers):
        states = seen.trace.layers[layer].hidden[0].numpy()
        for t in range(length_of(seen)):
            terms = step_terms(run, seen, t, layer)
            assert terms.t == t
            np.testing.assert_allclose(terms.hidden, states[t], atol=ATOL)
            expected_previous = states[t - 1] if t > 0 else np.zeros(hidden)
            np.testing.assert_allclose(terms.previous, expected_previous, atol=ATOL)
            if cell == "rnn":
                assert terms.gates == {}
                rebuilt = recompute_rnn_hidden(terms, activation)
                np.testing.assert_allclose(rebuilt, states[t], atol=ATOL)
            elif cell == "lstm":
                _check_lstm(terms)
            else:
                _check_gru(terms)


def _check_lstm(terms) -> None:
    assert list(terms.gates) == ["i", "f", "g", "o"]
    pre_i, pre_f, pre_g, pre_o = np.split(terms.pre, 4)
    gates = terms.gates
    np.testing.assert_allclose(sigmoid(pre_i), gates["i"], atol=ATOL)
    np.testing.assert_allclose(sigmoid(pre_f), gates["f"], atol=ATOL)
    np.testing.assert_allclose(np.tanh(pre_g), gates["g"], atol=ATOL)
    np.testing.assert_allclose(sigmoid(pre_o), gates["o"], atol=ATOL)
    # The LSTM's pre-activation is also the plain sum of the shown terms.
    np.testing.assert_allclose(
        terms.input_term + terms.recurrent_term + terms.bias, terms.pre, atol=ATOL
    )
    cell = gates["f"] * terms.previous_cell + gates["i"] * gates["g"]
    np.testing.assert_allclose(terms.cell, cell, atol=ATOL)
    np.testing.assert_allclose(terms.hidden, gates["o"] * np.tanh(terms.cell), atol=ATOL)
    if terms.t == 0:
        np.testing.assert_array_equal(terms.previous_cell, 0)


def _check_gru(terms) -> None:
    assert list(terms.gates) == ["r", "z", "n"]
    assert terms.cell is None and terms.previous_cell is None
    pre_r, pre_z, pre_n = np.split(terms.pre, 3)
    gates = terms.gates
    np.testing.assert_allclose(sigmoid(pre_r), gates["r"], atol=ATOL)
    np.testing.assert_allclose(sigmoid(pre_z), gates["z"], atol=ATOL)
    np.testing.assert_allclose(np.tanh(pre_n), gates["n"], atol=ATOL)
    # r and z read the plain sum of the shown terms (n has r inside, on the recurrent part only).
    summed = np.split(terms.input_term + terms.recurrent_term + terms.bias, 3)
    np.testing.assert_allclose(summed[0], pre_r, atol=ATOL)
    np.testing.assert_allclose(summed[1], pre_z, atol=ATOL)
    blend = (1 - gates["z"]) * gates["n"] + gates["z"] * terms.previous
    np.testing.assert_allclose(terms.hidden, blend, atol=ATOL)


# (b) the shown h_t is the model's: an independent torch.nn module agrees --------------------------


def _reference(run: Run, x: torch.Tensor, layers: int) -> tuple[np.ndarray, np.ndarray | None]:
    """Top-layer outputs (time, hidden) and the LSTM's final cell state (hidden,) of an independent
    torch.nn module with ``layers`` layers holding the run's weights (or, for the linear RNN that
    torch lacks, a plain numpy loop)."""
    core = run.model.core
    weights = {
        name: value.detach()
        for name, value in core.state_dict().items()
        if int(name.rsplit("_l", 1)[1]) < layers
    }
    if core.cell == "rnn" and core.activation == "linear":
        inputs = x[0].double().numpy()
        for layer in range(layers):
            W_ih, W_hh, b_ih, b_hh = (
                weights[f"{kind}_l{layer}"].double().numpy()
                for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
            )
            h = np.zeros(core.hidden_size)
            outputs = []
            for x_t in inputs:
                h = W_ih @ x_t + W_hh @ h + b_ih + b_hh
                outputs.append(h)
            inputs = np.array(outputs)
        return inputs, None
    kind = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[core.cell]
    extra = {"nonlinearity": core.activation} if core.cell == "rnn" else {}
    module = kind(core.input_size, core.hidden_size, layers, batch_first=True, **extra)
    module.load_state_dict(weights)
    with torch.no_grad():
        out, state = module(x)
    last_cell = state[1][-1, 0].numpy() if core.cell == "lstm" else None
    return out[0].numpy(), last_cell


@pytest.mark.parametrize(("cell", "activation", "layers"), CASES, ids=IDS)
def test_shown_hidden_states_match_torch_nn(cell: str, activation: str, layers: int) -> None:
    run = trained(cell, activation, layers)
    x, seen = looked_at(run)
    last = length_of(seen) - 1
    for layer in sorted({0, layers - 1}):
        expected, last_cell = _reference(run, x, layer + 1)
        shown = np.array([step_terms(run, seen, t, layer).hidden for t in range(last + 1)])
        np.testing.assert_allclose(shown, expected, atol=1e-4)
        if last_cell is not None:
            np.testing.assert_allclose(
                step_terms(run, seen, last, layer).cell, last_cell, atol=1e-4
            )


def test_upper_layer_reads_the_layer_below() -> None:
    run = trained("lstm", "tanh", 2)
    _, seen = looked_at(run)
    below = seen.trace.layers[0].hidden[0].numpy()
    for t in range(length_of(seen)):
        terms = step_terms(run, seen, t, 1)
        np.testing.assert_allclose(terms.x, below[t], atol=ATOL)
        W_ih = run.model.core.layer_weights(1)[0].detach().numpy()
        np.testing.assert_allclose(terms.input_term, W_ih @ below[t], atol=ATOL)
        assert step_terms(run, seen, t, 0).output is None  # y_t belongs to the top layer
        assert terms.output is not None


# (c) the terms add up, and y_t is the model's answer in the data's units -------------------------


@pytest.mark.parametrize(
    ("cell", "activation", "layers"),
    [case for case in CASES if case[0] == "rnn"],
    ids=[i for i, case in zip(IDS, CASES, strict=True) if case[0] == "rnn"],
)
def test_rnn_terms_add_up_to_the_pre_activation(cell: str, activation: str, layers: int) -> None:
    run = trained(cell, activation, layers)
    _, seen = looked_at(run)
    core = run.model.core
    for layer in range(layers):
        W_ih, W_hh, b_ih, b_hh = (w.detach().numpy() for w in core.layer_weights(layer))
        for t in range(length_of(seen)):
            terms = step_terms(run, seen, t, layer)
            np.testing.assert_allclose(
                terms.input_term + terms.recurrent_term + terms.bias, terms.pre, atol=ATOL
            )
            np.testing.assert_allclose(terms.input_term, W_ih @ terms.x, atol=ATOL)
            np.testing.assert_allclose(terms.recurrent_term, W_hh @ terms.previous, atol=ATOL)
            np.testing.assert_allclose(terms.bias, b_ih + b_hh, atol=ATOL)
            if t == 0:
                np.testing.assert_array_equal(terms.recurrent_term, 0)


@pytest.mark.parametrize(("cell", "activation", "layers"), CASES, ids=IDS)
def test_output_at_each_step_is_the_models_answer_in_units(
    cell: str, activation: str, layers: int
) -> None:
    run = trained(cell, activation, layers)
    x, seen = looked_at(run)
    task = run.task
    length = length_of(seen)
    assert seen.outputs.shape == (length, 1)
    with torch.no_grad():
        answer = task.to_units(run.model(x))
        # y_t is the answer the model would give if the sequence ended at t.
        early = [task.to_units(run.model(x[:, : t + 1]))[0] for t in range(length)]
    last = step_terms(run, seen, length - 1, layers - 1)
    np.testing.assert_allclose(last.output, answer, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(seen.outputs[:, 0], early, rtol=1e-5, atol=1e-4)
    assert task.scaler.std != 1.0  # the units really differ from the standardised values
    np.testing.assert_allclose(seen.inputs, task.to_units(x[0]), atol=1e-5)


def test_two_feature_inputs_are_shown_as_they_are() -> None:
    run = Run(RunConfig(task=TaskConfig(name="adding", length=12), cell="gru", hidden_size=8))
    run.train(steps=20)
    x = run.task.x_val[:1]
    seen = inspect(run, x)
    np.testing.assert_array_equal(seen.inputs, x[0].numpy())
    with torch.no_grad():
        answer = run.model(x)
    np.testing.assert_allclose(seen.outputs[-1], answer, atol=1e-5)
    assert seen.cell == "gru" and seen.activation == "tanh"


# (d) the hidden state's path in the plane of its first two components ----------------------------


@pytest.mark.parametrize(("cell", "activation", "layers"), CASES[::3], ids=IDS[::3])
def test_trajectory_has_one_point_per_step_and_valid_shares(
    cell: str, activation: str, layers: int
) -> None:
    run = trained(cell, activation, layers)
    _, seen = looked_at(run)
    path = pca_trajectory(run, seen, layer=layers - 1)
    length = length_of(seen)
    assert path.points.shape == (length, 2)
    assert path.cloud.shape[1] == 2 and 0 < len(path.cloud) <= 2000
    first, second = path.explained
    assert 0 <= second <= first <= 1
    assert first + second <= 1 + 1e-6
    # A projection never stretches: the path's steps are at most the hidden state's steps.
    states = seen.trace.layers[layers - 1].hidden[0].numpy()
    moved = np.linalg.norm(np.diff(path.points, axis=0), axis=1)
    assert np.all(moved <= np.linalg.norm(np.diff(states, axis=0), axis=1) + 1e-4)


def _line_run(layers: int) -> Run:
    """A linear RNN whose chosen layer's states all lie on one line: no recurrence, rank-one input."""
    run = Run(
        RunConfig(
            task=TaskConfig(name="sine", window=12, noise=0.05),
            activation="linear",
            hidden_size=8,
            num_layers=layers,
        )
    )
    top = run.model.core.layer_weights(layers - 1)
    direction = torch.linspace(-1, 1, 8).unsqueeze(1)
    with torch.no_grad():
        W_ih, W_hh, b_ih, b_hh = top
        W_ih.copy_(direction @ torch.ones(1, W_ih.shape[1]) / W_ih.shape[1])
        W_hh.zero_()
        b_ih.zero_()
        b_hh.zero_()
    return run


def test_states_along_one_direction_give_one_main_component() -> None:
    run = _line_run(layers=1)
    x, seen = looked_at(run)
    path = pca_trajectory(run, seen)
    assert path.explained[0] > 0.999
    assert path.explained[1] < 1e-3
    # Along that line, the path follows the input itself (up to sign and offset).
    assert abs(np.corrcoef(path.points[:, 0], x[0, :, 0].numpy())[0, 1]) > 0.999
    np.testing.assert_allclose(path.points[:, 1], 0, atol=1e-3)


def test_trajectory_uses_the_chosen_layer() -> None:
    run = _line_run(layers=2)  # only the top layer is one-dimensional
    _, seen = looked_at(run)
    assert pca_trajectory(run, seen, layer=1).explained[0] > 0.999
    assert pca_trajectory(run, seen, layer=0).explained[0] < 0.99


# (e) typed sequences ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lesson() -> Run:
    return Run(RunConfig())


def test_typed_temperatures_are_standardised_and_invert_back(lesson: Run) -> None:
    x = parse_sequence("20, 21, 19, 22", lesson.task)
    assert x.shape == (1, 4, 1) and x.dtype == torch.float32
    scaler = lesson.task.scaler
    np.testing.assert_allclose(
        x[0, :, 0].numpy(), (np.array([20, 21, 19, 22]) - scaler.mean) / scaler.std, rtol=1e-6
    )
    np.testing.assert_allclose(lesson.task.to_units(x[0, :, 0]), [20, 21, 19, 22], atol=1e-5)
    # The lesson's own windows are read as the model was trained on them.
    window = lesson.task.x_val[0:1]
    typed = ", ".join(f"{v:g}" for v in lesson.task.to_units(window[0, :, 0]).round(6))
    np.testing.assert_allclose(parse_sequence(typed, lesson.task), window, atol=1e-5)


@pytest.mark.parametrize("text", ["20;21 19", "20,21,,19", " 20\t21\n19 ", "20, 21, 19"], ids=repr)
def test_typed_separators(lesson: Run, text: str) -> None:
    np.testing.assert_allclose(
        lesson.task.to_units(parse_sequence(text, lesson.task)[0, :, 0]), [20, 21, 19], atol=1e-5
    )


def test_typed_unicode_minus_and_exponents(lesson: Run) -> None:
    values = lesson.task.to_units(parse_sequence("−3, 2.5e1, -0.5", lesson.task)[0, :, 0])
    np.testing.assert_allclose(values, [-3, 25, -0.5], atol=1e-5)


def test_typed_limit_is_inclusive(lesson: Run) -> None:
    assert parse_sequence(", ".join(["20"] * MAX_TYPED), lesson.task).shape == (1, MAX_TYPED, 1)


def _refusal(text: str, task) -> list:
    with pytest.raises(InputError) as caught:
        parse_sequence(text, task)
    assert isinstance(caught.value, ValueError)
    return caught.value.problems


@pytest.mark.parametrize(
    ("text", "key", "values"),
    [
        ("", "problem.typed_empty", {}),
        ("  , ;  ", "problem.typed_empty", {}),
        ("abc", "problem.typed_number", {"value": "abc"}),
        ("20, abc", "problem.typed_number", {"value": "abc"}),
        ("1e400", "problem.typed_number", {"value": "1e400"}),
        ("20, nan", "problem.typed_number", {"value": "nan"}),
        ("inf", "problem.typed_number", {"value": "inf"}),
        ("2e6", "problem.typed_number", {"value": "2e6"}),
        ("x" * 30, "problem.typed_number", {"value": "x" * 20}),
        (", ".join(["1"] * (MAX_TYPED + 1)), "problem.typed_long", {"limit": MAX_TYPED}),
    ],
    ids=[
        "empty",
        "separators",
        "abc",
        "mixed",
        "overflow",
        "nan",
        "inf",
        "huge",
        "long-word",
        "too-many",
    ],
)
def test_typed_refusals_carry_stable_keys(lesson: Run, text: str, key: str, values: dict) -> None:
    (problem,) = _refusal(text, lesson.task)
    assert problem.key == key
    assert problem.values == values
    assert problem.text


def test_typing_is_refused_on_a_two_feature_task() -> None:
    task = Run(RunConfig(task=TaskConfig(name="adding", length=10), cell="lstm")).task
    (problem,) = _refusal("20, 21, 19, 22", task)
    assert problem.key == "problem.typed_task"


def test_typed_sequence_can_be_inspected(lesson: Run) -> None:
    x = parse_sequence("20, 21, 19, 22, 25", lesson.task)
    seen = inspect(lesson, x)
    np.testing.assert_allclose(seen.inputs[:, 0], [20, 21, 19, 22, 25], atol=1e-4)
    path = pca_trajectory(lesson, seen)
    assert path.points.shape == (5, 2)
    terms = step_terms(lesson, seen, 4)
    np.testing.assert_allclose(
        recompute_rnn_hidden(terms, "tanh"), seen.trace.layers[0].hidden[0, 4], atol=ATOL
    )


# (f) which units a large hidden state shows ------------------------------------------------------


def test_top_units_picks_the_largest_magnitudes_in_unit_order() -> None:
    values = np.array([0.1, -5.0, 3.0, 0.2, -0.05, 4.0, -0.3])
    np.testing.assert_array_equal(top_units(values, count=3), [1, 2, 5])
    np.testing.assert_array_equal(top_units(values, count=4), [1, 2, 5, 6])
    np.testing.assert_array_equal(top_units(values, count=7), np.arange(7))
    np.testing.assert_array_equal(top_units(values, count=20), np.arange(7))


def test_top_units_default_shows_eight_of_a_large_state() -> None:
    values = np.zeros(64)
    big = [60, 3, 17, 41, 8, 29, 55, 12]
    values[big] = -np.arange(1, 9)  # negatives count by magnitude
    values[[0, 1, 2]] = 0.5
    chosen = top_units(values)
    np.testing.assert_array_equal(chosen, sorted(big))
    assert np.all(np.diff(chosen) > 0)
