"""The process's start-up is frozen out of the garbage collector's reach once, after the first run
of app/main.py (app/ui/collector.py)."""

from __future__ import annotations

import pytest

from app.ui import collector
from tests.pages.conftest import open_page


def test_the_first_run_freezes_start_up_and_later_runs_do_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(collector, "_frozen", False)  # as in a process that has run nothing
    monkeypatch.setattr(collector.gc, "collect", lambda: calls.append("collect"))
    monkeypatch.setattr(collector.gc, "freeze", lambda: calls.append("freeze"))
    at = open_page()
    assert calls == ["collect", "freeze"]
    at.run()
    open_page()  # another session of the same process
    assert calls == ["collect", "freeze"]
