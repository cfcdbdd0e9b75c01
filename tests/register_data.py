"""Small register exports and principals for the register tests."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Mapping, Sequence

from forcewatch.access import Principal, Role
from forcewatch.pseudonyms import officer_pseudonym
from forcewatch.settings import Settings

KEY = Settings(pseudonym_key="k" * 40)
AVON, WMIDS = "E23000036", "E23000014"
HEADER = ("RecordId", "StaffId", "Event", "Date", "Status", "Rank", "Role", "Team", "Area", "Skill", "Course",
          "Result", "Expires", "Serial")


def write_register(path: Path, rows: Sequence[Mapping[str, str]], header: Sequence[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, list(header), lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def posting(staff: str, day: str, status: str = "Officer", team: str = "Bristol Response A", area: str = "Bristol",
            role: str = "Response", rank: str = "PC", record: str | None = None) -> dict[str, str]:
    return {"RecordId": record or "", "StaffId": staff, "Event": "Posting", "Date": day, "Status": status,
            "Rank": rank, "Role": role, "Team": team, "Area": area}


def training(staff: str, day: str, course: str = "Initial", result: str = "Pass", skill: str = "Taser",
             expires: str = "", record: str | None = None) -> dict[str, str]:
    return {"RecordId": record or "", "StaffId": staff, "Event": "Training", "Date": day, "Skill": skill,
            "Course": course, "Result": result, "Expires": expires}


def device(staff: str, day: str, serial: str, event: str = "Device issued") -> dict[str, str]:
    return {"StaffId": staff, "Event": event, "Date": day, "Serial": serial}


def pseudonym(staff: str, force: str = AVON) -> str:
    return officer_pseudonym(KEY.officer_pseudonym_key, force, staff)


def analyst(force: str = AVON, role: Role = Role.force_analyst) -> Principal:
    return Principal(user_id=1, username=f"{role}-{force}", role=role, force_code=force)


def officer(staff: str, team: str = "Bristol Response A", force: str = AVON, role: Role = Role.officer) -> Principal:
    return Principal(user_id=2, username=f"{staff.lower()}.{role}", role=role, force_code=force, team=team,
                     officer_pseudonym=pseudonym(staff, force))
