"""Input snapshots from the stored use-of-force records (aggregates only: never a report or a person).

- ``records_use_of_force``: the force's reports in the financial year: by month (all and with
  CED), CED by level and class, by perceived ethnicity (all and with CED), reports where the
  officer was assaulted or injured or a weapon was an impact factor; quality checks: share of
  reports without a time, without a borough, with ethnicity not recorded, simulated;
- ``demand``: the method's demand events counted by area (borough; "whole force" when the records
  name none) and hour block, with T = the hours each block was observed in the period. The unit is
  the incident: several officers' reports on one incident count once. Only the method's
  ``demand_event.filter`` with ``source: use_of_force_reports`` can be read from records.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import and_, func, select

from ..ced import levels_of
from ..errors import UsageError
from ..masks import bit
from ..store import Store
from ..store.tables.records import incident, officer_report
from .snapshots import SnapshotData, SnapshotRequest, register_provider

__all__ = ["DEMAND_FIELDS", "NOT_RECORDED", "WHOLE_FORCE", "demand", "demand_areas", "records_use_of_force"]

#: the area name when the records name no borough at all
WHOLE_FORCE = "whole force"
#: the area of incidents without a borough, when others have one
NOT_RECORDED = "borough not recorded"
#: report fields a records demand filter may use
DEMAND_FIELDS = ("ced", "ced_class", "primary_conduct", "assaulted_by_subject", "single_crewed", "main_duty")
_SOURCE = "use_of_force_reports"


def _scope(request: SnapshotRequest) -> Any:
    return and_(
        officer_report.c.force_code == request.force_code, officer_report.c.financial_year == request.period
    )


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


@register_provider(
    "records_use_of_force",
    description="the force's stored use-of-force reports in the period: "
    "by month, CED level and class, perceived ethnicity; quality checks",
)
def records_use_of_force(store: Store, request: SnapshotRequest) -> SnapshotData | None:
    """Aggregates of the force's use-of-force reports in the period, with quality checks."""
    r = officer_report.c
    scope = _scope(request)
    weapon = r.impact_factor_mask.op("&")(1 << bit("impact_factor", "weapon")) != 0
    with store.read() as conn:
        total = conn.execute(select(func.count()).where(scope)).scalar_one()
        if total == 0:
            return None
        by_day = conn.execute(
            select(r.incident_date, r.ced, func.count()).where(scope).group_by(r.incident_date, r.ced)
        ).all()
        by_ethnicity = conn.execute(
            select(r.ethnicity, r.ced, func.count()).where(scope).group_by(r.ethnicity, r.ced)
        ).all()
        by_levels = conn.execute(
            select(r.ced_levels_mask, r.ced_class, func.count())
            .where(scope, r.ced.is_(True))
            .group_by(r.ced_levels_mask, r.ced_class)
        ).all()
        counts = conn.execute(
            select(
                func.count().filter(r.assaulted_by_subject.is_(True)),
                func.count().filter(r.staff_injured == "yes"),
                func.count().filter(weapon),
                func.count().filter(r.incident_time.is_(None)),
                func.count().filter(r.borough.is_(None)),
                func.count().filter(r.ethnicity.in_(("not_reported", ""))),
                func.count().filter(r.simulated.is_(True)),
            ).where(scope)
        ).one()
    months: dict[str, Counter[str]] = defaultdict(Counter)
    for day, ced, n in by_day:
        months[day.strftime("%Y-%m")]["reports"] += n
        months[day.strftime("%Y-%m")]["ced_reports"] += n if ced else 0
    ethnicity: dict[str, Counter[str]] = defaultdict(Counter)
    for group, ced, n in by_ethnicity:
        ethnicity[group or "not_reported"]["reports"] += n
        ethnicity[group or "not_reported"]["ced_reports"] += n if ced else 0
    levels: Counter[str] = Counter()
    classes: Counter[str] = Counter()
    masks: Counter[int] = Counter()
    for mask, klass, n in by_levels:
        classes[klass or "not_stated"] += n
        masks[int(mask or 0)] += n
        for level in levels_of(mask):
            levels[level] += n
    assaulted, injured, weapons, no_time, no_borough, no_ethnicity, simulated = counts
    content = {
        "year": request.period,
        "area_code": request.force_code,
        "reports": total,
        "ced_reports": sum(classes.values()),
        "by_month": [
            {"month": m, "reports": c["reports"], "ced_reports": c["ced_reports"]}
            for m, c in sorted(months.items())
        ],
        "ced_by_class": dict(sorted(classes.items())),
        "ced_reports_with_level": dict(sorted(levels.items())),
        "ced_levels_mask": {str(k): v for k, v in sorted(masks.items())},
        "by_ethnicity": {
            g: {"reports": c["reports"], "ced_reports": c["ced_reports"]}
            for g, c in sorted(ethnicity.items())
        },
        "officer_assaulted_by_subject": assaulted,
        "officer_injured": injured,
        "weapon_impact_factor": weapons,
    }
    quality = {
        "reports": total,
        "completeness_time": 1 - no_time / total,
        "completeness_borough": 1 - no_borough / total,
        "ethnicity_not_recorded_share": no_ethnicity / total,
        "simulated_share": simulated / total,
    }
    return SnapshotData(
        content,
        source="officer_report: the force's reports with financial_year = the period, counted by "
        "incident date (month), CED flag, CED levels mask and class, perceived ethnicity, assault, injury, weapon",
        query={"table": "officer_report", "force_code": request.force_code, "financial_year": request.period},
        schema_version="records_use_of_force/1",
        rows=total,
        quality=quality,
    )


def _where(request: SnapshotRequest) -> list[Any]:
    event = request.method.demand_event
    if event.source != _SOURCE:
        return []
    conditions = []
    for name, values in event.where.items():
        if name not in DEMAND_FIELDS:
            raise UsageError(
                f"demand_event.filter.where.{name} is not a field of the stored reports",
                hint="fields: " + ", ".join(DEMAND_FIELDS),
            )
        column = officer_report.c[name]
        conditions.append(column.in_([bool(v) if isinstance(v, bool) else str(v) for v in values]))
    return conditions


def _demand_incidents(store: Store, request: SnapshotRequest) -> list[Any] | None:
    """(incident id, time, borough) of each demand event; ``None`` when the force holds no reports then."""
    where = _where(request)
    with store.read() as conn:
        if conn.execute(select(func.count()).where(_scope(request))).scalar_one() == 0:
            return None
        return list(conn.execute(
            select(incident.c.id, incident.c.occurred_time, incident.c.borough)
            .distinct()
            .select_from(officer_report.join(incident, officer_report.c.incident_id == incident.c.id))
            .where(_scope(request), *where)
        ).all())


def _area_rule(rows: list[Any]) -> Callable[[str | None], str]:
    """Where an incident counts: its borough; "whole force" when no incident names one."""
    named = any(b for _, _, b in rows)
    return lambda borough: (borough or NOT_RECORDED) if named else WHOLE_FORCE


def demand_areas(store: Store, request: SnapshotRequest) -> list[str]:
    """The areas the ``demand`` provider counts in, for other inputs to key by (the register's
    headcount); ``[]`` when demand cannot be read from the records (it is then given)."""
    if request.method.demand_event.source != _SOURCE:
        return []
    rows = _demand_incidents(store, request)
    if rows is None:
        return []
    area = _area_rule(rows)
    return sorted({area(b) for _, moment, b in rows if moment is not None}) or [WHOLE_FORCE]


@register_provider(
    "demand",
    description="demand events (the method's definition) by area and hour block, "
    "counted as incidents from the stored use-of-force reports",
)
def demand(store: Store, request: SnapshotRequest) -> SnapshotData | None:
    """Demand events by area and hour block from the stored reports, with the hours observed."""
    event = request.method.demand_event
    if event.source != _SOURCE:
        return None
    rows = _demand_incidents(store, request)
    if rows is None:
        return None
    area_of = _area_rule(rows)
    counts: Counter[tuple[str, str]] = Counter()
    no_time = 0
    blocks = request.method.hour_blocks
    for _, moment, borough in rows:
        if moment is None:
            no_time += 1
            continue
        block = next(b.key for b in blocks if b.start <= moment.hour < b.end)
        counts[(area_of(borough), block)] += 1
    areas = sorted({a for a, _ in counts}) or [WHOLE_FORCE]
    table = [
        {"area": a, "block": b.key, "events": counts[(a, b.key)], "hours": request.days * (b.end - b.start)}
        for a in areas
        for b in blocks
    ]
    content = {
        "definition": event.text,
        "filter": event.as_dict()["filter"],
        "unit": "incident",
        "period": request.period,
        "days": request.days,
        "rows": table,
        "incidents_without_time": no_time,
    }
    return SnapshotData(
        content,
        source="incident joined to officer_report: distinct incidents of the force in the period with a "
        "report matching the method's demand filter, by incident borough and the hour block of the incident time; "
        "hours = days in the period x block length",
        query={
            "tables": ["officer_report", "incident"],
            "force_code": request.force_code,
            "financial_year": request.period,
            "filter": event.as_dict()["filter"],
            "hour_blocks": [b.as_dict() for b in blocks],
        },
        schema_version="demand/1",
        rows=len(table),
        quality={
            "events": len(rows),
            "completeness_time": _share(len(rows) - no_time, len(rows)),
            "incidents_without_time": no_time,
            "areas": len(areas),
        },
    )
