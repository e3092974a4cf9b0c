"""A button press and the live fragment run in different threads: they must take turns on a run."""

from __future__ import annotations

import threading

import pytest

from app.engine.duel import Duel, DuelConfig
from app.engine.presets import PRESETS
from app.engine.run import Run


@pytest.mark.parametrize("make", [lambda: Run(PRESETS["lesson"]), lambda: Duel(DuelConfig())])
def test_training_waits_while_another_thread_holds_the_run(make) -> None:
    target = make()
    with target.lock:  # the live fragment drawing the run's charts
        worker = threading.Thread(target=target.train, kwargs={"steps": 3})
        worker.start()
        worker.join(timeout=0.3)
        assert worker.is_alive(), "trained while the charts were being read"
        assert target.step == 0
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert target.step == 3


def test_readers_see_whole_rows_while_training_runs() -> None:
    run = Run(PRESETS["lesson"])
    trainer = threading.Thread(target=run.train, kwargs={"steps": 400})
    trainer.start()
    while trainer.is_alive():
        with run.lock:
            lengths = {len(column) for column in run.history.columns.values()}
        assert len(lengths) <= 1
    trainer.join()
