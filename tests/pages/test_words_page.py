"""The text page's word level through AppTest: opened from a link (which keeps it), live training
with the usual controls, every decoding, the next-word view, both levels on one scale, the
embedding beside GloVe, the user's own (Portuguese) text, and both languages."""

from __future__ import annotations

import base64

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from app.engine.words.corpus import WORD_CORPORA
from app.engine.words.sampling import DECODINGS
from app.ui import i18n
from app.ui.i18n import LANGUAGES, catalog
from tests.pages.conftest import charts, control, open_link, open_tab, steps

TEXT = "../pages/text.py"


def words_link(**query: str) -> AppTest:
    at = open_link(TEXT, mode="words", **query)
    assert not at.exception, [e.value for e in at.exception]
    return at


def titles(at: AppTest) -> list[str]:
    return [c["layout"]["title"]["text"] for c in charts(at)]


def values(y: object) -> list[float]:
    """Plotly's JSON holds numpy arrays as {"dtype", "bdata"}."""
    if isinstance(y, dict):
        return list(np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]))
    return list(y)


def figure(at: AppTest, start: str) -> dict:
    return next(c for c in charts(at) if c["layout"]["title"]["text"].startswith(start))


def test_a_link_opens_the_word_level_and_it_trains_live() -> None:
    at = words_link()
    assert at.radio(key="text-level").value == "words"
    assert at.title[0].value == "Write text, one word at a time"
    at.radio(key="words-model").set_value("live").run()
    assert steps(at) == 0
    at.button(key="words-step10").click().run()
    assert steps(at) == 10
    live_sample = at.code[0].value
    assert live_sample.startswith("the film is") and len(live_sample.split()) > 20
    control(at, "words-play").click().run()
    assert steps(at) > 10
    control(at, "words-pause").click().run()
    assert steps(at) == steps(at.run())
    assert "Bits per word while training" in titles(at)
    assert at.query_params["mode"] == "words"
    at.number_input(key="words-vocab-size").set_value(500).run()  # a new model, kept in the link
    assert steps(at) == 0 and at.query_params["words_vocab_size"] == "500"
    assert any("covers" in m.value and "500" in m.value for m in at.markdown)
    at.radio(key="text-level").set_value("chars").run()
    assert at.title[0].value == "Write text, one character at a time"
    assert "mode" not in at.query_params
    assert not at.exception


def test_every_decoding_and_the_next_word_view() -> None:
    at = words_link()
    at.radio(key="words-model").set_value("live").run()
    at.button(key="words-step10").click().run()
    written = {}
    for decoding in DECODINGS:
        at.radio(key="words-decoding").set_value(decoding).run()
        written[decoding] = at.code[-1].value
        if decoding == "top_k":
            at.number_input(key="words-top-k").set_value(3).run()
        if decoding == "nucleus":
            at.select_slider(key="words-top-p").set_value(0.5).run()
    assert len(set(written.values())) > 1
    at.radio(key="words-decoding").set_value("greedy").run()
    assert at.code[-1].value == written["greedy"]  # greedy does not change on a rerun
    at.text_input(key="words-next-prefix").input("a truly zorblax").run()
    chart = figure(at, "Next word after")
    assert chart["layout"]["title"]["text"].endswith('"a truly zorblax"')
    assert len(chart["data"][0]["y"]) == 10
    assert any("zorblax" in c.value for c in at.caption)  # read as <unk>, and said so
    assert not at.exception


def test_both_levels_on_one_scale_and_the_embedding_beside_glove() -> None:
    at = words_link()
    assert not any(title.startswith("Bits per character on the same") for title in titles(at))
    open_tab(at, "words-tabs", 1)  # only the open tab reads the model
    levels = figure(at, "Bits per character on the same")
    names = levels["data"][0]["x"]
    assert {"Character frequencies", "Word frequencies", "Word LSTM"} <= set(names)
    bits = dict(zip(names, values(levels["data"][0]["y"]), strict=True))
    if "Character LSTM" in names:  # the shipped word model and its character twin
        assert bits["Word LSTM"] < bits["Word frequencies"] < bits["Character frequencies"]
        assert bits["Character LSTM"] < bits["Character frequencies"]
        assert any("Spelling" in m.value for m in at.markdown)
    assert any("Unknown words" in m.value for m in at.markdown)
    open_tab(at, "words-tabs", 2)
    glove_list = next(m.value for m in at.markdown if m.value.startswith("- ") and "(0." in m.value)
    assert glove_list.count("\n") >= 5  # eight neighbours of "good"
    assert {"The embedding learned here", "GloVe, the same words"} <= set(titles(at))
    at.text_input(key="words-neighbour").input("qwxzy").run()
    assert any("no vector here" in i.value for i in at.info)
    at.slider(key="words-map-count").set_value(40).run()
    assert len(figure(at, "The embedding learned here")["data"][0]["text"]) == 40
    assert not at.exception


def test_portuguese_own_text_at_the_word_level(monkeypatch) -> None:
    # Widgets format their options in the test's thread too: let it speak the session's language.
    monkeypatch.setattr(i18n, "current_language", lambda: "pt")
    at = words_link(lang="pt")
    assert at.title[0].value == "Escrever texto, uma palavra de cada vez"
    at.radio(key="words-model").set_value("live").run()
    at.selectbox(key="words-corpus").select("own").run()
    assert at.warning  # no text yet: the page says what to do
    prose = "O gato preto dormia ao sol, e a menina lia um livro na varanda. " * 60
    at.text_area(key="text-paste").input(prose).run()
    at.button(key="text-use-paste").click().run()
    at.button(key="words-step").click().run()
    assert steps(at) == 1
    assert "gato" in at.code[0].value or "<unk>" in at.code[0].value
    assert any("Seu próprio texto" in m.value for m in at.markdown)
    assert not at.exception


def test_a_bad_link_keeps_its_good_values_and_says_which_it_ignored() -> None:
    at = words_link(words_vocab_size="3", words_cell="lstm", words_hidden_size="abc")
    assert at.number_input(key="words-vocab-size").value == 2000  # the default
    notice = " ".join(w.value for w in at.warning)
    assert "vocab_size" in notice and "hidden_size" in notice
    at = open_link(TEXT, mode="poems")
    assert at.radio(key="text-level").value == "chars" and not at.exception
    assert any("mode" in w.value for w in at.warning)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_keys_the_word_level_builds_from_names_exist(language: str) -> None:
    built = {f"words.corpus_{name}" for name in WORD_CORPORA}
    built |= {f"words.decoding_{d}" for d in DECODINGS}
    built |= {f"words.decoding_{d}_note" for d in DECODINGS}
    built |= {f"words.model_{m}" for m in ("pretrained", "live")}
    built |= {f"words.level_{level}" for level in ("chars", "words")}
    assert built - set(catalog(language)) == set()


def test_temperature_sliders_write_decimals_in_the_session_language() -> None:
    from tests.pages.conftest import open_link

    for lang, shown in (("pt", "0,80"), ("en", "0.80")):
        chars = open_link("../pages/text.py", lang=lang)
        assert shown in chars.select_slider(key="text-temperature").options, lang
        words = open_link("../pages/text.py", lang=lang, mode="words")
        assert shown in words.select_slider(key="words-temperature").options, lang
