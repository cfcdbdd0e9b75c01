"""Monitoring pages: funnels, disproportionality, Taser monitoring, recording quality, reconciliation.

Each page calls one function of :mod:`forcewatch.monitoring.pages` and has ``.json`` (and, for
tables, ``.csv``) twins computed by the same call. Published-figure views (rates and disparity
with ``source=official``) are public and suppressed; record-derived pages need
``facts.read_records`` and show the reader's own force (national roles: any force). Charts are
SVG drawn on the server from the rows of the JSON twin.
"""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse

from ... import charts, forces
from ...access import Principal
from ...errors import NotAuthenticated
from ...monitoring import pages
from ...monitoring.explanations import record_explanation
from ...store import Store
from ...suppression import rule_from_settings
from ..auth import current_principal, requires, safe_next
from ..deps import get_store
from ..pages import View, page

router = APIRouter()
YEAR = Query(None, pattern=r"^\d{4}-\d{2}$", description="financial year, e.g. 2018-19")
SOURCE = Query("official", pattern="^(official|records)$", description="official (published) or records")
TAGS = ["monitoring"]


def _needs_login(source: str, principal: Principal) -> None:
    if source == "records" and not principal.is_authenticated:
        raise NotAuthenticated("log in to see figures computed from records")


def _funnel_points(rows: list[dict[str, Any]], value: str) -> list[dict[str, Any]]:
    return [{"area": r["area"], "base": r.get("base") or r.get("reports"), "value": r.get(value),
             "outside": r["outside"]} for r in rows if len(r["area_code"]) == 9 and r["area_code"].startswith(("E23", "W15"))]


def _describe_funnel(points: list[dict[str, Any]], what: str) -> str:
    out = [p["area"] for p in points if p["outside"] != "none"]
    return (f"{what}: {len(points)} forces against their base, with 95% and 99.8% limits. "
            + (f"Outside the limits: {', '.join(out)}. " if out else "No force is outside the limits. ")
            + "The table below gives every value.")


@page(router, "/monitoring", "monitoring.html", tags=TAGS)
def monitoring_index(request: Request, principal: Principal = Depends(current_principal)) -> View:
    """What the monitoring pages show, and who may see each."""
    rule = rule_from_settings(request.app.state.settings)
    return View({"suppression": rule.as_dict(), "logged_in": principal.is_authenticated}, title="Monitoring")


@page(router, "/monitoring/rates", "monitoring_rates.html", csv_twin=True, tags=TAGS)
def monitoring_rates(request: Request, year: Optional[str] = YEAR, tactic: str = Query("ced", max_length=40),
                     per: str = Query("officers", pattern="^(officers|population)$"), source: str = SOURCE,
                     store: Store = Depends(get_store), principal: Principal = Depends(current_principal)) -> View:
    """Rates per 1,000 officers or residents by force on a funnel plot (and the share of reports with CED)."""
    _needs_login(source, principal)
    data = pages.rates_page(store, principal, year=year, tactic=tactic, per=per, source=source,
                            rule=rule_from_settings(request.app.state.settings))
    funnel = data["funnel"]
    points = _funnel_points(data["rows"], "rate")
    unit = "officers (FTE)" if per == "officers" else "residents (census 2011)"
    figures = [charts.funnel_plot(points, funnel["curve"], target=funnel["target"], x_title=unit,
                                  title=f"{tactic} per 1,000 {unit.split(' ')[0]}, {data['year']}",
                                  y_title=f"per 1,000 {unit.split(' ')[0]}",
                                  description=_describe_funnel(points, f"{tactic} per 1,000 {unit}"))]
    if data["ced_share"]:
        share = data["ced_share"]
        share_points = _funnel_points(share["rows"], "share")
        figures.append(charts.funnel_plot(share_points, share["funnel"]["curve"], target=share["funnel"]["target"],
                                          title=f"Share of use-of-force reports involving CED, {data['year']}",
                                          x_title="use-of-force reports", y_title="share of reports",
                                          number_format=".1%",
                                          description=_describe_funnel(share_points, "share of reports with CED")))
    return View(data, title=f"Rates and funnel plots, {data['year']}", table=data["rows"],
                columns=list(data["rows"][0]) if data["rows"] else None, extra={"charts": figures},
                filename=f"rates-{tactic}-{data['year']}")


@page(router, "/monitoring/disparity", "monitoring_disparity.html", csv_twin=True, tags=TAGS)
def monitoring_disparity(request: Request, year: Optional[str] = YEAR, tactic: str = Query("ced", max_length=40),
                         area: Optional[str] = Query(None, max_length=80),
                         benchmark: str = Query("population", pattern="^(population|use_of_force)$"),
                         source: str = SOURCE, store: Store = Depends(get_store),
                         principal: Principal = Depends(current_principal)) -> View:
    """Rate ratios by ethnic group with 95% intervals, the caveats beside them."""
    _needs_login(source, principal)
    data = pages.disparity_page(store, principal, year=year, tactic=tactic, area=area, benchmark=benchmark,
                                source=source, rule=rule_from_settings(request.app.state.settings))
    for r in data["rows"]:
        r["area"] = forces.get(r["area_code"]).name
    shown = [{**r, "label": f"{r['group']}, {r['area']}"} for r in data["rows"] if r["rate_ratio"]]
    reference = data["rows"][0]["reference_group"] if data["rows"] else "the reference group"
    figure = charts.ratio_chart(
        shown, label="label", ratio="rate_ratio", low="ci_low", high="ci_high", x_title=f"rate ratio against {reference} "
        "(log scale; 1 = no difference)", title=f"{tactic}: rate ratio by ethnic group, {data['year']}",
        description="; ".join(f"{r['label']} {r['rate_ratio']:.2f}" + (f" ({r['ci_low']:.2f} to {r['ci_high']:.2f})"
                              if r["ci_low"] else "") for r in shown) or "no ratio to show")
    return View(data, title=f"Disproportionality, {data['year']}", table=data["rows"],
                columns=list(data["rows"][0]) if data["rows"] else None, extra={"charts": [figure]},
                filename=f"disparity-{tactic}-{data['year']}")


@page(router, "/monitoring/taser", "monitoring_taser.html", tags=TAGS)
def monitoring_taser(request: Request, force: Optional[str] = Query(None, max_length=80), year: Optional[str] = YEAR,
                     store: Store = Depends(get_store),
                     principal: Principal = Depends(requires("facts.read_records"))) -> View:
    """Taser monitoring for a force from its records: levels, trend, per officer, the funnel."""
    data = pages.taser_page(store, principal, force=force, year=year)
    figures = []
    if data["trend"]:
        months = data["trend"]["months"]
        marks = [m["month"] for m in months if m["change_point"]]
        figures.append(charts.change_point_chart(
            months, x="month", y="count", marks=marks, fitted="segment_rate", x_title="month",
            y_title="reports involving CED", title=f"Taser (CED) reports by month, {data['area']}",
            description=f"{len(months)} months; change points at {', '.join(marks) or 'none'}."))
    if data["published_funnel"]:
        funnel = data["published_funnel"]
        points = _funnel_points(funnel["rows"], "rate")
        figures.append(charts.funnel_plot(points, funnel["funnel"]["curve"], target=funnel["funnel"]["target"],
                                          x_title="officers (FTE)", y_title="per 1,000 officers", highlight=data["area"],
                                          title=f"Published Taser use per 1,000 officers, {data['year']}",
                                          description=_describe_funnel(points, "published CED per 1,000 officers")))
    return View(data, title=f"Taser monitoring, {data['area']}", extra={"charts": figures})


@page(router, "/monitoring/quality", "monitoring_quality.html", csv_twin=True, tags=TAGS)
def monitoring_quality(request: Request, force: Optional[str] = Query(None, max_length=80), year: Optional[str] = YEAR,
                       store: Store = Depends(get_store),
                       principal: Principal = Depends(requires("facts.read_records"))) -> View:
    """The Taser recording-quality scorecard per month, with how each rule is defined."""
    data = pages.quality_page(store, principal, force=force, year=year)
    return View(data, title="Recording quality", table=data["rows"], extra={"titles": {r["key"]: r["title"] for r in data["rules"]}},
                columns=["force_code", "month", "rule", "kind", "numerator", "denominator", "rate"],
                filename=f"quality-{data['year']}")


@page(router, "/monitoring/reconcile", "monitoring_reconcile.html", csv_twin=True, tags=TAGS)
def monitoring_reconcile(request: Request, force: Optional[str] = Query(None, max_length=80), year: Optional[str] = YEAR,
                         table: Optional[str] = Query(None, max_length=40), differences: bool = Query(True),
                         store: Store = Depends(get_store),
                         principal: Principal = Depends(requires("facts.read_records"))) -> View:
    """Records against the published figures, cell by cell, with the known causes of differences."""
    data = pages.reconcile_page(store, principal, force=force, year=year, table=table, differences=differences)
    return View(data, title="Reconciliation", table=data["rows"], filename=f"reconcile-{data['year']}",
                columns=list(data["rows"][0]) if data["rows"] else None)


@router.post("/monitoring/explanations", include_in_schema=False)
def add_explanation(force: str = Form(..., max_length=80), year: str = Form(..., max_length=30),
                    indicator: str = Form(..., max_length=80), source: str = Form(..., max_length=10),
                    outside: str = Form(..., max_length=4), value: Optional[float] = Form(None),
                    text: str = Form(..., max_length=4000), next: str = Form("/monitoring/rates"),
                    store: Store = Depends(get_store),
                    principal: Principal = Depends(requires("assessment.draft"))) -> RedirectResponse:
    """Record an explanation of a force's point on a funnel plot (a judgement, with author and time)."""
    record_explanation(store, principal, force=force, year=year, indicator=indicator, source=source, value=value,
                       outside=outside, text=text)
    return RedirectResponse(safe_next(next), status_code=303)
