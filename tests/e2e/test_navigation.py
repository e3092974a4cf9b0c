"""Moving between pages in a real browser keeps every setting and the run (and the lesson's lock).

A fresh tab opened from a link, then a click in the sidebar, with nothing touched in between: the
case that used to reset every number input to its minimum and restart the model at step 0.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import APP_IDLE, EXCEPTION, STEPS_METRIC
from tests.e2e.test_pages import button

pytestmark = pytest.mark.e2e

SHARED = ("train", "steps", "gradients")  # the pages that draw the run's settings
LINK = "task=sine&hidden_size=24"
# Every settings widget in the sidebar, by key: its inputs' values, or whether they are checked.
SETTINGS = """() => Object.fromEntries(
    [...document.querySelectorAll('[data-testid="stSidebar"] [class*="st-key-cfg-"]')].map(e => [
        [...e.classList].find(c => c.startsWith('st-key-cfg-')),
        [...e.querySelectorAll('input')].map(i =>
            i.type === 'radio' || i.type === 'checkbox' ? i.checked : i.value),
    ]))"""
# The whole panel drawn: a fresh tab loads some widgets' code on first use, and draws their
# containers before their inputs.
SETTINGS_DRAWN = f"""() => {{ const settings = Object.values(({SETTINGS})());
    return settings.length > 10 && settings.every(inputs => inputs.length > 0); }}"""


def open_link(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator(".st-key-cfg-hidden-size input")).to_have_value("24")
    settle(page)


def go_to(page: Page, path: str) -> None:
    """Click ``path``'s entry in the sidebar's navigation and wait for the page to settle."""
    # The session shows no run between the click and the server's answer, and the last page's
    # elements stay until the new run replaces them: wait for the new page's title first.
    title = page.locator('[data-testid="stMain"] h1').first
    before = title.inner_text()
    page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').click()
    page.wait_for_url(f"**/{path}?*")
    expect(title).not_to_have_text(before)
    settle(page)


def settle(page: Page) -> None:
    """Wait until the settings are drawn and the script has stopped running."""
    expect(page.locator(".st-key-cfg-hidden-size input")).to_be_visible()
    expect(page.locator(APP_IDLE)).to_have_count(1)
    page.wait_for_function(SETTINGS_DRAWN)


# Every ordered pair; each first page is opened once in English and once in Portuguese.
PAIRS = [
    (first, second, "&lang=pt" if i % 2 else "")
    for i, (first, second) in enumerate((a, b) for a in SHARED for b in SHARED if a != b)
]


@pytest.mark.parametrize(("first", "second", "lang"), PAIRS)
def test_a_page_change_keeps_every_setting(
    page: Page, app_url: str, console_errors: list[str], first: str, second: str, lang: str
) -> None:
    open_link(page, f"{app_url}/{first}?{LINK}{lang}")
    before = page.evaluate(SETTINGS)

    go_to(page, second)

    assert page.url == f"{app_url}/{second}?{LINK}{lang}"
    assert page.evaluate(SETTINGS) == before
    expect(page.locator(".st-key-cfg-hidden-size input")).to_have_value("24")
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert not console_errors


def test_the_trained_model_survives_page_changes(
    page: Page, app_url: str, console_errors: list[str]
) -> None:
    open_link(page, f"{app_url}/train?{LINK}")
    button(page, "train-step10").click()
    expect(page.locator(STEPS_METRIC)).to_have_text("10")
    before = page.evaluate(SETTINGS)

    go_to(page, "gradients")
    expect(page.locator(STEPS_METRIC)).to_have_text("10")  # the same model, not a new one at 0
    assert page.evaluate(SETTINGS) == before
    assert not console_errors


def test_a_students_link_is_locked_and_the_teachers_is_not(
    new_page, app_url: str, console_errors: list[str]
) -> None:
    teacher = new_page()
    teacher.goto(f"{app_url}/train?cell=lstm&hide=learning_rate")
    settle(teacher)
    student_code = teacher.locator(".st-key-shell-student-link code")
    teacher_code = teacher.locator(".st-key-shell-teacher-link code")
    expect(student_code).to_contain_text("lock=1")
    student_url, teacher_url = student_code.inner_text().strip(), teacher_code.inner_text().strip()
    # Absolute links to this page, as the browser sees it (st.context.url).
    assert student_url == f"{app_url}/train?cell=lstm&hide=learning_rate&lock=1"
    assert teacher_url == f"{app_url}/train?cell=lstm&hide=learning_rate"

    student = new_page()
    student.goto(student_url)
    settle(student)
    for page in ("train", "gradients"):
        if page != "train":
            go_to(student, page)
        expect(student.locator(".st-key-shell-hide")).to_have_count(0)  # no way to unhide
        expect(student.locator(".st-key-cfg-learning-rate")).to_have_count(0)
        expect(student.locator(".st-key-shell-student-link")).to_have_count(0)
        assert student.url.endswith("hide=learning_rate&lock=1")
    expect(student.locator(EXCEPTION)).to_have_count(0)
    assert not console_errors
