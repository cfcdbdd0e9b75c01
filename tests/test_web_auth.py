"""The web app's security: log-in, sessions and their cookies, CSRF, redirects and 401s, API tokens."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient

from forcewatch import accounts, api_tokens, audit, sessions
from forcewatch.access import SYSTEM, Principal
from forcewatch.errors import SettingsError, UsageError
from forcewatch.settings import Settings
from forcewatch.store import Store
from forcewatch.web import create_app
from forcewatch.web.auth import requires, safe_next

pytestmark = pytest.mark.usefixtures("fast_passwords")

GOOD = "kettle orbit lantern"
SETTINGS = Settings(demo=True, secure_cookies=False, pseudonym_key="k" * 40)
JSON = {"accept": "application/json"}


def _app(store: Store, settings: Settings = SETTINGS):  # type: ignore[no-untyped-def]
    app = create_app(settings, store=store)

    @app.get("/test/reports.json")
    def reports(principal: Principal = Depends(requires("report.read"))) -> dict[str, str]:
        return {"reader": principal.username}

    return app


@pytest.fixture
def client(store: Store) -> TestClient:
    accounts.create_user(store, actor=SYSTEM, username="alice", password=GOOD, role="force_analyst",
                         force="Avon and Somerset", display_name="Alice Analyst")
    accounts.create_user(store, actor=SYSTEM, username="pat", password=GOOD, role="pcc", force="West Midlands")
    return TestClient(_app(store))


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field in the page"
    return found.group(1)


def _log_in(client: TestClient, username: str = "alice", password: str = GOOD, next_path: str = "/"):  # type: ignore[no-untyped-def]
    token = _csrf(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "next": next_path,
                                       "csrf_token": token}, follow_redirects=False)


def test_the_log_in_page_is_a_labelled_form(client: TestClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert '<label for="username">User name</label>' in page.text
    assert '<label for="password">Password</label>' in page.text
    assert 'autocomplete="current-password"' in page.text
    assert "<script" not in page.text


def test_logging_in_starts_a_session_with_a_safe_cookie_and_goes_where_the_user_was_going(client: TestClient) -> None:
    response = _log_in(client, next_path="/account")
    assert response.status_code == 303 and response.headers["location"] == "/account"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("fw_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie and "Max-Age=43200" in cookie
    assert "Secure" not in cookie  # these test settings are for plain-HTTP local use
    assert client.get("/account.json").json()["username"] == "alice"


def test_with_secure_cookies_the_session_cookie_is_secure_and_host_only(store: Store) -> None:
    accounts.create_user(store, actor=SYSTEM, username="alice", password=GOOD, role="force_analyst", force="Avon and Somerset")
    client = TestClient(_app(store, SETTINGS.model_copy(update={"secure_cookies": True})), base_url="https://testserver")
    response = _log_in(client)
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("__Host-fw_session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie and "Domain" not in cookie


def test_a_wrong_password_shows_the_form_again_with_the_error(client: TestClient) -> None:
    response = _log_in(client, password="not the password")
    assert response.status_code == 401
    assert 'role="alert"' in response.text and "wrong user name or password" in response.text
    assert 'aria-invalid="true"' in response.text and 'value="alice"' in response.text
    assert not any(c.startswith("fw_session=") for c in response.headers.get_list("set-cookie"))


def test_too_many_failures_answer_429_with_retry_after(client: TestClient) -> None:
    for _ in range(5):
        assert _log_in(client, password="not the password").status_code == 401
    refused = _log_in(client)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 15 * 60
    assert "too many failed log-ins" in refused.text


def test_a_log_in_rotates_the_session(client: TestClient) -> None:
    _log_in(client)
    first = client.cookies.get("fw_session")
    _log_in(client, "pat")
    second = client.cookies.get("fw_session")
    assert first and second and first != second
    assert client.get("/account.json").json()["username"] == "pat"
    stale = TestClient(client.app, cookies={"fw_session": first})
    response = stale.get("/account.json")
    assert response.status_code == 401  # the old session ended at the new log-in
    assert 'fw_session=""' in response.headers["set-cookie"]  # and the browser is told to forget it


def test_a_planted_session_cookie_does_not_survive_a_log_in(client: TestClient, store: Store) -> None:
    planted = TestClient(client.app, cookies={"fw_session": "chosen-by-an-attacker"})
    response = _log_in(planted)
    issued = re.search(r"fw_session=([^;]+)", response.headers["set-cookie"])
    assert issued and issued.group(1) != "chosen-by-an-attacker"
    assert sessions.resume(store, "chosen-by-an-attacker", settings=SETTINGS) is None


def test_protected_pages_send_people_to_log_in_and_programs_get_401(client: TestClient) -> None:
    page = client.get("/account?tab=tokens", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=%2Faccount%3Ftab%3Dtokens"
    api = client.get("/account.json")
    assert api.status_code == 401 and api.headers["www-authenticate"].startswith("Bearer")
    assert api.json() == {"error": {"code": "unauthenticated", "message": "log in to see this page", "hint": None,
                                    "details": {}}}
    assert client.get("/account", headers=JSON).status_code == 401


@pytest.mark.parametrize("asked, goes_to", [
    ("/account", "/account"), ("/reports?year=2019", "/reports?year=2019"), ("https://evil.example/", "/"),
    ("//evil.example/x", "/"), ("/\\evil.example", "/"), ("javascript:alert(1)", "/"), ("", "/"), ("/login", "/"),
])
def test_after_log_in_only_paths_on_this_site_are_followed(asked: str, goes_to: str) -> None:
    assert safe_next(asked) == goes_to


def test_log_in_refuses_to_redirect_to_another_site(client: TestClient) -> None:
    assert _log_in(client, next_path="//evil.example/").headers["location"] == "/"


def test_unsafe_requests_need_the_csrf_token(client: TestClient) -> None:
    _log_in(client)
    refused = client.post("/logout", headers=JSON)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf" and set(refused.json()["error"]) == {"code", "message", "hint", "details"}
    assert client.post("/logout", data={"csrf_token": "forged"}, headers=JSON).status_code == 403
    assert client.get("/account.json").status_code == 200  # still logged in
    token = client.get("/account.json").headers["x-csrf-token"]
    done = client.post("/logout", headers={**JSON, "X-CSRF-Token": token})
    assert done.status_code == 200 and done.json() == {"logged_out": True}
    assert client.get("/account.json").status_code == 401


def test_a_cross_site_origin_is_refused_even_with_the_token(client: TestClient) -> None:
    _log_in(client)
    token = client.get("/account.json").headers["x-csrf-token"]
    refused = client.post("/logout", headers={**JSON, "X-CSRF-Token": token, "Origin": "https://evil.example"})
    assert refused.status_code == 403 and "evil.example" in refused.json()["error"]["message"]


def test_the_log_in_form_itself_is_protected(client: TestClient) -> None:
    bare = TestClient(client.app)
    response = bare.post("/login", data={"username": "alice", "password": GOOD}, follow_redirects=False)
    assert response.status_code == 403
    assert "fw_session" not in response.headers.get("set-cookie", "")


def test_logging_out_from_the_menu_ends_the_session(client: TestClient, store: Store) -> None:
    _log_in(client)
    home = client.get("/")
    assert "Alice Analyst" in home.text and "force_analyst, Avon and Somerset" in home.text
    assert '<form method="post" action="/logout"' in home.text
    response = client.post("/logout", data={"csrf_token": _csrf(home.text)}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert client.get("/account.json").status_code == 401
    assert [e.event_type for e in audit.events(store, principal=SYSTEM)][:2] == ["user.logged_out", "user.logged_in"]


def test_my_account_page_and_its_json_twin(client: TestClient) -> None:
    _log_in(client)
    doc = client.get("/account.json").json()
    assert {k: doc[k] for k in ("username", "display_name", "role", "force_code", "force", "open_sessions")} == {
        "username": "alice", "display_name": "Alice Analyst", "role": "force_analyst", "force_code": "E23000036",
        "force": "Avon and Somerset", "open_sessions": 1}
    assert "password_hash" not in doc and "id" not in doc
    page = client.get("/account")
    assert page.headers["cache-control"] == "no-store"
    assert '<label for="new_password">New password</label>' in page.text


def test_changing_the_password_keeps_this_session_and_ends_the_others(client: TestClient) -> None:
    other = TestClient(client.app)
    _log_in(other)
    _log_in(client)
    form = _csrf(client.get("/account").text)
    wrong = client.post("/account/password", data={"current_password": "a wrong guess here", "new_password": "x" * 14,
                                                   "confirm_password": "x" * 14, "csrf_token": form})
    assert wrong.status_code == 403 and "current password is wrong" in wrong.text
    weak = client.post("/account/password", data={"current_password": GOOD, "new_password": "password12345",
                                                  "confirm_password": "password12345", "csrf_token": form})
    assert weak.status_code == 422 and "is a common password" in weak.text
    done = client.post("/account/password", data={"current_password": GOOD, "new_password": "a different passphrase",
                                                  "confirm_password": "a different passphrase", "csrf_token": form},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/account?password=changed"
    assert client.get("/account.json").status_code == 200
    assert other.get("/account.json").status_code == 401


def test_an_idle_session_ends(client: TestClient, store: Store) -> None:
    new = sessions.log_in(store, "alice", GOOD, client_ip="1", settings=SETTINGS)
    now = datetime.now(timezone.utc)
    assert sessions.resume(store, new.token, settings=SETTINGS, now=now + timedelta(minutes=29)) is not None
    assert sessions.resume(store, new.token, settings=SETTINGS, now=now + timedelta(minutes=29 + 31)) is None


def test_a_session_ends_at_its_lifetime_however_busy(store: Store) -> None:
    accounts.create_user(store, actor=SYSTEM, username="alice", password=GOOD, role="force_analyst", force="Avon and Somerset")
    short = SETTINGS.model_copy(update={"session_lifetime_minutes": 60})
    new = sessions.log_in(store, "alice", GOOD, client_ip="1", settings=short)
    now = datetime.now(timezone.utc)
    for minutes in (20, 40, 59):
        assert sessions.resume(store, new.token, settings=short, now=now + timedelta(minutes=minutes)) is not None
    assert sessions.resume(store, new.token, settings=short, now=now + timedelta(minutes=61)) is None


def test_requires_checks_the_role_can_do_the_action_at_all(client: TestClient) -> None:
    assert client.get("/test/reports.json").status_code == 401
    _log_in(client, "pat")
    refused = client.get("/test/reports.json")
    assert refused.status_code == 403
    assert refused.json()["error"]["message"].startswith("pcc 'pat' may not report.read")
    _log_in(client, "alice")
    assert client.get("/test/reports.json").json() == {"reader": "alice"}
    with pytest.raises(UsageError, match="unknown action"):
        requires("report.burn")


def test_scripts_use_api_tokens_without_cookies_or_csrf(client: TestClient, store: Store) -> None:
    token, record = api_tokens.create_token(store, actor=SYSTEM, username="alice", name="nightly")
    bare = TestClient(client.app)
    auth = {**JSON, "Authorization": f"Bearer {token}"}
    assert bare.get("/test/reports.json", headers=auth).json() == {"reader": "alice"}
    changed = bare.post("/account/password", headers=auth, data={
        "current_password": GOOD, "new_password": "a different passphrase",
        "confirm_password": "a different passphrase"})
    assert changed.status_code == 200 and changed.json() == {"password_changed": True}
    assert "set-cookie" not in changed.headers
    api_tokens.revoke_token(store, actor=SYSTEM, token_id=record.id)
    revoked = bare.get("/test/reports.json", headers=auth)
    assert revoked.status_code == 401 and revoked.json()["error"]["code"] == "unauthenticated"
    assert bare.get("/", headers={"Authorization": "Basic YWxpY2U6eA=="}).status_code == 401


def test_the_strict_content_security_policy_is_kept(client: TestClient) -> None:
    _log_in(client)
    for path in ("/", "/login", "/account"):
        page = client.get(path)
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert "form-action 'self'" in page.headers["content-security-policy"]
        assert not re.search(r"<script(?![^>]*\bsrc=)", page.text)  # no inline scripts
        assert " on" + "click=" not in page.text


def test_the_web_app_refuses_to_start_without_a_secret_outside_demo_mode(store: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("FORCEWATCH_SECRET_KEY", raising=False)
    with pytest.raises(SettingsError, match="no secret key"):
        create_app(Settings(demo=False), store=store)
