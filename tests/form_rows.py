"""Small national-form files for tests: every FY20-21 column, sensible defaults, overrides per row."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from forcewatch.form import FY20_HEADERS

DEFAULTS = {h: "No" for h in FY20_HEADERS if h.startswith(("Incident Location:", "Impact Factor:", "Reason for Force:", "Outcome:"))}
DEFAULTS.update({
    "IncidentDate": "2018-06-01", "IncidentTime": "21:30:00", "Incident Location: Street/Highway": "Yes",
    "Borough": "Lambeth", "PrimaryConduct": "Active resistance", "AssaultedBySubject": "No",
    "Reason for Force: Protect self": "Yes", "MainDuty": "Emergency response", "SingleCrewed": "No",
    "TrainedCED": "No", "CarryingCED": "No", "Tactic 1": "Compliant Handcuffing", "Effective 1": "Yes",
    "CED Used": "No", "SubjectAge": "18-34", "SubjectGender": "Male", "SubjectEthnicity": "White",
    "PhysicalDisability": "No", "MentalDisability": "No", "StaffInjured": "No", "SubjectInjured": "No",
    "Outcome: Arrested": "Yes",
})


def row(**overrides: str) -> dict[str, str]:
    """One report: the defaults with ``overrides`` (keys are headers; use a dict for odd names)."""
    return {**DEFAULTS, **overrides}


def csv_text(rows: Iterable[Mapping[str, str]], headers: Sequence[str] | None = None) -> str:
    rows = list(rows)
    headers = list(headers or FY20_HEADERS)
    extra = [k for r in rows for k in r if k not in headers]
    for k in extra:
        if k not in headers:
            headers.append(k)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for r in rows:
        writer.writerow([r.get(h, "") for h in headers])
    return out.getvalue()


def write_csv(path: Path, rows: Iterable[Mapping[str, str]], headers: Sequence[str] | None = None,
              encoding: str = "utf-8") -> Path:
    path.write_bytes(csv_text(rows, headers).encode(encoding))
    return path


def counting_fixture() -> list[dict[str, str]]:
    """Section 2 of the domain note: one incident, two people, three officers' reports."""
    common = {"IncidentId": "INC-1", "IncidentDate": "2018-07-14", "IncidentTime": "23:10:00", "Borough": "Croydon"}
    r1 = row(**common, PersonId="P1", ReportId="R1", OfficerId="A", **{
        "Tactic 1": "Tactical Communications", "Tactic 2": "Non-Compliant Handcuffing", "Tactic 3": "CED (Taser) Drawn",
        "Tactic 4": "CED (Taser) Red-Dotted", "Tactic 5": "CED (Taser) Fired", "Effective 2": "Yes",
        "Effective 3": "No", "Effective 4": "No", "Effective 5": "Yes", "CED Used": "Yes",
        "CED Drawn": "Yes", "CED Red-Dotted": "Yes", "CED Fired": "Yes", "CED Fired Cartridge Number": "1",
        "CED Front 3": "Yes", "SubjectInjured": "Yes", "SubjectNatureOfInjury": "Minor"})
    r2 = row(**common, PersonId="P1", ReportId="R2", OfficerId="B", **{
        "Tactic 1": "Tactical Communications", "Tactic 2": "Ground Restraint", "Tactic 3": "Non-Compliant Handcuffing",
        "Tactic 4": "Non-Compliant Handcuffing", "Effective 2": "Yes", "Effective 3": "Yes", "Effective 4": "Yes",
        "SubjectInjured": "Yes", "SubjectNatureOfInjury": "Minor"})
    r3 = row(**common, PersonId="P2", ReportId="R3", OfficerId="C", **{"Tactic 1": "Unarmed Skills (including pressure "
             "points, strikes, restraints and take-downs)", "SubjectGender": "Female"})
    return [r1, r2, r3]
