"""Security proofs not covered elsewhere: audit-log entries reordered, a session cookie replayed
after log-out, a wrong-but-well-formed CSRF token, and API tokens held to their user's force and role.

(Edits, deletions, rewritten hashes and a shortened tail of the audit log: tests/test_audit.py;
cookie flags, fixation, throttling, expiry: tests/test_web_auth.py.)
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from forcewatch import api_tokens, audit
from forcewatch.access import SYSTEM
from forcewatch.store import Store
from forcewatch.web import create_app

from .conftest import store_url
from .reporting import cast, record
from .test_audit import _as_an_attacker, _fill
from .test_web_auth import SETTINGS, _csrf, _log_in
from .test_web_auth import client as client  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("fast_passwords")
JSON = {"accept": "application/json"}


def test_two_audit_entries_swapped_are_named_by_the_first_out_of_place(cli, store: Store) -> None:  # type: ignore[no-untyped-def]
    _fill(store, 5)
    # events 2 and 3 change places: each row is intact on its own, only the order is wrong
    _as_an_attacker(store, "UPDATE audit_event SET seq = -3 WHERE seq = 3",
                    "UPDATE audit_event SET seq = 3 WHERE seq = 2",
                    "UPDATE audit_event SET seq = 2 WHERE seq = -3")
    broken = audit.verify(store).broken
    assert broken is not None and broken.seq == 2
    shown = cli("audit", "verify", database=store_url(store))
    assert shown.exit_code == 1 and "audit log broken at event 2" in shown.stderr


def test_a_session_cookie_replayed_after_log_out_is_refused(client: TestClient) -> None:  # noqa: F811
    _log_in(client)
    cookie = client.cookies.get("fw_session")
    assert client.get("/account.json").status_code == 200
    home = client.get("/")
    assert client.post("/logout", data={"csrf_token": _csrf(home.text)}, follow_redirects=False).status_code == 303
    replay = TestClient(client.app, cookies={"fw_session": cookie})
    assert replay.get("/account.json").status_code == 401


def test_another_sessions_csrf_token_is_refused(client: TestClient) -> None:  # noqa: F811
    _log_in(client)
    other = TestClient(client.app)
    _log_in(other, "pat")
    theirs = other.get("/account.json").headers["x-csrf-token"]
    refused = client.post("/logout", headers={**JSON, "X-CSRF-Token": theirs})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf"
    assert client.get("/account.json").status_code == 200


def test_a_bearer_token_reads_only_what_its_users_force_and_role_allow(store: Store) -> None:
    people = cast(store)
    avon_report = record(store, people["pc.ash"], "submission-token-1")
    wm_report = record(store, people["pc.fir"], "submission-token-2")
    app = TestClient(create_app(SETTINGS, store=store))

    def bearer(username: str) -> dict[str, str]:
        token, _ = api_tokens.create_token(store, actor=SYSTEM, username=username, name="proof")
        return {**JSON, "Authorization": f"Bearer {token}"}

    avon = bearer("avon.analyst")
    assert app.get(f"/reports/{avon_report}.json", headers=avon).status_code == 200
    assert app.get(f"/reports/{wm_report}.json", headers=avon).status_code == 404  # not even its existence
    listed = app.get("/reports.json", headers=avon).json()
    assert {r["id"] for r in listed["reports"]} == {avon_report}
    far = app.get("/reports.json?page=184467440737095518", headers=avon)  # found by schemathesis: was a 500
    assert far.status_code == 200 and [r["id"] for r in far.json()["reports"]] == [avon_report]
    pcc = bearer("avon.pcc")  # a PCC reads aggregates, never record-level reports
    assert app.get("/reports.json", headers=pcc).status_code == 403
    assert app.get(f"/reports/{avon_report}.json", headers=pcc).status_code in (403, 404)
    officer = bearer("pc.birch")  # an officer of the same team sees their own reports only
    assert app.get(f"/reports/{avon_report}.json", headers=officer).status_code == 404
    assert app.get("/reports/0.json", headers=avon).status_code == 400  # no such id can exist: refused
    assert app.get("/reports/99999999999999999999.json", headers=avon).status_code == 400
