"""The text page through AppTest: the shipped model from the first load, live training with the same
controls as the other pages, the user's own text (refused clearly when bad), and both languages."""

from __future__ import annotations

import re

import pytest
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.testing.v1 import AppTest

from app.engine.text.corpus import CORPORA, MIN_CHARS
from app.engine.text.units import FEATURES
from app.ui import i18n, text_inside
from app.ui.i18n import LANGUAGES, catalog
from tests.pages.conftest import charts, control, open_page, open_tab, steps

TEXT = "../pages/text.py"


@pytest.fixture
def live() -> AppTest:
    at = open_page(TEXT)
    at.radio(key="text-model").set_value("live").run()
    return at


def metric(at: AppTest, label_start: str) -> float:
    found = next(m for m in at.metric if m.label.startswith(label_start))
    return float(found.value.replace(",", "").replace("—", "nan").replace("+", ""))


def chart_titles(at: AppTest) -> set[str]:
    return {c["layout"]["title"]["text"] for c in charts(at)}


def next_char_chart(at: AppTest) -> dict:
    return next(c for c in charts(at) if c["layout"]["title"]["text"].startswith("What comes"))


def correlation_label(at: AppTest) -> str:
    return next(m.label for m in at.metric if m.label.startswith("Correlation"))


def test_shipped_model_writes_colours_text_and_finds_units() -> None:
    at = open_page(TEXT)
    assert at.radio(key="text-model").value == "pretrained"
    # Write: greedy decoding, and the next-character chart follows the chosen position.
    at.radio(key="text-decoding").set_value("greedy").run()
    at.text_input(key="text-prompt").input("class ").run()
    assert len(next_char_chart(at)["data"]) == 1  # greedy: no second, tempered distribution
    at.slider(key="text-position").set_value(2).run()  # after "cla" comes "s"
    assert next_char_chart(at)["layout"]["title"]["text"].endswith("really: s)")
    at.button(key="text-resample").click().run()
    at.radio(key="text-look").set_value("held_out").run()  # any point of held-out text, too
    at.slider(key="text-position").set_value(5).run()
    excerpt = at.get("html")[0].proto.body
    assert "outline:3px" in excerpt and len(next_char_chart(at)["data"]) == 1

    # What one unit sees: the unit found for a feature, another feature, then a unit by number,
    # in h and in c, on the sample.
    open_tab(at, "text-tabs", 1)
    coloured = [h.proto.body for h in at.get("html") if "background:rgba" in h.proto.body]
    # The held-out excerpt, one span a character.
    assert coloured and coloured[0].count("<span") > 1000
    assert "Position in the line" in correlation_label(at)
    assert (
        abs(metric(at, "Correlation")) > 0.6
    )  # the search found a unit that counts along the line
    at.selectbox(key="text-feature").select("brackets").run()
    assert "Depth in brackets" in correlation_label(at)
    assert abs(metric(at, "Correlation")) > 0.5
    at.radio(key="text-pick").set_value("index").run()
    at.number_input(key="text-unit").set_value(7).run()
    assert "h unit 7" in correlation_label(at)
    at.radio(key="text-state").set_value("cell").run()
    at.radio(key="text-source").set_value("sample").run()
    assert "c unit 7" in correlation_label(at)

    # The held-out text, measured.
    open_tab(at, "text-tabs", 2)
    assert metric(at, "Held-out bits") < metric(at, "Character frequencies") - 1.5
    assert any("held-out characters" in title for title in chart_titles(at))
    assert not at.exception


def test_live_run_trains_with_the_usual_controls(live: AppTest) -> None:
    assert steps(live) == 0
    live.button(key="text-step10").click().run()
    assert steps(live) == 10
    assert any("step 10" in text.value for text in live.markdown)  # the live sample's heading
    control(live, "text-play").click().run()
    assert steps(live) > 10  # Play trains a short slice at once
    control(live, "text-pause").click().run()
    assert steps(live) == steps(live.run())
    live.button(key="text-reset").click().run()
    assert steps(live) == 0
    bits = next(c for c in charts(live) if c["layout"]["title"]["text"].startswith("Bits"))
    assert bits["layout"]["shapes"]  # the unigram baseline line


def test_bad_own_text_gets_messages_and_good_text_trains(live: AppTest) -> None:
    live.selectbox(key="text-corpus").select("own").run()
    assert any("Paste a text" in note.value for note in [*live.warning, *live.info])
    live.text_area(key="text-paste").input("   ").run()
    live.button(key="text-use-paste").click().run()
    assert any("empty" in error.value for error in live.error)
    live.text_area(key="text-paste").input("too short").run()
    live.button(key="text-use-paste").click().run()
    assert any(f"at least {MIN_CHARS:,}" in error.value for error in live.error)
    upload = live.get("file_uploader")[0]
    upload.set_value(("photo.txt", b"\x89PNG\x00\x00" * 400, "text/plain")).run()
    assert any("does not look like text" in error.value for error in live.error)
    assert not live.exception
    good = 'Era uma vez um gato que lia (e relia) "livros".\n' * 80
    live.get("file_uploader")[0].set_value(("gato.txt", good.encode(), "text/plain")).run()
    assert not live.error and not live.exception
    assert re.search(rf"Your own text: {len(good):,} characters", live.expander[0].label)
    live.button(key="text-step").click().run()
    assert steps(live) == 1
    pasted = "Outro texto, colado agora: [um] {dois} (tres).\n" * 60
    live.text_area(key="text-paste").input(pasted).run()
    live.button(key="text-use-paste").click().run()
    live.run()  # the file still in the uploader must not take over again
    assert f"{len(pasted):,} characters" in live.expander[0].label
    assert steps(live) == 0  # new text, new model


def test_portuguese_page(monkeypatch: pytest.MonkeyPatch) -> None:
    # AppTest formats a radio's options again in this thread: let it speak the session's language.
    monkeypatch.setattr(i18n, "current_language", lambda: "pt")
    at = open_page(TEXT, lang="pt")
    assert at.title[0].value == "Escrever texto, um caractere de cada vez"
    assert at.radio(key="text-model").options[0] == "LSTM pré-treinada (código Python)"
    open_tab(at, "text-tabs", 1)
    correlation = next(m.value for m in at.metric if m.label.startswith("Correlação"))
    assert re.fullmatch(r"[+-]\d,\d\d", correlation)  # a decimal comma
    open_tab(at, "text-tabs", 2)
    bars = next(c for c in charts(at) if c["data"][0]["type"] == "bar")
    assert bars["data"][0]["texttemplate"] == "%{y:.2f}" and bars["layout"]["separators"] == ",."


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_keys_the_page_builds_from_names_exist(language: str) -> None:
    built = {f"text.corpus_{name}" for name in CORPORA}
    built |= {f"text.feature_{name}" for name in FEATURES}
    built |= {
        f"text.{k}" for k in ("decoding_sampled", "decoding_greedy", "pick_search", "pick_index")
    }
    built |= {
        f"text.{k}" for k in ("source_held_out", "source_sample", "model_pretrained", "model_live")
    }
    built |= {f"text.state_{k}" for k in ("hidden", "cell", "hidden_name", "cell_name")}
    built |= {f"text.look_{k}" for k in ("sample", "held_out")}
    assert built - set(catalog(language)) == set()


def test_only_the_open_tab_reads_the_live_model_and_closed_tabs_keep_their_settings(
    live: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A press redraws the live model's tabs: only the open one is computed (the look inside a
    1,500-character excerpt is the costliest), the settings of a closed tab are kept, and the open
    tab stays open when the language changes (its labels, and so Streamlit's tabs, change)."""
    looks = []
    look = text_inside.activations
    monkeypatch.setattr(text_inside, "activations", lambda *a: looks.append(a) or look(*a))
    control(live, "text-step").click().run()
    live.text_input(key="text-prompt").input("def ").run()
    live.radio(key="text-decoding").set_value("greedy").run()
    assert looks == []  # Write is open; the unit's tab is not drawn
    with pytest.raises(KeyError):
        live.radio(key="text-pick")
    open_tab(live, "text-tabs", 1)
    assert len(looks) == 1 and live.radio(key="text-pick").value == "search"
    with pytest.raises(KeyError):
        live.text_input(key="text-prompt")  # drawn no more, but kept:
    assert live.session_state["text-prompt"] == "def "
    live.radio(key="text-pick").set_value("index").run()
    # AppTest formats a radio's options again in this thread, in the language last drawn.
    drawn, session_language = ["en"], i18n.current_language
    monkeypatch.setattr(
        i18n,
        "current_language",
        lambda: session_language() if get_script_run_ctx() is not None else drawn[0],
    )
    live.session_state["lang"] = "pt"
    live.run()
    drawn[0] = "pt"
    assert live.radio(key="text-pick").value == "index"  # the same tab, in Portuguese
    assert [tab.label for tab in live.tabs][1] == catalog("pt")["text.tab_units"]
    open_tab(live, "text-tabs", 0)
    assert live.text_input(key="text-prompt").value == "def "
    assert live.radio(key="text-decoding").value == "greedy"
    assert not live.exception
