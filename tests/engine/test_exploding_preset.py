"""The exploding preset explodes where a student looks first: dL/dh_t through time, at step 0."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from app.engine.diagnostics import fitted_factor, look
from app.engine.presets import PRESETS
from app.engine.run import Run


@pytest.mark.parametrize("seed", range(4))
def test_the_gradient_grows_going_back_in_time(seed: int) -> None:
    found = look(Run(replace(PRESETS["exploding"], seed=seed)))
    assert fitted_factor(found.norms) > 1.15  # measured x1.21-1.29 (radius 1.5 gave x1.02-1.06)
    assert math.log10(found.norms[0] / found.norms[-1]) > 4  # measured 10^4.8-10^5.6
