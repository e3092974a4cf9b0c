"""Absurd links on every page: what cannot be used keeps its default and is named in one notice,
never an exception box."""

from __future__ import annotations

import pytest

from app.engine.config_codec import from_query
from app.ui.query import shell_problems
from tests.pages.conftest import open_link

PAGES = [
    "../pages/home.py",
    "../pages/train.py",
    "../pages/time_steps.py",
    "../pages/gradients.py",
    "../pages/duel.py",
]
LINKS = [
    {"hidden_size": "1e9"},
    {"learning_rate": "nan"},
    {"task": "<script>alert(1)</script>"},
    {"window": "-3", "cell": "transformer"},
    {"lang": "xx", "present": "maybe", "hide": "everything,seed"},
    {"num_layers": "99999999999999999999999"},
    {"data_seed": str(2**70), "task": "adding"},
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("link", LINKS, ids=lambda link: ",".join(link))
def test_absurd_links_keep_defaults_and_say_so_without_exception(
    page: str, link: dict[str, str]
) -> None:
    at = open_link(page, **link)
    assert not at.exception, [e.value for e in at.exception]
    notices = [w.value for w in at.warning if "could not be used" in w.value]
    refused = from_query(link)[1] or shell_problems(link)
    assert len(notices) == (1 if refused else 0)
    assert not at.error or page.endswith("time_steps.py")
