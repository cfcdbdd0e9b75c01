"""Use-of-force reports on the web: record one on the form, my reports, my team's, one report, review.

Thin: each route parses the request, calls one function of :mod:`forcewatch.reports` (which checks
the principal record by record and writes the audit log), and renders. The form's questions and
the reading of a post are :mod:`forcewatch.recording_form`; its rules are the importer's.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timezone
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ...access import Principal
from ...errors import Conflict, InputRefused, Problem
from ...form_values import BOROUGHS
from ...recording_form import (
    CED_HEADER,
    DEFAULT_TACTIC_ROWS,
    FIREARMS,
    MAX_TACTIC_ROWS,
    SECTIONS,
    TACTIC_ROWS_STEP,
    answers_from_post,
    ced_block_controls,
    find_control,
    tactic_controls,
)
from ...report_details import label
from ...reports import create_report, get_report, list_reports, review_report
from ...store import Store
from ..auth import requires
from ..deps import ReportId, get_store
from ..errors import wants_json
from ..pages import View, page

router = APIRouter(tags=["reports"])
_LIST_COLUMNS = ["id", "incident_date", "incident_time", "borough", "tactics", "ced_class", "ced_highest", "age",
                 "gender", "ethnicity", "officer_team", "source", "simulated", "reviewed", "version"]


def _form_context(principal: Principal, post: dict[str, list[str]], *, tactic_rows: int, submission: str,
                  started: str, errors: dict[str, list[str]] | None = None,
                  summary: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    return {"sections": SECTIONS, "ced_header": CED_HEADER, "firearms": FIREARMS, "tactic_rows": tactic_rows,
            "tactic_controls": tactic_controls, "ced_block_controls": ced_block_controls, "values": post,
            "errors": errors or {}, "summary": summary or [], "submission": submission, "started": started,
            "max_rows": MAX_TACTIC_ROWS, "boroughs": BOROUGHS if principal.force_code == "E23000001" else ()}


def _form_spec() -> dict[str, Any]:
    def control(c: Any) -> dict[str, Any]:
        return {"name": c.name, "label": c.label, "kind": c.kind, "hint": c.hint,
                "options": [{"value": v, "label": t} for v, t in c.options]}

    return {"sections": [{"key": s.key, "legend": s.legend, "controls": [control(c) for c in s.controls]}
                         for s in SECTIONS],
            "tactic_row": [control(c) for c in tactic_controls(1)], "tactic_rows_max": MAX_TACTIC_ROWS,
            "ced": [control(c) for c in CED_HEADER], "ced_block": [control(c) for c in ced_block_controls(1)],
            "firearms": [control(c) for c in FIREARMS],
            "note": "POST the form to /reports/new with the session's CSRF token; the officer, force and team "
                    "come from the account"}


@page(router, "/reports/new", "report_form.html")
def new_report(request: Request, principal: Principal = Depends(requires("report.create"))) -> View:
    """The form an officer records a use of force on (the JSON twin describes its questions)."""
    started = datetime.now(timezone.utc).replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    context = _form_context(principal, {}, tactic_rows=DEFAULT_TACTIC_ROWS, submission=secrets.token_urlsafe(18),
                            started=started)
    return View(_form_spec(), title="Record a use of force", extra=context)


def _errors(problems: list[Problem], control_of: dict[str, str]) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """Messages per control, and the summary's (control, message) pairs in form order."""
    by_control: dict[str, list[str]] = {}
    for p in problems:
        control = control_of.get(p.column or "", p.column or "form-top")
        text = p.message[:1].upper() + p.message[1:]
        if p.expected and p.expected not in text:
            text += f" (expected {p.expected})"
        by_control.setdefault(control, []).append(text)
    links = {name: (found.first_id if (found := find_control(name)) else "form-top") for name in by_control}
    return by_control, [(links[c], m) for c, ms in by_control.items() for m in ms]


@router.post("/reports/new", include_in_schema=False)
async def record_report(request: Request, principal: Principal = Depends(requires("report.create")),
                        store: Store = Depends(get_store)) -> Response:
    """Store the report (303 to it), or show the form again with every problem next to its question."""
    form = await request.form()
    post = {k: [v for v in form.getlist(k) if isinstance(v, str)] for k in form.keys() if k != "csrf_token"}
    answers = answers_from_post(post)
    submission, started = (post.get("submission") or [""])[0], (post.get("form_started") or [""])[0]
    templates = request.app.state.templates
    rows = answers.tactic_rows
    if (post.get("action") or [""])[0] == "more_tactics":
        rows = min(rows + TACTIC_ROWS_STEP, MAX_TACTIC_ROWS)
        context = _form_context(principal, post, tactic_rows=rows, submission=submission, started=started)
        return templates.TemplateResponse(request, "report_form.html", {"view": View({}, title="Record a use of force"),
                                                                         **context, "focus": f"tactic_{rows - TACTIC_ROWS_STEP + 1}"})
    try:
        started_at = datetime.fromisoformat(started) if started else None
    except ValueError:
        started_at = None
    try:
        report_id = await run_in_threadpool(create_report, store, principal, answers.values, submission=submission,
                                            started_at=started_at)
    except InputRefused as exc:
        if wants_json(request):
            raise
        errors, summary = _errors(exc.problems, answers.control_of)
        context = _form_context(principal, post, tactic_rows=rows, submission=submission, started=started,
                                errors=errors, summary=summary)
        return templates.TemplateResponse(request, "report_form.html",
                                          {"view": View({}, title="Error: record a use of force"), **context},
                                          status_code=422)
    return RedirectResponse(f"/reports/{report_id}?recorded=1", status_code=303)


def _list_view(data: dict[str, Any], title: str) -> View:
    rows = [{**r, "tactics": " ".join(r["tactics"])} for r in data["reports"]]
    return View(data, title=title, table=rows, columns=_LIST_COLUMNS, filename="reports",
                extra={"label": label})


@page(router, "/reports/mine", "reports.html", csv_twin=True)
def my_reports(request: Request, page: int = 1, principal: Principal = Depends(requires("report.create")),
               store: Store = Depends(get_store)) -> View:
    """The reports I wrote, newest incident first."""
    return _list_view(list_reports(store, principal, mine=True, page=page).as_dict(), "My reports")


@page(router, "/reports", "reports.html", csv_twin=True)
def reports(request: Request, page: int = 1, awaiting_review: bool = False,
            principal: Principal = Depends(requires("report.read")), store: Store = Depends(get_store)) -> View:
    """The reports I may read: my own (officers), my team's (supervisors), my force's (analysts), or every force's."""
    data = list_reports(store, principal, awaiting_review=awaiting_review, page=page).as_dict()
    titles = {"own": "My reports", "team": "My team's reports", "force": "My force's reports", "all": "Every force's reports"}
    return _list_view(data, titles[data["scope"]] + (", awaiting review" if awaiting_review else ""))


@page(router, "/reports/{report_id:int}", "report.html")
def report(request: Request, report_id: ReportId, principal: Principal = Depends(requires("report.read")),
           store: Store = Depends(get_store)) -> View:
    """One use-of-force report, every answer as stored."""
    details = get_report(store, principal, report_id)
    return View(details, title=f"Use-of-force report {report_id}", extra={"label": label})


@router.post("/reports/{report_id:int}/review", include_in_schema=False)
def review(request: Request, report_id: ReportId, version: int = Form(...),
           principal: Principal = Depends(requires("report.review")), store: Store = Depends(get_store)) -> Response:
    """Mark the report reviewed (optimistic locking: ``version`` is the one the supervisor saw)."""
    try:
        review_report(store, principal, report_id, expected_version=version)
    except Conflict as exc:
        if wants_json(request):
            raise
        details = get_report(store, principal, report_id)
        context = {"view": View(details, title=f"Use-of-force report {report_id}"), "data": details,
                   "label": label, "conflict": exc}
        return request.app.state.templates.TemplateResponse(request, "report.html", context, status_code=409)
    return RedirectResponse(f"/reports/{report_id}?reviewed=1", status_code=303)
