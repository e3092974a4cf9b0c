"""Portuguese in the real browser: the uploader's dropzone draws no English (its words are
replaced through CSS, so the test reads what is drawn, not the DOM's text), and a learning rate
typed with a decimal comma reaches the link."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.engine.csv_series import MAX_BYTES
from tests.e2e.conftest import APP_IDLE, EXCEPTION
from tests.e2e.test_pages import load

pytestmark = pytest.mark.e2e

DROPZONE = '.st-key-train-upload [data-testid="stFileUploaderDropzone"]'
# The words a reader sees in an element: text drawn at a size above zero (icons are ligatures,
# not words) and the text CSS draws after an element.
DRAWN_WORDS = """(root) => {
    const words = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const parent = walker.currentNode.parentElement;
        if (parent.closest('[data-testid="stIconMaterial"]')) continue;
        if (getComputedStyle(parent).fontSize !== '0px') words.push(walker.currentNode.textContent);
    }
    for (const element of root.querySelectorAll('*')) {
        const after = getComputedStyle(element, '::after').content;
        if (after && after !== 'none' && after !== 'normal') words.push(after.slice(1, -1));
    }
    return words.join(' | ');
}"""
ENGLISH = re.compile(r"Upload|per file|Drag|drop", re.IGNORECASE)


def drawn(page: Page) -> str:
    return page.locator(DROPZONE).evaluate(DRAWN_WORDS)


def test_portuguese_dropzone_and_decimal_comma(
    page: Page, app_url: str, tmp_path: Path, console_errors: list[str]
) -> None:
    load(page, f"{app_url}/train?task=csv&lang=pt")
    words = drawn(page)
    assert f"{MAX_BYTES // 2**20} MB por arquivo • CSV, TSV, TXT" in words and "Enviar" in words
    assert not ENGLISH.search(words), words
    page.locator(DROPZONE).evaluate(
        "zone => { const files = new DataTransfer();"
        " files.items.add(new File(['a;b'], 'a.csv', {type: 'text/csv'}));"
        " zone.dispatchEvent(new DragEvent('dragenter', {dataTransfer: files, bubbles: true})); }"
    )
    expect(page.locator(DROPZONE)).to_contain_text("Drag")  # the DOM's own words, drawn over
    words = drawn(page)
    assert "Solte o arquivo aqui" in words and not ENGLISH.search(words), words
    page.locator(DROPZONE).dispatch_event("dragleave")
    series = tmp_path / "serie.csv"
    series.write_text("dia;temperatura\n" + "\n".join(f"{d};{20 + d % 7},5" for d in range(60)))
    page.locator(".st-key-train-upload input[type=file]").set_input_files(str(series))
    expect(page.locator(APP_IDLE)).to_have_count(1)
    expect(page.locator(DROPZONE)).to_contain_text("serie.csv")
    assert "serie.csv" in drawn(page)  # the words drawn over Streamlit's leave the file's alone

    rate = page.locator(".st-key-cfg-learning-rate input")
    expect(rate).to_have_value("0,002")
    rate.fill("0,01")
    rate.press("Enter")
    expect(page).to_have_url(re.compile(r"learning_rate=0\.01(&|$)"))
    rate.fill("abc")
    rate.press("Enter")
    expect(page.get_by_text("“abc” não é um número")).to_be_visible()
    expect(page.locator(APP_IDLE)).to_have_count(1)
    assert "learning_rate=0.01" in page.url  # the last good value stays in the link
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert console_errors == []
