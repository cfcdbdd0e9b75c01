"""The Taser threat and risk assessment on the web: list, create, the assessment by NDM stage with
its forms, signed workflow buttons, verification, diff between versions, and the two-tier packs.

Every page has a ``.json`` twin computed by the same library call. Forms post with the CSRF token;
sign-off buttons also need their confirmation box ticked. Access is checked in the library
(:mod:`forcewatch.assessment`): another force's people see nothing of a force's assessments
except what it has published; the public sees published summaries only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ... import assessment as assessments
from ...access import Principal, allows
from ...assessment.diff import diff_assessments
from ...assessment.drafting import EIA_OUTCOMES
from ...assessment.judgements import KINDS, parse_value
from ...assessment.model import COMMUNITY_KINDS, NDM_STAGES, PARTIES
from ...assessment.packs import public_summary, restricted_pack
from ...assessment.rendering import pack_css, render_html, render_pdf
from ...assessment.verify import verify_assessment
from ...assessment.views import list_assessments
from ...errors import PermissionDenied, UsageError
from ...method import method_profiles
from ...periods import read_optional_date
from ...settings import Settings
from ...store import Store
from ..auth import current_principal, require_login, requires
from ..deps import RecordId, get_settings, get_store
from ..errors import wants_json
from ..pages import View, page

__all__ = ["router"]

router = APIRouter(tags=["assessments"])
_PATH = "/assessments/{assessment_id:int}"


def _done(request: Request, assessment_id: RecordId, result: Any, anchor: str = "") -> Response:
    if wants_json(request):
        return JSONResponse(result.as_dict() if hasattr(result, "as_dict") else result)
    return RedirectResponse(f"/assessments/{assessment_id}{anchor}", status_code=303)


def _confirmed(confirm: str) -> None:
    if confirm != "yes":
        raise UsageError(
            "tick the confirmation box to sign", hint="a signature is a formal sign-off in your name"
        )


@router.get("/assessments/pack.css", include_in_schema=False)
def assessment_pack_css() -> Response:
    """The packs' stylesheet (served from this site, so the strict content security policy holds)."""
    return Response(pack_css(), media_type="text/css")


@page(router, "/assessments", "assessments.html", csv_twin=True)
def assessment_list(
    request: Request, store: Store = Depends(get_store), principal: Principal = Depends(current_principal)
) -> View:
    """Threat and risk assessments you may see: your force's, and every force's published summaries."""
    rows = list_assessments(store, principal)
    can_create = (
        principal.force_code is not None
        and allows(principal, "assessment.draft", force_code=principal.force_code) is not None
    )
    return View(
        {"assessments": rows, "can_create": can_create, "profiles": method_profiles()},
        title="Threat and risk assessments",
        table=rows,
        columns=["id", "force", "period", "version", "state", "decision", "recommendation", "tier"],
        filename="assessments",
    )


@router.post("/assessments", include_in_schema=False)
def assessment_create(
    request: Request,
    period: str = Form(...),
    method: str = Form("ced_reports_stra"),
    current_headcount: str = Form(""),
    headcount_reason: str = Form(""),
    reason: str = Form(""),
    store: Store = Depends(get_store),
    principal: Principal = Depends(requires("assessment.draft")),
) -> Response:
    """Create the next version of your force's assessment for a year (analysts)."""
    if method not in method_profiles():
        raise UsageError(f"method {method!r} is not a bundled profile", hint=", ".join(method_profiles()))
    item = assessments.create_assessment(
        store,
        principal,
        force=principal.force_code or "",
        period=period,
        method=method,
        current=current_headcount.strip() or None,
        current_reason=headcount_reason.strip() or None,
        revision_reason=reason.strip() or None,
    )
    return _done(request, item.id, item.as_dict())


@page(router, _PATH, "assessment.html")
def assessment_page(
    request: Request,
    assessment_id: RecordId,
    store: Store = Depends(get_store),
    principal: Principal = Depends(requires("assessment.read")),
) -> View:
    """One assessment by National Decision Model stage (restricted tier), with its forms and sign-off."""
    try:
        data = restricted_pack(store, assessment_id, principal=principal)
    except PermissionDenied as exc:
        raise PermissionDenied(
            exc.message, hint=f"you may read the public summary: /assessments/{assessment_id}/public"
        ) from None
    body = render_html(data, standalone=False)
    return View(
        data,
        title=data["assessment"]["title"],
        extra={
            "pack_html": body,
            "stages": NDM_STAGES,
            "kinds": KINDS,
            "community_kinds": COMMUNITY_KINDS,
            "parties": PARTIES,
            "eia_outcomes": EIA_OUTCOMES,
            "today": date.today().isoformat(),
        },
    )


@router.post(_PATH + "/judgements", include_in_schema=False)
def assessment_judge(
    request: Request,
    assessment_id: RecordId,
    stage: str = Form(...),
    kind: str = Form(...),
    field: str = Form(...),
    value: str = Form(""),
    rationale: str = Form(""),
    evidence: str = Form(""),
    store: Store = Depends(get_store),
    principal: Principal = Depends(requires("assessment.draft")),
) -> Response:
    """Add a judgement to a draft's log."""
    found = assessments.record_judgement(
        store,
        principal,
        assessment_id,
        stage=stage,
        kind=kind,
        field=field,
        value=parse_value(value) if value.strip() else None,
        rationale=rationale,
        evidence=[e.strip() for e in evidence.splitlines() if e.strip()],
    )
    return _done(request, assessment_id, found, "#judgement-log")


@router.post(_PATH + "/community", include_in_schema=False)
def assessment_community(
    request: Request,
    assessment_id: RecordId,
    kind: str = Form(...),
    summary: str = Form(""),
    outcome: str = Form(""),
    held_on: str = Form(""),
    evidence: str = Form(""),
    store: Store = Depends(get_store),
    principal: Principal = Depends(require_login),
) -> Response:
    """Record a consultation, mitigation, EIA/CIA outcome or caveat."""
    found = assessments.record_community(
        store,
        principal,
        assessment_id,
        kind=kind,
        summary=summary,
        outcome=outcome.strip() or None,
        held_on=read_optional_date(held_on, "held on"),
        evidence=[e.strip() for e in evidence.splitlines() if e.strip()],
    )
    return _done(request, assessment_id, found, "#community")


@router.post(_PATH + "/informed", include_in_schema=False)
def assessment_informed(
    request: Request,
    assessment_id: RecordId,
    party: str = Form(...),
    party_name: str = Form(""),
    informed_on: str = Form(""),
    how: str = Form(""),
    note: str = Form(""),
    store: Store = Depends(get_store),
    principal: Principal = Depends(require_login),
) -> Response:
    """Record who was informed, when and how."""
    on = read_optional_date(informed_on, "informed on")
    if on is None:
        raise UsageError("say when they were informed")
    found = assessments.record_informed(
        store,
        principal,
        assessment_id,
        party=party,
        party_name=party_name,
        informed_on=on,
        how=how,
        note=note,
    )
    return _done(request, assessment_id, found, "#informed")


def _signoff(
    action: Callable[..., Any],
    request: Request,
    assessment_id: RecordId,
    note: str,
    confirm: str,
    store: Store,
    settings: Settings,
    principal: Principal,
) -> Response:
    _confirmed(confirm)
    signature = action(store, principal, assessment_id, settings=settings, note=note)
    return _done(request, assessment_id, signature, "#signatures")


@router.post(_PATH + "/assure", include_in_schema=False)
def assessment_assure(
    request: Request,
    assessment_id: RecordId,
    note: str = Form(""),
    confirm: str = Form(""),
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
    principal: Principal = Depends(requires("assessment.assure")),
) -> Response:
    """Assure a draft (signed)."""
    return _signoff(assessments.assure, request, assessment_id, note, confirm, store, settings, principal)


@router.post(_PATH + "/approve", include_in_schema=False)
def assessment_approve(
    request: Request,
    assessment_id: RecordId,
    note: str = Form(""),
    confirm: str = Form(""),
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
    principal: Principal = Depends(requires("assessment.approve")),
) -> Response:
    """Approve an assured assessment (signed)."""
    return _signoff(assessments.approve, request, assessment_id, note, confirm, store, settings, principal)


@router.post(_PATH + "/publish", include_in_schema=False)
def assessment_publish(
    request: Request,
    assessment_id: RecordId,
    note: str = Form(""),
    confirm: str = Form(""),
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
    principal: Principal = Depends(requires("assessment.publish")),
) -> Response:
    """Publish an approved assessment's public summary (signed)."""
    return _signoff(assessments.publish, request, assessment_id, note, confirm, store, settings, principal)


@page(router, _PATH + "/verify", "assessment_verify.html")
def assessment_verify(
    request: Request,
    assessment_id: RecordId,
    store: Store = Depends(get_store),
    principal: Principal = Depends(current_principal),
) -> View:
    """Re-run the assessment and check every hash, signature and audit link."""
    result = verify_assessment(store, assessment_id, principal=principal)
    return View(result.as_dict(), title=f"Verification of assessment {assessment_id}")


@page(router, _PATH + "/diff/{other_id:int}", "assessment_diff.html")
def assessment_diff(
    request: Request,
    assessment_id: RecordId,
    other_id: RecordId,
    store: Store = Depends(get_store),
    principal: Principal = Depends(requires("assessment.read_restricted")),
) -> View:
    """What changed between two versions: inputs, method, outputs, judgements, and the reason."""
    return View(
        diff_assessments(store, assessment_id, other_id, principal=principal),
        title=f"Assessment {assessment_id} against {other_id}",
    )


@page(router, _PATH + "/restricted", "assessment_pack.html")
def assessment_restricted(
    request: Request,
    assessment_id: RecordId,
    store: Store = Depends(get_store),
    principal: Principal = Depends(requires("assessment.read_restricted")),
) -> View:
    """The restricted full pack (OFFICIAL-SENSITIVE)."""
    data = restricted_pack(store, assessment_id, principal=principal)
    return View(
        data,
        title=f"{data['assessment']['title']} (restricted pack)",
        extra={
            "pack_html": render_html(data, standalone=False),
            "pdf": f"/assessments/{assessment_id}/restricted.pdf",
        },
    )


@page(router, _PATH + "/public", "assessment_pack.html")
def assessment_public(
    request: Request,
    assessment_id: RecordId,
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
    principal: Principal = Depends(current_principal),
) -> View:
    """The public summary (small numbers suppressed)."""
    data = public_summary(store, assessment_id, principal=principal, settings=settings)
    return View(
        data,
        title=f"{data['assessment']['title']} (public summary)",
        extra={
            "pack_html": render_html(data, standalone=False),
            "pdf": f"/assessments/{assessment_id}/public.pdf",
        },
    )


def _pdf(html: str, name: str) -> Response:
    return Response(
        render_pdf(html),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(_PATH + "/restricted.pdf", tags=["assessments"])
def assessment_restricted_pdf(
    assessment_id: RecordId,
    store: Store = Depends(get_store),
    principal: Principal = Depends(requires("assessment.read_restricted")),
) -> Response:
    """The restricted full pack as PDF (OFFICIAL-SENSITIVE)."""
    return _pdf(
        render_html(restricted_pack(store, assessment_id, principal=principal)),
        f"assessment-{assessment_id}-restricted.pdf",
    )


@router.get(_PATH + "/public.pdf", tags=["assessments"])
def assessment_public_pdf(
    assessment_id: RecordId,
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
    principal: Principal = Depends(current_principal),
) -> Response:
    """The public summary as PDF."""
    return _pdf(
        render_html(public_summary(store, assessment_id, principal=principal, settings=settings)),
        f"assessment-{assessment_id}-public.pdf",
    )
