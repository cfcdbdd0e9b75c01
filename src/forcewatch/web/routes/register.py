"""The Taser-trained officer register: counts and their trend, officers, an officer's history with the
correction form, cross-check findings, and the assessment's headcount comparison.

Every page reads through one library call (access checked and audited there) and has a ``.json``
twin (``.csv`` for tables). Forms carry the CSRF token; a refused value is shown by its field, and
a change someone else made first (optimistic locking) is shown as a conflict, nothing saved.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.convertors import Convertor, register_url_convertor

from ... import charts
from ... import register as reg
from ...access import Principal, Scope, can, scope_of
from ...errors import Conflict, ForcewatchError, InputRefused, UsageError
from ...periods import read_optional_date
from ...register_checks import RULES, check_reports
from ...register_counts import COUNT_FIELDS, GROUPINGS
from ...register_coverage import coverage_for_force, years_with_demand
from ...register_edits import EDITABLE_FIELDS, add_event, correct_event, retract_event
from ...register_vocab import CORRECTION_REASONS, COURSES, KINDS, RESULTS, SKILLS, STATUSES
from ...store import Store
from ..auth import requires
from ..deps import RecordId, get_store
from ..errors import wants_json
from ..pages import View, page



class _PseudonymConvertor(Convertor[str]):
    """An officer pseudonym in a path: hex digits only, so ``/register/officers/PSEUDONYM.json`` reaches the twin."""

    regex = "[0-9a-f]{8,64}"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("pseudonym", _PseudonymConvertor())
router = APIRouter(tags=["register"])
_reader = requires("register.read")
_writer = requires("register.write")

__all__ = ["router", "register_link"]


def register_link(principal: Principal) -> str | None:
    """Where the nav's "Register" link goes for this user (``None``: no link)."""
    scope = scope_of(principal, "register.read")
    if scope is None:
        return None
    if scope in (Scope.force, Scope.all):
        return "/register"
    if scope is Scope.own and principal.officer_pseudonym:
        return f"/register/officers/{principal.officer_pseudonym}"
    return "/register/officers"


def _force(principal: Principal) -> str:
    if not principal.force_code:
        raise UsageError("the register is kept per force, and your account is not tied to one")
    return principal.force_code


def _on(value: str | None) -> date:
    return read_optional_date(value, "on") or date.today()


@page(router, "/register", "register.html", csv_twin=True, tags=["register"])
def register_counts(request: Request, on: str | None = None, by: str = "team", store: Store = Depends(get_store),
                    principal: Principal = Depends(_reader)) -> View:
    """Taser-trained officers on a date, by team (or area, status, rank, role), and the last two years."""
    day = _on(on)
    found = reg.overview(store, principal, _force(principal), day, (by,))
    counts, points = found["counts"], found["series"]
    data = {**counts.as_dict(), "series": points}
    total = counts.total
    lines = {"in_date": "Trained and in date", "lapsed": "Lapsed", "trained": "Ever trained (serving)"}
    long = [{"on": str(p["on"]), "series": label, "officers": p[key]} for key, label in lines.items() for p in points]
    chart = charts.line_chart(long, "on", "officers", color="series", x_title="quarter ending", y_title="officers",
                              title="Taser-trained officers, last two years",
                              description=f"Quarterly counts from {points[0]['on']} to {day}: trained and in date "
                                          f"{points[0]['in_date']} at the start and {total['in_date']} at the end; "
                                          "the table below the chart gives every number.")
    return View(data, title="Taser-trained officer register", table=counts.rows(), columns=[by, *COUNT_FIELDS],
                extra={"chart": chart, "groupings": GROUPINGS, "by": by}, filename=f"register-{day}")


@page(router, "/register/officers", "register_officers.html", csv_twin=True, tags=["register"])
def register_officers(request: Request, on: str | None = None, store: Store = Depends(get_store),
                      principal: Principal = Depends(_reader)) -> View:
    """The officers you may see (your own entry, your team's, or your force's), on a date."""
    day = _on(on)
    rows = reg.list_officers(store, principal, _force(principal), day)
    return View({"force_code": principal.force_code, "on": day, "officers": rows}, title="Officers in the register",
                table=rows, filename=f"register-officers-{day}")


def _officer_view(store: Store, principal: Principal, pseudonym: str, **extra: Any) -> View:
    found = reg.officer_history(store, principal, _force(principal), pseudonym)
    return View(found, title="Officer's training history", extra={
        "can_write": can(principal, "register.write"), "kinds": KINDS, "skills": SKILLS, "statuses": STATUSES,
        "courses": COURSES, "results": RESULTS, "reasons": CORRECTION_REASONS, "errors": {}, "conflict": None,
        "saved": None, "form": {}, **extra})


@page(router, "/register/officers/{pseudonym:pseudonym}", "register_officer.html", tags=["register"])
def register_officer(request: Request, pseudonym: str, store: Store = Depends(get_store),
                     principal: Principal = Depends(_reader)) -> View:
    """One officer's whole history (corrections kept), authorisations and policy findings."""
    return _officer_view(store, principal, pseudonym, saved=request.query_params.get("saved"))


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


def _refused(request: Request, store: Store, principal: Principal, pseudonym: str, exc: ForcewatchError,
             form: dict[str, str], target: str) -> Response:
    if wants_json(request):
        raise exc
    errors: dict[str, list[str]] = {}
    for p in exc.problems if isinstance(exc, InputRefused) else []:
        errors.setdefault(p.column or "form", []).append(p.message)
    if not isinstance(exc, (InputRefused, Conflict)):
        errors.setdefault("form", []).append(str(exc))
    view = _officer_view(store, principal, pseudonym, errors=errors, form={**form, "target": target},
                         conflict=str(exc) if isinstance(exc, Conflict) else None)
    context = {"view": view, "data": view.data, **view.extra}
    response: Response = request.app.state.templates.TemplateResponse(request, "register_officer.html", context,
                                                                      status_code=exc.http_status)
    return response


def _done(request: Request, pseudonym: str, what: str, event: Any) -> Response:
    if wants_json(request):
        return JSONResponse({"saved": what, "event": {k: (v.isoformat() if hasattr(v, "isoformat") else v)
                                                      for k, v in event.as_dict().items()}})
    return RedirectResponse(f"/register/officers/{pseudonym}?saved={what}", status_code=303)


def _version(form: dict[str, str]) -> int:
    try:
        return int(form.get("version", ""))
    except ValueError:
        raise UsageError("the form did not say which version of the event it corrects",
                         hint="reload the page and try again") from None


def _apply(request: Request, store: Store, principal: Principal, pseudonym: str, form: dict[str, str], target: str,
           what: str, action: Callable[[], Any]) -> Response:
    try:
        event = action()
    except (InputRefused, Conflict, UsageError) as exc:
        return _refused(request, store, principal, pseudonym, exc, form, target)
    return _done(request, pseudonym, what, event)


@router.post("/register/officers/{pseudonym:pseudonym}/events/{event_id}/correct", include_in_schema=False)
async def register_correct(request: Request, pseudonym: str, event_id: RecordId, store: Store = Depends(get_store),
                           principal: Principal = Depends(_writer)) -> Response:
    """Correct an event: the corrected one is stored, the old one kept as superseded."""
    form = await _form(request)
    return await run_in_threadpool(_apply, request, store, principal, pseudonym, form, f"correct-{event_id}",
                                   "corrected", lambda: correct_event(
                                       store, principal, event_id, expected_version=_version(form),
                                       changes={f: form[f] for f in EDITABLE_FIELDS if f in form},
                                       reason=form.get("reason", "data_entry_error")))


@router.post("/register/officers/{pseudonym:pseudonym}/events/{event_id}/retract", include_in_schema=False)
async def register_retract(request: Request, pseudonym: str, event_id: RecordId, store: Store = Depends(get_store),
                           principal: Principal = Depends(_writer)) -> Response:
    """Retract an event entered in error (it is kept, marked retracted)."""
    form = await _form(request)
    return await run_in_threadpool(_apply, request, store, principal, pseudonym, form, f"retract-{event_id}",
                                   "retracted", lambda: retract_event(
                                       store, principal, event_id, expected_version=_version(form),
                                       reason=form.get("reason", "data_entry_error")))


@router.post("/register/officers/{pseudonym:pseudonym}/events", include_in_schema=False)
async def register_add(request: Request, pseudonym: str, store: Store = Depends(get_store),
                       principal: Principal = Depends(_writer)) -> Response:
    """Record a new event (a requalification, a posting, a device issue ...) for an officer."""
    form = await _form(request)
    return await run_in_threadpool(_apply, request, store, principal, pseudonym, form, "add", "added",
                                   lambda: add_event(store, principal, _force(principal), pseudonym,
                                                     form.get("kind", ""), {f: form.get(f, "") for f in EDITABLE_FIELDS}))


@page(router, "/register/checks", "register_checks.html", csv_twin=True, tags=["register"])
def register_checks(request: Request, year: str | None = None, store: Store = Depends(get_store),
                    principal: Principal = Depends(_reader)) -> View:
    """Reports of CED use (or carrying, or with a serial) cross-checked with the register: findings by rule."""
    result = check_reports(store, principal, _force(principal), year=year or None)
    rows = [{k: v for k, v in f.as_dict().items() if k != "details"} for f in result.findings]
    return View({**result.as_dict(), "rules": {k: {"severity": s, "meaning": m} for k, (s, m) in RULES.items()}},
                title="Register cross-checks", table=rows,
                columns=["report_id", "force_code", "incident_date", "rule", "severity", "explanation"],
                filename=f"register-checks-{year or 'all'}")


@page(router, "/register/coverage", "register_coverage.html", csv_twin=True, tags=["register"])
def register_coverage(request: Request, year: str | None = None, by: str = "area", store: Store = Depends(get_store),
                      principal: Principal = Depends(_reader)) -> View:
    """Current trained officers against the demand-coverage model: current, required (interval), difference."""
    years = years_with_demand(store, principal, _force(principal))
    chosen = year or (years[-1] if years else None)
    if chosen is None:
        return View({"force_code": principal.force_code, "years": years, "year": None, "result": None},
                    title="Trained officers against demand", table=[])
    result = coverage_for_force(store, principal, _force(principal), chosen, by=by).as_dict()
    rows = [{"area": a["area"], "current": a["current"], **{f"required_{k}": v for k, v in a["required"].items()},
             **{f"difference_{k}": v for k, v in a["difference"].items()}, "decision": a["decision"]}
            for a in [*result["areas"], result["total"]]]
    return View({"years": years, "year": chosen, "result": result}, title="Trained officers against demand",
                table=rows, filename=f"register-coverage-{chosen}")
