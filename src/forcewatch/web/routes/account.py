"""Log in, log out, and "my account" (with change password)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from ... import sessions
from ...access import Principal
from ...accounts import account_overview, change_password
from ...errors import ForcewatchError, InputRefused, NotAuthenticated, TooManyAttempts, UsageError
from ...settings import Settings
from ...store import Store
from ..auth import (
    clear_session_cookie,
    client_ip,
    cookie_names,
    require_login,
    safe_next,
    set_session_cookie,
)
from ..deps import get_settings, get_store
from ..errors import wants_json
from ..pages import View, page

router = APIRouter(tags=["account"])


def _login_form(request: Request, *, next_path: str, error: str | None = None, username: str = "",
                status: int = 200, headers: dict[str, str] | None = None) -> Response:
    settings: Settings = request.app.state.settings
    context = {"next": next_path, "error": error, "username": username,
               "max_failures": settings.login_max_failures_per_user,
               "window_minutes": settings.login_failure_window_minutes}
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "login.html", context, status_code=status, headers=headers)


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str = "/") -> Response:
    """The log-in form."""
    return _login_form(request, next_path=safe_next(next))


@router.post("/login", include_in_schema=False)
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/"),
          store: Store = Depends(get_store), settings: Settings = Depends(get_settings)) -> Response:
    """Check the user name and password, start a new session, and go where the user was going."""
    target = safe_next(next)
    try:
        new = sessions.log_in(store, username, password, client_ip=client_ip(request), settings=settings,
                              user_agent=request.headers.get("user-agent"),
                              previous_token=request.cookies.get(cookie_names(settings)[0]))
    except (NotAuthenticated, TooManyAttempts) as exc:
        if wants_json(request):
            raise
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else None
        return _login_form(request, next_path=target, error=exc.message, username=username[:64],
                           status=exc.http_status, headers=headers)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, settings, new.token)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, store: Store = Depends(get_store), settings: Settings = Depends(get_settings)) -> Response:
    """End this session (a POST carrying the CSRF token, so another site cannot log you out)."""
    token = getattr(request.state, "session_token", None)
    if token:
        sessions.log_out(store, token)
    response: Response = (JSONResponse({"logged_out": True}) if wants_json(request)
                          else RedirectResponse("/", status_code=303))
    clear_session_cookie(response, settings)
    return response


@page(router, "/account", "account.html", tags=["account"])
def account(request: Request, principal: Principal = Depends(require_login),
            store: Store = Depends(get_store)) -> View:
    """The logged-in user's account: role, force, team, open sessions and API tokens."""
    return View(account_overview(store, principal), title="My account",
                extra={"changed": request.query_params.get("password") == "changed"})


@router.post("/account/password", include_in_schema=False)
def account_password(request: Request, current_password: str = Form(""), new_password: str = Form(""),
                     confirm_password: str = Form(""), principal: Principal = Depends(require_login),
                     store: Store = Depends(get_store), settings: Settings = Depends(get_settings)) -> Response:
    """Change the logged-in user's password; their other sessions end."""
    token = getattr(request.state, "session_token", None)
    try:
        if new_password != confirm_password:
            raise UsageError("the new password and its confirmation differ")
        change_password(store, principal, current_password, new_password, client_ip=client_ip(request),
                        keep_session=sessions.session_id(token) if token else None, settings=settings)
    except ForcewatchError as exc:
        if wants_json(request):
            raise
        problems = exc.problems if isinstance(exc, InputRefused) else []
        errors = [p.message for p in problems] or [exc.message]
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else None
        context = {"view": View({}, title="My account"), "data": account_overview(store, principal),
                   "password_errors": errors}
        templates: Jinja2Templates = request.app.state.templates
        return templates.TemplateResponse(request, "account.html", context, status_code=exc.http_status,
                                          headers=headers)
    if wants_json(request):
        return JSONResponse({"password_changed": True})
    return RedirectResponse("/account?password=changed", status_code=303)
