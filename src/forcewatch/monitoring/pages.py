"""What each monitoring page shows: one function per page, returning the data of its JSON twin.

The web routes (``forcewatch.web.routes.monitoring``) parse parameters, call one of these, and
render; charts are drawn from the rows returned here, so a page never shows a number its JSON
twin does not. Published-figure views are public and suppressed; record-derived views need
``facts.read_records`` and are scoped to the reader's force (national roles see every force).
"""

from __future__ import annotations

from typing import Any

from .. import forces
from ..access import ALL, Principal, can, visible_forces
from ..errors import NotFound, PermissionDenied
from ..official import facts
from ..store import Store
from ..suppression import SuppressionRule
from .bases import area_bases
from .disparity import disparity
from .explanations import explanations
from .figures import records_facts
from .loader import financial_years_held
from .quality import scorecard
from .rates import READING_RULE, ced_share, rates
from .reconcile import reconcile
from .trends import trends

__all__ = ["default_year", "reader_force", "rates_page", "disparity_page", "taser_page", "quality_page",
           "reconcile_page", "published_years"]


def published_years(store: Store) -> list[str]:
    """Financial years with published incidents by force, oldest first."""
    return sorted({f.year for f in facts(store, table="incidents_by_force", force="England and Wales")
                   if len(f.year) == 7})


def reader_force(principal: Principal, force: str | None) -> str | None:
    """The area a record-derived page shows: the one asked for, else the reader's own force."""
    visible = visible_forces(principal, "facts.read_records")
    if force:
        code = forces.resolve(force).code
        if visible is not ALL and code not in visible:
            raise PermissionDenied(f"{principal.role} {principal.username!r} may read statistics from records of "
                                   f"their own force only, not {forces.get(code).name}")
        return code
    if visible is ALL:
        return None
    if not isinstance(visible, set) or not visible:
        raise PermissionDenied(f"{principal.role} may not read statistics computed from records")
    return next(iter(visible))


def default_year(store: Store, force_code: str | None, year: str | None) -> str:
    """``year``, else the newest financial year held in records for the area, else the newest published."""
    if year:
        return year
    area = forces.get(force_code) if force_code else forces.ENGLAND_AND_WALES
    from .scope import area_forces

    held = financial_years_held(store, area_forces(area))
    years = held or published_years(store)
    if not years:
        raise NotFound("no records and no published statistics are loaded",
                       hint="forcewatch import official --bundled, then import or simulate records")
    return years[-1]


def _explanations(store: Store, principal: Principal, year: str) -> list[dict[str, Any]]:
    if not principal.is_authenticated or not can(principal, "assessment.read"):
        return []
    return [e.as_dict() for e in explanations(store, principal, year=year)]


def rates_page(store: Store, principal: Principal, *, year: str | None, tactic: str, per: str, source: str,
               rule: SuppressionRule) -> dict[str, Any]:
    """Funnel plots across forces: rates per 1,000 and (for CED) the share of reports involving CED."""
    if source == "records" and visible_forces(principal, "facts.read_records") is not ALL:
        raise PermissionDenied("funnels from records compare every force: only national roles may read them",
                               hint="use the published figures (source official)")
    years = published_years(store)
    year = year or (years[-1] if years else None)
    if not year:
        raise NotFound("no published statistics are loaded", hint="forcewatch import official --bundled")
    public = source == "official"
    result = rates(store, year=year, tactic=tactic, per=per, source=source, principal=principal,
                   rule=rule if public else None)
    share = ced_share(store, year=year, source=source, principal=principal) if tactic == "ced" else None
    return {"year": year, "tactic": tactic, "per": per, "source": source, **result.as_dict(),
            "ced_share": None if share is None else {**share, "funnel": share["funnel"].as_dict()},
            "explanations": _explanations(store, principal, year), "years": published_years(store),
            "can_explain": can(principal, "assessment.draft"), "reader_force": principal.force_code}


def disparity_page(store: Store, principal: Principal, *, year: str | None, tactic: str, area: str | None,
                   benchmark: str, source: str, rule: SuppressionRule) -> dict[str, Any]:
    """Rate ratios by ethnic group with their caveats beside them."""
    years = published_years(store)
    year = year or (years[-1] if years else None)
    if not year:
        raise NotFound("no published statistics are loaded", hint="forcewatch import official --bundled")
    result = disparity(store, year=year, tactic=tactic, area=area, benchmark=benchmark, source=source,
                       principal=principal if source == "records" else None,
                       rule=rule if source == "official" else None)
    return {"year": year, "tactic": tactic, "area": area or "", "benchmark": benchmark, "source": source,
            **result.as_dict(), "years": published_years(store)}


def taser_page(store: Store, principal: Principal, *, force: str | None, year: str | None) -> dict[str, Any]:
    """Taser monitoring for a force: levels, monthly trend with change points, per officer, funnel."""
    code = reader_force(principal, force)
    year = default_year(store, code, year)
    area = forces.get(code) if code else forces.ENGLAND_AND_WALES
    levels = records_facts(store, year=year, force=area.code, table="ced_by_force", principal=principal)
    rows = [r for r in levels.rows() if r["area_code"] == area.code]
    try:
        officers = area_bases(store, year=year, per="officers")
        fte = officers.values.get(area.code)
        officer_note = officers.source
    except NotFound as exc:
        fte, officer_note = None, str(exc)
    ced = next((r["value"] for r in rows if r["tactic"] == "ced"), 0)
    try:
        series = trends(store, force=area.code, year=year, principal=principal).as_dict()
    except NotFound:
        series = None
    try:
        funnel = rates(store, year=year, tactic="ced", per="officers", source="official",
                       rule=SuppressionRule(0)).as_dict()
    except NotFound:
        funnel = None
    return {"area_code": area.code, "area": area.name, "year": year, "levels": rows,
            "provenance": [p.as_dict() for p in levels.provenance], "provenance_line": [p.line() for p in levels.provenance],
            "ced_reports": ced, "officers_fte": fte, "officers_source": officer_note,
            "ced_per_1000_officers": 1000 * ced / fte if fte else None, "trend": series, "published_funnel": funnel,
            "reading_rule": READING_RULE, "explanations": _explanations(store, principal, year),
            "can_explain": can(principal, "assessment.draft") and principal.force_code == area.code}


def quality_page(store: Store, principal: Principal, *, force: str | None, year: str | None) -> dict[str, Any]:
    """The recording-quality scorecard with every rule's definition."""
    code = reader_force(principal, force)
    year = default_year(store, code, year)
    card = scorecard(store, force=code or forces.ENGLAND_AND_WALES.code, year=year, principal=principal)
    totals: dict[str, dict[str, Any]] = {}
    for row in card.rows:
        t = totals.setdefault(row["rule"], {"rule": row["rule"], "numerator": 0, "denominator": 0})
        t["numerator"] += row["numerator"]
        t["denominator"] += row["denominator"]
    for t in totals.values():
        t["rate"] = t["numerator"] / t["denominator"] if t["denominator"] else None
    return {"year": year, **card.as_dict(), "totals": list(totals.values())}


def reconcile_page(store: Store, principal: Principal, *, force: str | None, year: str | None,
                   table: str | None, differences: bool) -> dict[str, Any]:
    """Records against the published figures, cell by cell, with the known causes."""
    code = reader_force(principal, force)
    year = default_year(store, code, year)
    result = reconcile(store, year=year, force=code, table=table, principal=principal)
    rows = [r.as_dict() for r in (result.differences() if differences else result.rows)]
    return {"year": year, "area_code": code or forces.ENGLAND_AND_WALES.code, "table": table or "",
            "summary": result.summary, "provenance": [p.as_dict() for p in result.provenance],
            "provenance_line": [p.line() for p in result.provenance], "rows": rows}
