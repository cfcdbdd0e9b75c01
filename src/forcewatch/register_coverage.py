"""The assessment's link to the register: current trained officers against the demand-coverage model.

:func:`coverage_for_force` runs :func:`forcewatch.method.run_coverage` for one force and one
financial year, with

- **demand** from the force's stored reports, under the demand-event definition
  :data:`DEMAND_EVENT` (version it with the assessment): an incident in which at least one
  officer's report records CED use (any level, drawn included), counted once per incident, placed
  in the reporting officer's register area (or team, ``by="team"``) on the incident date, else the
  report's borough, else ``unassigned``; and in the method's hour block of the incident time. The
  hours observed in each block are the days of the year times the block's length. Reports without
  an incident time cannot be placed in a block and are counted in ``excluded``;
- **current** headcount from the register (:func:`forcewatch.register.current_headcount`): officers
  serving, Taser-trained, in date and eligible on ``on`` (default: the last day of the year), by the
  same areas; areas with officers but no demand are listed apart, since the model has nothing to
  compare them with.

The result shows, per area and for the force, **current**, **required** (low, central, high) and
the **difference** required - current at each bound (positive: a shortfall), beside the method's
recommendation and decision (which needs a threat and risk priority; without one it is "not
decided"). :func:`coverage_from` is the pure core, for the assessment workflow to call with its
own snapshot of demand and headcount.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Final, Mapping

from sqlalchemy import select

from .access import Principal, require
from .errors import UsageError
from .forces import resolve
from .method import BlockDemand, CoverageInputs, CoverageResult, MethodConfig, load_method, run_coverage
from .register import current_headcount, load_histories
from .periods import financial_year, financial_year_bounds
from .store import Store
from .store.tables.records import officer_report

__all__ = ["DEMAND_EVENT", "RegisterCoverage", "coverage_from", "coverage_for_force", "demand_rows",
           "years_with_demand"]

DEMAND_EVENT: Final = {
    "key": "ced_used_incidents",
    "version": "1.0.0",
    "text": "An incident in which at least one officer's report records CED use (any level, drawn included), "
            "counted once per incident, in the reporting officer's register area (or team) on the incident date, "
            "else the report's borough, else 'unassigned', and in the method's hour block of the incident time.",
}


@dataclass(frozen=True)
class RegisterCoverage:
    """Current, required and the difference, per area and for the force; with the model's own result."""

    force_code: str
    year: str
    on: date
    by: str
    areas: list[dict[str, Any]]
    total: dict[str, Any]
    no_demand: dict[str, int]
    excluded: dict[str, int]
    result: CoverageResult

    def as_dict(self) -> dict[str, Any]:
        return {"force_code": self.force_code, "force": resolve(self.force_code).name, "year": self.year,
                "on": self.on, "by": self.by, "demand_event": DEMAND_EVENT, "method": self.result.method,
                "areas": self.areas, "total": self.total, "areas_without_demand": self.no_demand,
                "excluded": self.excluded, "decision": self.result.decision,
                "trace_sha256": self.result.trace.sha256,
                "coverage": self.result.as_dict()}


def coverage_from(demand: list[BlockDemand], current: Mapping[str, int], config: MethodConfig, *,
                  priority: Decimal | int | None = None) -> tuple[list[dict[str, Any]], dict[str, Any], CoverageResult]:
    """Pure core: run the model on ``demand`` with ``current`` headcount (areas without demand ignored)."""
    areas = {d.area for d in demand}
    inputs = CoverageInputs(tuple(demand), {a: int(current.get(a, 0)) for a in sorted(areas)},
                            priority=priority)
    result = run_coverage(config, inputs)
    compared = result.comparison()
    return compared["areas"], compared["total"], result


def demand_rows(conn: Any, force_code: str, year: str, config: MethodConfig, *, by: str = "area"
                ) -> tuple[list[BlockDemand], dict[str, int]]:
    """Demand events per (area, hour block) for a force's year, and what could not be placed."""
    first, last = financial_year_bounds(year)
    r = officer_report.c
    rows = conn.execute(select(r.incident_id, r.incident_date, r.incident_time, r.borough, r.officer_pseudonym)
                        .where(r.force_code == force_code, r.financial_year == year, r.ced.is_(True))
                        .order_by(r.incident_id, r.id)).all()
    if not rows:
        raise UsageError(f"no reports of CED use are stored for {resolve(force_code).name} in {year}",
                         hint="import the force's records (forcewatch import records) for that year first")
    histories = {h.pseudonym: h for h in load_histories(conn, force_code).values()}
    placed: dict[int, tuple[str, str]] = {}
    excluded = {"reports_without_time": 0}
    for incident_id, day, at, borough, pseudonym in rows:
        if incident_id in placed:
            continue
        if at is None:
            excluded["reports_without_time"] += 1
            continue
        history = histories.get(pseudonym) if pseudonym else None
        posting = history.posting_on(day) if history else None
        area = (getattr(posting, by) if posting else None) or borough or "unassigned"
        block = next(b.key for b in config.hour_blocks if b.start <= at.hour < b.end)
        placed[incident_id] = (area, block)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for key in placed.values():
        counts[key] += 1
    days = (last - first).days + 1
    demand = [BlockDemand(area, b.key, counts.get((area, b.key), 0), days * (b.end - b.start))
              for area in sorted({a for a, _ in placed.values()}) for b in config.hour_blocks]
    excluded["incidents"] = len(placed)
    return demand, excluded


def coverage_for_force(store: Store, principal: Principal, force: str, year: str, *, on: date | None = None,
                       by: str = "area", config: MethodConfig | None = None,
                       priority: Decimal | int | None = None) -> RegisterCoverage:
    """Run the coverage model for a force's year with demand from its reports and the register's headcount."""
    force_code = resolve(force, "force").code
    year = financial_year(year)
    require(principal, "register.read", force_code=force_code)
    require(principal, "report.read", force_code=force_code)
    config = config or load_method()
    on = on or financial_year_bounds(year)[1]
    with store.read() as conn:
        demand, excluded = demand_rows(conn, force_code, year, config, by=by)
    current = current_headcount(store, force_code, on, by=by, principal=principal)
    areas, total, result = coverage_from(demand, current, config, priority=priority)
    with_demand = {d.area for d in demand}
    no_demand = {a: n for a, n in sorted(current.items()) if a not in with_demand}
    return RegisterCoverage(force_code, year, on, by, areas, total, no_demand, excluded, result)


def years_with_demand(store: Store, principal: Principal, force: str) -> list[str]:
    """The financial years in which a force's stored reports record CED use, oldest first."""
    force_code = resolve(force, "force").code
    require(principal, "register.read", force_code=force_code)
    require(principal, "report.read", force_code=force_code)
    r = officer_report.c
    with store.read() as conn:
        return list(conn.execute(select(r.financial_year).distinct().where(r.force_code == force_code, r.ced.is_(True))
                                 .order_by(r.financial_year)).scalars())
