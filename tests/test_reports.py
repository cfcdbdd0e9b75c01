"""Reports one at a time (forcewatch.reports): recording on the form, scoping, review, audit."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from forcewatch import audit
from forcewatch.access import SYSTEM
from forcewatch.errors import Conflict, InputRefused, NotFound, PermissionDenied
from forcewatch.form import fields_of_group
from forcewatch.recording import import_records
from forcewatch.recording_form import answers_from_post
from forcewatch.reports import create_report, get_report, list_reports, review_report
from forcewatch.store import Store
from forcewatch.store.tables.records import ced_device, officer_report, tactic_use

from .form_rows import write_csv
from .reporting import POST, cast, record

pytestmark = pytest.mark.usefixtures("fast_passwords")

#: the same report as POST, as a national-form file holds it (what the importer reads)
FILE_ROW = {
    "IncidentDate": "2018-06-30", "IncidentTime": "21:30:00", "Borough": "Bristol",
    **{f.header: "No" for g in ("location", "reason", "impact_factor", "outcome") for f in fields_of_group(g)},
    "Incident Location: Street/Highway": "Yes", "Incident Location: Dwelling": "Yes",
    "SubjectAge": "18-34", "SubjectGender": "Male", "SubjectEthnicity": "White", "PhysicalDisability": "No",
    "MentalDisability": "Yes", "MainDuty": "Emergency response", "SingleCrewed": "Yes", "TrainedCED": "Yes",
    "CarryingCED": "Yes", "Tactic 1": "Tactical Communications", "Effective 1": "No",
    "Tactic 2": "Irritant Spray - PAVA Drawn", "Effective 2": "Yes", "Tactic 3": "CED (Taser) Red-Dotted",
    "Tactic 4": "Non-Compliant Handcuffing", "Effective 4": "Yes", "CED Used": "Yes", "CED Device Serial No": "X1234567",
    "CED Drawn": "Yes", "CED Aimed": "Yes", "CED Red-Dotted": "Yes", "CED Arced": "No", "CED Drive Stun": "No",
    "CED Drive Stun Repeat Application": "No", "CED Angle Drive Stun": "No", "CED Fired": "No",
    "Reason for Force: Protect self": "Yes", "Reason for Force: Effect Arrest": "Yes",
    "Impact Factor: Alcohol": "Yes", "Impact Factor: Size/Gender/Build": "Yes",
    "PrimaryConduct": "Aggressive resistance", "ThreatenedWithWeapon": "Bladed weapon/object, Kick",
    "AssaultedBySubject": "Yes", "AssaultedWithWeapon": "Punch", "StaffInjured": "Yes", "StaffInjuryIntentional": "Yes",
    "StaffInjuryLevel": "Minor", "StaffMedProvided": "No", "SubjectInjured": "No", "SubjectMedOffered": "Yes",
    "Outcome: Arrested": "Yes",
}
#: what only the way a report arrived decides: identity, provenance, officer, the form's timestamps
NOT_COMPARED = {"id", "source_file_id", "source_row", "report_ref", "natural_key", "officer_pseudonym", "officer_team",
                "source", "version", "form_started", "form_completed", "reviewed_at", "reviewed_by", "simulated"}


def test_the_form_stores_exactly_what_the_importer_reads_from_the_same_answers(store: Store, tmp_path: Path) -> None:
    people = cast(store)
    form_id = record(store, people["pc.ash"], "submission-0001")
    import_records(store, write_csv(tmp_path / "same.csv", [FILE_ROW]), "Avon and Somerset")
    with store.read() as conn:
        form, imported = (dict(r) for r in conn.execute(select(officer_report).order_by(officer_report.c.id)).mappings())
        uses = [[dict(u, report_id=0) for u in conn.execute(select(tactic_use).where(tactic_use.c.report_id == i)
                                                              .order_by(tactic_use.c.seq)).mappings()]
                for i in (form["id"], imported["id"])]
        blocks = [[dict(b, report_id=0) for b in conn.execute(select(ced_device).where(ced_device.c.report_id == i))
                   .mappings()] for i in (form["id"], imported["id"])]
    assert form["id"] == form_id
    assert {k: v for k, v in form.items() if k not in NOT_COMPARED} == {
        k: v for k, v in imported.items() if k not in NOT_COMPARED}
    assert uses[0] == uses[1] and [u["tactic"] for u in uses[0]] == [
        "tactical_communication", "irritant_spray_drawn", "ced_red_dot", "handcuffing_non_compliant"]
    assert blocks[0] == blocks[1] and len(blocks[0]) == 1
    assert (form["source"], imported["source"], form["officer_team"], form["simulated"]) == ("form", "import", "Bristol A", False)
    assert form["officer_pseudonym"] == people["pc.ash"].officer_pseudonym
    assert form["form_started"] is not None and form["form_completed"] is not None


def test_every_refused_answer_is_named_and_nothing_is_stored(store: Store) -> None:
    people = cast(store)
    bad = {"incident_date": ["2018-02-30"], "incident_time": ["25:00"], "tactic_1": ["Zebra"],
           "ced1.cartridge_number": ["two"], "subject_age": ["ancient"]}
    with pytest.raises(InputRefused) as refused:
        record(store, people["pc.ash"], "submission-0002", **bad)
    assert sorted(p.column for p in refused.value.problems) == [
        "ced1.cartridge_number", "incident_date", "incident_time", "subject_age", "tactic_1"]
    assert store.table_counts()["officer_report"] == 0
    with pytest.raises(InputRefused) as empty:
        record(store, people["pc.ash"], "submission-0003", incident_date=[""])
    assert [(p.column, p.message) for p in empty.value.problems] == [("incident_date", "the incident date is empty")]


def test_the_officer_force_and_team_come_from_the_account_never_from_the_answers(store: Store) -> None:
    people = cast(store)
    answers = answers_from_post(POST).values
    for smuggled in ({"force": "West Midlands"}, {"officer_id": "SOMEONE"}, {"simulated": "Yes"}, {"nonsense": "x"}):
        with pytest.raises(InputRefused, match="not questions of the form"):
            create_report(store, people["pc.ash"], {**answers, **smuggled}, submission="submission-0004")
    with pytest.raises(PermissionDenied):
        create_report(store, people["avon.analyst"], answers, submission="submission-0005")


def test_submitting_the_same_form_twice_stores_one_report(store: Store) -> None:
    people = cast(store)
    first = record(store, people["pc.ash"], "submission-0006")
    assert record(store, people["pc.ash"], "submission-0006") == first
    assert record(store, people["pc.birch"], "submission-0006") != first  # another officer's form
    assert store.table_counts()["officer_report"] == 2


def _ids(page) -> set[int]:  # type: ignore[no-untyped-def]
    return {r["id"] for r in page.reports}


def test_each_role_reads_exactly_its_scope(store: Store) -> None:
    people = cast(store)
    ash, birch, cedar = (record(store, people[u], f"submission-1{i}00") for i, u in enumerate(("pc.ash", "pc.birch", "pc.cedar")))
    dale, fir = record(store, people["sgt.dale"], "submission-1300"), record(store, people["pc.fir"], "submission-1400")
    assert _ids(list_reports(store, people["pc.ash"])) == {ash}
    assert _ids(list_reports(store, people["sgt.dale"])) == {ash, birch, dale}  # team Bristol A and their own
    assert _ids(list_reports(store, people["sgt.dale"], mine=True)) == {dale}
    assert _ids(list_reports(store, people["avon.analyst"])) == {ash, birch, cedar, dale}
    assert _ids(list_reports(store, people["wm.analyst"])) == {fir}
    assert _ids(list_reports(store, people["nat.analyst"])) == {ash, birch, cedar, dale, fir}
    assert get_report(store, people["sgt.dale"], birch)["officer"]["team"] == "Bristol A"
    for reader, report_id in (("pc.ash", birch), ("sgt.dale", cedar), ("wm.analyst", ash), ("avon.analyst", fir)):
        with pytest.raises(NotFound):
            get_report(store, people[reader], report_id)
    for reader in ("avon.pcc",):
        with pytest.raises(PermissionDenied):
            list_reports(store, people[reader])
    with pytest.raises(NotFound):
        get_report(store, people["nat.analyst"], 999)


def test_pages_of_a_long_list(store: Store) -> None:
    people = cast(store)
    made = [record(store, people["pc.ash"], f"submission-2{i:03d}", incident_date=[f"2018-07-{i + 1:02d}"])
            for i in range(5)]
    first, last = (list_reports(store, people["pc.ash"], page=p, per_page=2) for p in (1, 3))
    assert (first.total, first.pages, [r["id"] for r in first.reports], [r["id"] for r in last.reports]) == (
        5, 3, [made[4], made[3]], [made[0]])


def test_a_supervisor_reviews_a_team_report_once_with_optimistic_locking(store: Store) -> None:
    people = cast(store)
    report_id = record(store, people["pc.ash"], "submission-3000")
    reviewed = review_report(store, people["sgt.dale"], report_id, expected_version=1)
    assert reviewed["review"]["reviewed"] and reviewed["version"] == 2
    assert reviewed["review"]["reviewed_by"] == people["sgt.dale"].officer_pseudonym
    with pytest.raises(Conflict, match="you saw version 1, it is now version 2"):
        review_report(store, people["sgt.elm"], report_id, expected_version=1)
    with pytest.raises(Conflict, match="already reviewed"):
        review_report(store, people["sgt.elm"], report_id, expected_version=2)
    own = record(store, people["sgt.dale"], "submission-3001")
    with pytest.raises(PermissionDenied, match="own report"):
        review_report(store, people["sgt.dale"], own, expected_version=1)
    with pytest.raises(PermissionDenied):
        review_report(store, people["pc.birch"], record(store, people["pc.birch"], "submission-3002"), expected_version=1)
    with pytest.raises(NotFound):
        review_report(store, people["sgt.dale"], record(store, people["pc.cedar"], "submission-3003"), expected_version=1)
    assert list_reports(store, people["sgt.dale"], awaiting_review=True).total == 2  # birch's and dale's own


def test_writes_and_every_record_level_read_are_in_the_audit_log(store: Store) -> None:
    people = cast(store)
    report_id = record(store, people["pc.ash"], "submission-4000")
    get_report(store, people["sgt.dale"], report_id)
    list_reports(store, people["avon.analyst"])
    review_report(store, people["sgt.dale"], report_id, expected_version=1)
    entries = [e for e in reversed(audit.events(store, principal=SYSTEM)) if e.event_type.startswith("record.")]
    summary = [(e.event_type, e.actor, e.subject_id, e.payload.get("change"), e.payload.get("count")) for e in entries
               if e.payload.get("record_type") == "use_of_force_report"]
    assert summary == [
        ("record.written", "pc.ash", str(report_id), "created", None),
        ("record.read", "sgt.dale", str(report_id), None, 1),
        ("record.read", "avon.analyst", None, None, 1),
        ("record.written", "sgt.dale", str(report_id), "reviewed", None),
        ("record.read", "sgt.dale", str(report_id), None, 1),  # the report as now stored, returned by the review
    ]
    assert "Bristol" not in str([e.payload for e in entries])  # ids and field names, never answers
    assert audit.verify(store).ok
