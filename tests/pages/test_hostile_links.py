"""Hostile links opened on every page that reads them: no exception box, a notice whenever a value
was refused, and a session that keeps working afterwards."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.engine.config_codec import FLAT_NAMES, from_query
from app.ui.query import shell_problems
from tests.engine.test_links import hostile
from tests.pages.conftest import open_link

PAGES = ["home", "train", "time_steps", "gradients", "duel", "text"]
NOTICE = "could not be used"  # the English notice for a link's refused values

links = st.dictionaries(
    st.sampled_from([*FLAT_NAMES, "lang", "present", "hide"]), hostile, max_size=5
)


@pytest.mark.parametrize("page", PAGES)
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,  # the same few links every run: a page test must not be flaky
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(link=links)
def test_a_hostile_link_is_explained_never_raised(page: str, link: dict[str, str]) -> None:
    link = {**link, "lang": "en"}  # the notice is looked for in English
    at = open_link(f"../pages/{page}.py", **link)
    assert not at.exception, [e.value for e in at.exception]
    refused = from_query(link)[1] or shell_problems(link)
    notices = [w.value for w in at.warning if NOTICE in w.value]
    assert len(notices) == (1 if refused else 0), (link, notices)
    at.run()  # the session goes on: the next rerun works too, and the notice is not repeated
    assert not at.exception, [e.value for e in at.exception]
    assert not [w for w in at.warning if NOTICE in w.value]


@pytest.mark.parametrize("page", PAGES)
def test_one_notice_names_every_refused_value_and_the_rest_is_kept(page: str) -> None:
    at = open_link(
        f"../pages/{page}.py",
        hidden_size="3.7",
        cell="transformer",
        learning_rate="1e400",
        seed="7",
    )
    assert not at.exception
    (notice,) = [w.value for w in at.warning if NOTICE in w.value]
    for said in ("Hidden size", "Cell", "Learning rate", "1e400", "transformer"):
        assert said in notice, said
    if page in ("train", "gradients"):
        assert at.number_input(key="cfg-seed").value == 7
        assert at.number_input(key="cfg-hidden-size").value == 16


def test_the_links_own_switches_are_named_when_meaningless() -> None:
    at = open_link("../pages/train.py", lang="xx", present="maybe", hide="everything,seed")
    assert not at.exception
    (notice,) = [w.value for w in at.warning if NOTICE in w.value]
    for said in ('lang = "xx"', 'present = "maybe"', 'hide = "everything"'):
        assert said in notice, said
    assert not at.get("number_input") or all(n.key != "cfg-seed" for n in at.number_input)
