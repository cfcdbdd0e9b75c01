"""Assaults on officers as an input to the threat and risk assessment (core indicator 1).

:func:`assaults_snapshot` is the ``assaults`` provider of the assessment
(``forcewatch.snapshot_providers`` entry point in ``pyproject.toml``; contract ``assaults/1`` in
docs/assessment.md): for the force and financial year, from the stored assault records (one per
officer per crime, :mod:`forcewatch.assaults`), month by month:

- ``assaults``: assaults on **police officers** (victim role a constable of any rank or a special
  constable: the reference data's ``constable`` flag) with an offence date in the month;
- ``with_injury``: of them, those recording any injury (injury level other than none);
- ``with_weapon``: of them, those recording a weapon (other than "no weapon").

Every month of the year is listed (zero when none). Assaults on police staff, PCSOs, volunteers
and other emergency workers are counted beside, not in the monthly figures, because the
indicator's rate is per 1,000 officers (the published workforce, FTE). A force with no assault
recorded in the year gets no snapshot: the assessment then uses the partial measure from
use-of-force reports and says so. Aggregates only; no victim, team or crime reference.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select

from . import assault_reference as ref
from .assessment import SnapshotData, SnapshotRequest
from .periods import months_of
from .store import Store
from .store.tables.assaults import officer_assault

__all__ = ["POLICE_OFFICER_ROLES", "assaults_snapshot"]


def _police_roles() -> tuple[str, ...]:
    return tuple(k for k, t in ref.reference().vocabularies["victim_roles"].items() if t.extra.get("constable"))


#: victim roles counted as police officers (constables of any rank and special constables)
POLICE_OFFICER_ROLES = _police_roles()


def assaults_snapshot(store: Store, request: SnapshotRequest) -> SnapshotData | None:
    """Assaults on police officers by month, with injury and with a weapon, from the stored assault records."""
    t = officer_assault.c
    officer = t.victim_role.in_(POLICE_OFFICER_ROLES)
    with store.read() as conn:
        rows = conn.execute(
            select(t.offence_date, officer, t.injury_level != "none",
                   t.weapon.is_not(None) & (t.weapon != "none"), t.simulated)
            .where(t.force_code == request.force_code, t.offence_date >= request.start, t.offence_date <= request.end)
        ).all()
    if not rows:
        return None
    counts: dict[str, Counter[str]] = {m: Counter() for m in months_of(request.start, request.end)}
    others = simulated = 0
    for day, is_officer, injured, weapon, synthetic in rows:
        simulated += bool(synthetic)
        if not is_officer:
            others += 1
            continue
        c = counts[day.strftime("%Y-%m")]
        c["assaults"] += 1
        c["with_injury"] += bool(injured)
        c["with_weapon"] += bool(weapon)
    monthly = [{"month": m, "assaults": c["assaults"], "with_injury": c["with_injury"],
                "with_weapon": c["with_weapon"]} for m, c in counts.items()]
    total = sum(c["assaults"] for c in counts.values())
    content: dict[str, Any] = {
        "period": request.period,
        "victims": "police officers: constables of any rank and special constables",
        "monthly": monthly,
        "assaults_on_other_victims": others,
        "reference_version": ref.reference().version,
    }
    return SnapshotData(
        content,
        source="officer_assault: the force's assaults with an offence date in the period, by month; victims who are "
        "police officers in the monthly figures, others counted beside",
        query={"table": "officer_assault", "force_code": request.force_code, "from": request.start.isoformat(),
               "to": request.end.isoformat(), "victim_roles": list(POLICE_OFFICER_ROLES)},
        schema_version="assaults/1",
        rows=len(monthly),
        quality={"assaults": total, "records": len(rows), "simulated_share": simulated / len(rows)},
    )
