"""One error shape for the whole web app and API, mapped from the exception tree in one place.

:class:`~forcewatch.errors.NotAuthenticated` sends people (HTML GET requests) to
``/login?next=...`` and answers everyone else 401 with ``WWW-Authenticate``;
:class:`~forcewatch.errors.TooManyAttempts` answers 429 with ``Retry-After``.

JSON (``.json``/``.csv`` paths, API clients)::

    {"error": {"code": "not_found", "message": "...", "hint": "...", "details": {...}}}

HTML pages show the same message and hint on an error page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import ForcewatchError, NotAuthenticated, TooManyAttempts

__all__ = ["install_error_handlers", "error_body", "wants_json"]

_HTTP_CODES = {400: "usage", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
               409: "conflict", 422: "input_refused", 429: "too_many_requests"}


def error_body(code: str, message: str, hint: str | None = None, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "hint": hint, "details": details or {}}}


def wants_json(request: Request) -> bool:
    path = request.url.path
    if path.endswith(".json") or path.endswith(".csv") or path.startswith("/api/") or path == "/openapi.json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _respond(request: Request, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    if wants_json(request):
        return JSONResponse(body, status_code=status, headers=headers)
    templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"error": body["error"], "status": status},
                                      status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ForcewatchError)
    async def _forcewatch_error(request: Request, exc: ForcewatchError) -> Response:
        headers: dict[str, str] = {}
        if isinstance(exc, NotAuthenticated):
            if not wants_json(request) and request.method in ("GET", "HEAD"):
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse("/login?next=" + quote(target, safe=""), status_code=303)
            headers["WWW-Authenticate"] = 'Bearer realm="forcewatch"'
        if isinstance(exc, TooManyAttempts):
            headers["Retry-After"] = str(exc.retry_after)
        return _respond(request, exc.http_status, error_body(exc.code, exc.message, exc.hint, exc.details()),
                        headers=headers or None)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        return _respond(request, exc.status_code, error_body(_HTTP_CODES.get(exc.status_code, "error"), message),
                        headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"location": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        first = problems[0] if problems else {"location": "", "message": "invalid request"}
        return _respond(request, 400, error_body("usage", f"{first['location']}: {first['message']}", None,
                                                 {"problems": problems}))

