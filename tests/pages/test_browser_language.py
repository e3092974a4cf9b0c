"""A browser set to Portuguese gets Portuguese on its first visit; a link's ?lang= still wins."""

from __future__ import annotations

import pytest

from app.ui.i18n import number, preferred_language
from tests.pages.conftest import TRAIN, open_page


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (("pt-BR",), "pt"),
        ((None, "pt-BR,pt;q=0.9,en;q=0.8"), "pt"),
        ((None, "de-DE,en;q=0.5,pt;q=0.9"), "pt"),
        (("en-US", "pt-BR"), "en"),
        ((None, "fr-FR,de;q=0.8"), None),
        ((None, None), None),
        ((None, "pt;q=abc,en"), "en"),
    ],
)
def test_preferred_language(tags, expected) -> None:
    assert preferred_language(*tags) == expected


def test_an_explicit_link_language_still_wins() -> None:
    at = open_page(TRAIN, lang="en")
    assert at.title[0].value == "Train a recurrent network live"


def test_counts_and_signed_numbers_follow_the_language(monkeypatch) -> None:
    from app.ui import i18n

    monkeypatch.setattr(i18n, "current_language", lambda: "pt")
    assert i18n.t("text.corpus_summary", name="x", chars=1600899, vocab=98).startswith(
        "x: 1.600.899 caracteres"
    )
    assert number(-0.83, "+.2f") == "-0,83"
    monkeypatch.setattr(i18n, "current_language", lambda: "en")
    assert i18n.t("text.corpus_summary", name="x", chars=1600899, vocab=98).startswith(
        "x: 1,600,899 characters"
    )


def test_streamlit_s_own_words_are_drawn_in_portuguese() -> None:
    from tests.pages.conftest import open_link

    def styles(lang: str) -> str:
        at = open_link("../pages/train.py", lang=lang)
        return " ".join(element.proto.body for element in at.get("html"))

    assert 'content: "Parar"' in styles("pt") and 'content: "Enviar"' in styles("pt")
    assert "content:" not in styles("en")  # English keeps Streamlit's own words untouched
