"""Input snapshots from the published statistics (:func:`forcewatch.official.facts`).

- ``published_use_of_force``: the force's use-of-force incidents and CED (Taser) use by level
  (Home Office Tables 12 and 13), its Taser use by perceived ethnicity (Table 15), and England and
  Wales for comparison, newest vintage of each figure;
- ``workforce``: police officers (FTE and headcount) at 31 March at the end of the period;
- ``population``: Census 2011 residents of the force area by ethnic group.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .. import official
from ..store import Store
from .snapshots import SnapshotData, SnapshotRequest, register_provider

__all__ = ["population", "published_use_of_force", "workforce"]

_E_AND_W = "K04000001"


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _vintage(facts: list[official.Fact]) -> date | None:
    return max((date.fromisoformat(f.vintage) for f in facts), default=None)


def _missing(facts: list[official.Fact]) -> int:
    return sum(1 for f in facts if f.value is None)


@register_provider(
    "published_use_of_force",
    description="published use of force and Taser (CED) use for the "
    "force and England and Wales (Home Office tables 12, 13, 15)",
)
def published_use_of_force(store: Store, request: SnapshotRequest) -> SnapshotData | None:
    """Published use-of-force incidents and Taser use by level and ethnicity, newest vintage."""
    force, year = request.force_code, request.period
    incidents = official.facts(store, year=year, table="incidents_by_force", force=force)
    ced = official.facts(store, year=year, table="ced_by_force", force=force, measure="incidents")
    ethnicity = [
        f
        for f in official.facts(store, year=year, table="force_ethnicity", force=force)
        if f.tactic in ("all", "ced")
    ]
    national_incidents = official.facts(store, year=year, table="incidents_by_force", force=_E_AND_W)
    national_ced = official.facts(
        store, year=year, table="ced_by_force", force=_E_AND_W, tactic="ced", measure="incidents"
    )
    used = incidents + ced + ethnicity + national_incidents + national_ced
    if not incidents and not ced:
        return None
    by_ethnicity: dict[str, dict[str, Any]] = {}
    for f in ethnicity:
        by_ethnicity.setdefault(f.tactic, {})[f.category] = _number(f.value)
    content = {
        "year": year,
        "area_code": force,
        "incidents": _number(incidents[0].value) if incidents else None,
        "ced_by_level": {f.tactic: _number(f.value) for f in ced},
        "ethnicity_times_reported": by_ethnicity,
        "england_and_wales": {
            "incidents": _number(national_incidents[0].value) if national_incidents else None,
            "ced": _number(national_ced[0].value) if national_ced else None,
        },
        "vintages": sorted({f.vintage for f in used}),
    }
    return SnapshotData(
        content,
        source="official facts (newest vintage): incidents_by_force, ced_by_force (measure incidents), "
        "force_ethnicity (tactics all and ced, times reported), for the force and England and Wales",
        query={
            "year": year,
            "force": force,
            "tables": ["incidents_by_force", "ced_by_force", "force_ethnicity"],
            "vintage": "latest",
        },
        schema_version="published_use_of_force/1",
        rows=len(used),
        quality={
            "figures": len(used),
            "figures_not_published": _missing(used),
            "ethnicity_published": bool(ethnicity),
        },
        as_at=_vintage(used),
    )


@register_provider("workforce", description="police officers (FTE and headcount) at 31 March, published")
def workforce(store: Store, request: SnapshotRequest) -> SnapshotData | None:
    """Police officers of the force at the end of the period (or the latest date published within it)."""
    facts = [
        f
        for f in official.facts(store, year=request.period, table="workforce", force=request.force_code)
        if f.measure in ("officers_fte", "officers_headcount")
    ]
    if not facts:
        return None
    as_at = max(f.category for f in facts)
    chosen = {f.measure: _number(f.value) for f in facts if f.category == as_at}
    content = {
        "area_code": request.force_code,
        "as_at": as_at,
        "officers_fte": chosen.get("officers_fte"),
        "officers_headcount": chosen.get("officers_headcount"),
    }
    return SnapshotData(
        content,
        source="official facts (newest vintage): workforce, police officers FTE and headcount at the "
        "latest date in the period (31 March when published)",
        query={
            "year": request.period,
            "force": request.force_code,
            "table": "workforce",
            "measures": ["officers_fte", "officers_headcount"],
            "as_at": as_at,
        },
        schema_version="workforce/1",
        rows=len(chosen),
        quality={"officers_fte_published": chosen.get("officers_fte") is not None},
        as_at=_vintage(facts),
    )


@register_provider("population", description="Census 2011 residents of the force area by ethnic group")
def population(store: Store, request: SnapshotRequest) -> SnapshotData | None:
    """Census 2011 usual residents of the force area by ethnic group (Asian includes Chinese)."""
    facts = official.facts(store, table="population", force=request.force_code)
    if not facts:
        return None
    content = {
        "area_code": request.force_code,
        "census": "2011",
        "by_ethnicity": {f.category: _number(f.value) for f in facts},
        "note": "census Asian includes Chinese; Chinese is also given on its own",
    }
    return SnapshotData(
        content,
        source="official facts: population (ONS Census 2011 KS201EW by police force area)",
        query={"force": request.force_code, "table": "population"},
        schema_version="population/1",
        rows=len(facts),
        quality={"groups": len(facts), "figures_not_published": _missing(facts)},
        as_at=_vintage(facts),
    )
