"""The recording form in a real browser (Debian's Chromium): keyboard only, the error summary, a phone."""

from __future__ import annotations

import os
import shutil
from typing import Iterator

import pytest

from forcewatch.store import Store
from forcewatch.web import create_app

from .live_server import serving
from .reporting import PASSWORD, SETTINGS, cast

pytestmark = pytest.mark.usefixtures("fast_passwords")
CHROMIUM = shutil.which("chromium")


@pytest.fixture
def server(store: Store) -> Iterator[str]:
    if CHROMIUM is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but Chromium is not installed: browser tests would be skipped")
        pytest.skip("Chromium is not installed")
    cast(store)
    with serving(create_app(SETTINGS, store=store)) as url:
        yield url


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _focused(page) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def test_an_officer_records_a_report_with_the_keyboard_alone(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(locale="en-GB")
    page.goto(f"{server}/reports/new")  # not logged in: sent to log in first
    page.keyboard.press("Tab")  # the skip link, then on to the user name
    page.focus("#username")
    page.keyboard.type("pc.ash")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/reports/new")
    page.fill("#incident_date", "2099-06-30")  # a date in the future (the browser's own date picker)
    page.focus("#incident_date")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter submits the report (not "add more tactic rows")
    assert page.title().startswith("Error: ")
    assert _focused(page) == "error-summary"  # the summary takes focus, so a screen reader reads it first
    page.keyboard.press("Tab")
    assert "is in the future" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")  # the summary's link goes to the question
    assert page.evaluate("location.hash") == "#incident_date"
    page.fill("#incident_date", "2018-06-30")
    page.focus("#tactic_1")
    page.keyboard.press("ArrowDown")  # choose the first tactic from the list
    page.focus("#subject_age-2")
    page.keyboard.press("Space")
    page.locator("button", has_text="Submit the report").last.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "recorded=1" in page.url
    assert "Your report was stored" in page.content()


def test_the_form_fits_a_phone_without_sideways_scrolling(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(f"{server}/login?next=/reports/new")
    page.fill("#username", "pc.ash")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(f"{server}/reports/new")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    boxes = [page.locator(f"#{i}").bounding_box() for i in ("incident_date", "tactic_1", "subject_age-0")]
    assert all(b is not None and b["x"] >= 0 and b["x"] + b["width"] <= 360 for b in boxes)
