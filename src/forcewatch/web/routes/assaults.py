"""Assaults on officers: list, entry form, record with its outcome trail, funnel, time-limit alerts.

Pages (each with its ``.json`` twin, tables also ``.csv``): ``/assaults``, ``/assaults/new``,
``/assaults/{id}``, ``/assaults/funnel``, ``/assaults/funnel/public`` (anyone, suppressed),
``/assaults/alerts``. Forms post to ``/assaults/new``, ``/assaults/{id}/outcomes`` and
``/assaults/{id}/welfare``. Scoping is the library's: a user sees only the assaults their role and
force allow.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ... import assault_reference as ref
from ... import assaults, attrition, charts, outcomes, time_limits
from ...access import Principal
from ...assault_fields import FIELDS
from ...errors import ForcewatchError
from ...outcome_fields import EVENT_TYPES, LAYER_LABELS
from ...periods import read_optional_date
from ...settings import Settings
from ...store import Store
from ..auth import current_principal, requires
from ..deps import RecordId, get_settings, get_store
from ..errors import wants_json
from ..forms import answers, field_errors
from ..pages import View, page

router = APIRouter(tags=["assaults"])

_LIST_COLUMNS = ["id", "force", "crime_ref", "incident_ref", "team", "offence_date", "offence", "ho_class",
                 "injury_level", "spit_or_bite", "single_crewed", "taser_carried", "status", "simulated"]
_LISTS = [f.name for f in FIELDS if f.kind in ("terms", "refs")] + ["ancillary_orders", "charged_offences",
                                                                     "convicted_offences"]


def _terms(vocabulary: str) -> list[tuple[str, str]]:
    return [(t.key, t.label) for t in ref.reference().vocabularies[vocabulary].values()]


def form_options() -> dict[str, Any]:
    """Every choice the assault and outcome forms offer (also the ``/assaults/new.json`` twin)."""
    r = ref.reference()
    return {
        **{name: _terms(name) for name in r.vocabularies},
        "offences": [(o.key, f"{o.label} ({o.legislation})") for o in r.offences.values()],
        "event_types": [(e.key, f"{LAYER_LABELS[e.layer]}: {e.label}") for e in EVENT_TYPES.values()],
        "ho_outcomes": [(o.code, f"{o.code}: {o.label}") for o in r.outcome_types.values()],
        "s67": [("yes", "Yes"), ("no", "No"), ("na", "Not applicable")],
    }


def _period(date_from: Optional[str], date_to: Optional[str]) -> tuple[date, date]:
    end = read_optional_date(date_to, "to") or date.today()
    start = read_optional_date(date_from, "from") or date(end.year - 1, end.month, 1)
    return start, end


@page(router, "/assaults", "assaults.html", csv_twin=True)
def assault_list(request: Request, date_from: Optional[str] = Query(None, alias="from"),
                 date_to: Optional[str] = Query(None, alias="to"), store: Store = Depends(get_store),
                 principal: Principal = Depends(requires("assault.read"))) -> View:
    """Assaults on officers that you may read, newest first, with their derived status."""
    start, end = read_optional_date(date_from, "from"), read_optional_date(date_to, "to")
    rows = assaults.list_assaults(store, principal, date_from=start, date_to=end)
    data = {"from": start, "to": end, "count": len(rows), "assaults": rows,
            "statuses": outcomes.STATUSES, "simulated": any(r["simulated"] for r in rows)}
    return View(data, title="Assaults on officers", table=rows, columns=_LIST_COLUMNS, filename="assaults")


def _form_page(request: Request, values: dict[str, str], errors: dict[str, list[str]], general: list[str],
               status: int = 200) -> Response:
    context = {"view": View({}, title="Record an assault"), "data": {}, "options": form_options(),
               "values": values, "errors": errors, "general": general, "fields": FIELDS}
    return request.app.state.templates.TemplateResponse(request, "assault_form.html", context, status_code=status)


@page(router, "/assaults/new", "assault_form.html")
def assault_new(request: Request, principal: Principal = Depends(requires("assault.write"))) -> View:
    """The form to record an assault on an officer: its fields and every choice they offer."""
    fields = [{"name": f.name, "header": f.header, "kind": f.kind, "required": f.required, "welfare": f.welfare,
               "vocabulary": f.vocabulary} for f in FIELDS]
    return View({"fields": fields, "options": form_options()}, title="Record an assault",
                extra={"options": form_options(), "values": {}, "errors": {}, "general": [], "fields": FIELDS})


@router.post("/assaults/new", include_in_schema=False)
async def assault_create(request: Request, store: Store = Depends(get_store),
                         settings: Settings = Depends(get_settings),
                         principal: Principal = Depends(requires("assault.write"))) -> Response:
    """Record an assault from the form; errors are shown next to their fields."""
    values = answers(await request.form(), _LISTS)
    for key in ("simulated", "Simulated"):  # only imports and the demo mark records simulated
        values.pop(key, None)
    try:
        assault_id = await run_in_threadpool(assaults.record_assault, store, principal, values, settings=settings)
    except ForcewatchError as exc:
        if wants_json(request):
            raise
        errors, general = field_errors(exc)
        return _form_page(request, values, errors, general, status=exc.http_status)
    if wants_json(request):
        return JSONResponse({"id": assault_id}, status_code=201)
    return RedirectResponse(f"/assaults/{assault_id}?recorded=1", status_code=303)


@page(router, "/assaults/funnel", "funnel.html", csv_twin=True)
def assault_funnel(request: Request, date_from: Optional[str] = Query(None, alias="from"),
                   date_to: Optional[str] = Query(None, alias="to"), force: Optional[str] = Query(None),
                   store: Store = Depends(get_store), settings: Settings = Depends(get_settings),
                   principal: Principal = Depends(requires("facts.read_records"))) -> View:
    """The attrition funnel: recorded, suspect identified, charged, convicted, sentenced, custody, by force."""
    start, end = _period(date_from, date_to)
    data = attrition.attrition_funnel(store, principal, force=force or None, date_from=start, date_to=end, settings=settings)
    return _funnel_view(data, "Attrition of assaults on officers")


@page(router, "/assaults/funnel/public", "funnel.html", csv_twin=True)
def assault_funnel_public(request: Request, date_from: Optional[str] = Query(None, alias="from"),
                          date_to: Optional[str] = Query(None, alias="to"), force: Optional[str] = Query(None),
                          store: Store = Depends(get_store), settings: Settings = Depends(get_settings),
                          principal: Principal = Depends(current_principal)) -> View:
    """The attrition funnel for the public: no person-level data, small counts suppressed."""
    start, end = _period(date_from, date_to)
    data = attrition.attrition_funnel(store, principal, force=force or None, date_from=start, date_to=end, public=True,
                                      settings=settings)
    return _funnel_view(data, "Assaults on officers: what happened next (public figures)")


def _funnel_view(data: dict[str, Any], title: str) -> View:
    total = data["rows"][-1] if data["rows"] else None
    figures = []
    if total and total["recorded"]:
        chart_rows = [{"stage": s["label"], "assaults": total[s["key"]]} for s in data["stages"]
                      if total[s["key"]] is not None]
        described = "; ".join(f"{s['label']} {total[s['key']] if total[s['key']] is not None else 'suppressed'}"
                              for s in data["stages"])
        figures.append(charts.bar_chart(
            chart_rows, "stage", "assaults", horizontal=True, title=f"{title}: {total['force']}",
            description=f"Assaults reaching each stage, offences {data['period']['from']} to {data['period']['to']}: "
                        f"{described}. The table below gives every figure.", x_title="Stage", y_title="Assaults",
            width=520))
    return View(data, title=title, table=data["rows"], columns=list(data["rows"][0]) if data["rows"] else [],
                extra={"charts": figures}, filename="assault-funnel-public" if data["public"] else "assault-funnel")


@page(router, "/assaults/alerts", "alerts.html", csv_twin=True)
def assault_alerts(request: Request, within_days: int = Query(30, ge=0, le=183),
                   store: Store = Depends(get_store), principal: Principal = Depends(requires("assault.read"))) -> View:
    """Open summary-only assaults near or past the six-month time limit for a charge or summons."""
    data = time_limits.time_limit_alerts(store, principal, within_days=within_days)
    return View(data, title="Time-limit alerts", table=data["alerts"],
                columns=["id", "force", "crime_ref", "team", "offence", "offence_date", "deadline", "days_left",
                         "state", "status"], filename="time-limit-alerts")


@page(router, "/assaults/{assault_id:int}", "assault.html")
def assault_record(request: Request, assault_id: RecordId, store: Store = Depends(get_store),
                   principal: Principal = Depends(requires("assault.read"))) -> View:
    """One assault on an officer: the record, its outcome trail in four layers, its status and time limit."""
    record = assaults.get_assault(store, principal, assault_id)
    return View(record, title=f"Assault {assault_id}", extra={"options": form_options(), "values": {}, "errors": {},
                                                             "general": [], "layers": LAYER_LABELS,
                                                             "statuses": outcomes.STATUSES})


async def _record_again(request: Request, store: Store, principal: Principal, assault_id: RecordId,
                        values: dict[str, str], exc: ForcewatchError, form: str) -> Response:
    errors, general = field_errors(exc)
    record = await run_in_threadpool(assaults.get_assault, store, principal, assault_id)
    context = {"view": View(record, title=f"Assault {assault_id}"), "data": record, "options": form_options(),
               "values": values, "errors": errors, "general": general, "form": form, "layers": LAYER_LABELS,
               "statuses": outcomes.STATUSES}
    return request.app.state.templates.TemplateResponse(request, "assault.html", context, status_code=exc.http_status)


@router.post("/assaults/{assault_id:int}/outcomes", include_in_schema=False)
async def assault_add_outcome(request: Request, assault_id: RecordId, store: Store = Depends(get_store),
                              settings: Settings = Depends(get_settings),
                              principal: Principal = Depends(requires("assault.write"))) -> Response:
    """Add an event to the outcome trail (a correction names the event it corrects)."""
    values = answers(await request.form(), _LISTS)
    try:
        event_id = await run_in_threadpool(outcomes.append_outcome, store, principal, assault_id, values,
                                           settings=settings)
    except ForcewatchError as exc:
        if wants_json(request):
            raise
        return await _record_again(request, store, principal, assault_id, values, exc, "outcome")
    if wants_json(request):
        return JSONResponse({"assault_id": assault_id, "event_id": event_id}, status_code=201)
    return RedirectResponse(f"/assaults/{assault_id}#trail", status_code=303)


@router.post("/assaults/{assault_id:int}/welfare", include_in_schema=False)
async def assault_welfare(request: Request, assault_id: RecordId, store: Store = Depends(get_store),
                          principal: Principal = Depends(requires("welfare.write"))) -> Response:
    """Record aftercare and welfare checks."""
    values = answers(await request.form())
    try:
        version = await run_in_threadpool(assaults.record_welfare, store, principal, assault_id, values)
    except ForcewatchError as exc:
        if wants_json(request):
            raise
        return await _record_again(request, store, principal, assault_id, values, exc, "welfare")
    if wants_json(request):
        return JSONResponse({"assault_id": assault_id, "welfare_version": version})
    return RedirectResponse(f"/assaults/{assault_id}#welfare", status_code=303)
