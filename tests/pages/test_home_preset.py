"""A preset picked on Home says what it set up and leads to the page that shows it."""

from __future__ import annotations

import pytest

from app.ui import i18n
from tests.pages.conftest import open_page


def page_links(at) -> list[str]:
    return [link.proto.page for link in at.get("page_link")]


@pytest.mark.parametrize(
    ("preset", "page"), [("vanishing", "gradients"), ("exploding", "gradients"), ("sine", "train")]
)
def test_a_picked_preset_leads_to_its_page(preset: str, page: str) -> None:
    at = open_page()
    assert not at.success
    at.selectbox(key="shell-preset").set_value(preset).run()
    assert not at.exception
    assert len(at.success) == 1
    assert page_links(at)[0] == page  # first, above Home's own list of pages


def test_the_answer_goes_once_the_setup_changes() -> None:
    at = open_page()
    at.selectbox(key="shell-preset").set_value("vanishing").run()
    assert any("learning rate of 0.01" in m.value for m in at.markdown)
    at.switch_page("../pages/gradients.py").run()
    assert at.selectbox(key="cfg-init").value == "orthogonal"  # the preset, on its page
    at.number_input(key="cfg-hidden-size").set_value(8).run()
    at.switch_page("../pages/home.py").run()
    assert not at.success  # no longer what is set up


def test_the_answer_in_portuguese_uses_the_decimal_comma(monkeypatch) -> None:
    # (AppTest cannot pick a translated option: its labels are formatted outside the session.)
    monkeypatch.setattr(i18n, "current_language", lambda: "pt")
    text = i18n.t("picked.setup", task="Seno", cell="RNN", hidden=16, optimizer="Adam", rate=0.01)
    assert text.endswith("taxa de aprendizado 0,01.")
    assert i18n.t("picked.go", page=i18n.t("nav.gradients")) == "Abrir Gradientes"


def test_home_links_every_page_including_the_lesson_and_sentiment() -> None:
    from tests.pages.conftest import open_page

    at = open_page()
    linked = {link.proto.page for link in at.get("page_link")}
    for page in ("lesson", "train", "steps", "gradients", "duel", "text", "sentiment"):
        assert any(page in target for target in linked), (page, linked)
