"""Force dashboards: ``/forces`` (the forces you may see) and ``/forces/{code}`` (one force at a glance).

A force's people see only their own force; the national analyst any (``dashboard.read``). Each part
of the page comes from :func:`forcewatch.dashboard.force_dashboard`, which leaves out what the role
may not read; charts are SVG drawn on the server from the rows of the JSON twin.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from ... import charts
from ...access import Principal
from ...dashboard import dashboard_forces, force_dashboard
from ...store import Store
from ..auth import requires
from ..deps import get_store
from ..pages import View, page

__all__ = ["router"]

router = APIRouter()
TAGS = ["dashboards"]


@page(router, "/forces", "dashboard_forces.html", csv_twin=True, tags=TAGS)
def dashboards(request: Request, principal: Principal = Depends(requires("dashboard.read"))) -> View:
    """The forces whose dashboard you may open (your own; every force for national roles)."""
    rows = dashboard_forces(principal)
    return View({"forces": rows}, title="Force dashboards", table=rows, columns=["code", "name", "url"],
                filename="force-dashboards")


@page(router, "/forces/{code:area}", "dashboard.html", tags=TAGS)
def dashboard(request: Request, code: str, store: Store = Depends(get_store),
              principal: Principal = Depends(requires("dashboard.read"))) -> View:
    """One force at a glance: published and recorded figures, Taser trend, recording quality, assessments, alerts."""
    data = force_dashboard(store, principal, code)
    figures = []
    records = data["records"] or {}
    if records.get("months"):
        months = records["months"]
        figures.append(charts.bar_chart(
            months, "month", "ced_reports", title=f"Reports involving Taser (CED) by month, {data['area']}, {records['year']}",
            description="Reports involving Taser by month: " + "; ".join(f"{m['month']} {m['ced_reports']}" for m in months)
            + ". The table on the Taser monitoring page gives every value.", x_title="Month", y_title="Reports", width=560))
    return View(data, title=f"{data['area']}: dashboard", extra={"charts": figures})
