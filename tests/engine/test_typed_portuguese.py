"""Numbers typed in Portuguese read as Portuguese on the step-through page."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine.config import RunConfig
from app.engine.problems import InputError
from app.engine.run import Run
from app.engine.time_steps import parse_sequence


@pytest.fixture(scope="module")
def task():
    return Run(RunConfig()).task


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("0,5; 0,7; 0,9", [0.5, 0.7, 0.9]),
        ("20, 21, 19, 22", [20, 21, 19, 22]),
        ("20 21,5 -1,25", [20, 21.5, -1.25]),
        ("1.234,5; 2", [1234.5, 2]),
        ("2.5; 3", [2.5, 3]),
    ],
)
def test_portuguese_numbers(task, text: str, values: list[float]) -> None:
    read = task.to_units(parse_sequence(text, task, decimal_comma=True)[0, :, 0])
    np.testing.assert_allclose(read, values, rtol=1e-5)


def test_english_keeps_commas_as_separators(task) -> None:
    read = task.to_units(parse_sequence("0,5", task)[0, :, 0])
    np.testing.assert_allclose(read, [0, 5], atol=1e-5)


def test_an_ambiguous_run_of_commas_is_refused_clearly(task) -> None:
    with pytest.raises(InputError) as error:
        parse_sequence("0,5,0,7", task, decimal_comma=True)
    assert error.value.problems[0].key == "problem.typed_number"
