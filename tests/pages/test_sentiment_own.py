"""The sentiment page with the shipped model and the user's own texts, through AppTest: the pretrained
model reads and scores the probes before anyone trains; a Portuguese CSV trains from scratch and the
page says why; a bad upload is refused with its message and loses the good one loaded before."""

from __future__ import annotations

import base64

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from app.engine.csv_series import MAX_BYTES
from app.engine.sentiment.reading import PROBES
from app.ui import i18n, sentiment_inside, sentiment_upload
from app.ui.i18n import catalog
from tests.conftest import ROOT
from tests.pages.conftest import open_link, open_page, open_tab, steps
from tests.pages.test_sentiment_page import SENTIMENT, chart, frame

PORTUGUESE = (ROOT / "tests" / "data" / "avaliacoes_pt.csv").read_bytes()


def shown(at: AppTest) -> list[str]:
    return [e.value for kind in ("error", "warning", "success", "info") for e in at.get(kind)]


def test_pretrained_model_reads_and_scores_probes_before_any_training() -> None:
    at = open_page(SENTIMENT)
    words = catalog("en")
    assert steps(at) == 0 and at.radio(key="sentiment-reader").value == "pretrained"
    caption = " ".join(c.value for c in at.caption)
    assert "scripts/pretrain_sentiment.py" in caption and "F1" in caption
    reading = chart(at, "sentiment-reading-chart")
    p = np.frombuffer(base64.b64decode(reading["data"][0]["y"]["bdata"]), dtype=np.float32)
    assert len(p) > 2 and p.std() > 0.02  # a trained reader's P moves with the words
    open_tab(at, "sentiment-tabs", 1)
    probes = frame(at, words["sentiment.probe"])
    assert len(probes) == len(PROBES) and probes.shape[1] == 6  # text, expected, 2 x (P, right)
    open_tab(at, "sentiment-tabs", 3)
    word_map = chart(at, "sentiment-map-chart")
    mapped = [w for trace in word_map["data"] for w in trace["text"]]
    assert (
        len(mapped) >= 300 and "good" in mapped and "GloVe" in word_map["layout"]["title"]["text"]
    )
    open_tab(at, "sentiment-tabs", 0)
    at.radio(key="sentiment-reader").set_value("live").run()
    assert not at.exception
    assert at.query_params["reader"] == "live"  # the link keeps the choice
    open_tab(at, "sentiment-tabs", 1)  # with the reader's tab closed too
    assert at.query_params["reader"] == "live"
    open_tab(at, "sentiment-tabs", 0)
    assert at.radio(key="sentiment-reader").value == "live"


def own_page(language: str = "en") -> AppTest:
    at = open_page(SENTIMENT, lang=language)
    at.radio(key="sentiment-source").set_value("own").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_portuguese_csv_trains_from_scratch_and_the_page_says_why(monkeypatch) -> None:
    monkeypatch.setattr(i18n, "current_language", lambda: "pt")
    at = own_page("pt")
    words = catalog("pt")
    assert words["sent2.upload_waiting"] in shown(at)
    assert at.sidebar.file_uploader(key="sentiment-upload").proto.max_upload_size_mb == 5
    at.sidebar.file_uploader(key="sentiment-upload").upload("avaliacoes.csv", PORTUGUESE).run()
    assert not at.exception, [e.value for e in at.exception]
    messages = " ".join(shown(at))
    assert "positivo → positiva" in messages and "negativo → negativa" in messages
    assert "não cobrem o português" in messages and "aprendido do zero" in messages
    assert at.radio(key="sentiment-embedding-own").value == "scratch"
    assert at.radio(key="sentiment-embedding-own").disabled
    at.button(key="sentiment-step10").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert steps(at) == 10
    confusion = chart(at, "sentiment-confusion-chart")
    assert sum(int(n) for row in confusion["data"][0]["text"] for n in row) == 8  # held-out fifth
    open_tab(at, "sentiment-tabs", 3)
    word_map = chart(at, "sentiment-map-chart")  # the embedding this run learns, its own words
    assert "filme" in [w for trace in word_map["data"] for w in trace["text"]]
    assert "do zero" in word_map["layout"]["title"]["text"]
    monkeypatch.setattr(sentiment_inside, "REMEDY_STEPS", 3)  # the remedies on the file's own words
    open_tab(at, "sentiment-tabs", 2)
    at.button(key="sentiment-measure").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(chart(at, "sentiment-remedies-chart")["data"][0]["x"]) == 4


def test_a_file_too_large_is_refused_before_it_is_read() -> None:
    def never() -> bytes:
        raise AssertionError("the bytes of a file over the limit were asked for")

    problems = sentiment_upload.take_file("huge.csv", MAX_BYTES + 1, never)
    assert [p.key for p in problems] == ["problem.csv_size"]


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"texto,autor\nbom filme,ana\nfilme ruim,rui\n", "problem.reviews_no_label"),
        (b"texto,label\n" + b"\n".join(b"filme %d,pos" % k for k in range(12)), "one_class"),
        (bytes(range(256)) * 8, "problem.csv_binary"),
    ],
)
def test_a_bad_upload_is_refused_and_keeps_the_good_one(data: bytes, key: str) -> None:
    at = own_page()
    at.sidebar.file_uploader(key="sentiment-upload").upload("bom.csv", PORTUGUESE).run()
    at.button(key="sentiment-step").click().run()
    assert steps(at) == 1
    at.sidebar.file_uploader(key="sentiment-upload").upload("ruim.csv", data).run()
    assert not at.exception, [e.value for e in at.exception]
    words = catalog("en")
    wanted = words[key if key.startswith("problem.") else f"problem.reviews_{key}"]
    errors = [e.value for e in at.error]
    assert any(wanted.split("{")[0][:30] in e for e in errors), errors
    assert any("bom.csv" in s for s in shown(at))  # the good file is still the session's
    assert steps(at) == 1  # and its run goes on


def test_a_link_opens_the_same_classifier_and_keeps_it() -> None:
    at = open_link(SENTIMENT, sentiment_cell="gru", sentiment_hidden_size="32", sentiment_seed="x")
    assert not at.exception, [e.value for e in at.exception]
    assert at.radio(key="sentiment-cell").value == "gru"
    assert at.number_input(key="sentiment-hidden").value == 32
    assert any("seed" in w.value.lower() for w in at.warning)  # the value it could not use, named
    assert at.query_params["sentiment_cell"] == "gru"
    assert at.query_params["sentiment_hidden_size"] == "32"
    assert "sentiment_seed" not in at.query_params
    at.radio(key="sentiment-remedy").set_value("weights").run()
    assert at.query_params["sentiment_remedy"] == "weights"
