"""Shared test fixtures and paths, and how the suite shares out over pytest-xdist's workers."""

from functools import cache
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
E2E = "tests/e2e/"
APP_SERVER = "tests/e2e: the shared app server"  # one work unit
torch.set_num_threads(1)  # as in the app: results and timings match what a session sees


@cache
def uses_the_app_server(path: str) -> bool:
    """A browser test file that asks for the session's app (tests/e2e/conftest.py `app_url`); the
    proxy test starts its own replicas and the chart code's test needs no server."""
    return path.startswith(E2E) and "app_url" in (ROOT / path).read_text(encoding="utf-8")


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """`--dist loadfile` (pyproject's addopts), except that every test of the shared app server
    is one unit: they run one after another on one worker against its one server (they are
    timing-sensitive, and a server pays its first page loads once) while the other worker takes the
    files one by one. A file stays on one worker, so its module fixtures (a trained model, the
    exported scripts run in fresh interpreters, the proxy's replicas) are built once."""
    if config.getvalue("dist") != "loadfile":
        return None  # another --dist asked for on the command line: xdist's own
    from xdist.scheduler import LoadFileScheduling

    class SharedServerScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = super()._split_scope(nodeid)
            return APP_SERVER if uses_the_app_server(path) else path

    return SharedServerScheduling(config, log)
