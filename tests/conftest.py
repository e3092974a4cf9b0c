"""Shared test fixtures and paths, and how the suite shares out over pytest-xdist's workers."""

from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
torch.set_num_threads(1)  # as in the app: results and timings match what a session sees

# The browser tests in two groups of about the same length, each run one file after another on
# one worker against that worker's own app server (tests/e2e/conftest.py `app_url` starts one per
# process and warms it before the group's first test), while the other group runs on the other.
# The timing-sensitive files (the blink test, the projector layouts) are in one group, so they run
# one after another rather than at the same moment on both workers. Seconds per file, measured
# with the whole lot on one worker (`pytest tests/e2e --durations=0`, load average 5 to 10); each
# group also pays about 35 s to start and warm its server:
BROWSER_GROUPS: dict[str, tuple[str, ...]] = {
    "tests/e2e: live charts, layouts and pages": (
        "tests/e2e/test_live_charts.py",  # 172
        "tests/e2e/test_pages.py",  # 112
        "tests/e2e/test_portuguese_inputs.py",  # 13
        "tests/e2e/test_presentation.py",  # 97
    ),
    "tests/e2e: lesson, navigation, files and text": (
        "tests/e2e/test_lesson_e2e.py",  # 32
        "tests/e2e/test_navigation.py",  # 112
        "tests/e2e/test_sentiment_e2e.py",  # 45
        "tests/e2e/test_text_e2e.py",  # 42
        "tests/e2e/test_uploads.py",  # 44
        "tests/e2e/test_words_e2e.py",  # 76
    ),
}
# Handed out before everything else, longest first: one group starts on each worker, then the
# proxy test (about 40 s: nginx and a second replica beside the worker's server) goes to whichever
# finishes first, and the remaining files fill in after them in collection order.
FIRST_UNITS = (*BROWSER_GROUPS, "tests/e2e/test_proxy.py")
_GROUP_OF = {path: group for group, paths in BROWSER_GROUPS.items() for path in paths}


def work_unit(nodeid: str) -> str:
    """What goes to one worker as a whole: a browser group, or else the test's file (so a file's
    module fixtures, such as a trained model or the exported scripts run in fresh interpreters,
    are built once)."""
    path = nodeid.split("::", 1)[0]
    return _GROUP_OF.get(path, path)


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """`--dist loadfile` (pyproject's addopts) over `work_unit`s, FIRST_UNITS first. No test
    depends on its group or worker: a file outside every group is a unit of its own, and `-n 0`
    runs everything in one process against one server."""
    if config.getvalue("dist") != "loadfile":
        return None  # another --dist asked for on the command line: xdist's own
    from xdist.scheduler import LoadFileScheduling

    class BrowserGroupScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

        def _assign_work_unit(self, node) -> None:
            for unit in reversed(FIRST_UNITS):  # those collected move to the queue's front
                if unit in self.workqueue:
                    self.workqueue.move_to_end(unit, last=False)
            super()._assign_work_unit(node)

    return BrowserGroupScheduling(config, log)
