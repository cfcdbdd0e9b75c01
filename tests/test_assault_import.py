"""Importing assaults and outcome events from CSV: refused whole with every problem named, or stored whole;
importing again changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from forcewatch import assaults, audit
from forcewatch.access import SYSTEM
from forcewatch.assault_import import import_assaults, import_outcomes
from forcewatch.errors import InputRefused, PermissionDenied
from forcewatch.store import Store

from .assault_fixtures import AVON, AVON_ANALYST, AVON_SUPERVISOR, SETTINGS, WMIDS_ANALYST

HEADER = "CrimeRef,VictimStaffId,VictimTeam,VictimRole,Offence,OffenceDate,InjuryLevel,Methods,AbsenceDays\n"
ROWS = [
    "CR/1,AB1,T1,constable,ew_common_assault,2024-03-01,none,spit,\n",
    "CR/2,AB2,T1,Police constable (any rank),Emergency worker - assault occasioning actual bodily harm,01/04/2024,"
    "medical,punch; kick,3\n",
    "CR/2,AB3,T2,pcso,common_assault,2024-04-01,none,push,\n",
]


def _file(tmp_path: Path, name: str, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + "".join(lines), encoding="utf-8")
    return path


def _held(store: Store) -> list[tuple[str, str, str]]:
    return sorted((a["crime_ref"], a["offence"], a["ho_class"]) for a in assaults.list_assaults(store, AVON_ANALYST))


def test_a_good_file_is_stored_whole(store: Store, tmp_path: Path) -> None:
    report = import_assaults(store, _file(tmp_path, "a.csv", *ROWS), "Avon and Somerset", principal=AVON_ANALYST,
                             settings=SETTINGS)
    assert (report.rows, report.created, report.updated, report.unchanged) == (3, 3, 0, 0)
    kinds = [e.event_type for e in audit.events(store, principal=SYSTEM, limit=20)]
    assert kinds[0] == "file.imported" and kinds.count("assault.recorded") == 3
    assert _held(store) == [("CR/1", "ew_common_assault", "104"), ("CR/2", "common_assault", "105A"),
                            ("CR/2", "ew_abh", "8S")]


def test_a_file_with_any_error_is_refused_whole_naming_row_column_and_value(store: Store, tmp_path: Path) -> None:
    bad = [ROWS[0], "CR/9,AB9,T1,sergeant,ew_common_assault,2024-13-01,none,,\n", ROWS[1],
           "CR/1,AB1,T1,constable,ew_common_assault,2024-03-02,none,,\n", ",AB5,T1,constable,ew_abh,2024-03-01,none,,x\n"]
    with pytest.raises(InputRefused) as refused:
        import_assaults(store, _file(tmp_path, "bad.csv", *bad), AVON, principal=AVON_ANALYST, settings=SETTINGS)
    found = [(p.row, p.column, p.value, p.severity) for p in refused.value.problems]
    assert found == [
        (3, "VictimRole", "sergeant", "error"),
        (3, "OffenceDate", "2024-13-01", "error"),
        (5, "CrimeRef", "CR/1", "error"),
        (6, "AbsenceDays", "x", "error"),
        (6, "CrimeRef", None, "error"),
    ]
    assert all(p.file == "bad.csv" for p in refused.value.problems)
    assert "row 5" in str(refused.value.problems[2]) and "one row per officer per crime" in str(refused.value.problems[2])
    assert _held(store) == []


def test_missing_and_unknown_columns(store: Store, tmp_path: Path) -> None:
    path = _file(tmp_path, "cols.csv", "CR/1,constable,2024-03-01,none,x\n",
                 header="CrimeRef,VictimRole,OffenceDate,InjuryLevel,Colour\n")
    with pytest.raises(InputRefused) as refused:
        import_assaults(store, path, AVON, principal=AVON_ANALYST, settings=SETTINGS)
    assert [(p.column, p.severity) for p in refused.value.problems] == [("Offence", "error"), ("Colour", "warning")]
    assert _held(store) == []


def test_importing_the_same_file_again_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = _file(tmp_path, "a.csv", *ROWS)
    import_assaults(store, path, AVON, principal=AVON_ANALYST, settings=SETTINGS)
    before = store.table_counts()
    again = import_assaults(store, path, AVON, principal=AVON_ANALYST, settings=SETTINGS)
    assert again.already_imported and (again.created, again.unchanged) == (0, 3)
    assert store.table_counts() == before


def test_a_revised_file_revises_only_what_changed(store: Store, tmp_path: Path) -> None:
    import_assaults(store, _file(tmp_path, "a.csv", *ROWS), AVON, principal=AVON_ANALYST, settings=SETTINGS)
    revised = [ROWS[0], ROWS[1].replace(",3\n", ",5\n"), ROWS[2], "CR/4,AB4,T1,constable,ew_common_assault,2024-05-01,none,,\n"]
    report = import_assaults(store, _file(tmp_path, "b.csv", *revised), AVON, principal=AVON_ANALYST, settings=SETTINGS)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 2)
    changed = [a for a in assaults.list_assaults(store, AVON_ANALYST) if a["crime_ref"] == "CR/2" and a["ho_class"] == "8S"]
    assert changed[0]["version"] == 2
    assert assaults.get_assault(store, AVON_ANALYST, changed[0]["id"])["welfare"]["absence_days"] == 5


def test_an_importer_may_write_only_what_their_role_allows(store: Store, tmp_path: Path) -> None:
    path = _file(tmp_path, "a.csv", *ROWS)
    with pytest.raises(PermissionDenied):  # the supervisor's team is T1; row 4 is team T2
        import_assaults(store, path, AVON, principal=AVON_SUPERVISOR, settings=SETTINGS)
    assert _held(store) == []
    with pytest.raises(PermissionDenied):
        import_assaults(store, path, AVON, principal=WMIDS_ANALYST, settings=SETTINGS)
    assert _held(store) == []


OUTCOMES = ("CrimeRef,VictimStaffId,EventType,EventDate,HoOutcome,ChargedOffences,Verdict,SentenceDisposal\n"
            "CR/1,AB1,arrest,2024-03-01,,,,\n"
            "CR/1,AB1,charge,2024-03-10,,ew_common_assault,,\n"
            "CR/1,AB1,verdict,2024-05-01,,,convicted,\n"
            "CR/1,AB1,sentence,2024-05-01,,,,fine\n"
            "CR/2,AB2,ho_outcome,2024-04-20,16,,,\n")


def test_outcome_events_import_into_the_named_assaults_once(store: Store, tmp_path: Path) -> None:
    import_assaults(store, _file(tmp_path, "a.csv", *ROWS), AVON, principal=AVON_ANALYST, settings=SETTINGS)
    path = tmp_path / "o.csv"
    path.write_text(OUTCOMES)
    report = import_outcomes(store, path, AVON, principal=AVON_ANALYST, settings=SETTINGS, today=date(2025, 1, 1))
    assert (report.rows, report.created) == (5, 5)
    statuses = sorted((a["crime_ref"], a["status"]) for a in assaults.list_assaults(store, AVON_ANALYST))
    assert statuses == [("CR/1", "convicted_and_sentenced"), ("CR/2", "nfa"), ("CR/2", "open_investigation")]
    (tmp_path / "o2.csv").write_text(OUTCOMES + "CR/2,AB3,arrest,2024-04-02,,,,\n")  # a revised file
    again = import_outcomes(store, tmp_path / "o2.csv", AVON, principal=AVON_ANALYST, settings=SETTINGS)
    assert (again.created, again.unchanged) == (1, 5)


def test_an_outcome_file_naming_an_unknown_assault_or_a_bad_value_is_refused_whole(store: Store, tmp_path: Path) -> None:
    import_assaults(store, _file(tmp_path, "a.csv", *ROWS), AVON, principal=AVON_ANALYST, settings=SETTINGS)
    path = tmp_path / "o.csv"
    path.write_text(OUTCOMES + "CR/404,AB1,arrest,2024-03-01,,,,\nCR/1,AB1,sentence,2024-05-02,,,,birching\n")
    with pytest.raises(InputRefused) as refused:
        import_outcomes(store, path, AVON, principal=AVON_ANALYST, settings=SETTINGS)
    assert [(p.row, p.column, p.value) for p in refused.value.problems] == [
        (7, "CrimeRef", "CR/404"), (8, "SentenceDisposal", "birching")]
    with store.read() as conn:
        from sqlalchemy import func, select

        from forcewatch.store.tables.assaults import cjs_outcome_event
        assert conn.execute(select(func.count()).select_from(cjs_outcome_event)).scalar_one() == 0


def test_a_windows_1252_file_is_read(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_bytes((HEADER + ROWS[0].replace("CR/1", "CR/1–é")).encode("cp1252"))
    import_assaults(store, path, AVON, principal=AVON_ANALYST, settings=SETTINGS)
    assert _held(store) == [("CR/1–é", "ew_common_assault", "104")]
