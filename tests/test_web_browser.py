"""The web app in a real browser (Debian's Chromium, headless, --no-sandbox; never a downloaded one).

An assessment walked from draft to published by three different people and then found on the public
site; a force analyst refused another force's records; each role's navigation; the keyboard alone;
a phone's width; and screenshots of the main pages in ``tests/screenshots/`` (git-ignored). Recording
a report through the form with the keyboard alone is ``tests/test_reports_browser.py``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
from sqlalchemy import select

from forcewatch.settings import Settings
from forcewatch.store.tables.records import officer_report
from forcewatch.web import create_app

from .assessment_data import AVON, PASSWORD, WMIDS, confirm_and_score, engage, import_force_records, people, worked_example
from .conftest import Backend
from .live_server import serving
from .reporting import cast

CHROMIUM = shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or None
SHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture(scope="module")
def site(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A server on a free port over one database: two forces' records, their people, an assessment ready to assure."""
    from argon2 import PasswordHasher

    from forcewatch import passwords

    if CHROMIUM is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but Chromium is not installed: browser tests would be skipped")
        pytest.skip("Chromium (/usr/bin/chromium) is not installed: apt-get install chromium")
    tmp = tmp_path_factory.mktemp("browser")
    settings = Settings(demo=True, secure_cookies=False, pseudonym_key="k" * 40, signing_key_dir=str(tmp / "keys"))
    store = backend.new_store()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        from forcewatch import official

        official.import_files(store, official.bundled_files(), imported_by="tests")
        for force in (AVON, WMIDS):
            import_force_records(store, tmp, force, reports=200)
        cast(store)  # officers, supervisors, analysts of both forces, a national analyst
        team = people(store, AVON, "sign")  # sign.force_analyst, sign.assurer, sign.chief_officer ...
        item = worked_example(store, team["force_analyst"])
        confirm_and_score(store, team["force_analyst"], item.id)
        engage(store, team["force_analyst"], item.id)
        with store.read() as conn:
            avon_report = conn.execute(select(officer_report.c.id).where(officer_report.c.force_code == AVON)).scalar()
        with serving(create_app(settings, store=store)) as url:
            yield {"url": url, "assessment": item.id, "avon_report": avon_report}
    backend.drop(store)


@pytest.fixture(scope="module")
def browser(site: dict[str, Any]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        yield b
        b.close()


def _page(browser: Any, **options: Any) -> Any:
    return browser.new_context(locale="en-GB", **options).new_page()


def _log_in(page: Any, url: str, username: str, then: str = "/") -> None:
    page.goto(f"{url}/login?next={then}")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.press("#password", "Enter")


def _log_out(page: Any) -> None:
    with page.expect_navigation():
        page.click("button:has-text('Log out')")


def _sign(page: Any, url: str, assessment: int, step: str, label: str) -> None:
    page.goto(f"{url}/assessments/{assessment}")
    page.check(f"#{step}-confirm")
    with page.expect_navigation():
        page.click(f"button:has-text('{label} and sign')")


def test_an_assessment_goes_from_draft_to_the_public_site_signed_by_three_people(site: dict[str, Any], browser: Any) -> None:
    url, item = site["url"], site["assessment"]
    page = _page(browser)
    for username, step, label, state in (("sign.assurer", "assure", "Assure", "assured"),
                                         ("sign.chief_officer", "approve", "Approve", "approved"),
                                         ("sign.chief_officer", "publish", "Publish", "published")):
        _log_in(page, url, username, f"/assessments/{item}")
        _sign(page, url, item, step, label)
        assert page.locator("#workflow-title").inner_text() == f"Sign-off: {state}"
        _log_out(page)
    page.goto(f"{url}/public")  # no account
    link = page.locator("a", has_text="public summary").first
    with page.expect_navigation():
        link.click()
    assert "Method and counting rule" in page.content() and "Decision:" in page.content()
    page.screenshot(path=str(SHOTS / "public-publication.png"), full_page=True)
    page.goto(f"{url}/public/forces/{AVON}")
    assert page.locator("a", has_text="public summary").count() == 1


def test_a_force_analyst_cannot_see_another_forces_records(site: dict[str, Any], browser: Any) -> None:
    url = site["url"]
    page = _page(browser)
    _log_in(page, url, "wm.analyst")
    response = page.goto(f"{url}/reports/{site['avon_report']}")
    assert response.status in (403, 404)
    assert page.goto(f"{url}/forces/{AVON}").status == 403
    assert page.goto(f"{url}/forces/{WMIDS}").status == 200
    page.goto(f"{url}/reports")
    assert "Avon and Somerset" not in page.locator("main").inner_text()


def test_each_role_sees_the_links_it_may_use(site: dict[str, Any], browser: Any) -> None:
    url = site["url"]
    expected = {"pc.ash": ({"Record a use of force", "Force dashboard"}, {"Publish", "Submissions"}),
                "avon.analyst": ({"Force dashboard", "Publish", "Reports"}, {"Record a use of force"}),
                "avon.pcc": ({"Force dashboard", "Public site"}, {"Publish", "Reports", "Record a use of force"}),
                "nat.analyst": ({"Force dashboard", "Publish", "Reports"}, {"Record a use of force"})}
    for username, (shown, hidden) in expected.items():
        page = _page(browser)
        _log_in(page, url, username)
        links = set(page.locator("header nav a").all_inner_texts())
        assert shown <= links and not (hidden & links), (username, links)
        page.context.close()


def test_the_keyboard_alone_reaches_the_content_and_publishes_a_statement(site: dict[str, Any], browser: Any) -> None:
    url = site["url"]
    page = _page(browser)
    page.goto(f"{url}/public")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    _log_in(page, url, "avon.analyst", "/publications/new")
    page.focus("#s-title")
    page.keyboard.type("Our Taser figures")
    page.keyboard.press("Tab")
    page.keyboard.type("A statement typed with the keyboard alone.")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past "replaces statement number" to the button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/public/publications/" in page.url and page.locator("h1").inner_text() == "Our Taser figures"
    outline = page.evaluate("""() => { const a = document.querySelector('main a'); a.focus();
                                        return getComputedStyle(a).outlineStyle + ' ' + getComputedStyle(a).outlineWidth; }""")
    assert outline.startswith("solid") and not outline.endswith(" 0px")  # focus is visible


def test_the_public_site_and_dashboard_fit_a_phone(site: dict[str, Any], browser: Any) -> None:
    url = site["url"]
    page = _page(browser, viewport={"width": 360, "height": 740})
    for path in ("/public", f"/public/forces/{AVON}", "/public/contact", "/public/forces"):
        page.goto(url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    _log_in(page, url, "avon.analyst", f"/forces/{AVON}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(SHOTS / "dashboard-phone.png"), full_page=True)


def test_screenshots_of_the_main_pages(site: dict[str, Any], browser: Any) -> None:
    url = site["url"]
    page = _page(browser, viewport={"width": 1280, "height": 900})
    for name, path in (("home", "/"), ("national", "/national"), ("public", "/public"),
                       ("public-force", f"/public/forces/{AVON}"), ("public-contact", "/public/contact")):
        assert page.goto(url + path).status == 200, path
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    _log_in(page, url, "avon.analyst", f"/forces/{AVON}")
    for name, path in (("dashboard", f"/forces/{AVON}"), ("monitoring-taser", "/monitoring/taser"),
                       ("assessment", f"/assessments/{site['assessment']}"), ("publish", "/publications/new")):
        assert page.goto(url + path).status == 200, path
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert len(list(SHOTS.glob("*.png"))) >= 9
