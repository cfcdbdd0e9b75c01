"""Who is asking, and may they: sessions, API tokens, CSRF, and the dependencies routes use.

Every request is resolved once, by a middleware, to a :class:`~forcewatch.access.Principal`:
the holder of an API token (``Authorization: Bearer fwt_...``), the user of a live server-side
session (the session cookie), or :data:`~forcewatch.access.PUBLIC`.

Routes use three dependencies:

- ``current_principal``: whoever is asking (``PUBLIC`` if nobody is logged in);
- ``require_login``: a logged-in principal, or 401 (JSON) / a redirect to ``/login?next=...`` (HTML);
- ``requires("report.read")``: a logged-in principal whose role may do the action at all (403
  otherwise). Force, team and owner checks happen in the library with ``access.require``.

CSRF: every POST, PUT, PATCH and DELETE that is not authenticated by an API token must carry the
session's CSRF token, in the ``csrf_token`` form field (templates: ``{{ csrf_field() }}``) or the
``X-CSRF-Token`` header (sent back on every response to a logged-in browser); a cross-site
``Origin`` is refused too. Before log-in, the token is tied to a random pre-log-in cookie, so the
log-in form is protected as well.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any, Callable
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from jinja2 import pass_context
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ..access import POLICY, PUBLIC, Principal, can
from ..api_tokens import resolve_token
from ..errors import CsrfRefused, NotAuthenticated, PermissionDenied, UsageError
from ..forces import try_resolve
from ..sessions import csrf_token, resume
from ..settings import Settings
from .errors import error_body

__all__ = ["current_principal", "require_login", "requires", "verify_csrf", "install_auth", "cookie_names",
           "set_session_cookie", "clear_session_cookie", "safe_next", "client_ip", "CSRF_FIELD", "CSRF_HEADER"]

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def cookie_names(settings: Settings) -> tuple[str, str]:
    """The session and pre-log-in cookie names (``__Host-`` prefixed when cookies are HTTPS-only)."""
    prefix = "__Host-" if settings.secure_cookies else ""
    return f"{prefix}fw_session", f"{prefix}fw_prelogin"


def _cookie_options(settings: Settings) -> dict[str, Any]:
    return {"path": "/", "secure": settings.secure_cookies, "httponly": True, "samesite": "lax"}


def set_session_cookie(response: Response, settings: Settings, token: str) -> None:
    """Send the session cookie (HttpOnly, SameSite=Lax, Secure when configured) and drop the pre-log-in one."""
    session, prelogin = cookie_names(settings)
    response.set_cookie(session, token, max_age=settings.session_lifetime_minutes * 60, **_cookie_options(settings))
    response.delete_cookie(prelogin, **_cookie_options(settings))


def clear_session_cookie(response: Response, settings: Settings) -> None:
    """Tell the browser to forget its session cookie."""
    response.delete_cookie(cookie_names(settings)[0], **_cookie_options(settings))


def client_ip(request: Request) -> str:
    """The client's address (behind a proxy, run uvicorn with ``--proxy-headers``)."""
    return request.client.host if request.client else "unknown"


def safe_next(value: str | None) -> str:
    """Where to go after log-in: a path on this site, never another site (``/`` otherwise)."""
    if not value or not value.startswith("/") or value.startswith("//") or any(c in value for c in "\\\r\n\t"):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path.startswith(("/login", "/logout")):
        return "/"
    return value


# --- dependencies ----------------------------------------------------------------------------


def current_principal(request: Request) -> Principal:
    """Whoever is asking: an account's principal, or ``PUBLIC``."""
    return getattr(request.state, "principal", PUBLIC)


def require_login(principal: Principal = Depends(current_principal)) -> Principal:
    """A logged-in principal; otherwise 401 for JSON clients and a redirect to the log-in page for people."""
    if not principal.is_authenticated:
        raise NotAuthenticated("log in to see this page")
    return principal


def requires(action: str) -> Callable[..., Principal]:
    """A dependency returning the logged-in principal after checking their role may do ``action`` at all."""
    if action not in POLICY:
        raise UsageError(f"unknown action {action!r}", hint="actions are listed in forcewatch.access.POLICY")

    def dependency(principal: Principal = Depends(require_login)) -> Principal:
        if not can(principal, action):
            raise PermissionDenied(f"{principal.role} {principal.username!r} may not {action} "
                                   f"({POLICY[action].description}) for any force")
        return principal

    dependency.__name__ = f"requires_{action.replace('.', '_')}"
    return dependency


async def verify_csrf(request: Request) -> None:
    """App-wide dependency: refuse unsafe cookie-authenticated requests without the right CSRF token."""
    if request.method in _SAFE_METHODS or getattr(request.state, "auth_via", None) == "token":
        return
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != request.url.netloc:
        raise CsrfRefused(f"a request from {origin!r} was refused: forms must be sent from this site")
    sent = request.headers.get(CSRF_HEADER)
    if not sent and request.headers.get("content-type", "").startswith(_FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    expected = getattr(request.state, "csrf_token", None)
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise CsrfRefused("the form has expired or did not come from this site (missing or wrong CSRF token)",
                          hint="reload the page and try again; scripts send the X-CSRF-Token header or use an API token")


# --- templates -------------------------------------------------------------------------------


@pass_context
def csrf_field(context: Any) -> Markup:
    """``{{ csrf_field() }}``: the hidden CSRF input every form that changes something must contain."""
    request = context.get("request")
    token = getattr(request.state, "csrf_token", "") if request is not None else ""
    if request is not None:
        request.state.csrf_used = True
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token)}">')


@pass_context
def current_user(context: Any) -> Principal:
    """``{{ current_user() }}``: the principal of the request being rendered."""
    request = context.get("request")
    return getattr(request.state, "principal", PUBLIC) if request is not None else PUBLIC


@pass_context
def may(context: Any, action: str) -> bool:
    """``{{ may("report.create") }}``: whether the rendering request's principal's role may do ``action`` at all."""
    return can(current_user(context), action)


def force_name(code: str | None) -> str:
    area = try_resolve(code) if code else None
    return area.name if area else (code or "")


# --- the middleware --------------------------------------------------------------------------


def _sets_cookie(response: Response, name: str) -> bool:
    return any(v.decode("latin-1").startswith(f"{name}=") for k, v in response.raw_headers if k == b"set-cookie")


def install_auth(app: FastAPI, settings: Settings) -> None:
    """Resolve every request's principal, set up its CSRF token, and add the template helpers."""
    session_cookie, prelogin_cookie = cookie_names(settings)
    secret = settings.session_secret
    templates = app.state.templates
    templates.env.globals.update(csrf_field=csrf_field, current_user=current_user, force_name=force_name, may=may)

    @app.middleware("http")
    async def _authenticate(request: Request, call_next):  # type: ignore[no-untyped-def]
        if request.url.path.startswith("/static/"):
            return await call_next(request)
        store = request.app.state.store
        principal, via, token = PUBLIC, None, None
        stale_session = False
        authorization = request.headers.get("authorization")
        if authorization:
            scheme, _, value = authorization.partition(" ")
            found = None
            if scheme.lower() == "bearer" and value.strip():
                found = await run_in_threadpool(resolve_token, store, value.strip())
            if found is None:
                return JSONResponse(error_body("unauthenticated", "the API token is unknown, expired or revoked",
                                               "create one with `forcewatch users token create`"),
                                    status_code=401, headers={"WWW-Authenticate": 'Bearer realm="forcewatch"'})
            principal, via = found, "token"
        elif cookie := request.cookies.get(session_cookie):
            found = await run_in_threadpool(resume, store, cookie, settings=settings)
            if found is not None:
                principal, via, token = found, "session", cookie
            else:
                stale_session = True
        prelogin = request.cookies.get(prelogin_cookie, "")
        new_prelogin = token is None and len(prelogin) < 32
        if new_prelogin:
            prelogin = secrets.token_urlsafe(32)
        request.state.principal = principal
        request.state.auth_via = via
        request.state.session_token = token
        request.state.csrf_token = csrf_token(secret, f"session:{token}" if token else f"prelogin:{prelogin}")
        response: Response = await call_next(request)
        if stale_session and not _sets_cookie(response, session_cookie):
            clear_session_cookie(response, settings)
        if new_prelogin and getattr(request.state, "csrf_used", False) and not _sets_cookie(response, session_cookie):
            response.set_cookie(prelogin_cookie, prelogin, max_age=settings.session_lifetime_minutes * 60,
                                **_cookie_options(settings))
        if principal.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers.setdefault("Vary", "Cookie, Authorization")
        if via == "session":
            response.headers[CSRF_HEADER] = request.state.csrf_token
        return response
