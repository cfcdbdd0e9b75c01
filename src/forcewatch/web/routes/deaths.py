"""Deaths during or following police contact (IOPC), England and Wales by year: ``/national/deaths``.

Public, like the rest of the national picture: these are published figures. The page, its
``.json`` and ``.csv`` twins come from one call (:func:`forcewatch.deaths.deaths_series`); the
chart is SVG drawn on the server from the same rows (:mod:`forcewatch.charts`), so it works offline.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from ... import charts
from ...deaths import CATEGORY_NAMES, deaths_series
from ...store import Store
from ..deps import get_store
from ..pages import View, page

router = APIRouter()

_COLUMNS = ["year", *(f"{c}_fatalities" for c in CATEGORY_NAMES), "total_fatalities",
            *(f"{c}_incidents" for c in CATEGORY_NAMES), "revised", "vintages"]


@page(router, "/national/deaths", "national_deaths.html", csv_twin=True, tags=["official statistics"])
def national_deaths(request: Request, store: Store = Depends(get_store)) -> View:
    """Deaths during or following police contact in England and Wales by year, from the IOPC's statistics."""
    data = deaths_series(store)
    long = [{"year": r["year"], "category": name, "deaths": r[f"{key}_fatalities"]}
            for r in data["rows"] for key, name in CATEGORY_NAMES.items() if r[f"{key}_fatalities"] is not None]
    figures = []
    if long:
        totals = [r for r in data["rows"] if r["total_fatalities"] is not None]
        span = f"{totals[0]['year']} to {totals[-1]['year']}" if totals else ""
        description = (f"Deaths during or following police contact by financial year and category, {span}; "
                       + "; ".join(f"{r['year']} {r['total_fatalities']:,.0f}" for r in totals)
                       + ". The table below gives every value.")
        figures.append(charts.bar_chart(
            long, "year", "deaths", color="category", title="Deaths during or following police contact, England and Wales",
            description=description, x_title="Financial year", y_title="Deaths", width=560))
    return View(data, title="Deaths during or following police contact", table=data["rows"], columns=_COLUMNS,
                extra={"charts": figures}, filename="national-deaths")
