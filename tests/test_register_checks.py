"""Reports cross-checked with the register: lapsed, untrained, ineligible officers; unknown and misplaced devices."""

from __future__ import annotations

from pathlib import Path

import pytest

from forcewatch import audit
from forcewatch.access import SYSTEM, Role
from forcewatch.errors import PermissionDenied, UsageError
from forcewatch.recording import import_records
from forcewatch.register_checks import RULES, check_reports
from forcewatch.register_import import import_register
from forcewatch.store import Store

from .form_rows import row, write_csv
from .register_data import AVON, KEY, WMIDS, analyst, device, posting, pseudonym, training, write_register

REGISTER = [
    posting("A1", "2016-01-01"), training("A1", "2017-03-01"), training("A1", "2018-02-20", course="Requalification"),
    device("A1", "2017-03-02", "X100"),
    posting("B2", "2016-01-01"), training("B2", "2018-06-01"), device("B2", "2019-03-05", "X200"),
    device("B2", "2019-03-05", "X200", event="Device returned"),
    posting("C3", "2016-05-01", status="Special constable", team="Bath NPT", area="Bath"), training("C3", "2018-05-01"),
    posting("D4", "2016-01-01"),
]
CED = {"Tactic 1": "CED (Taser) Drawn", "CED Used": "Yes", "CED Drawn": "Yes", "TrainedCED": "Yes", "CarryingCED": "Yes"}


def report(ref: str, officer: str | None, day: str, serial: str = "", **extra: str) -> dict[str, str]:
    return row(ReportId=ref, OfficerId=officer or "", IncidentDate=day,
               **{**CED, "CED Device Serial No": serial, **extra})


def checked(store: Store, tmp_path: Path, *reports: dict[str, str], year: str | None = None):  # type: ignore[no-untyped-def]
    import_register(store, analyst(), write_register(tmp_path / "hr.csv", REGISTER), AVON, settings=KEY)
    import_records(store, write_csv(tmp_path / "uof.csv", reports), AVON, settings=KEY)
    return check_reports(store, analyst(), AVON, year=year)


def rules(result) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [((f.details["officer_pseudonym"] or "")[:6], f.rule) for f in result.findings]


def test_a_report_by_an_officer_whose_requalification_had_lapsed_is_flagged(store: Store, tmp_path: Path) -> None:
    result = checked(store, tmp_path, report("R1", "A1", "2019-02-19", "X100"), report("R2", "A1", "2019-02-20", "X100"))
    [finding] = result.findings
    assert finding.as_dict() == {
        "report_id": finding.report_id, "force_code": AVON, "incident_date": finding.incident_date,
        "rule": "ced_lapsed", "severity": "error",
        "explanation": f"officer {pseudonym('A1')[:10]} used a CED on 2019-02-20, but their Taser authorisation had "
                       "lapsed: last pass 2018-02-20, valid to 2019-02-19",
        "details": finding.details}
    assert str(finding.incident_date) == "2019-02-20"
    assert finding.details["officer_pseudonym"] == pseudonym("A1") and finding.details["policy"]["name"] == "national-default"


def test_a_serial_the_register_never_saw_is_flagged(store: Store, tmp_path: Path) -> None:
    result = checked(store, tmp_path, report("R1", "A1", "2018-06-01", "X999"))
    assert [(f.rule, f.severity) for f in result.findings] == [("serial_unknown", "warning")]
    assert result.findings[0].explanation == "CED serial X999 on 2018-06-01 is not in the register"


def test_a_device_issued_to_someone_else_that_day_is_in_the_wrong_hands(store: Store, tmp_path: Path) -> None:
    # X200 was issued to B2 and returned on 2019-03-05 (a pool device for one shift); A1 was out of date then
    # too, so report 2 has two findings
    result = checked(store, tmp_path, report("R1", "B2", "2019-03-05", "x200"), report("R2", "A1", "2019-03-05", "X200 "),
                     report("R3", "B2", "2019-03-06", "X200"), report("R4", "A1", "2018-06-01", "X200"))
    found = [(f.report_id, f.rule, f.severity) for f in result.findings]
    ids = {f.report_id: f for f in result.findings if f.rule.startswith("device")}
    assert sorted(found) == sorted([(2, "ced_lapsed", "error"), (2, "device_wrong_hands", "error"),
                                    (3, "device_not_issued", "warning"),
                                    (4, "device_not_issued", "warning")])
    assert ids[2].explanation == (f"CED serial X200 was issued to officer {pseudonym('B2')[:10]} on 2019-03-05, "
                                  f"not to officer {pseudonym('A1')[:10]}")
    assert ids[2].details["holders"] == [pseudonym("B2")]


def test_untrained_ineligible_unknown_and_unidentified_officers(store: Store, tmp_path: Path) -> None:
    result = checked(store, tmp_path, report("R1", "D4", "2018-07-01"), report("R2", "C3", "2018-07-01"),
                     report("R3", "Z9", "2018-07-01"), report("R4", None, "2018-07-01"),
                     report("R5", "B2", "2018-07-01", **{"CED Used": "No", "Tactic 1": "Compliant Handcuffing",
                                                        "CED Drawn": "", "CarryingCED": "Yes", "TrainedCED": "No"}))
    assert sorted(rules(result)) == sorted([
        (pseudonym("D4")[:6], "ced_untrained"), (pseudonym("C3")[:6], "ced_ineligible"),
        (pseudonym("Z9")[:6], "officer_not_in_register"), ("", "officer_not_identified"),
        (pseudonym("B2")[:6], "trained_answer_contradicts_register")])
    assert result.reports_checked == 5
    assert set(result.by_rule()) >= {"ced_untrained", "training_while_ineligible"}  # C3 trained as a special
    assert {f.severity for f in result.findings} <= {"error", "warning"}


def test_a_report_by_an_officer_in_date_with_their_own_device_has_no_finding(store: Store, tmp_path: Path) -> None:
    result = checked(store, tmp_path, report("R1", "B2", "2019-03-05", "X200"), report("R2", "A1", "2018-08-01", "X100"),
                     row(ReportId="R3", OfficerId="D4", IncidentDate="2018-08-01"))  # no CED: not checked
    assert result.findings == [] and result.reports_checked == 2


def test_findings_have_the_shape_the_scorecard_consumes(store: Store, tmp_path: Path) -> None:
    result = checked(store, tmp_path, report("R1", "D4", "2018-07-01", "X999"), year="2018-19")
    for finding in result.as_dict()["findings"]:
        assert list(finding) == ["report_id", "force_code", "incident_date", "rule", "severity", "explanation",
                                 "details"]
        assert finding["rule"] in RULES and finding["severity"] == RULES[finding["rule"]][0]
    assert check_reports(store, analyst(), AVON, year="2017-18").reports_checked == 0
    with pytest.raises(UsageError, match="not a financial year"):
        check_reports(store, analyst(), AVON, year="2018")


def test_checks_need_both_the_register_and_the_reports_of_the_force(store: Store, tmp_path: Path) -> None:
    checked(store, tmp_path, report("R1", "A1", "2019-02-20"))
    for who in (analyst(WMIDS), analyst(role=Role.assurer), analyst(role=Role.pcc)):
        with pytest.raises(PermissionDenied):
            check_reports(store, who, AVON)
    assert check_reports(store, analyst(role=Role.chief_officer), AVON).findings
    [entry] = audit.events(store, principal=SYSTEM, event_type="record.read", subject_type="register_check")[-1:]
    assert entry.payload["count"] == 1
