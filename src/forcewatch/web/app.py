"""The FastAPI application: routes per noun, templates, local static assets, one error shape."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from .. import __version__
from ..settings import Settings
from ..store import Store
from .auth import cookie_names, install_auth, verify_csrf
from .cache import PageCache
from .errors import install_error_handlers
from .forms import figure, label, may
from .routes import (account, assaults, assessments, dashboard, deaths, home, learning, monitoring, national, public, publishing, register,
                     reports, review)

__all__ = ["create_app"]

_HERE = Path(__file__).parent

# Strict by default: every script, style, image and font comes from this server.
_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """Build the web app for ``settings`` (and an already open ``store``, if given).

    Refuses to start without a secret key outside demo mode (``settings.session_secret``).
    """
    settings = settings or Settings()
    store = store or Store.open(settings.database_url)
    app = FastAPI(
        title="forcewatch",
        version=__version__,
        description="Police use of force and Taser in England and Wales: records, official statistics, "
        "monitoring, and auditable threat and risk assessments. Every HTML page has a `.json` twin "
        "(and `.csv` for tables) computed by the same call.",
        docs_url="/api/docs",
        redoc_url=None,
        # CSRF: every unsafe request from a browser must carry the session's token (see web/auth.py)
        dependencies=[Depends(verify_csrf)],
    )
    app.state.settings = settings
    app.state.store = store
    templates = Jinja2Templates(directory=str(_HERE / "templates"))
    templates.env.globals.update(version=__version__, demo=settings.demo, register_link=register.register_link)
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
    install_error_handlers(app)
    install_auth(app, settings)
    templates.env.globals.update(may=may)
    templates.env.filters["label"] = label
    templates.env.filters["figure"] = figure

    @app.middleware("http")
    async def _security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", _CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    if settings.page_cache:  # outermost: a cached page skips every other layer
        app.add_middleware(PageCache, store=store, cookie_names=cookie_names(settings))

    app.include_router(home.router)
    app.include_router(account.router)
    app.include_router(national.router)
    app.include_router(deaths.router)
    app.include_router(assaults.router)
    app.include_router(learning.router)
    app.include_router(review.router)
    app.include_router(register.router)
    app.include_router(monitoring.router)
    app.include_router(assessments.router)
    app.include_router(reports.router)
    app.include_router(public.router)
    app.include_router(dashboard.router)
    app.include_router(publishing.router)
    return app
