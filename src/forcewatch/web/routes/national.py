"""The national picture: use of force and Taser in England and Wales from the published statistics.

``/national`` (by year) and ``/national/forces?year=2018-19`` (by force, per 1,000 officers),
each with ``.json`` and ``.csv`` twins computed by the same call. Charts are SVG drawn on the
server from the same rows as the JSON twin (:mod:`forcewatch.charts`).
"""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Query, Request

from ... import charts
from ...access import Principal
from ...dashboard import dashboard_forces
from ...errors import NotFound
from ...national import force_table, national_series
from ...store import Store
from ...suppression import rule_from_settings
from ..auth import current_principal
from ..deps import get_store
from ..pages import View, page

router = APIRouter()

_YEAR_COLUMNS = ["year", "period", "incidents", "ced", "ced_measure", "officers_fte", "officers_as_at",
                 "incidents_per_1000_officers", "ced_per_1000_officers", "vintages"]
_FORCE_COLUMNS = ["area_code", "area", "kind", "region", "incidents", "ced", "ced_discharge", "officers_fte",
                  "incidents_per_1000_officers", "ced_per_1000_officers"]


def _fmt(value: Any) -> str:
    return "none" if value is None else (f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}")


def _describe(rows: list[dict[str, Any]], x: str, y: str, what: str) -> str:
    shown = [r for r in rows if r.get(y) is not None]
    if not shown:
        return f"No {what} are loaded."
    if len(shown) <= 12:
        return f"{what.capitalize()}: " + "; ".join(f"{r[x]} {_fmt(r[y])}" for r in shown) + "."
    ranked = sorted(shown, key=lambda r: r[y])
    return (f"{what.capitalize()} for {len(shown)} areas, from {ranked[0][x]} ({_fmt(ranked[0][y])}) to "
            f"{ranked[-1][x]} ({_fmt(ranked[-1][y])}). The table below gives every value.")


@page(router, "/national", "national.html", csv_twin=True, tags=["official statistics"])
def national(request: Request, store: Store = Depends(get_store)) -> View:
    """Use of force and Taser (CED) in England and Wales by year, from the published statistics."""
    data = national_series(store)
    rows = data["rows"]
    financial = [r for r in rows if r["period"] == "financial year"]
    ced_rows = [{**r, "series": "reports (use-of-force statistics)" if r["ced_measure"] == "incidents"
                 else "uses (Taser statistics to 2016)"} for r in rows if r["period"] != "quarter"]
    figures = []
    if any(r["incidents"] is not None for r in financial):
        figures.append(charts.bar_chart(
            financial, "year", "incidents", title="Use-of-force incidents recorded, England and Wales",
            description=_describe(financial, "year", "incidents", "use-of-force incidents by financial year"),
            x_title="Financial year", y_title="Incidents (officer reports)", width=420))
    if ced_rows:
        figures.append(charts.bar_chart(
            ced_rows, "year", "ced", color="series", title="Taser (CED) use, England and Wales",
            description=_describe(ced_rows, "year", "ced", "Taser use by year (uses to 2016, reports from 2017-18; "
                                  "not comparable)"), x_title="Year", y_title="Taser use"))
    if any(r["ced_per_1000_officers"] is not None for r in financial):
        figures.append(charts.bar_chart(
            financial, "year", "ced_per_1000_officers", title="Taser use per 1,000 officers, England and Wales",
            description=_describe(financial, "year", "ced_per_1000_officers", "Taser reports per 1,000 officers (FTE at 31 March)"),
            x_title="Financial year", y_title="Reports per 1,000 officers", width=420, number_format=",.1f"))
    return View(data, title="National picture", table=rows, columns=_YEAR_COLUMNS, extra={"charts": figures},
                filename="national-picture")


@page(router, "/national/forces", "national_forces.html", csv_twin=True, tags=["official statistics"])
def national_forces(
    request: Request,
    year: Optional[str] = Query(None, pattern=r"^\d{4}-\d{2}$", description="financial year, e.g. 2018-19"),
    store: Store = Depends(get_store),
    principal: Principal = Depends(current_principal),
) -> View:
    """Use of force and Taser by police force for one financial year, with rates per 1,000 officers."""
    if year is None:
        years = national_series(store)["years"]
        if not years:
            raise NotFound("no use-of-force statistics by force are loaded",
                           hint="import them: forcewatch import official --bundled")
        year = years[-1]
    data = force_table(store, year, rule=rule_from_settings(request.app.state.settings))
    forces_only = [r for r in data["rows"] if r["kind"] == "force"]
    figures = []
    for column, what in (("incidents_per_1000_officers", "Use-of-force incidents per 1,000 officers"),
                         ("ced_per_1000_officers", "Taser (CED) use per 1,000 officers")):
        if any(r[column] is not None for r in forces_only):
            figures.append(charts.bar_chart(
                forces_only, "area", column, title=f"{what}, {year}", horizontal=True, sort_by_value=True,
                description=_describe(forces_only, "area", column, f"{what.lower()} by force, {year}"),
                x_title="Police force", y_title=f"per 1,000 officers (FTE at {data['officers_as_at'] or 'n/a'})",
                number_format=",.0f", width=520))
    dashboards = {f["code"] for f in dashboard_forces(principal)}
    return View(data, title=f"By force, {year}", table=data["rows"], columns=_FORCE_COLUMNS,
                extra={"charts": figures, "dashboards": dashboards}, filename=f"national-forces-{year}")
