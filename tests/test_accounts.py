"""Accounts: argon2 hashes, the password policy, roles and forces, throttling, the users commands."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, text

from forcewatch import accounts, audit, logins, passwords, pseudonyms
from forcewatch.access import SYSTEM, Principal, Role
from forcewatch.demo import DEMO_ACCOUNTS, DEMO_LOGINS, DEMO_STEPS, demo_password
from forcewatch.errors import (
    Conflict,
    InputRefused,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    SettingsError,
    TooManyAttempts,
    UsageError,
)
from forcewatch.settings import Settings
from forcewatch.store import Store
from forcewatch.store.tables.security import user_account

from .conftest import store_url

pytestmark = pytest.mark.usefixtures("fast_passwords")

AVON = "E23000036"
GOOD = "kettle orbit lantern"
SETTINGS = Settings(demo=True, pseudonym_key="k" * 40)


def _add(store: Store, username: str = "alice", role: str = "force_analyst", **kw: object) -> accounts.UserAccount:
    defaults: dict[str, object] = {"force": "Avon and Somerset"} if role not in ("national_analyst", "review_team",
                                                                            "administrator") else {}
    return accounts.create_user(store, actor=SYSTEM, username=username, password=GOOD, role=role,
                                settings=SETTINGS, **{**defaults, **kw})  # type: ignore[arg-type]


def _events(store: Store, event_type: str) -> list[audit.AuditEntry]:
    return [e for e in audit.events(store, principal=SYSTEM, limit=1000) if e.event_type == event_type]


def test_a_password_is_stored_only_as_an_argon2id_hash(store: Store) -> None:
    _add(store)
    with store.read() as conn:
        row = conn.execute(select(user_account)).one()
        audit_text = " ".join(r[0] for r in conn.execute(text("SELECT payload FROM audit_event")))
    assert row.password_hash.startswith("$argon2id$")
    assert GOOD not in " ".join(str(v) for v in row) and GOOD not in audit_text
    assert passwords.verify_password(row.password_hash, GOOD)


def test_production_hashing_uses_argon2_cffi_recommended_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # undo fast_passwords for this test
    default = PasswordHasher()
    assert (passwords.HASHER.time_cost, passwords.HASHER.memory_cost, passwords.HASHER.parallelism) == (
        default.time_cost, default.memory_cost, default.parallelism)


def test_the_right_password_logs_in_whatever_the_case_of_the_user_name(store: Store) -> None:
    account = _add(store, "Alice.Smith", display_name="Alice Smith")
    principal = accounts.authenticate(store, "ALICE.SMITH", GOOD, client_ip="10.0.0.1", settings=SETTINGS)
    assert principal == Principal(user_id=account.id, username="alice.smith", role=Role.force_analyst,
                                  force_code=AVON, display_name="Alice Smith")
    [logged_in] = _events(store, "user.logged_in")
    assert logged_in.actor == "alice.smith" and logged_in.payload["client_ip"] == "10.0.0.1"


@pytest.mark.parametrize("username, password, reason", [
    ("alice", "wrong password here", "wrong_password"),
    ("nobody", GOOD, "unknown_user"),
])
def test_wrong_passwords_and_unknown_users_are_refused_alike(store: Store, username: str, password: str,
                                                             reason: str) -> None:
    _add(store)
    with pytest.raises(NotAuthenticated, match="wrong user name or password"):
        accounts.authenticate(store, username, password, client_ip="10.0.0.1", settings=SETTINGS)
    [failed] = _events(store, "login.failed")
    assert failed.payload["reason"] == reason
    assert failed.payload["username"] == ("alice" if reason == "wrong_password" else None)  # typed names not kept


def test_user_names_are_unique_whatever_their_case(store: Store) -> None:
    _add(store, "alice")
    with pytest.raises(Conflict, match="'alice' is already taken"):
        _add(store, "ALICE")


@pytest.mark.parametrize("password, problem", [
    ("short-pw", "is 8 characters long; use at least 12"),
    ("alice-likes-long-walks", "contains the user name"),
    ("Password123456!", "is a common password"),
    ("qwertyuiop12", "is a common password"),
    ("123456789012", "has only digits and symbols"),
    ("abababababababab", "has fewer than 5 different characters"),
    ("x" * 1025, "longer than 1,024 characters"),
])
def test_the_password_policy_names_every_rule_broken(password: str, problem: str) -> None:
    with pytest.raises(InputRefused) as refused:
        passwords.check_policy(password, username="alice")
    assert any(problem in p.message for p in refused.value.problems), refused.value.problems
    assert refused.value.problems[0].column == "password"


def test_passphrases_meet_the_policy() -> None:
    for good in (GOOD, "Four unrelated words here", "correct-kettle-9-orbit"):
        passwords.check_policy(good, username="alice")


def test_an_over_long_password_is_never_verified() -> None:
    stored = passwords.hash_password("x" * 2000)
    assert not passwords.verify_password(stored, "x" * 2000)  # refused before any argon2 work


def test_an_account_with_a_weak_password_is_refused_and_nothing_is_stored(store: Store) -> None:
    with pytest.raises(InputRefused, match="the password was refused"):
        accounts.create_user(store, actor=SYSTEM, username="alice", password="Password123!", role="force_analyst",
                             force=AVON)
    assert store.table_counts()["user_account"] == 0 and store.table_counts()["audit_event"] == 0


def test_roles_forces_and_teams_must_fit_together(store: Store) -> None:
    cases = [
        ({"role": "national_analyst", "force": AVON}, "national role and is not tied to a force"),
        ({"role": "force_analyst", "force": None}, "needs a force"),
        ({"role": "officer", "force": AVON}, "needs a team and a staff identifier"),
        ({"role": "assurer", "force": AVON, "team": "A"}, "only officers and supervisors belong to a team"),
        ({"role": "superintendent", "force": AVON}, "unknown role 'superintendent'"),
        ({"role": "public", "force": AVON}, "unknown role 'public'"),
    ]
    for kwargs, message in cases:
        with pytest.raises(UsageError, match=message):
            accounts.create_user(store, actor=SYSTEM, username="bob", password=GOOD, settings=SETTINGS, **kwargs)  # type: ignore[arg-type]
    assert store.table_counts()["user_account"] == 0


def test_only_administrators_manage_accounts(store: Store) -> None:
    chief = Principal(user_id=1, username="chief", role=Role.chief_officer, force_code=AVON)
    with pytest.raises(PermissionDenied, match="chief_officer 'chief' may not user.manage"):
        accounts.create_user(store, actor=chief, username="bob", password=GOOD, role="assurer", force=AVON)
    _add(store)
    with pytest.raises(PermissionDenied):
        accounts.set_password(store, actor=chief, username="alice", password="a different passphrase")
    with pytest.raises(PermissionDenied):
        accounts.list_users(store, actor=chief)


def test_an_officer_carries_a_pseudonym_never_their_staff_identifier(store: Store) -> None:
    officer = _add(store, "pc.jones", role="officer", team="Bristol A", staff_id=" ab1234 ")
    expected = pseudonyms.officer_pseudonym("k" * 40, AVON, "AB1234")
    assert officer.officer_pseudonym == expected and len(expected) == 32
    assert officer.principal().officer_pseudonym == expected
    with store.read() as conn:
        assert "AB1234" not in str(conn.execute(select(user_account)).one()).upper()
    assert pseudonyms.officer_pseudonym("k" * 40, "E23000014", "AB1234") != expected  # another force
    assert pseudonyms.officer_pseudonym("j" * 40, AVON, "AB1234") != expected  # another key


def test_the_pseudonymisation_key_is_required_outside_demo_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORCEWATCH_PSEUDONYM_KEY", raising=False)
    with pytest.raises(SettingsError, match="no pseudonymisation key"):
        Settings(demo=False).officer_pseudonym_key
    assert len(Settings(demo=True).officer_pseudonym_key) >= 32
    with pytest.raises(ValueError, match="FORCEWATCH_PSEUDONYM_KEY must be at least 32 characters"):
        Settings(pseudonym_key="short")


def _fail(store: Store, username: str = "alice", *, ip: str = "10.0.0.1", now: datetime | None = None,
          settings: Settings = SETTINGS) -> None:
    with pytest.raises(NotAuthenticated):
        accounts.authenticate(store, username, "not the password", client_ip=ip, settings=settings, now=now)


def test_five_failures_lock_a_user_name_until_the_window_passes(store: Store) -> None:
    _add(store)
    start = datetime.now(timezone.utc)
    for minute in range(5):
        _fail(store, now=start + timedelta(minutes=minute))
    with pytest.raises(TooManyAttempts) as refused:  # even the right password is refused now
        accounts.authenticate(store, "alice", GOOD, client_ip="10.9.9.9", settings=SETTINGS,
                              now=start + timedelta(minutes=5))
    assert refused.value.retry_after == 10 * 60  # the first failure leaves the window at minute 15
    assert refused.value.http_status == 429
    assert logins.failures(store, username="alice") == 5  # refused attempts are not counted
    later = start + timedelta(minutes=15, seconds=1)
    assert accounts.authenticate(store, "alice", GOOD, client_ip="10.0.0.1", settings=SETTINGS, now=later).username == "alice"


def test_a_success_clears_the_user_names_failures(store: Store) -> None:
    _add(store)
    for _ in range(4):
        _fail(store)
    accounts.authenticate(store, "alice", GOOD, client_ip="10.0.0.1", settings=SETTINGS)
    assert logins.failures(store, username="alice") == 0
    for _ in range(4):
        _fail(store)  # four more are allowed again


def test_twenty_failures_from_one_address_lock_that_address(store: Store) -> None:
    settings = SETTINGS.model_copy(update={"login_max_failures_per_ip": 3})
    _add(store)
    for name in ("x1", "x2", "x3"):
        _fail(store, name, settings=settings)
    with pytest.raises(TooManyAttempts, match="this address"):
        accounts.authenticate(store, "alice", GOOD, client_ip="10.0.0.1", settings=settings)
    assert accounts.authenticate(store, "alice", GOOD, client_ip="10.0.0.2", settings=settings).username == "alice"
    assert Settings().login_max_failures_per_ip == 20 and Settings().login_max_failures_per_user == 5
    assert Settings().login_failure_window_minutes == 15


def test_a_log_in_rehashes_a_password_made_with_other_parameters(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    _add(store)
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    accounts.authenticate(store, "alice", GOOD, client_ip="10.0.0.1", settings=SETTINGS)
    with store.read() as conn:
        stored = conn.execute(select(user_account.c.password_hash)).scalar_one()
    assert "m=2048,t=2,p=1" in stored and passwords.verify_password(stored, GOOD)
    assert _events(store, "user.logged_in")[0].payload["rehashed"] is True


def test_a_disabled_account_cannot_log_in_and_loses_its_sessions(store: Store) -> None:
    from forcewatch import sessions

    _add(store)
    new = sessions.log_in(store, "alice", GOOD, client_ip="10.0.0.1", settings=SETTINGS)
    disabled = accounts.disable_user(store, actor=SYSTEM, username="alice")
    assert not disabled.active and disabled.version == 2
    assert sessions.resume(store, new.token, settings=SETTINGS) is None
    _fail(store)
    with pytest.raises(NotAuthenticated):
        accounts.authenticate(store, "alice", GOOD, client_ip="10.0.0.1", settings=SETTINGS)
    assert _events(store, "login.failed")[0].payload["reason"] == "disabled"
    with pytest.raises(NotFound):
        accounts.get_principal(store, disabled.id)


def test_updates_name_the_version_they_expect(store: Store) -> None:
    _add(store)
    accounts.set_password(store, actor=SYSTEM, username="alice", password="a different passphrase", expected_version=1)
    with pytest.raises(Conflict, match="changed by someone else"):
        accounts.disable_user(store, actor=SYSTEM, username="alice", expected_version=1)


def test_an_administrator_reset_replaces_the_password_and_ends_sessions(store: Store) -> None:
    from forcewatch import sessions

    _add(store)
    new = sessions.log_in(store, "alice", GOOD, client_ip="10.0.0.1", settings=SETTINGS)
    accounts.set_password(store, actor=SYSTEM, username="alice", password="a different passphrase")
    assert sessions.resume(store, new.token, settings=SETTINGS) is None
    _fail(store, now=None)
    assert accounts.authenticate(store, "alice", "a different passphrase", client_ip="1", settings=SETTINGS)
    [changed] = _events(store, "user.password_changed")
    assert changed.actor == "system" and changed.payload == {"reset": True, "sessions_ended": 1, "username": "alice"}


def test_changing_your_own_password_needs_the_current_one(store: Store) -> None:
    account = _add(store)
    me = account.principal()
    with pytest.raises(PermissionDenied, match="current password is wrong"):
        accounts.change_password(store, me, "a wrong guess here", "a different passphrase", client_ip="1",
                                 settings=SETTINGS)
    accounts.change_password(store, me, GOOD, "a different passphrase", client_ip="1", settings=SETTINGS)
    assert accounts.authenticate(store, "alice", "a different passphrase", client_ip="1", settings=SETTINGS)


def test_reading_accounts_is_an_audited_read(store: Store) -> None:
    _add(store, "alice")
    zed = _add(store, "zed", role="national_analyst")
    assert [a.username for a in accounts.list_users(store, actor=SYSTEM)] == ["alice", "zed"]
    assert [a.username for a in accounts.list_users(store, actor=SYSTEM, force="Avon and Somerset")] == ["alice"]
    assert accounts.get_user(store, actor=SYSTEM, username="ZED") == zed
    reads = _events(store, "record.read")
    assert [(r.subject_id, r.payload["count"]) for r in reads] == [(str(zed.id), 1), (None, 1), (None, 2)]


def test_demo_accounts_exist_only_in_demo_mode(store: Store) -> None:
    step = next(s for s in DEMO_STEPS if "accounts" in s.title.lower())
    with pytest.raises(UsageError, match="only in demo mode"):
        step.run(store, Settings(demo=False, pseudonym_key="k" * 40))
    assert store.table_counts()["user_account"] == 0
    step.run(store, SETTINGS)
    step.run(store, SETTINGS)  # again (demo --keep): nothing new
    users = accounts.list_users(store, actor=SYSTEM)
    assert len(users) == len(DEMO_ACCOUNTS) == 17
    assert {str(u.role) for u in users} == {r for _, r, _, _, _ in DEMO_ACCOUNTS} and len({u.role for u in users}) == 10
    assert {u.force_code for u in users} == {"E23000036", "E23000014", None}
    assert len(DEMO_LOGINS) == 17
    for role, username, password in DEMO_LOGINS[:3]:
        assert password == demo_password(username)
        assert accounts.authenticate(store, username, password, client_ip="1", settings=SETTINGS).role == role


def test_cli_users_add_list_set_password_disable(cli, store: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FORCEWATCH_PSEUDONYM_KEY", "k" * 40)
    db = store_url(store)
    added = cli("users", "add", "Alice", "--role", "officer", "--force", "Avon and Somerset", "--team", "Bristol A",
                "--staff-id", "AB12", "--name", "Alice Smith", "--password-stdin", "--format", "json",
                database=db, stdin=GOOD + "\n")
    assert added.exit_code == 0, added.stderr
    doc = added.json()
    assert (doc["username"], doc["role"], doc["force_code"], doc["team"]) == ("alice", "officer", AVON, "Bristol A")
    assert "password_hash" not in doc and GOOD not in added.stdout
    listed = cli("users", "list", "--format", "csv", database=db)
    assert listed.stdout.splitlines()[0] == "username,display_name,role,force_code,team,active,created_at,version"
    assert listed.stdout.splitlines()[1].startswith("alice,Alice Smith,officer,E23000036,Bristol A,True,")
    weak = cli("users", "set-password", "alice", "--password-stdin", database=db, stdin="password1234\n")
    assert weak.exit_code == 1 and "common password" in weak.stderr and "nothing was stored" in weak.stderr
    reset = cli("users", "set-password", "alice", "--password-stdin", database=db, stdin="a different passphrase\n")
    assert reset.exit_code == 0, reset.stderr
    assert cli("users", "disable", "alice", database=db).exit_code == 0
    assert cli("users", "list", "--active-only", "--format", "json", database=db).json() == []
    assert cli("users", "disable", "nobody", database=db).exit_code == 1


def test_cli_users_token_create_list_revoke(cli, store: Store) -> None:  # type: ignore[no-untyped-def]
    from forcewatch.api_tokens import resolve_token

    db = store_url(store)
    _add(store)
    created = cli("users", "token", "create", "alice", "--name", "nightly export", "--days", "30", "--format", "json",
                  database=db)
    assert created.exit_code == 0, created.stderr
    token = created.json()["token"]
    assert token.startswith("fwt_") and created.json()["status"] == "active"
    assert resolve_token(store, token).username == "alice"  # type: ignore[union-attr]
    listed = cli("users", "token", "list", "alice", "--format", "json", database=db).json()
    assert [(t["name"], t["status"]) for t in listed] == [("nightly export", "active")]
    assert token not in json.dumps(listed)
    assert cli("users", "token", "revoke", str(listed[0]["id"]), database=db).exit_code == 0
    assert resolve_token(store, token) is None
    assert cli("users", "token", "create", "alice", "--name", "x", "--days", "400", database=db).exit_code == 2
