"""The officer safety review: submit, moderate, confirm areas, and the report by area.

Pages: ``/review/submit`` (officers and staff), ``/review/mine`` (your own submissions and their
consent), ``/review/submissions`` and ``/review/submissions/{id}`` (the review team sees authors;
force analysts see their force's approved submissions, redacted, without authors),
``/review/report`` (the chiefs' council) and ``/review/report/public`` (anyone, suppressed).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ... import assault_reference as ref
from ... import charts
from ...access import Principal
from ...errors import ForcewatchError
from ...periods import read_optional_date
from ...review import AREAS
from ...review import store as review_store
from ...review.report import area_report
from ...settings import Settings
from ...sharing import CONSENT_SCOPES
from ...store import Store
from ..auth import current_principal, require_login, requires
from ..deps import RecordId, get_settings, get_store
from ..errors import wants_json
from ..forms import answers, field_errors
from ..pages import View, page

router = APIRouter(tags=["review"])


def review_options() -> dict[str, Any]:
    """The choices of the submission form."""
    return {"consent_scopes": list(CONSENT_SCOPES.items()), "role_bands": list(review_store.ROLE_BANDS.items()),
            "duty_roles": [(t.key, t.label) for t in ref.reference().vocabularies["duty_roles"].values()],
            "service_bands": [(t.key, t.label) for t in ref.reference().vocabularies["service_bands"].values()],
            "areas": [(a.key, a.label_en) for a in AREAS], "victimisation": list(review_store.VICTIMISATION.items()),
            "bands": [("none", "None"), ("once", "Once"), ("2_5", "2 to 5 times"), ("6_plus", "6 times or more")]}


@page(router, "/review/submit", "review_submit.html")
def review_submit_form(request: Request, principal: Principal = Depends(requires("review.submit"))) -> View:
    """The form to tell the officer safety review what would keep you safer, and its choices."""
    return View({"options": review_options()}, title="Officer and staff safety review",
                extra={"options": review_options(), "values": {}, "errors": {}, "general": []})


@router.post("/review/submit", include_in_schema=False)
async def review_submit(request: Request, store: Store = Depends(get_store), settings: Settings = Depends(get_settings),
                        principal: Principal = Depends(requires("review.submit"))) -> Response:
    """Store a submission; the classifier suggests its areas at once."""
    form = answers(await request.form())
    values: dict[str, Any] = {**form, "anonymous": form.get("anonymous") == "yes",
                              "ratings": {a.key: form.get(f"rating_{a.key}") for a in AREAS},
                              "victimisation": {k: form.get(f"victim_{k}") for k in review_store.VICTIMISATION}}
    try:
        submission_id = await run_in_threadpool(review_store.submit, store, principal, values, settings=settings)
    except ForcewatchError as exc:
        if wants_json(request):
            raise
        errors, general = field_errors(exc)
        context = {"view": View({}, title="Officer and staff safety review"), "data": {}, "options": review_options(),
                   "values": form, "errors": errors, "general": general}
        return request.app.state.templates.TemplateResponse(request, "review_submit.html", context,
                                                            status_code=exc.http_status)
    if wants_json(request):
        return JSONResponse({"id": submission_id}, status_code=201)
    return RedirectResponse("/review/mine?submitted=1", status_code=303)


@page(router, "/review/mine", "review_mine.html")
def review_mine(request: Request, store: Store = Depends(get_store),
                principal: Principal = Depends(requires("review.submit"))) -> View:
    """Your own submissions (not anonymous ones): their status, areas and consent, which you can change."""
    return View({"submissions": review_store.my_submissions(store, principal)}, title="My submissions",
                extra={"consent_scopes": CONSENT_SCOPES})


@page(router, "/review/submissions", "review_submissions.html", csv_twin=True)
def review_submissions(request: Request, status: Optional[str] = Query(None), store: Store = Depends(get_store),
                       principal: Principal = Depends(requires("review.read"))) -> View:
    """Submissions to the review you may read (the review team sees authors; others approved ones only)."""
    rows = review_store.list_submissions(store, principal, status=status or None)
    columns = ["id", "force_code", "submitted_at", *(["author"] if rows and "author" in rows[0] else []),
               "role_band", "consent_scope", "moderation_status", "suggested_areas", "confirmed_areas",
               "redacted_text"]
    return View({"status": status, "submissions": rows}, title="Review submissions", table=rows, columns=columns,
                filename="review-submissions")


@page(router, "/review/submissions/{submission_id:int}", "review_submission.html")
def review_submission(request: Request, submission_id: RecordId, store: Store = Depends(get_store),
                      principal: Principal = Depends(requires("review.read"))) -> View:
    """One submission; the review team sees its author and moderates it."""
    item = review_store.get_submission(store, principal, submission_id)
    return View(item, title=f"Submission {submission_id}", extra={"options": review_options(), "error": None})


async def _act(request: Request, submission_id: RecordId, call: Callable[[], Any], back: str) -> Response:
    try:
        await run_in_threadpool(call)
    except ForcewatchError as exc:
        if wants_json(request):
            raise
        errors, general = field_errors(exc)
        context = {"error": "; ".join(general + [m for ms in errors.values() for m in ms]), "back": back}
        return request.app.state.templates.TemplateResponse(request, "review_refused.html", context,
                                                            status_code=exc.http_status)
    if wants_json(request):
        return JSONResponse({"id": submission_id, "done": True})
    return RedirectResponse(back, status_code=303)


@router.post("/review/submissions/{submission_id:int}/redact", include_in_schema=False)
async def review_redact(request: Request, submission_id: RecordId, store: Store = Depends(get_store),
                        principal: Principal = Depends(requires("review.moderate"))) -> Response:
    """Redact the free text (over the reviewer's edit, if any)."""
    edited = answers(await request.form()).get("redacted_text") or None
    return await _act(request, submission_id, lambda: review_store.redact_submission(
        store, principal, submission_id, edited), f"/review/submissions/{submission_id}")


@router.post("/review/submissions/{submission_id:int}/areas", include_in_schema=False)
async def review_areas(request: Request, submission_id: RecordId, store: Store = Depends(get_store),
                       principal: Principal = Depends(requires("review.moderate"))) -> Response:
    """Confirm the suggested areas, or change them."""
    areas = [str(v) for v in (await request.form()).getlist("areas")]
    return await _act(request, submission_id, lambda: review_store.confirm_areas(store, principal, submission_id, areas),
                      f"/review/submissions/{submission_id}")


@router.post("/review/submissions/{submission_id:int}/moderate", include_in_schema=False)
async def review_moderate(request: Request, submission_id: RecordId, store: Store = Depends(get_store),
                          principal: Principal = Depends(requires("review.moderate"))) -> Response:
    """Approve or reject the submission."""
    decision = answers(await request.form()).get("decision", "")
    return await _act(request, submission_id, lambda: review_store.moderate_submission(
        store, principal, submission_id, decision), f"/review/submissions/{submission_id}")


@router.post("/review/submissions/{submission_id:int}/consent", include_in_schema=False)
async def review_consent(request: Request, submission_id: RecordId, store: Store = Depends(get_store),
                         principal: Principal = Depends(require_login)) -> Response:
    """Change the consent of your own submission (or, for the review team, on its author's word)."""
    form = answers(await request.form())
    scope = form.get("consent_scope", "")
    back = f"/review/submissions/{submission_id}" if form.get("back") == "submission" else "/review/mine"
    return await _act(request, submission_id, lambda: review_store.change_consent(store, principal, submission_id,
                                                                                  scope), back)


_SHORT = {"training": "Training", "equipment": "Equipment", "deployment": "Deployment",
          "investigation_aftercare": "Investigation and aftercare", "criminal_justice": "Criminal justice"}


def _report_view(data: dict[str, Any], title: str) -> View:
    figures = []
    rows = [{"area": _SHORT[a["key"]], "submissions": a["submissions"]} for a in data["areas"]]
    if any(r["submissions"] for r in rows):
        figures.append(charts.bar_chart(
            [r for r in rows if r["submissions"] is not None], "area", "submissions", horizontal=True,
            title="Submissions by review area",
            description="Submissions speaking to each area: " + "; ".join(
                f"{r['area']} {r['submissions'] if r['submissions'] is not None else 'suppressed'}" for r in rows)
            + ". A submission may speak to several areas.", x_title="Area", y_title="Submissions", width=480))
    funnel = [f for f in data["funnel"] if f["count"] is not None]
    if data["funnel"][0]["count"]:
        figures.append(charts.bar_chart(
            funnel, "label", "count", horizontal=True, title="Assaults on officers in the same period: what happened next",
            description="Assaults reaching each stage: " + "; ".join(
                f"{f['label']} {f['count'] if f['count'] is not None else 'suppressed'}" for f in data["funnel"]) + ".",
            x_title="Stage", y_title="Assaults", width=480))
    table = [{"area": a["key"], "label": a["label"], "submissions": a["submissions"], "confirmed": a["confirmed"],
              "mean_rating": a["mean_rating"], "learning_items": a["learning_items"],
              "themes": "; ".join(f"{t['label']} ({t['count'] if t['count'] is not None else 'suppressed'})"
                                  for t in a["themes"]),
              **{f"figure_{i + 1}": f"{f['label']}: {f['count']} of {f['base']}" if f["count"] is not None else
                 f"{f['label']}: suppressed" for i, f in enumerate(a["figures"])}} for a in data["areas"]]
    return View(data, title=title, table=table, extra={"charts": figures}, filename="review-by-area")


@page(router, "/review/report", "review_report.html", csv_twin=True)
def review_report(request: Request, date_from: Optional[str] = Query(None, alias="from"),
                  date_to: Optional[str] = Query(None, alias="to"), force: Optional[str] = Query(None),
                  store: Store = Depends(get_store), settings: Settings = Depends(get_settings),
                  principal: Principal = Depends(requires("review.report"))) -> View:
    """The review by area for the chiefs' council: submissions, themes, quotes, and assault and outcome figures."""
    end = read_optional_date(date_to, "to") or date.today()
    start = read_optional_date(date_from, "from") or date(end.year - 1, end.month, 1)
    data = area_report(store, principal, date_from=start, date_to=end, force=force or None, settings=settings)
    return _report_view(data, "The officer safety review by area")


@page(router, "/review/report/public", "review_report.html", csv_twin=True)
def review_report_public(request: Request, date_from: Optional[str] = Query(None, alias="from"),
                         date_to: Optional[str] = Query(None, alias="to"), store: Store = Depends(get_store),
                         settings: Settings = Depends(get_settings),
                         principal: Principal = Depends(current_principal)) -> View:
    """The review by area for the public: small counts suppressed, only quotes consented for publication."""
    end = read_optional_date(date_to, "to") or date.today()
    start = read_optional_date(date_from, "from") or date(end.year - 1, end.month, 1)
    data = area_report(store, principal, date_from=start, date_to=end, public=True, settings=settings)
    return _report_view(data, "What officers and staff told the safety review (public figures)")
