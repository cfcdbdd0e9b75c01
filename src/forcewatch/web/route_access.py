"""Who may use each route: one declared rule per route of the web app, tested against the app itself.

Every route (method and path, the HTML page's path standing for its ``.json`` and ``.csv`` twins)
is listed in :data:`ROUTE_ACCESS` with who may use it:

- ``public``: anyone, logged in or not. What it shows to the public is published or suppressed and
  reveals no person; some show a logged-in reader more of their own force (``note`` says what);
- ``login``: any logged-in account, for its own account only;
- an action of :data:`forcewatch.access.POLICY` (``report.read`` ...): the role must have that
  action at all (401 without an account, 403 otherwise); the library then limits it to the records
  the role's scope reaches (own, team, force, all), refusing other forces' records with 403 or 404.

``force_only`` marks pages whose record-level content, for a role with force (or narrower) scope,
comes from the reader's own force alone. ``tests/test_route_access.py`` fails when a route is not
listed here, and walks every route for every role checking the rule holds and nothing leaks.
``docs/web.md`` renders the table (:func:`route_access_markdown`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from ..access import POLICY

__all__ = ["RouteAccess", "ROUTE_ACCESS", "PUBLIC", "LOGIN", "app_routes", "rule_for", "route_access_markdown"]

PUBLIC = "public"
LOGIN = "login"


@dataclass(frozen=True)
class RouteAccess:
    """Who may use a route (``public``, ``login`` or a policy action) and what it shows."""

    who: str
    force_only: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        if self.who not in (PUBLIC, LOGIN) and self.who not in POLICY:
            raise ValueError(f"route rule {self.who!r} is neither public, login nor an action of the access policy")


def _r(who: str, note: str = "", *, force_only: bool = False) -> RouteAccess:
    return RouteAccess(who, force_only, note)


_A = "/assessments/{assessment_id:int}"
_REG = "/register/officers/{pseudonym:pseudonym}"
_SUB = "/review/submissions/{submission_id:int}"
_LEARN = "/learning/{learning_id:int}"

#: THE route rules, ``"METHOD /path"`` -> rule (the HTML path also covers its ``.json`` and ``.csv`` twins).
ROUTE_ACCESS: dict[str, RouteAccess] = {
    "GET /openapi.json": _r(PUBLIC, "the API description"),
    "GET /api/docs": _r(PUBLIC, "the API description, browsable"),
    "GET /docs/oauth2-redirect": _r(PUBLIC, "part of the API description page"),
    "GET /": _r(PUBLIC, "what the database holds: counts only"),
    "GET /login": _r(PUBLIC), "POST /login": _r(PUBLIC, "throttled, audited"), "POST /logout": _r(PUBLIC),
    "GET /account": _r(LOGIN, "your own account"), "POST /account/password": _r(LOGIN, "your own password"),
    "GET /national": _r(PUBLIC, "published statistics"), "GET /national/forces": _r(PUBLIC, "published statistics, suppressed"),
    "GET /national/deaths": _r(PUBLIC, "published IOPC statistics, England and Wales totals only"),
    # assaults on officers
    "GET /assaults": _r("assault.read", force_only=True), "GET /assaults/new": _r("assault.write"),
    "POST /assaults/new": _r("assault.write"), "GET /assaults/funnel": _r("facts.read_records", force_only=True),
    "GET /assaults/funnel/public": _r(PUBLIC, "suppressed outcome funnel"),
    "GET /assaults/alerts": _r("assault.read", force_only=True),
    "GET /assaults/{assault_id:int}": _r("assault.read", force_only=True),
    "POST /assaults/{assault_id:int}/outcomes": _r("assault.write"),
    "POST /assaults/{assault_id:int}/welfare": _r("welfare.write"),
    # learning
    "GET /learning": _r(PUBLIC, "learning approved for sharing; a force's own items for those who may read them"),
    "GET /learning/new": _r("learning.write"), "POST /learning/new": _r("learning.write"),
    f"GET {_LEARN}": _r("learning.read", force_only=True), f"POST {_LEARN}/redact": _r("learning.write"),
    f"POST {_LEARN}/sharing": _r("learning.write"), f"POST {_LEARN}/consent": _r("learning.write"),
    f"POST {_LEARN}/moderate": _r("learning.moderate"),
    # the officer safety review
    "GET /review/submit": _r("review.submit"), "POST /review/submit": _r("review.submit"),
    "GET /review/mine": _r("review.submit", "your own submissions"),
    "GET /review/submissions": _r("review.read", force_only=True), f"GET {_SUB}": _r("review.read", force_only=True),
    f"POST {_SUB}/redact": _r("review.moderate"), f"POST {_SUB}/areas": _r("review.moderate"),
    f"POST {_SUB}/moderate": _r("review.moderate"),
    f"POST {_SUB}/consent": _r(LOGIN, "the author's own submission (or the review team on the author's word)"),
    "GET /review/report": _r("review.report"), "GET /review/report/public": _r(PUBLIC, "suppressed counts and approved quotes"),
    # the Taser-trained officer register
    "GET /register": _r("register.read", force_only=True), "GET /register/officers": _r("register.read", force_only=True),
    f"GET {_REG}": _r("register.read", force_only=True), f"POST {_REG}/events/{{event_id}}/correct": _r("register.write"),
    f"POST {_REG}/events/{{event_id}}/retract": _r("register.write"), f"POST {_REG}/events": _r("register.write"),
    "GET /register/checks": _r("register.read", force_only=True),
    "GET /register/coverage": _r("register.read", force_only=True),
    # monitoring
    "GET /monitoring": _r(PUBLIC), "GET /monitoring/rates": _r(PUBLIC, "published figures; from records after log-in"),
    "GET /monitoring/disparity": _r(PUBLIC, "published figures; from records after log-in"),
    "GET /monitoring/taser": _r("facts.read_records", "your force's records; the published funnel shows every force"),
    "GET /monitoring/quality": _r("facts.read_records", force_only=True),
    "GET /monitoring/reconcile": _r("facts.read_records", force_only=True),
    "POST /monitoring/explanations": _r("assessment.draft"),
    # threat and risk assessments
    "GET /assessments/pack.css": _r(PUBLIC, "a stylesheet"),
    "GET /assessments": _r(PUBLIC, "every force's published summaries; your force's assessments at your tier"),
    "POST /assessments": _r("assessment.draft"),
    f"GET {_A}": _r("assessment.read_restricted", "needs assessment.read, and the library the restricted tier",
                    force_only=True),
    f"POST {_A}/judgements": _r("assessment.draft"), f"POST {_A}/community": _r(LOGIN, "checked in the library"),
    f"POST {_A}/informed": _r(LOGIN, "checked in the library"), f"POST {_A}/assure": _r("assessment.assure"),
    f"POST {_A}/approve": _r("assessment.approve"), f"POST {_A}/publish": _r("assessment.publish"),
    f"GET {_A}/verify": _r(PUBLIC, "published assessments to anyone; your force's at any state"),
    f"GET {_A}/diff/{{other_id:int}}": _r("assessment.read_restricted", force_only=True),
    f"GET {_A}/restricted": _r("assessment.read_restricted", force_only=True),
    f"GET {_A}/public": _r(PUBLIC, "published summaries to anyone; your force's drafts at the public tier"),
    f"GET {_A}/restricted.pdf": _r("assessment.read_restricted", force_only=True),
    f"GET {_A}/public.pdf": _r(PUBLIC, "as its page"),
    # use-of-force reports
    "GET /reports/new": _r("report.create"), "POST /reports/new": _r("report.create"),
    "GET /reports/mine": _r("report.create", "your own reports"), "GET /reports": _r("report.read", force_only=True),
    "GET /reports/{report_id:int}": _r("report.read", force_only=True),
    "POST /reports/{report_id:int}/review": _r("report.review"),
    # the public transparency site
    "GET /public": _r(PUBLIC, "publications"), "GET /public/publications/{publication_id:int}": _r(PUBLIC, "a publication"),
    "GET /public/publications/{publication_id:int}/verify": _r(PUBLIC), "GET /public/forces": _r(PUBLIC),
    "GET /public/forces/{code:area}": _r(PUBLIC), "GET /public/contact": _r(PUBLIC),
    # dashboards and publishing
    "GET /forces": _r("dashboard.read"), "GET /forces/{code:area}": _r("dashboard.read", force_only=True),
    "GET /publications/new": _r(LOGIN, "forms for those who may publish (publication.write or publication.write_national)"),
    "POST /publications/quarterly": _r("publication.write", "for your force (administrators: any)"),
    "POST /publications/statement": _r(LOGIN, "publication.write for a force, publication.write_national for national"),
}


def app_routes(app: Any) -> Iterator[tuple[str, str]]:
    """Every (method, path) the app serves (HEAD left out), through included routers."""

    def walk(routes: Any) -> Iterator[tuple[str, str]]:
        for route in routes:
            if hasattr(route, "original_router"):
                yield from walk(route.original_router.routes)
            elif getattr(route, "methods", None):
                for method in sorted(set(route.methods) - {"HEAD"}):
                    yield method, route.path

    yield from walk(app.routes)


def rule_for(method: str, path: str) -> RouteAccess | None:
    """The declared rule of a route (a ``.json`` or ``.csv`` twin takes its page's), or ``None``."""
    key = f"{method} {path}"
    if key in ROUTE_ACCESS:
        return ROUTE_ACCESS[key]
    for suffix in (".json", ".csv"):
        if path.endswith(suffix):
            base = path[: -len(suffix)]
            return ROUTE_ACCESS.get(f"{method} {'/' if base == '/index' else base}")
    return None


def route_access_markdown() -> str:
    """The route rules as a Markdown table (for ``docs/web.md``)."""
    lines = ["| route | who may use it | own force only | note |", "|---|---|---|---|"]
    for key, rule in ROUTE_ACCESS.items():
        lines.append(f"| `{key}` | `{rule.who}` | {'yes' if rule.force_only else ''} | {rule.note} |")
    return "\n".join(lines) + "\n"
