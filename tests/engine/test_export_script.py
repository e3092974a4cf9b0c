"""The exported scripts (app/engine/export_script.py) run on their own and reproduce the app's losses.

Every preset and a duel are exported and run as scripts in fresh interpreters (two at a time, one
under pytest-xdist);
a second duel, an uploaded series and settings the presets never use (the hand-written linear cell,
stacked layers, every init and optimiser) run the same script text in this process (importing torch
again in a subprocess costs more than their training). Each is compared with the app's own run over
its first 100 steps: within 1e-5, absolute below a loss of 1 and relative above it (the exploding preset's loss reaches
1e34 before it overflows). A run that diverges must stop at the same step in both, with the same
non-finite or last loss.
"""

from __future__ import annotations

import ast
import contextlib
import io
import math
import os
import re
import runpy
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from app.engine.config import RunConfig
from app.engine.csv_series import upload_task
from app.engine.duel import Duel, DuelConfig
from app.engine.export_script import duel_script, run_name, run_script, script_name
from app.engine.presets import PRESETS
from app.engine.run import Run
from app.engine.tasks import TaskConfig

STEPS = 100
TOLERANCE = 1e-5
SERIES = 12 + 6 * np.sin(np.arange(300) / 9) + np.arange(300) % 5 / 10  # an "uploaded" column
UPLOAD = RunConfig(task=TaskConfig(name="csv", window=12), cell="gru", batch_size=16)

EXTRA_RUNS: dict[str, RunConfig] = {
    # No torch.nn module has a linear RNN: the script writes that cell out.
    "linear_stacked": RunConfig(
        activation="linear", num_layers=2, init="gaussian", init_radius=0.9, optimizer="rmsprop"
    ),
    "gru_synthetic": RunConfig(
        task=TaskConfig(name="synthetic_temperature", days=400, noise=0.3, seed=3),
        cell="gru",
        num_layers=3,
        hidden_size=12,
        init="identity",
        optimizer="sgd",
        momentum=0.5,
        learning_rate=0.05,
        batch_size=8,
        clip_threshold=0.5,
        seed=7,
    ),
    # Only 27 distinct sequences: validation holds out some of every first symbol's.
    "recall_few": RunConfig(
        task=TaskConfig(name="recall", lag=2, symbols=3),
        cell="lstm",
        num_layers=2,
        init="orthogonal",
        init_radius=1.2,
        forget_bias=2.0,
        activation="relu",
    ),
    "relu_sine": RunConfig(
        task=TaskConfig(name="sine", window=10, frequency=0.03), activation="relu", seed=5
    ),
}
RUNS = {**PRESETS, **EXTRA_RUNS}
DUELS: dict[str, DuelConfig] = {
    "duel_adding": DuelConfig(),
    "duel_recall_three": DuelConfig(
        task=TaskConfig(name="recall", lag=8, symbols=4),
        cells=("rnn", "lstm", "gru"),
        match="params",
        forget_bias=3.0,
        hidden_size=16,
    ),
}
IN_SUBPROCESS = (*PRESETS, "duel_adding")


def scripts() -> dict[str, str]:
    found = {name: run_script(config) for name, config in RUNS.items()}
    found["upload"] = run_script(UPLOAD, upload_task(SERIES, UPLOAD.task.window))
    found.update({name: duel_script(config) for name, config in DUELS.items()})
    return found


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    """Each script's standard output after --steps 100: the presets' and a duel's from a fresh
    interpreter far from the repository, two at a time; the others' from this process."""
    folder = tmp_path_factory.mktemp("exported")
    paths = {}
    for name, text in scripts().items():
        paths[name] = folder / script_name(name)
        paths[name].write_text(text, encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", ""), "OMP_NUM_THREADS": "1"}

    def run(path: Path) -> str:
        done = subprocess.run(
            [sys.executable, "-I", str(path), "--steps", str(STEPS)],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=folder,
            env=env,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    # Two at a time when this process has the machine; one beside this process's own runs when a
    # second pytest-xdist worker has the other core (it may be driving the browser tests).
    with ThreadPoolExecutor(max_workers=1 if os.environ.get("PYTEST_XDIST_WORKER") else 2) as pool:
        running = {name: pool.submit(run, paths[name]) for name in IN_SUBPROCESS}
        found = {name: run_here(path) for name, path in paths.items() if name not in running}
        return found | {name: future.result() for name, future in running.items()}


def run_here(path: Path) -> str:
    """A script run as __main__ in this process, its printout captured."""
    printed = io.StringIO()
    argv = sys.argv
    sys.argv = [str(path), "--steps", str(STEPS)]
    try:
        with contextlib.redirect_stdout(printed):
            runpy.run_path(str(path), run_name="__main__")
    finally:
        sys.argv = argv
    return printed.getvalue()


@pytest.mark.parametrize("name", [*RUNS, "upload"])
def test_a_run_script_prints_the_apps_losses(name: str, outputs: dict[str, str]) -> None:
    if name == "upload":
        run = Run(UPLOAD, task=upload_task(SERIES, UPLOAD.task.window))
    else:
        run = Run(RUNS[name])
    run.train(steps=STEPS)
    printed = [float(loss) for loss in re.findall(r"^step +\d+  loss (\S+)$", outputs[name], re.M)]
    assert_same_losses(list(run.history.array("loss")), printed)
    if run.diverged:
        assert "no longer a finite number: training stops here" in outputs[name]


def test_the_exploding_preset_stops_where_the_app_stops(outputs: dict[str, str]) -> None:
    run = Run(PRESETS["exploding"])
    run.train(steps=STEPS)
    printed = re.findall(r"^step +(\d+)  loss (\S+)$", outputs["exploding"], re.M)
    assert run.diverged_at is not None and 10 <= run.diverged_at < STEPS  # measured: 15
    assert int(printed[-1][0]) == run.diverged_at
    assert not math.isfinite(float(printed[-1][1]))  # the loss overflowed in both


@pytest.mark.parametrize("name", list(DUELS))
def test_a_duel_script_trains_every_contender_on_the_apps_batches(
    name: str, outputs: dict[str, str]
) -> None:
    duel = Duel(DUELS[name])
    duel.train(steps=STEPS)
    lines = [line.split()[2:] for line in outputs[name].splitlines() if line.startswith("step ")]
    assert len(lines) == STEPS
    for cell, run in duel.runs.items():
        printed = [float(words[words.index(cell) + 1]) for words in lines if cell in words]
        assert_same_losses(list(run.history.array("loss")), printed)


def test_scripts_import_only_torch_and_the_standard_library() -> None:
    for name, text in scripts().items():
        tree = ast.parse(text)
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        roots = {module.split(".")[0] for module in imported}
        assert roots <= {"argparse", "math", "torch"}, (name, roots)
        assert not {"app", "models", "numpy"} & roots


def test_scripts_are_ruff_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed")
    for name, text in scripts().items():
        for command in (["format", "--check"], ["check"]):
            done = subprocess.run(
                [ruff, *command, "--stdin-filename", script_name(name), "-"],
                input=text,
                capture_output=True,
                text=True,
            )
            assert done.returncode == 0, (name, command, done.stdout, done.stderr)


def test_a_preset_is_named_after_itself_and_anything_else_after_its_task() -> None:
    assert script_name(run_name(PRESETS["seattle"])) == "unrolled_seattle.py"
    changed = replace(PRESETS["seattle"], hidden_size=8)
    assert script_name(run_name(changed)) == "unrolled_seattle_temperature.py"


def test_the_header_names_the_settings() -> None:
    text = run_script(PRESETS["exploding"])
    header = ast.get_docstring(ast.parse(text))
    assert "Unrolled" in header and "no clipping" in header and "radius 3.0" in header
    assert "SGD (learning rate 1.0, momentum 0.0)" in header


def assert_same_losses(app: list[float], printed: list[float]) -> None:
    assert len(printed) == len(app), (len(printed), len(app))
    for step, (expected, got) in enumerate(zip(app, printed, strict=True), start=1):
        if not math.isfinite(expected):
            assert str(got) == str(expected), step  # nan, inf or -inf in both
        else:
            assert abs(got - expected) <= TOLERANCE * max(1.0, abs(expected)), (step, expected, got)
