"""Shared learning from assaults: write, redact, set consent and sharing level, moderate, read what is shared.

Pages: ``/learning`` (anyone: the learning shared with you; with ``learning.read``, your force's items
as written), ``/learning/new`` and ``/learning/{id}``. Forms post to ``/learning/new`` and
``/learning/{id}/redact|sharing|consent|moderate``.
"""

from __future__ import annotations

from typing import Any, Callable

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ... import learning
from ...access import Principal, can
from ...errors import ForcewatchError
from ...review import AREAS
from ...sharing import CONSENT_SCOPES, SHARING_LEVELS
from ...store import Store
from ..auth import current_principal, requires
from ..deps import RecordId, get_store
from ..errors import wants_json
from ..forms import answers, field_errors
from ..pages import View, page

router = APIRouter(tags=["learning"])

_SHARED_COLUMNS = ["id", "quarter", "area", "area_tags", "theme", "title", "what_happened", "what_helped",
                   "what_to_change", "target_owner", "action_status", "evidence_rating", "sharing_level", "simulated"]


def learning_options() -> dict[str, Any]:
    """The choices of the learning form."""
    return {"areas": [(a.key, a.label_en) for a in AREAS],
            "themes": [(t, t.replace("_", " ")) for t in learning.THEMES],
            "target_owners": [(t, t.replace("_", " ")) for t in learning.TARGET_OWNERS],
            "evidence_ratings": [(t, t.replace("_", " ")) for t in learning.EVIDENCE_RATINGS],
            "handling": [(h, h) for h in learning.HANDLING],
            "consent_scopes": list(CONSENT_SCOPES.items()), "sharing_levels": list(SHARING_LEVELS.items())}


@page(router, "/learning", "learning_list.html", csv_twin=True)
def learning_index(request: Request, store: Store = Depends(get_store),
                   principal: Principal = Depends(current_principal)) -> View:
    """Learning from assaults shared with you (approved, consented, redacted) and, if you may, your force's items."""
    shared = learning.shared_learning(store, principal)
    internal = learning.list_learning(store, principal) if can(principal, "learning.read") else None
    return View({"shared": shared, "internal": internal}, title="Learning from assaults", table=shared,
                columns=_SHARED_COLUMNS, filename="shared-learning")


@page(router, "/learning/new", "learning_form.html")
def learning_new(request: Request, principal: Principal = Depends(requires("learning.write"))) -> View:
    """The form to write a learning item from assaults, and its choices."""
    return View({"options": learning_options()}, title="Write a learning item",
                extra={"options": learning_options(), "values": {}, "errors": {}, "general": []})


@router.post("/learning/new", include_in_schema=False)
async def learning_create(request: Request, store: Store = Depends(get_store),
                          principal: Principal = Depends(requires("learning.write"))) -> Response:
    """Write a learning item (it stays in the force until redacted and approved)."""
    form = await request.form()
    values: dict[str, Any] = answers(form)
    values["area_tags"] = [str(v) for v in form.getlist("area_tags")]
    assault_ids = [int(v) for v in str(values.get("assault_ids") or "").replace(";", ",").split(",")
                   if v.strip().isdigit()]
    try:
        learning_id = await run_in_threadpool(learning.write_learning, store, principal, values, assault_ids)
    except ForcewatchError as exc:
        if wants_json(request):
            raise
        errors, general = field_errors(exc)
        context = {"view": View({}, title="Write a learning item"), "data": {}, "options": learning_options(),
                   "values": {**values, "area_tags": "; ".join(values["area_tags"])}, "errors": errors,
                   "general": general}
        return request.app.state.templates.TemplateResponse(request, "learning_form.html", context,
                                                            status_code=exc.http_status)
    if wants_json(request):
        return JSONResponse({"id": learning_id}, status_code=201)
    return RedirectResponse(f"/learning/{learning_id}", status_code=303)


@page(router, "/learning/{learning_id:int}", "learning_item.html")
def learning_item(request: Request, learning_id: RecordId, store: Store = Depends(get_store),
                  principal: Principal = Depends(requires("learning.read"))) -> View:
    """One learning item as written, with its redaction, consent, sharing level and moderation."""
    item = learning.get_learning(store, principal, learning_id)
    return View(item, title=item["title"], extra={"options": learning_options(), "error": None})


async def _act(request: Request, learning_id: RecordId, call: Callable[[], Any]) -> Response:
    try:
        await run_in_threadpool(call)
    except ForcewatchError as exc:
        if wants_json(request):
            raise
        errors, general = field_errors(exc)
        store, principal = request.app.state.store, request.state.principal
        item = await run_in_threadpool(learning.get_learning, store, principal, learning_id)
        context = {"view": View(item, title=item["title"]), "data": item, "options": learning_options(),
                   "error": "; ".join(general + [m for ms in errors.values() for m in ms])}
        return request.app.state.templates.TemplateResponse(request, "learning_item.html", context,
                                                            status_code=exc.http_status)
    if wants_json(request):
        return JSONResponse({"id": learning_id, "done": True})
    return RedirectResponse(f"/learning/{learning_id}", status_code=303)


@router.post("/learning/{learning_id:int}/redact", include_in_schema=False)
async def learning_redact(request: Request, learning_id: RecordId, store: Store = Depends(get_store),
                          principal: Principal = Depends(requires("learning.write"))) -> Response:
    """Redact the item (the redactor runs over any hand edits too)."""
    form = answers(await request.form())
    edited = {k: v for k, v in form.items() if k in learning.REDACTED_FIELDS and v.strip()}
    return await _act(request, learning_id, lambda: learning.redact_learning(store, principal, learning_id,
                                                                             edited or None))


@router.post("/learning/{learning_id:int}/sharing", include_in_schema=False)
async def learning_sharing(request: Request, learning_id: RecordId, store: Store = Depends(get_store),
                           principal: Principal = Depends(requires("learning.write"))) -> Response:
    """Set the sharing level (raising it needs approval again)."""
    level = answers(await request.form()).get("sharing_level", "")
    return await _act(request, learning_id, lambda: learning.set_sharing_level(store, principal, learning_id, level))


@router.post("/learning/{learning_id:int}/consent", include_in_schema=False)
async def learning_consent(request: Request, learning_id: RecordId, store: Store = Depends(get_store),
                           principal: Principal = Depends(requires("learning.write"))) -> Response:
    """Record the officers' consent scope."""
    scope = answers(await request.form()).get("consent_scope", "")
    return await _act(request, learning_id, lambda: learning.set_learning_consent(store, principal, learning_id, scope))


@router.post("/learning/{learning_id:int}/moderate", include_in_schema=False)
async def learning_moderate(request: Request, learning_id: RecordId, store: Store = Depends(get_store),
                            principal: Principal = Depends(requires("learning.moderate"))) -> Response:
    """Approve or reject the item for sharing beyond the force."""
    decision = answers(await request.form()).get("decision", "")
    return await _act(request, learning_id, lambda: learning.moderate_learning(store, principal, learning_id, decision))
