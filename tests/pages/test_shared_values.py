"""What every session derives the same (readings of a shipped model) is computed once per process
(app/ui/derived.py ``shared``): a class opening the text page together waits for one look inside
the shipped model, not one per student. What a session derives from its own things stays its own."""

from __future__ import annotations

import threading
from collections import OrderedDict

import pytest

from app.ui import derived, sentiment_inside, sentiment_readers, text_inside
from tests.pages.conftest import open_link, open_tab


@pytest.fixture(autouse=True)
def fresh_shared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(derived, "_shared", OrderedDict())
    monkeypatch.setattr(derived, "_computing", {})


def test_sessions_asking_at_once_wait_for_one_computation() -> None:
    calls, started, release = [], threading.Event(), threading.Event()

    def compute() -> list[int]:
        calls.append(1)
        started.set()
        release.wait(10)
        return [1, 2, 3]

    got = []
    threads = [
        threading.Thread(target=lambda: got.append(derived.shared_value("look", ("m", 1), compute)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    assert started.wait(10)
    release.set()
    for thread in threads:
        thread.join(10)
    assert len(calls) == 1 and len(got) == 8 and all(value is got[0] for value in got)
    assert derived.shared_value("look", ("m", 2), lambda: "other") == "other"  # keyed by value


def test_only_the_latest_shared_values_are_kept() -> None:
    for i in range(derived.SHARED_ENTRIES + 5):
        derived.shared_value("look", i, lambda i=i: i)
    assert len(derived._shared) == derived.SHARED_ENTRIES
    assert derived.shared_value("look", 0, lambda: "again") == "again"  # the oldest went
    assert not derived._computing  # nothing left waiting


def test_a_second_session_on_the_text_page_reads_the_shipped_model_from_the_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = []
    measure = text_inside.held_out
    monkeypatch.setattr(text_inside, "held_out", lambda *a: calls.append(a) or measure(*a))
    first = open_tab(open_link("../pages/text.py"), "text-tabs", 2)  # the held-out text
    assert not first.exception and len(calls) == 1
    second = open_tab(open_link("../pages/text.py"), "text-tabs", 2)  # its own session state
    assert not second.exception and len(calls) == 1
    shown = [m.value for m in second.metric]
    assert shown == [m.value for m in first.metric] and shown  # the same numbers drawn


def test_sessions_on_the_sentiment_page_share_the_shipped_readers_probes_not_their_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scored = []
    score = sentiment_inside.score_probes
    monkeypatch.setattr(
        sentiment_inside, "score_probes", lambda model, *a: scored.append(model) or score(model, *a)
    )
    sessions = [open_tab(open_link("../pages/sentiment.py"), "sentiment-tabs", 1) for _ in range(2)]
    assert all(not at.exception for at in sessions)
    shipped = sentiment_readers.pretrained().model
    assert sum(model is shipped for model in scored) == 1  # the shipped classifier: once
    assert sum(model is not shipped for model in scored) == 2  # each session's own live model
