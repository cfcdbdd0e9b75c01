"""Concurrency: writers racing each other on one database (PostgreSQL and SQLite).

- the same file imported by several processes at once is stored once; the others get a clean
  "already imported" result (or a clear Conflict), never a raw database error;
- two people editing one thing (a report review, a register correction) from the same version:
  one wins, the other gets a Conflict naming what changed (optimistic locking, no lost update);
- racing assessment transitions: exactly one wins, and the signature chain has one entry for it.

Each race releases its threads together from a barrier; threads use their own connections.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable

import pytest
from sqlalchemy import func, select

from forcewatch import assessment as A
from forcewatch import official
from forcewatch.assessment.workflow import signatures
from forcewatch.errors import Conflict, ForcewatchError
from forcewatch.recording import import_records
from forcewatch.register_edits import correct_event
from forcewatch.register_import import import_register
from forcewatch.reports import get_report, review_report
from forcewatch.store import Store
from forcewatch.store.tables.official import official_release
from forcewatch.store.tables.records import officer_report
from forcewatch.store.tables.register import register_event

from . import form_rows
from .assessment_data import confirm_and_score, engage, people, settings, worked_example
from .conftest import DATA
from .register_data import KEY, analyst, posting, write_register
from .reporting import cast, record

pytestmark = pytest.mark.usefixtures("fast_passwords")


def race(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(0..n-1)`` in n threads released together; each result or the exception it raised."""
    gate = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        gate.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - collected and checked by the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return results


def _only_forcewatch_errors(results: list[Any]) -> list[ForcewatchError]:
    errors = [r for r in results if isinstance(r, Exception)]
    raw = [r for r in errors if not isinstance(r, ForcewatchError)]
    assert raw == [], f"a raw error escaped: {raw[0]!r}" if raw else ""
    return errors  # type: ignore[return-value]


def test_the_same_records_file_imported_at_once_is_stored_once(store: Store, tmp_path: Path) -> None:
    rows = [form_rows.row(ReportId=f"R{n}", IncidentId=f"I{n}", PersonId=f"P{n}") for n in range(300)]
    path = form_rows.write_csv(tmp_path / "same.csv", rows)
    results = race(4, lambda i: import_records(store, path, "Avon and Somerset", imported_by=f"clerk{i}"))
    errors = _only_forcewatch_errors(results)
    assert all(isinstance(e, Conflict) and "same.csv" in str(e) for e in errors)
    stored = [r for r in results if not isinstance(r, Exception) and not r.already_imported]
    assert len(stored) == 1 and stored[0].stored == 300
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(officer_report)).scalar() == 300
        assert conn.execute(select(func.count(func.distinct(officer_report.c.report_ref)))).scalar() == 300


def test_different_files_imported_at_once_are_all_stored(store: Store, tmp_path: Path) -> None:
    paths = [form_rows.write_csv(tmp_path / f"f{k}.csv", [form_rows.row(ReportId=f"F{k}R{n}", IncidentId=f"F{k}I{n}",
                                                                       PersonId="P") for n in range(100)])
             for k in range(3)]
    results = race(3, lambda i: import_records(store, paths[i], "Avon and Somerset", imported_by="clerk"))
    assert _only_forcewatch_errors(results) == []
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(officer_report)).scalar() == 300


def test_the_same_official_file_imported_at_once_is_stored_once(store: Store) -> None:
    path = DATA / "home-office" / "ced" / "police-use-of-conducted-energy-devices-2016.ods"
    results = race(3, lambda i: official.import_file(store, path, imported_by=f"clerk{i}"))
    assert _only_forcewatch_errors(results) == []
    assert sorted(r.status for r in results).count("stored") == 1
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(official_release)).scalar() == 1


def test_two_supervisors_reviewing_one_report_at_once_one_wins_the_other_is_told(store: Store) -> None:
    team = cast(store)
    report_id = record(store, team["pc.ash"], "submission-race")
    reviewers = [team["sgt.dale"], team["sgt.elm"]]
    results = race(2, lambda i: review_report(store, reviewers[i], report_id, expected_version=1))
    errors = _only_forcewatch_errors(results)
    assert len(errors) == 1 and isinstance(errors[0], Conflict)
    assert "already reviewed" in str(errors[0]) or "it is now version 2" in str(errors[0])
    winner = next(r for r in results if not isinstance(r, Exception))
    held = get_report(store, team["sgt.dale"], report_id)
    assert held["version"] == 2 and held["review"]["reviewed_by"] == winner["review"]["reviewed_by"]


def test_two_people_correcting_one_register_event_at_once_lose_nothing(store: Store, tmp_path: Path) -> None:
    import_register(store, analyst(), write_register(tmp_path / "hr.csv", [posting("AB1", "2017-01-01", record="1")]),
                    "E23000036", settings=KEY)
    with store.read() as conn:
        event_id = conn.execute(select(register_event.c.id)).scalar_one()
    teams = ["Bristol Response B", "Bath NPT"]
    results = race(2, lambda i: correct_event(store, analyst(), event_id, expected_version=1,
                                              changes={"team": teams[i]}))
    errors = _only_forcewatch_errors(results)
    assert len(errors) == 1 and isinstance(errors[0], Conflict)
    assert f"register event {event_id}" in str(errors[0]) and "corrected" in str(errors[0])
    with store.read() as conn:
        states = conn.execute(select(register_event.c.state).order_by(register_event.c.id)).scalars().all()
    assert states == ["superseded", "current"]  # one correction, not two "current" versions


def test_racing_assessment_transitions_exactly_one_wins(store: Store, tmp_path: Path) -> None:
    team = people(store)
    item = worked_example(store, team["force_analyst"])
    confirm_and_score(store, team["force_analyst"], item.id)
    config = settings(tmp_path)
    A.assure(store, team["assurer"], item.id, settings=config)  # creates the signing key once, outside the race
    with store.read() as conn:
        before = len(signatures(conn, item.id))
    results = race(3, lambda i: A.publish(store, team["chief_officer"], item.id, settings=config))
    errors = _only_forcewatch_errors(results)
    assert len(errors) == 3  # not yet approved: every one refused, cleanly
    engage(store, team["force_analyst"], item.id)
    results = race(3, lambda i: _try_approve(store, team, item.id, config))
    errors = _only_forcewatch_errors(results)
    winners = [r for r in results if not isinstance(r, Exception)]
    assert len(winners) == 1 and all(isinstance(e, Conflict) for e in errors)
    with store.read() as conn:
        after = signatures(conn, item.id)
    assert len(after) == before + 1 and after[-1].to_state == "approved"


def _try_approve(store: Store, team: dict[str, Any], assessment_id: int, config: Any) -> Any:
    return A.approve(store, team["chief_officer"], assessment_id, settings=config)


def test_signers_racing_to_create_one_key_all_get_the_same_whole_key(tmp_path: Path) -> None:
    """A first signing by one person in several requests at once: every request gets the same key,
    none reads a half-written file (was: 'Unable to load PEM file ... MalformedFraming')."""
    from cryptography.hazmat.primitives import serialization

    from forcewatch.assessment.signing import _load_or_create

    for attempt in range(10):
        path = tmp_path / f"signer-{attempt}.pem"
        results = race(8, lambda i: _load_or_create(path))
        assert not [r for r in results if isinstance(r, Exception)]
        raw = {r.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                               serialization.NoEncryption()) for r in results}
        assert len(raw) == 1
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []
