"""Files people bring: hostile saved runs refused with a clear Problem, nothing built, memory bounded.

Every hostile file is made here. The memory test loads each in a child process and reads its peak
resident memory before and after (the kernel's high-water mark, reset before each file), so nothing
else in the test run can hide a spike; a control shows the same bomb unchecked does raise it."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from app.engine.config import RunConfig
from app.engine.config_codec import to_flat
from app.engine.csv_series import upload_task
from app.engine.presets import PRESETS
from app.engine.problems import InputError
from app.engine.run import Run
from app.engine.saved_file import SavedFormat, read_saved
from app.engine.saving import FORMAT, MAX_BYTES, load_run, save_run
from app.engine.text.checkpoint import load_checkpoint
from app.ui.i18n import catalog
from tests.conftest import ROOT
from tests.engine.hostile_files import FakeTensor, Storage, pickled, torch_zip

PEAK_LIMIT_MIB = 100


def _payload(run: Run) -> dict:
    return torch.load(io.BytesIO(save_run(run)), weights_only=True)


def _bytes(payload: object) -> bytes:
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    return buffer.getvalue()


def _trained(config: RunConfig = PRESETS["lesson"], steps: int = 12, task=None) -> Run:
    run = Run(config, task=task)
    run.train(steps=steps)
    return run


def _csv_run() -> Run:
    series = np.sin(np.arange(200) / 7) * 10 + 20
    config = replace(PRESETS["lesson"], task=replace(PRESETS["lesson"].task, name="csv", window=5))
    return _trained(config, 5, upload_task(series, 5))


def _minimal(history: dict | None = None, model: dict | None = None) -> dict:
    """A hand-made payload that passes every check up to the part a test makes hostile."""
    return {
        "format": FORMAT,
        "version": 1,
        "config": to_flat(RunConfig()),
        "model": model or {},
        "optimizer": {"state": {}, "param_groups": []},
        "history": {"capacity": 2000, "stride": 1, "first": None, "forced": [], "columns": {}}
        | (history or {}),
        "step": 0,
        "diverged_at": None,
        "last_eval": 0,
        "generator": FakeTensor(Storage("g", 5056, torch.ByteStorage), (5056,)),
    }


GENERATOR_RECORD = torch.Generator().get_state().numpy().tobytes()


def _streamed_zip(name: str, chunk: bytes, chunks: int, payload: dict) -> bytes:
    """A torch-like archive with one deflated entry written in chunks (no big buffer in the test)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if name != "archive/data.pkl":
            archive.writestr("archive/data.pkl", pickled(payload))
        with archive.open(name, "w", force_zip64=True) as entry:
            for _ in range(chunks):
                entry.write(chunk)
        archive.writestr("archive/data/g", GENERATOR_RECORD)
        archive.writestr("archive/version", "3\n")
    return out.getvalue()


def _declared_twice(data: bytes) -> bytes:
    """A stored entry whose directory claims a 2 GB uncompressed size for a 24-byte record."""
    archive = bytearray(data)
    where = archive.find(b"PK\x01\x02", archive.find(b"archive/data/0") - 200)
    while archive[where + 46 : where + 46 + 14] != b"archive/data/0":
        where = archive.find(b"PK\x01\x02", where + 4)
    archive[where + 24 : where + 28] = (2**31).to_bytes(4, "little")
    return bytes(archive)


def bombs() -> dict[str, tuple[bytes, str]]:
    """Small files that declare or expand to a thousandfold their size."""
    huge = Storage("0", 200 * 2**18)  # 200 MiB of floats
    model = {"core.weight_hh_l0": FakeTensor(huge, (200 * 2**18,))}
    pickle_bomb = b"\x80\x02](" + b"K\x01" * 1_000_000
    small = torch_zip(
        pickled(_minimal(model={"w": FakeTensor(Storage("0", 6), (6,))})),
        {"0": bytes(24), "g": GENERATOR_RECORD},
    )
    return {
        "deflated tensor of 200 MB": (
            _streamed_zip("archive/data/0", bytes(2**20), 200, _minimal(model=model)),
            "problem.save_inflates",
        ),
        "deflated pickle of 60 MB": (
            _streamed_zip("archive/data.pkl", pickle_bomb, 30, {}),
            "problem.save_inflates",
        ),
        "stored pickle of a million empty lists": (
            torch_zip(b"\x80\x02](" + b"]" * 1_000_000 + b"e."),
            "problem.save_inflates",
        ),
        "ten thousand entries": (
            torch_zip(pickled({}), extra_entries=10_000),
            "problem.save_inflates",
        ),
        "an entry declaring 2 GB": (_declared_twice(small), "problem.save_inflates"),
        "a storage claiming 4 GB": (
            torch_zip(
                pickled(_minimal(model={"w": FakeTensor(Storage("0", 2**30), (2**30,))})),
                {"0": bytes(24), "g": GENERATOR_RECORD},
            ),
            "problem.save_unreadable",
        ),
        "a history column claiming 500 million rows": (
            torch_zip(
                pickled(
                    _minimal(
                        history={
                            "columns": {
                                "loss": FakeTensor(
                                    Storage("0", 500_000_000, torch.DoubleStorage), (500_000_000,)
                                )
                            }
                        }
                    )
                ),
                {"0": bytes(8), "g": GENERATOR_RECORD},
            ),
            "problem.save_history",
        ),
    }


def _edit(run: Run, change) -> bytes:
    payload = _payload(run)
    change(payload)
    return _bytes(payload)


def _set(*path_and_value):
    *path, value = path_and_value

    def change(payload: dict) -> None:
        target = payload
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value(target[path[-1]]) if callable(value) else value

    return change


def hostile_fields() -> dict[str, tuple[bytes, str]]:
    run, csv = _trained(), _csv_run()
    adam = _payload(run)["optimizer"]
    cases = {
        # history
        "negative capacity": (run, _set("history", "capacity", -1), "problem.save_history"),
        "capacity of a trillion": (
            run,
            _set("history", "capacity", 10**12),
            "problem.save_history",
        ),
        "capacity as text": (run, _set("history", "capacity", "2000"), "problem.save_history"),
        "stride zero": (run, _set("history", "stride", 0), "problem.save_history"),
        "stride negative": (run, _set("history", "stride", -2), "problem.save_history"),
        "columns of different lengths": (
            run,
            _set("history", "columns", "loss", lambda v: v[:-1]),
            "problem.save_history",
        ),
        "a column named by a number": (
            run,
            _set("history", "columns", 7, torch.zeros(12, dtype=torch.float64)),
            "problem.save_history",
        ),
        "a column as a list": (
            run,
            _set("history", "columns", "loss", lambda v: v.tolist()),
            "problem.save_history",
        ),
        "a column of float32 rows": (
            run,
            _set("history", "columns", "loss", lambda v: v.float()),
            "problem.save_history",
        ),
        "more rows than capacity": (run, _set("history", "capacity", 4), "problem.save_history"),
        "rows but no first step": (run, _set("history", "first", None), "problem.save_history"),
        "steps counting down": (
            run,
            _set("history", "columns", "step", lambda v: v.flip(0)),
            "problem.save_history",
        ),
        "steps not whole": (
            run,
            _set("history", "columns", "step", lambda v: v + 0.5),
            "problem.save_history",
        ),
        "forced steps it does not have": (
            run,
            _set("history", "forced", [99.0]),
            "problem.save_history",
        ),
        "a thousand forced steps": (
            run,
            _set("history", "forced", [1.0] * 1000),
            "problem.save_history",
        ),
        # counters
        "negative step": (run, _set("step", -1), "problem.save_counters"),
        "fractional step": (run, _set("step", 2.5), "problem.save_counters"),
        "step as a boolean": (run, _set("step", True), "problem.save_counters"),
        "step of a trillion": (run, _set("step", 10**12), "problem.save_counters"),
        "evaluation after the last step": (run, _set("last_eval", 13), "problem.save_counters"),
        "diverged before the last step": (run, _set("diverged_at", 3), "problem.save_counters"),
        "history beyond the step counter": (
            run,
            lambda p: p.update(step=5, last_eval=1),
            "problem.save_counters",
        ),
        # weights, optimiser, random state
        "a weight of the wrong shape": (
            run,
            _set("model", "core.weight_hh_l0", torch.zeros(3, 3)),
            "problem.save_shapes",
        ),
        "a weight in float64": (
            run,
            _set("model", "head.bias", lambda v: v.double()),
            "problem.save_shapes",
        ),
        "a weight missing": (run, lambda p: p["model"].pop("head.bias"), "problem.save_shapes"),
        "an extra weight": (run, _set("model", "extra", torch.zeros(1)), "problem.save_shapes"),
        "weights not finite, run not diverged": (
            run,
            _set("model", "head.bias", lambda v: v * np.nan),
            "problem.save_weights",
        ),
        "optimiser moment of the wrong shape": (
            run,
            _set("optimizer", "state", 0, "exp_avg", torch.zeros(2, 2)),
            "problem.save_optimizer",
        ),
        "optimiser moment missing": (
            run,
            lambda p: p["optimizer"]["state"][0].pop("exp_avg_sq"),
            "problem.save_optimizer",
        ),
        "optimiser state of an unknown weight": (
            run,
            _set("optimizer", "state", 99, adam["state"][0]),
            "problem.save_optimizer",
        ),
        "optimiser betas as text": (
            run,
            lambda p: p["optimizer"]["param_groups"][0].update(betas=(5, "x")),
            "problem.save_optimizer",
        ),
        "optimiser counted more steps than the run": (
            run,
            _set("optimizer", "state", 0, "step", torch.tensor(1e6)),
            "problem.save_optimizer",
        ),
        "random state of the wrong length": (
            run,
            _set("generator", lambda v: v[:100]),
            "problem.save_random",
        ),
        "random state that is noise": (
            run,
            _set("generator", lambda v: torch.zeros_like(v)),
            "problem.save_random",
        ),
        # config
        "hidden size negative": (run, _set("config", "hidden_size", -4), "problem.range"),
        "settings missing": (run, _set("config", {}), "problem.save_config"),
        "settings holding a tensor": (
            run,
            _set("config", "hidden_size", torch.tensor(16)),
            "problem.save_config",
        ),
        # an uploaded series
        "series with NaN": (
            csv,
            _set("series", lambda v: v.index_fill(0, torch.tensor([7]), np.nan)),
            "problem.save_series",
        ),
        "series with infinity": (
            csv,
            _set("series", lambda v: v.index_fill(0, torch.tensor([0]), np.inf)),
            "problem.save_series",
        ),
        "series too short for its window": (
            csv,
            _set("series", lambda v: v[:20]),
            "problem.save_series",
        ),
        "series of two columns": (
            csv,
            _set("series", lambda v: v.reshape(2, -1)),
            "problem.save_series",
        ),
        "series missing": (csv, lambda p: p.pop("series"), "problem.save_series"),
        "series of float32": (csv, _set("series", lambda v: v.float()), "problem.save_series"),
    }
    return {name: (_edit(r, change), key) for name, (r, change, key) in cases.items()}


HOSTILE = {**bombs(), **hostile_fields()}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_is_refused_with_a_clear_problem(name: str) -> None:
    data, key = HOSTILE[name]
    with pytest.raises(InputError) as refused:
        load_run(data)
    assert refused.value.problems[0].key == key, (name, refused.value.problems[0].text)


def test_every_refusal_reads_in_both_languages() -> None:
    import re

    keys = set()
    for module in ("saved_file.py", "saved_run_checks.py", "saving.py"):
        keys |= set(
            re.findall(r'"(problem\.save_[a-z_]+)"', (ROOT / "app/engine" / module).read_text())
        )
    assert len(keys) >= 12
    for language in ("en", "pt"):
        assert keys <= set(catalog(language)), language


CHILD = """
import json, resource, sys
from pathlib import Path
from app.engine.problems import InputError
from app.engine.saving import load_run, save_run
from app.engine.run import Run
from app.engine.presets import PRESETS
run = Run(PRESETS["lesson"]); run.train(steps=3)
load_run(save_run(run))  # warm: the first load's imports and allocations are not the file's
files = sorted(Path(sys.argv[1]).glob("*.pt"))
data = {path.stem: path.read_bytes() for path in files}
# Peak resident memory in MiB. ru_maxrss also counts the peak of the process that started this
# one (pytest, through vfork and exec), so on Linux read this process's own high-water mark.
def peak():
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB


def reset_peak():
    # Linux: the peak restarts from the current size, so an earlier peak cannot hide this file's.
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


report = {}
for name, content in data.items():
    reset_peak()
    before = peak()
    try:
        load_run(content)
        key = None
    except InputError as error:
        key = error.problems[0].key
    report[name] = {"key": key, "rise_mib": peak() - before}
# Control: the same bomb read by torch.load without the checks does inflate, and the probe sees it.
import io, torch
reset_peak()
before = peak()
torch.load(io.BytesIO(data[sys.argv[2]]), weights_only=True)
print(json.dumps({"files": report, "unchecked_rise_mib": peak() - before}))
"""


def test_hostile_files_never_raise_peak_memory_by_more_than_100_mib(tmp_path: Path) -> None:
    names = {}
    for index, (name, (data, _)) in enumerate(HOSTILE.items()):
        (tmp_path / f"{index:03d}.pt").write_bytes(data)
        names[f"{index:03d}"] = name
    control = next(k for k, v in names.items() if v == "deflated tensor of 200 MB")
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path), control],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
        check=True,
    )
    report = json.loads(child.stdout.strip().splitlines()[-1])
    refused = {names[k]: v for k, v in report["files"].items()}
    assert all(v["key"] is not None for v in refused.values()), refused
    highest = max(v["rise_mib"] for v in refused.values())
    top = sorted(refused.items(), key=lambda item: -item[1]["rise_mib"])[:3]
    print("\nlargest rises:", ", ".join(f"{n} {v['rise_mib']:.2f} MiB" for n, v in top))
    print(
        f"\n{len(refused)} hostile files refused; highest peak rise {highest:.1f} MiB; "
        f"the same bomb unchecked {report['unchecked_rise_mib']:.1f} MiB"
    )
    assert highest < PEAK_LIMIT_MIB, refused
    assert report["unchecked_rise_mib"] > PEAK_LIMIT_MIB  # the probe does see an inflation


@pytest.mark.parametrize("preset", ["lesson", "adding", "exploding"])
@pytest.mark.parametrize("optimizer", ["adam", "sgd", "rmsprop"])
def test_a_run_that_loads_trains(preset: str, optimizer: str) -> None:
    run = _trained(replace(PRESETS[preset], optimizer=optimizer), steps=6)
    loaded = load_run(save_run(run))
    loaded.train(steps=3)
    run.train(steps=3)
    assert loaded.step == run.step and loaded.diverged_at == run.diverged_at


def test_a_csv_run_that_loads_trains() -> None:
    loaded = load_run(save_run(_csv_run()))
    loaded.train(steps=3)
    assert loaded.step == 8


def test_the_run_limit_fits_the_largest_run_the_settings_allow() -> None:
    # Three LSTM layers of 512 units with Adam: every weight and two moments, ~62 MB.
    weights = 4 * 512 * (65 + 512 + 2) + 2 * 4 * 512 * (512 + 512 + 2) + 512 + 1
    assert 3 * weights * 4 < MAX_BYTES


def test_checkpoints_go_through_the_same_checks() -> None:
    bomb, _ = HOSTILE["deflated tensor of 200 MB"]
    with pytest.raises(InputError) as refused:
        load_checkpoint(bomb)
    assert refused.value.problems[0].key == "problem.text_checkpoint"
    assert "expand" in refused.value.problems[0].text
    kind = SavedFormat("x", 1, max_bytes=1000, max_inflated=1000)
    with pytest.raises(InputError) as refused:
        read_saved(bytes(2000), kind)
    assert refused.value.problems[0].key == "problem.save_size"
