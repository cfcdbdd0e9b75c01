"""The authorisation walk: every route is declared (web/route_access.py), and every route, for every
role, with records of the reader's own force and of another force, keeps to its rule and leaks nothing.

One database per backend (the demo's steps: official statistics, a few hundred SIMULATED records each
of Avon and Somerset and West Midlands, an account per role in each, the register, a tenth of the demo's
assaults, learning and review submissions, assessments and publications) is shared by the walk; one
logged-in client per role.
Readers are Avon and Somerset's people (or national roles); West Midlands is "another force".
"""

from __future__ import annotations

import json
from pathlib import Path
from html.parser import HTMLParser
import re
from typing import Any, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from forcewatch.access import ACCOUNT_ROLES, Role, Scope, scope_of
from forcewatch.access import Principal as P
from forcewatch.assault_demo import seed_assaults_demo
from forcewatch.demo import DEMO_STEPS, demo_password
from forcewatch.settings import Settings
from forcewatch.store import Store
from forcewatch.store.tables.assaults import officer_assault
from forcewatch.store.tables.assessment import assessment
from forcewatch.store.tables.publications import publication
from forcewatch.store.tables.records import officer_report
from forcewatch.store.tables.register import register_officer
from forcewatch.web import create_app
from forcewatch.web.route_access import LOGIN, PUBLIC, ROUTE_ACCESS, app_routes, rule_for

from .assessment_data import import_force_records
from .conftest import Backend

OWN, OTHER = "E23000036", "E23000014"
ROLES = ["anonymous", *(str(r) for r in ACCOUNT_ROLES)]
#: keys that would name or single out a person; never in what the public is shown
PERSON_KEYS = {"officer_pseudonym", "pseudonym", "staff_id", "username", "display_name", "published_by", "crime_ref",
               "author", "person_id", "subject_age", "officer", "victim"}
#: routes not walked with a live session: they end it (tested in test_web_auth.py)
NOT_WALKED = {"POST /logout", "POST /login"}


def _user(role: str) -> str:
    return {"national_analyst": "national.analyst", "review_team": "review.team",
            "administrator": "national.admin"}.get(role, f"avon.{role}")


@pytest.fixture(scope="module")
def site(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The demo's data in one database, the app, and the ids of each kind of record in each force."""
    from argon2 import PasswordHasher

    from forcewatch import passwords

    tmp = tmp_path_factory.mktemp("walk")
    settings = Settings(demo=True, secure_cookies=False, pseudonym_key="k" * 40, signing_key_dir=str(tmp / "keys"),
                        database_url=f"sqlite:///{tmp / 'unused.db'}")
    store = backend.new_store()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        mp.chdir(tmp)
        mp.setattr("forcewatch.web.routes.assessments.render_pdf", lambda html: b"%PDF-1.7 (not rendered in the walk)")
        for step in DEMO_STEPS:
            if step.run.__name__ == "_records_step":  # a few hundred reports per force, not the demo's 16,000
                for force in (OWN, OTHER):
                    import_force_records(store, tmp, force, reports=300, ced_every=3)
            elif step.run.__name__ == "_assaults_step":  # a tenth of the demo's assaults and submissions
                seed_assaults_demo(store, settings, scale=0.1)
            else:
                step.run(store, settings)
        app = create_app(settings, store=store)
        clients = {role: _client(app, role) for role in ROLES}
        yield {"store": store, "app": app, "clients": clients, "ids": _ids(store)}
    backend.drop(store)


def _client(app: Any, role: str) -> TestClient:
    client = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
    if role != "anonymous":
        user = _user(role)
        done = client.post("/login", data={"username": user, "password": demo_password(user), "next": "/",
                                           "csrf_token": token}, follow_redirects=False)
        assert done.status_code == 303, (role, done.text[:200])
        token = client.get("/account").headers["x-csrf-token"]
    client.headers["X-CSRF-Token"] = token
    return client


def _first(store: Store, table: Any, column: Any, force: str) -> str:
    with store.read() as conn:
        value = conn.execute(select(column).where(table.c.force_code == force).order_by(column).limit(1)).scalar()
    assert value is not None, (table.name, force)
    return str(value)


def _ids(store: Store) -> dict[str, dict[str, str]]:
    from forcewatch.store.tables.review import learning_item, review_submission

    out: dict[str, dict[str, str]] = {}
    for force, side in ((OWN, "own"), (OTHER, "other")):
        out[side] = {
            "assessment_id": _first(store, assessment, assessment.c.id, force),
            "other_id": _first(store, assessment, assessment.c.id, OWN),
            "assault_id": _first(store, officer_assault, officer_assault.c.id, force),
            "learning_id": _first(store, learning_item, learning_item.c.id, force),
            "submission_id": _first(store, review_submission, review_submission.c.id, force),
            "report_id": _first(store, officer_report, officer_report.c.id, force),
            "pseudonym": _first(store, register_officer, register_officer.c.officer_pseudonym, force),
            "publication_id": _first(store, publication, publication.c.id, force),
            "code": force, "event_id": "1",
        }
    return out


def _fill(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: ids[m.group(1)], path)


def _person_keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return {k for k in value if k in PERSON_KEYS and value[k] not in (None, "", [])} | {
            k for v in value.values() for k in _person_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _person_keys(v)}
    return set()


def test_every_route_has_a_declared_access_rule() -> None:
    app = create_app(Settings(demo=True, secure_cookies=False, database_url="sqlite://"), store=_NoStore())  # type: ignore[arg-type]
    undeclared = [f"{m} {p}" for m, p in app_routes(app) if rule_for(m, p) is None]
    assert undeclared == [], "declare these in forcewatch/web/route_access.py: " + ", ".join(undeclared)
    served = {f"{m} {p}" for m, p in app_routes(app)}
    assert sorted(set(ROUTE_ACCESS) - served) == []  # nothing declared that the app no longer serves


class _NoStore:
    """The app is only inspected, never asked anything."""


def _expect(rule_who: str, role: str, side: str, has_id: bool, method: str, status: int, url: str) -> None:
    where = f"{role} {method} {url} -> {status}"
    assert status < 500, where
    if rule_who == PUBLIC:
        if not has_id:
            assert status not in (401, 403), where
        return
    if role == "anonymous":
        assert status in ((401, 303) if method == "GET" else (401,)), where
        return
    if rule_who == LOGIN:
        assert status != 401, where
        return
    scope = scope_of(P(user_id=1, username="x", role=Role(role), force_code=None if role in (
        "national_analyst", "review_team", "administrator") else OWN), rule_who)
    if scope is None:
        assert status in (403, 404), where
    elif has_id and side == "other" and scope is not Scope.all:
        assert status in (403, 404) or (method == "POST" and status in (400, 422)), where
    elif scope in (Scope.force, Scope.all) and method == "GET":
        assert status != 403 and status != 401, where


def _requests(site: dict[str, Any], role: str, every_twin: bool) -> Iterator[tuple[str, str, str, str, bool]]:
    """(rule key, method, url, side, has an id) for every route and twin of the app.

    Without ``every_twin``, a page with a ``.json`` twin is walked through that twin only. With it,
    a public page (the same published figures for everyone) is still walked through its twin only
    by logged-in roles; anonymous, and every role on pages that are not public, walk all three.
    """
    routes = list(app_routes(site["app"]))
    twins = {p for m, p in routes if p.endswith(".json")}
    for method, path in routes:
        key = f"{method} {path}"
        if key in NOT_WALKED:
            continue
        rule = rule_for(method, path)
        twinned = not path.endswith(".json") and (path.removesuffix(".csv") + ".json") in twins
        if twinned and (not every_twin or (role != "anonymous" and rule is not None and rule.who == PUBLIC)):
            continue
        has_id = "{" in path
        for side in (("own", "other") if has_id else ("own",)):
            yield key, method, _fill(path, site["ids"][side]), side, has_id


@pytest.mark.parametrize("every_twin", [False, pytest.param(True, marks=pytest.mark.slow)], ids=["json", "html-csv-json"])
@pytest.mark.parametrize("role", ROLES)
def test_every_route_keeps_to_its_rule_for_every_role(site: dict[str, Any], role: str, every_twin: bool) -> None:
    """Fast run: each page through its ``.json`` twin (the same call and dependencies as its HTML and CSV),
    every other route as it is; ``make proof`` walks the HTML and CSV of every page too."""
    client: TestClient = site["clients"][role]
    failures: list[str] = []
    for key, method, url, side, has_id in _requests(site, role, every_twin):
        try:
            _check(client, role, key, method, url, side, has_id)
        except AssertionError as exc:
            failures.append(str(exc).splitlines()[0])
    assert not failures, "\n".join(failures)


def _check(client: TestClient, role: str, key: str, method: str, url: str, side: str, has_id: bool) -> None:
    if True:
        method_, path = key.split(" ", 1)
        rule = rule_for(method_, path)
        assert rule is not None
        if method == "GET":
            response = client.get(url, follow_redirects=False)
        else:
            response = client.post(url, data={}, headers={"Accept": "application/json"}, follow_redirects=False)
        _expect(rule.who, role, side, has_id, method, response.status_code, url)
        if response.status_code != 200 or not url.endswith(".json"):
            return
        body = response.text
        reach = scope_of(P(user_id=1, username="x", role=Role(role), force_code=OWN) if role not in (
            "anonymous", "national_analyst", "review_team", "administrator") else P(
            user_id=1, username="x", role=Role("public" if role == "anonymous" else role)), rule.who) \
            if rule.who in ROUTE_ACCESS_ACTIONS else None
        if rule.force_only and reach is not None and reach is not Scope.all:
            assert OTHER not in body, f"{role} {url}: another force's records"
        if role == "anonymous":
            assert not _person_keys(json.loads(body)), f"{url}: person-level fields on a public page"


ROUTE_ACCESS_ACTIONS = {r.who for r in ROUTE_ACCESS.values()} - {PUBLIC, LOGIN}


def test_the_walk_covers_the_public_site_and_dashboards() -> None:
    for key in ("GET /public", "GET /public/publications/{publication_id:int}", "GET /public/forces/{code:area}",
                "GET /public/contact", "GET /forces/{code:area}", "POST /publications/quarterly"):
        assert key in ROUTE_ACCESS


class _Page(HTMLParser):
    """Headings, form controls and labels of a rendered page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.controls: list[tuple[str, str, bool]] = []
        self.labels: set[str] = set()
        self.label_depth = 0
        self.skip_link = False
        self.main = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "label":
            self.label_depth += 1
            if a.get("for"):
                self.labels.add(str(a["for"]))
        elif tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit", "button", "image"):
            named = bool(a.get("aria-label") or a.get("aria-labelledby")) or self.label_depth > 0
            self.controls.append((tag, str(a.get("id") or a.get("name") or ""), named))
        elif tag == "a" and a.get("class") == "skip-link" and a.get("href") == "#main":
            self.skip_link = True
        elif tag == "main" and a.get("id") == "main":
            self.main = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.label_depth -= 1


def _accessibility_problems(html: str) -> list[str]:
    page = _Page()
    page.feed(html)
    problems = []
    if page.headings.count(1) != 1:
        problems.append(f"{page.headings.count(1)} h1")
    jumps = [(a, b) for a, b in zip(page.headings, page.headings[1:]) if b > a + 1]
    if jumps:
        problems.append(f"heading levels skipped: {jumps[:3]}")
    unlabelled = [name for tag, name, named in page.controls if not named and name not in page.labels]
    if unlabelled:
        problems.append(f"controls without a label: {unlabelled[:5]}")
    if not (page.skip_link and page.main):
        problems.append("no skip link to #main")
    return problems


@pytest.mark.parametrize("role", ["anonymous", pytest.param("force_analyst", marks=pytest.mark.slow),
                                  pytest.param("officer", marks=pytest.mark.slow)])
def test_every_page_has_one_h1_ordered_headings_labelled_controls_and_a_skip_link(site: dict[str, Any], role: str) -> None:
    client: TestClient = site["clients"][role]
    failures = []
    for method, path in app_routes(site["app"]):
        if method != "GET" or path.endswith((".json", ".csv", ".pdf", ".css")) or path.startswith(("/api/", "/docs/")):
            continue
        response = client.get(_fill(path, site["ids"]["own"]), follow_redirects=False)
        if response.status_code == 200 and response.headers["content-type"].startswith("text/html"):
            failures += [f"{path}: {p}" for p in _accessibility_problems(response.text)]
    assert not failures, "\n".join(failures)


def test_docs_web_lists_every_route_rule() -> None:
    from forcewatch.web.route_access import route_access_markdown

    docs = (Path(__file__).resolve().parents[1] / "docs" / "web.md").read_text(encoding="utf-8")
    assert route_access_markdown() in docs, "regenerate the table at the end of docs/web.md from route_access_markdown()"
