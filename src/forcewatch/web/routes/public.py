"""The public transparency site under ``/public``: no account needed, nothing about a person.

- ``/public``: "Latest news", every publication newest first (superseded ones say so);
- ``/public/publications/{id}``: one publication with its method, source, suppression statement
  and open data; its ``.csv`` twin is the frozen CSV, byte for byte, whose SHA-256 the page shows;
  ``/public/publications/{id}/verify`` re-checks it;
- ``/public/forces`` and ``/public/forces/{code}``: official figures per force from the Home
  Office statistics (suppressed), with charts drawn on the server, and the force's publications;
- ``/public/contact``: the press office and the latest statements.

Every page reads only published figures and publications (:mod:`forcewatch.publications`,
:mod:`forcewatch.national`); none reads a record.
"""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Query, Request

from ... import charts, forces
from ...errors import NotFound
from ...national import force_series, force_table, national_series
from ...publications import KIND_LABELS, get_publication, list_publications, media_contacts, verify_publication
from ...store import Store
from ...suppression import rule_from_settings
from ..deps import get_store
from ..pages import View, page

__all__ = ["router"]

router = APIRouter()
TAGS = ["public site"]
_LIST_COLUMNS = ["id", "published_on", "kind", "force_code", "force", "period", "title", "supersedes_id",
                 "superseded_by_id", "csv_sha256", "url"]
_FORCE_COLUMNS = ["area_code", "area", "year", "period", "incidents", "ced", "ced_measure", "officers_fte",
                  "incidents_per_1000_officers", "ced_per_1000_officers", "vintages"]


@page(router, "/public", "public_list.html", csv_twin=True, tags=TAGS)
def public_home(request: Request, kind: Optional[str] = Query(None, pattern="^(assessment_summary|quarterly_taser|statement)$"),
                force: Optional[str] = Query(None, max_length=60, description="a force's code or name, or national"),
                store: Store = Depends(get_store)) -> View:
    """Latest news: every publication, newest first (assessment summaries, quarterly Taser figures, statements)."""
    rows = [p.summary() for p in list_publications(store, force=force, kind=kind)]
    return View({"publications": rows, "kind": kind or "", "force": force or "", "kinds": KIND_LABELS},
                title="Latest news", table=rows, columns=_LIST_COLUMNS, filename="publications")


@page(router, "/public/publications/{publication_id:int}", "public_publication.html", csv_twin=True, tags=TAGS)
def public_publication(request: Request, publication_id: int, store: Store = Depends(get_store)) -> View:
    """One publication: what was published, its method and counting rule, source, suppression and open data."""
    item = get_publication(store, publication_id)
    return View(item.as_dict(), title=item.title, table=item.rows(), columns=item.columns,
                filename=f"publication-{item.id}", extra={"rows": item.rows()})


@page(router, "/public/publications/{publication_id:int}/verify", "public_verify.html", tags=TAGS)
def public_publication_verify(request: Request, publication_id: int, store: Store = Depends(get_store)) -> View:
    """Check a publication is as frozen: the SHA-256 of its CSV, and whether today's records still give its figures."""
    return View({**verify_publication(store, publication_id), "title": get_publication(store, publication_id).title},
                title=f"Verification of publication {publication_id}")


@page(router, "/public/forces", "public_forces.html", csv_twin=True, tags=TAGS)
def public_forces(request: Request, store: Store = Depends(get_store)) -> View:
    """Every force: its newest published figures (incidents, Taser, per 1,000 officers) and publications."""
    years = national_series(store)["years"]
    if not years:
        raise NotFound("no use-of-force statistics by force are loaded", hint="forcewatch import official --bundled")
    table = force_table(store, years[-1], rule=rule_from_settings(request.app.state.settings))
    counts: dict[str, int] = {}
    for p in list_publications(store, current_only=True):
        if p.force_code:
            counts[p.force_code] = counts.get(p.force_code, 0) + 1
    rows = [{**r, "publications": counts.get(r["area_code"], 0), "url": f"/public/forces/{r['area_code']}"}
            for r in table["rows"] if r["kind"] == "force"]
    return View({"year": table["year"], "officers_as_at": table["officers_as_at"], "vintages": table["vintages"],
                 "suppression": table["suppression"], "rows": rows}, title="Police forces", table=rows,
                columns=["area_code", "area", "region", "incidents", "ced", "officers_fte", "incidents_per_1000_officers",
                         "ced_per_1000_officers", "publications", "url"], filename=f"forces-{table['year']}")


def _force_charts(data: dict[str, Any]) -> list[str]:
    rows = [r for r in data["rows"] if r["period"] == "financial year"]
    out = []
    for column, what, fmt in (("incidents", "Use-of-force incidents (officer reports)", ",.0f"),
                              ("ced_per_1000_officers", "Taser (CED) use per 1,000 officers", ",.1f")):
        shown = [r for r in rows if r[column] is not None]
        if shown:
            text = "; ".join(f"{r['year']} {r[column]:,.1f}".replace(".0 ", " ") for r in shown)
            out.append(charts.bar_chart(shown, "year", column, title=f"{what}, {data['area']}", x_title="Financial year",
                                        y_title=what, width=360, number_format=fmt,
                                        description=f"{what} by financial year: {text}. The table below gives every value."))
    return out


@page(router, "/public/forces/{code:area}", "public_force.html", csv_twin=True, tags=TAGS)
def public_force(request: Request, code: str, store: Store = Depends(get_store)) -> View:
    """One force: official figures by year (incidents, Taser by level, per 1,000 officers) and its publications."""
    area = forces.resolve(code, "force")
    data = force_series(store, area.code, rule=rule_from_settings(request.app.state.settings))
    data["publications"] = [p.summary() for p in list_publications(store, force=area.code)]
    return View(data, title=area.name, table=data["rows"], columns=_FORCE_COLUMNS,
                filename=f"force-{area.code}", extra={"charts": _force_charts(data)})


@page(router, "/public/contact", "public_contact.html", tags=TAGS)
def public_contact(request: Request, store: Store = Depends(get_store)) -> View:
    """Media enquiries: the press office, and the latest dated statements."""
    statements = [p.as_dict() for p in list_publications(store, kind="statement", current_only=True)[:10]]
    return View({"contacts": media_contacts(request.app.state.settings), "statements": statements},
                title="Media enquiries")
