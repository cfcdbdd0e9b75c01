"""Public outputs: an anonymous visitor follows every link, JSON and CSV twin reachable from ``/``
and ``/public``; nothing reached shows a small count where suppression applies, a person-level
field, a pseudonym, an account name or the unredacted words of a submission.

The default suite crawls a small database seeded with known identifiers (small counts are then
certain); ``make proof`` crawls the full demo database. Pages are discovered, not listed, so the
public site's pages are covered as they are added (tests/public_crawl.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, select

from forcewatch import accounts, official
from forcewatch.access import SYSTEM
from forcewatch.assault_import import import_assaults
from forcewatch.publications import media_contacts
from forcewatch.recording import import_records
from forcewatch.review import store as review_store
from forcewatch.settings import Settings
from forcewatch.store import Store
from forcewatch.web import create_app

from .assault_fixtures import AVON, AVON_ANALYST, REVIEW_TEAM
from .assault_fixtures import SETTINGS as ASSAULT_SETTINGS
from .assessment_data import people, published, settings
from .conftest import DATA
from .public_crawl import crawl, person_fields, small_cells

pytestmark = pytest.mark.usefixtures("fast_passwords")

SENTINEL_TEXT = "Sergeant Quentin Fairbrother collar 8841 left me single crewed at Zebra Crossing Lane"
SETTINGS = Settings(demo=False, secure_cookies=False, secret_key="s" * 40, pseudonym_key="k" * 40)


def _secrets(store: Store) -> set[str]:
    """Strings that identify a person: every pseudonym, account name, display name and unredacted text."""
    meta = MetaData()
    found: set[str] = set()
    with store.read() as conn:
        meta.reflect(conn)
        for table in meta.tables.values():
            for column in table.c:
                name = column.name
                wanted = (name.endswith("pseudonym") or name in ("username", "display_name", "staff_id")
                          or (table.name.startswith("review") and name == "free_text"))
                if not wanted:
                    continue
                for value in conn.execute(select(column).distinct()).scalars():
                    if isinstance(value, str) and len(value.strip()) >= 6:
                        found.add(value.strip())
        if "review_submission" in meta.tables:  # a submission whose redaction changed nothing says nothing
            t = meta.tables["review_submission"]
            for free, redacted in conn.execute(select(t.c.free_text, t.c.redacted_text)):
                if redacted is not None and free == redacted:
                    found.discard(free.strip())
    return found


def _check(store: Store, app_settings: Settings, *, expect_pages: int) -> dict[str, Any]:
    client = TestClient(create_app(app_settings, store=store))
    found = crawl(client)
    reached = [p for p, status in found.pages.items() if status == 200]
    assert len(reached) >= expect_pages, found.pages
    problems = []
    for path, document in found.documents.items():
        if path.startswith("/public/contact") and isinstance(document, dict):
            # The press office's contacts are published on purpose: they must be exactly what the
            # operator configured (FORCEWATCH_MEDIA_CONTACTS), never anything read from the records.
            contacts = document.get("contacts")
            assert contacts == media_contacts(app_settings), contacts
            document = {k: v for k, v in document.items() if k != "contacts"}
        problems += [f"{path}: person-level field {f}" for f in person_fields(document)]
        problems += [f"{path}: small count {c}" for c in small_cells(document, app_settings.suppression_threshold)]
    secrets = _secrets(store)
    for path, body in found.texts.items():
        problems += [f"{path}: shows {s[:40]!r}" for s in secrets if s in body]
    assert problems == [], "\n".join(problems[:40])
    return {"pages": len(found.pages), "reached": len(reached), "documents": len(found.documents),
            "secrets": len(secrets)}


def test_an_anonymous_crawl_finds_no_small_cell_and_no_person(store: Store, tmp_path: Path) -> None:
    official.import_files(store, [DATA / "home-office" / "use-of-force" /
                                  "police-use-of-force-apr2018-mar2019-hosb3319-tables.ods",
                                  DATA / "home-office" / "workforce" / "police-workforce-sep19-tables.ods"],
                          imported_by="tests")
    import_records(store, DATA / "samples" / "national-form-sample-fy20-layout.csv", "Avon and Somerset",
                   settings=SETTINGS, imported_by="tests")
    account = accounts.create_user(store, actor=SYSTEM, username="quentin.fairbrother", password="kettle orbit lantern",
                         role="officer", force=AVON, team="T1", staff_id="QF8841", display_name="Quentin Fairbrother",
                         settings=ASSAULT_SETTINGS)
    path = tmp_path / "assaults.csv"
    path.write_text("CrimeRef,VictimStaffId,VictimTeam,VictimRole,Offence,OffenceDate,InjuryLevel,Methods,AbsenceDays\n"
                    "CR/1,QF8841,T1,constable,ew_common_assault,2026-03-01,none,spit,\n"
                    "CR/2,QF8842,T1,constable,ew_common_assault,2026-04-01,minor,punch,2\n", encoding="utf-8")
    import_assaults(store, path, AVON, principal=AVON_ANALYST, settings=ASSAULT_SETTINGS)
    author = account.principal()
    submission = review_store.submit(store, author, {
        "free_text": SENTINEL_TEXT, "consent_scope": "publish_anonymised_quotes", "role_band": "constable",
        "ratings": {"deployment": "2"}}, settings=ASSAULT_SETTINGS)
    review_store.redact_submission(store, REVIEW_TEAM, submission)
    review_store.confirm_areas(store, REVIEW_TEAM, submission, ["deployment"])
    review_store.moderate_submission(store, REVIEW_TEAM, submission, "approved")
    published(store, people(store), settings(tmp_path))
    summary = _check(store, SETTINGS, expect_pages=15)
    assert summary["secrets"] >= 3
    print(f"public crawl of the seeded database ({store.backend}): {summary}")


@pytest.mark.slow
def test_an_anonymous_crawl_of_the_demo_finds_no_small_cell_and_no_person(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from forcewatch.demo import build_demo, demo_settings

    monkeypatch.chdir(tmp_path)
    demo = demo_settings(Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}", demo=True))
    store = build_demo(demo)
    try:
        summary = _check(store, demo, expect_pages=30)
        print(f"public crawl of the demo: {summary}")
    finally:
        store.dispose()
