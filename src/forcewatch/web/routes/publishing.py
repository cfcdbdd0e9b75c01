"""Publishing on the public site, for those entitled: a force's analyst, chief officer or an administrator
(quarterly Taser figures and statements for the force), the national analyst (national statements).

``/publications/new`` shows the forms; ``POST /publications/quarterly`` and ``POST /publications/statement``
call :func:`forcewatch.publication_figures.publish_quarterly` and
:func:`forcewatch.publications.publish_statement`, which check the access policy and audit the write,
then go to the new publication on the public site.
"""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ... import forces
from ...access import Principal, can
from ...errors import PermissionDenied
from ...publication_figures import publish_quarterly
from ...publications import Publication, publish_statement
from ...store import Store
from ..auth import require_login, requires
from ..deps import get_store
from ..errors import wants_json
from ..pages import View, page

__all__ = ["router"]

router = APIRouter(tags=["public site"])


def _may_publish(principal: Principal) -> Principal:
    if not (can(principal, "publication.write") or can(principal, "publication.write_national")):
        raise PermissionDenied(f"{principal.role} {principal.username!r} may not publish on the public site",
                               hint="a force analyst, chief officer, national analyst or administrator publishes")
    return principal


def _done(request: Request, item: Publication) -> Response:
    if wants_json(request):
        return JSONResponse(item.summary() | {"published_at": item.published_at.isoformat()}, status_code=201)
    return RedirectResponse(f"/public/publications/{item.id}", status_code=303)


@page(router, "/publications/new", "publication_form.html", tags=["public site"])
def publication_form(request: Request, principal: Principal = Depends(require_login)) -> View:
    """The publishing forms: quarterly Taser figures and statements, for the forces you may publish for."""
    _may_publish(principal)
    if can(principal, "publication.write"):
        choices = ([principal.force_code] if principal.force_code else [a.code for a in forces.forces()])
    else:
        choices = []
    return View({"forces": [{"code": c, "name": forces.get(c).name} for c in choices],
                 "national": can(principal, "publication.write_national")}, title="Publish on the public site")


@router.post("/publications/quarterly", include_in_schema=False)
def publication_quarterly(request: Request, force: str = Form(...), quarter: str = Form(...),
                          store: Store = Depends(get_store),
                          principal: Principal = Depends(requires("publication.write"))) -> Response:
    """Publish a force's quarterly Taser figures (frozen; supersedes an earlier publication of the quarter)."""
    item = publish_quarterly(store, principal, force=force, quarter=quarter, settings=request.app.state.settings)
    return _done(request, item)


@router.post("/publications/statement", include_in_schema=False)
def publication_statement(request: Request, title: str = Form(...), body: str = Form(...), force: str = Form(""),
                          supersedes: Optional[int] = Form(None), store: Store = Depends(get_store),
                          principal: Principal = Depends(require_login)) -> Response:
    """Publish a dated statement for a force, or a national one (no force)."""
    item = publish_statement(store, principal, title=title, body=body, force=force.strip() or None,
                             supersedes=supersedes)
    return _done(request, item)
