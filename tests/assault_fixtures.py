"""Small inline data for the assault, outcome, learning and review tests: principals and records."""

from __future__ import annotations

from typing import Any

from forcewatch import assaults, outcomes
from forcewatch.access import Principal, Role
from forcewatch.pseudonyms import officer_pseudonym
from forcewatch.settings import Settings
from forcewatch.store import Store

AVON, WMIDS = "E23000036", "E23000014"
SETTINGS = Settings(demo=False, pseudonym_key="k" * 40, secret_key="s" * 40)


def pseudonym(force: str, staff_id: str) -> str:
    return officer_pseudonym(SETTINGS.officer_pseudonym_key, force, staff_id)


def principal(role: Role, force: str | None = None, *, team: str | None = None, staff_id: str | None = None,
              user_id: int | None = None, name: str | None = None) -> Principal:
    return Principal(user_id=user_id, username=name or f"{role}-{force or 'national'}", role=role, force_code=force,
                     team=team, officer_pseudonym=pseudonym(force, staff_id) if force and staff_id else None)


AVON_ANALYST = principal(Role.force_analyst, AVON)
WMIDS_ANALYST = principal(Role.force_analyst, WMIDS)
AVON_OFFICER = principal(Role.officer, AVON, team="T1", staff_id="AB1")
AVON_SUPERVISOR = principal(Role.supervisor, AVON, team="T1", staff_id="SUP1")
AVON_CHIEF = principal(Role.chief_officer, AVON)
NATIONAL = principal(Role.national_analyst)
REVIEW_TEAM = principal(Role.review_team)


def assault_values(**overrides: Any) -> dict[str, str]:
    """One valid assault as CSV headers and text values."""
    values = {"CrimeRef": "CR/1", "VictimStaffId": "AB1", "VictimTeam": "T1", "VictimRole": "constable",
              "Offence": "ew_common_assault", "OffenceDate": "2024-03-01", "InjuryLevel": "none",
              "Methods": "push; spit", "SingleCrewed": "yes", "EquipmentCarried": "taser; body_worn_video"}
    values.update({k: str(v) for k, v in overrides.items()})
    return {k: v for k, v in values.items() if v != "<none>"}


def record(store: Store, who: Principal = AVON_ANALYST, **overrides: Any) -> int:
    """Record one assault through the library and return its id."""
    return assaults.record_assault(store, who, assault_values(**overrides), settings=SETTINGS)


def event(store: Store, assault_id: int, kind: str, when: str, who: Principal = AVON_ANALYST, **fields: Any) -> int:
    """Append one outcome event through the library and return its id."""
    values = {"event_type": kind, "event_date": when, **{k: str(v) for k, v in fields.items()}}
    return outcomes.append_outcome(store, who, assault_id, values, settings=SETTINGS)
