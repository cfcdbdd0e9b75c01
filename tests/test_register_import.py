"""Importing an HR/training export: pseudonyms, refusals naming the cell, atomicity, idempotency, corrections."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from forcewatch import audit
from forcewatch.access import SYSTEM, Role
from forcewatch.errors import InputRefused, PermissionDenied, SettingsError
from forcewatch.register_import import import_register
from forcewatch.settings import Settings
from forcewatch.store import Store
from forcewatch.store.tables.register import register_event, register_officer

from .register_data import AVON, HEADER, KEY, WMIDS, analyst, device, posting, pseudonym, training, write_register

GOOD = [posting("AB1", "2017-01-01", record="1"), training("AB1", "2017-03-01", record="2"),
        device("AB1", "2017-03-02", "x29 0001"), posting("CD2", "2018-01-01", team="Bath NPT", record="3")]


def _held(store: Store) -> tuple[list[str], list[tuple[str, str, str]]]:
    with store.read() as conn:
        officers = conn.execute(select(register_officer.c.officer_pseudonym).order_by(register_officer.c.id)).scalars()
        events = conn.execute(select(register_event.c.kind, register_event.c.state, register_event.c.natural_key)
                              .order_by(register_event.c.id)).all()
        return list(officers), [tuple(e) for e in events]


def test_an_export_is_stored_under_pseudonyms_only(store: Store, tmp_path: Path) -> None:
    report = import_register(store, analyst(), write_register(tmp_path / "hr.csv", GOOD), AVON, settings=KEY)
    assert (report.rows_read, report.officers_created, report.events_stored, report.skipped) == (4, 2, 4, 0)
    officers, events = _held(store)
    assert sorted(officers) == sorted([pseudonym("AB1"), pseudonym("CD2")])
    assert [e[0] for e in events] == ["posting", "training", "device_issued", "posting"]
    with store.read() as conn:
        dumped = " ".join(str(tuple(r)) for t in (register_officer, register_event) for r in conn.execute(select(t)))
    assert "AB1" not in dumped and "CD2" not in dumped
    assert [p.message for p in report.problems] == ["read as 'X290001'"]  # the serial's spaces, a repair


def test_the_same_file_again_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = write_register(tmp_path / "hr.csv", GOOD)
    import_register(store, analyst(), path, AVON, settings=KEY)
    again = import_register(store, analyst(), path, AVON, settings=KEY)
    assert again.already_imported and again.skipped == 4 and again.events_stored == 0
    assert len(_held(store)[1]) == 4


def test_a_later_export_adds_only_what_is_new_and_corrects_a_changed_record(store: Store, tmp_path: Path) -> None:
    import_register(store, analyst(), write_register(tmp_path / "hr1.csv", GOOD), AVON, settings=KEY)
    revised = [*GOOD[:1], training("AB1", "2017-03-05", record="2"), *GOOD[2:],
               training("CD2", "2019-03-01", record="4")]
    report = import_register(store, analyst(), write_register(tmp_path / "hr2.csv", revised), AVON, settings=KEY)
    assert (report.skipped, report.events_stored, report.events_corrected, report.officers_created) == (3, 1, 1, 0)
    _, events = _held(store)
    assert ("training", "superseded", "id:2") in events and ("training", "current", "id:2") in events
    corrected = audit.events(store, principal=SYSTEM, event_type="register.event_corrected")
    assert [e.payload["reason"] for e in corrected] == ["hr_system_correction"]


def test_a_hand_correction_is_not_undone_by_an_old_export_seen_again(store: Store, tmp_path: Path) -> None:
    from forcewatch.register_edits import correct_event

    import_register(store, analyst(), write_register(tmp_path / "hr1.csv", GOOD), AVON, settings=KEY)
    with store.read() as conn:
        event_id = conn.execute(select(register_event.c.id).where(register_event.c.kind == "training")).scalar_one()
    correct_event(store, analyst(), event_id, expected_version=1, changes={"date": "2017-03-04"})
    same_rows = write_register(tmp_path / "hr-copy.csv", [*GOOD, posting("EF3", "2018-01-01")])
    report = import_register(store, analyst(), same_rows, AVON, settings=KEY)
    assert (report.skipped, report.events_stored, report.events_corrected) == (4, 1, 0)


def test_a_file_with_errors_is_refused_whole_naming_file_row_column_and_value(store: Store, tmp_path: Path) -> None:
    rows = [*GOOD, training("AB1", "2031-01-01"), {**training("CD2", "2018-02-01"), "Result": "Maybe"},
            {**posting("EF3", "2018-01-01"), "Status": "Cadet"}, device("EF3", "2018-02-01", ""),
            {"StaffId": "", "Event": "Posting", "Date": "2018-01-01", "Status": "Officer"},
            {"StaffId": "GH4", "Event": "Promotion party", "Date": "2018-01-01"}]
    with pytest.raises(InputRefused) as refused:
        import_register(store, analyst(), write_register(tmp_path / "bad.csv", rows), AVON, settings=KEY,
                        today=date(2026, 1, 1))
    found = {(p.row, p.column, p.value) for p in refused.value.problems if p.severity == "error"}
    assert found == {(6, "Date", "2031-01-01"), (7, "Result", "Maybe"), (8, "Status", "Cadet"), (9, "Serial", ""),
                     (10, "StaffId", ""), (11, "Event", "Promotion party")}
    messages = [str(p) for p in refused.value.problems]
    assert "bad.csv, row 7, column 'Result': unknown result 'Maybe'; expected one of: pass, fail" in messages
    assert _held(store) == ([], [])


def test_missing_columns_another_force_and_duplicate_record_ids_are_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputRefused, match="1 problems") as missing:
        import_register(store, analyst(), write_register(tmp_path / "a.csv", GOOD, [h for h in HEADER if h != "Date"]),
                        AVON, settings=KEY)
    assert missing.value.problems[0].message == "the required column Date is missing"
    other = [{**GOOD[0], "Force": "West Midlands"}]
    with pytest.raises(InputRefused) as wrong_force:
        import_register(store, analyst(), write_register(tmp_path / "b.csv", other, [*HEADER, "Force"]), AVON,
                        settings=KEY)
    assert wrong_force.value.problems[0].column == "Force"
    twice = [posting("AB1", "2017-01-01", record="1"), posting("AB1", "2017-02-01", record="1")]
    with pytest.raises(InputRefused) as duplicate:
        import_register(store, analyst(), write_register(tmp_path / "c.csv", twice), AVON, settings=KEY)
    assert "RecordId appears on another row" in duplicate.value.problems[0].message
    assert _held(store) == ([], [])


def test_day_first_dates_spaces_and_spellings_are_repaired_and_reported(store: Store, tmp_path: Path) -> None:
    rows = [posting("AB1", "01/02/2017", team="Bristol  Response A"), posting("CD2", "2017-02-01",
                                                                             team="bristol response a")]
    report = import_register(store, analyst(), write_register(tmp_path / "hr.csv", rows), AVON, settings=KEY)
    repairs = sorted(p.message for p in report.problems if p.severity == "repair")
    assert repairs == ["read as 'Bristol Response A'", "read as 'Bristol Response A', the spelling already used",
                       "read as a day-first date (DD/MM/YYYY)"]
    with store.read() as conn:
        assert set(conn.execute(select(register_event.c.team)).scalars()) == {"Bristol Response A"}
        assert conn.execute(select(register_event.c.event_date).limit(1)).scalar_one() == date(2017, 2, 1)


def test_a_failed_write_keeps_nothing(store: Store, tmp_path: Path) -> None:
    def crash(step: str) -> None:
        if step == "events":
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        import_register(store, analyst(), write_register(tmp_path / "hr.csv", GOOD), AVON, settings=KEY, fault=crash)
    assert _held(store) == ([], [])
    assert import_register(store, analyst(), tmp_path / "hr.csv", AVON, settings=KEY).events_stored == 4


def test_only_the_forces_analyst_may_import_and_outside_demo_a_key_is_required(store: Store, tmp_path: Path) -> None:
    path = write_register(tmp_path / "hr.csv", GOOD)
    for who in (analyst(WMIDS), analyst(role=Role.chief_officer), SYSTEM):
        with pytest.raises(PermissionDenied):
            import_register(store, who, path, AVON, settings=KEY)
    with pytest.raises(SettingsError, match="no pseudonymisation key"):
        import_register(store, analyst(), path, AVON, settings=Settings())


def test_the_import_is_audited(store: Store, tmp_path: Path) -> None:
    import_register(store, analyst(), write_register(tmp_path / "hr.csv", GOOD), AVON, settings=KEY)
    [entry] = audit.events(store, principal=SYSTEM, event_type="file.imported")
    assert entry.payload["kind"] == "register" and entry.payload["rows"] == 4 and entry.force_code == AVON
