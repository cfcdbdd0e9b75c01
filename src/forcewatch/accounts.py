"""Accounts: the people who can log in, their role, force and team, and their passwords.

User names are unique whatever their case (stored in lower case). Passwords must meet
:func:`forcewatch.passwords.check_policy` and are stored only as argon2id hashes. Officers and
supervisors carry an *officer pseudonym* (:func:`forcewatch.pseudonyms.officer_pseudonym`), the same HMAC that
pseudonymises the officer on their use-of-force reports, so ``own`` scope can match them; the
staff identifier itself is never stored.

Managing accounts needs ``user.manage`` (administrators; the command line acts as
:data:`forcewatch.access.SYSTEM`). Every change is an audit event in the same transaction, and
every update names the ``version`` it expects (optimistic locking).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from . import audit, logins, passwords
from .access import ACCOUNT_ROLES, ALL, NATIONAL_ROLES, Principal, Role, readable_forces, require
from .errors import Conflict, NotAuthenticated, NotFound, PermissionDenied, UsageError
from .forces import resolve
from .pseudonyms import officer_pseudonym
from .settings import Settings
from .store import Store
from .store.tables.security import api_token, user_account, web_session

__all__ = ["UserAccount", "normalise_username", "create_user", "authenticate",
           "change_password", "set_password", "disable_user", "list_users", "get_user", "get_principal",
           "account_overview"]

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{2,63}")
_TEAM_ROLES = (Role.officer, Role.supervisor)


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class UserAccount:
    """An account as stored (never its password hash)."""

    id: int
    username: str
    display_name: str
    role: Role
    force_code: str | None
    team: str | None
    officer_pseudonym: str | None
    active: bool
    created_at: datetime
    updated_at: datetime
    password_changed_at: datetime
    version: int

    def principal(self) -> Principal:
        return Principal(user_id=self.id, username=self.username, role=self.role, force_code=self.force_code,
                         team=self.team, officer_pseudonym=self.officer_pseudonym, display_name=self.display_name)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "username": self.username, "display_name": self.display_name, "role": str(self.role),
                "force_code": self.force_code, "team": self.team, "active": self.active,
                "created_at": self.created_at, "updated_at": self.updated_at,
                "password_changed_at": self.password_changed_at, "version": self.version}


def _account(row: Row[Any]) -> UserAccount:
    return UserAccount(**{f: getattr(row, f) for f in UserAccount.__dataclass_fields__})


def normalise_username(username: str) -> str:
    """The stored form of a user name (lower case), or :class:`UsageError` saying what is allowed."""
    name = username.strip().lower()
    if not _USERNAME.fullmatch(name):
        raise UsageError(f"user name {username!r} is not allowed",
                         hint="use 3 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit")
    return name


def _find(conn: Connection, username: str) -> Row[Any] | None:
    return conn.execute(select(user_account).where(user_account.c.username == username.strip().lower()[:64])).first()


def _load(conn: Connection, username: str) -> Row[Any]:
    row = _find(conn, username)
    if row is None:
        raise NotFound(f"no account with user name {username!r}")
    return row


def _end_sessions(conn: Connection, user_id: int, *, keep: str | None = None) -> int:
    query = delete(web_session).where(web_session.c.user_id == user_id)
    if keep is not None:
        query = query.where(web_session.c.id != keep)
    return conn.execute(query).rowcount


def create_user(store: Store, *, actor: Principal, username: str, password: str, role: str,
                display_name: str | None = None, force: str | None = None, team: str | None = None,
                staff_id: str | None = None, settings: Settings | None = None) -> UserAccount:
    """Create an account. ``force`` (a name or code) is required except for national roles; ``team``
    and ``staff_id`` are required for officers and supervisors (``settings`` then supplies the
    pseudonymisation key)."""
    name = normalise_username(username)
    try:
        role_ = Role(role)
    except ValueError:
        role_ = Role.public
    if role_ not in ACCOUNT_ROLES:
        raise UsageError(f"unknown role {role!r}", hint="roles: " + ", ".join(ACCOUNT_ROLES))
    force_code = resolve(force, "force").code if force else None
    if role_ in NATIONAL_ROLES and force_code:
        raise UsageError(f"{role_} is a national role and is not tied to a force", hint="leave out --force")
    if role_ not in NATIONAL_ROLES and not force_code:
        raise UsageError(f"a {role_} account needs a force", hint="give --force NAME_OR_CODE")
    if role_ in _TEAM_ROLES and (not team or not staff_id):
        raise UsageError(f"a {role_} account needs a team and a staff identifier (for their officer pseudonym)")
    if role_ not in _TEAM_ROLES and team:
        raise UsageError(f"only officers and supervisors belong to a team, not a {role_}")
    require(actor, "user.manage", force_code=force_code)
    passwords.check_policy(password, username=name)
    pseudonym = None
    if staff_id:
        assert force_code is not None
        pseudonym = officer_pseudonym((settings or Settings()).officer_pseudonym_key, force_code, staff_id)
    hashed = passwords.hash_password(password)
    now = _now()
    team_name = team.strip()[:80] if team else None
    values = {"username": name, "display_name": (display_name or name).strip()[:120], "role": str(role_),
              "force_code": force_code, "team": team_name, "officer_pseudonym": pseudonym,
              "password_hash": hashed, "active": True, "created_at": now, "updated_at": now,
              "password_changed_at": now, "version": 1}
    try:
        with store.write() as conn:
            if _find(conn, name) is not None:
                raise Conflict(f"user name {name!r} is already taken")
            user_id = conn.execute(insert(user_account).returning(user_account.c.id), values).scalar_one()
            audit.append(conn, audit.UserCreated(force_code=force_code, subject_id=str(user_id), username=name,
                                                 role=str(role_), team=team_name), actor=actor)
            return _account(_load(conn, name))
    except IntegrityError as exc:
        raise Conflict(f"user name {name!r} is already taken") from exc


def authenticate(store: Store, username: str, password: str, *, client_ip: str,
                 settings: Settings | None = None, now: datetime | None = None) -> Principal:
    """The principal for a correct user name and password, or :class:`NotAuthenticated`.

    Throttled per user name and address (:mod:`forcewatch.logins`), raising
    :class:`TooManyAttempts`. Unknown user names cost a dummy verification, so timing does not
    reveal which names exist. Upgrades the stored hash when the hasher's parameters changed.
    """
    settings = settings or Settings()
    now = now or _now()
    logins.admit(store, username=username, client_ip=client_ip, settings=settings, now=now)
    with store.read() as conn:
        row = _find(conn, username)
    if row is None:
        passwords.dummy_verify(password)
        reason = "unknown_user"
    elif not passwords.verify_password(row.password_hash, password):
        reason = "wrong_password"
    elif not row.active:
        reason = "disabled"
    else:
        reason = ""
    if reason:
        audit.record(store, audit.LoginFailed(force_code=row.force_code if row else None,
                                              subject_id=str(row.id) if row else None,
                                              username=row.username if row else None,
                                              client_ip=client_ip, reason=reason), actor="public")
        raise NotAuthenticated("wrong user name or password",
                               hint="user names are not case-sensitive; passwords are")
    assert row is not None
    new_hash = passwords.hash_password(password) if passwords.needs_rehash(row.password_hash) else None
    with store.write() as conn:
        logins.clear(conn, username)
        if new_hash:  # only if nobody changed the password meanwhile
            conn.execute(update(user_account).where(user_account.c.id == row.id,
                                                    user_account.c.password_hash == row.password_hash)
                         .values(password_hash=new_hash))
        audit.append(conn, audit.UserLoggedIn(force_code=row.force_code, subject_id=str(row.id), username=row.username,
                                              client_ip=client_ip, rehashed=new_hash is not None), actor=row.username)
    return _account(row).principal()


def _update(conn: Connection, row: Row[Any], expected_version: int | None, **values: Any) -> None:
    version = row.version if expected_version is None else expected_version
    changed = conn.execute(update(user_account)
                           .where(user_account.c.id == row.id, user_account.c.version == version)
                           .values(**values, version=version + 1, updated_at=_now())).rowcount
    if changed != 1:
        raise Conflict(f"account {row.username!r} was changed by someone else (expected version {version})",
                       hint="reload it and try again")


def change_password(store: Store, principal: Principal, current_password: str, new_password: str, *,
                    client_ip: str, keep_session: str | None = None, settings: Settings | None = None) -> None:
    """A user changes their own password, giving the current one (throttled like a log-in).

    Ends the user's other web sessions; ``keep_session`` is the id of the session to keep.
    """
    if principal.user_id is None:
        raise NotAuthenticated("log in to change your password")
    settings = settings or Settings()
    logins.admit(store, username=principal.username, client_ip=client_ip, settings=settings, now=_now())
    with store.read() as conn:
        row = _load(conn, principal.username)
    if not row.active or not passwords.verify_password(row.password_hash, current_password):
        audit.record(store, audit.LoginFailed(force_code=row.force_code, subject_id=str(row.id), username=row.username,
                                              client_ip=client_ip, reason="wrong_current_password"), actor=principal)
        raise PermissionDenied("the current password is wrong")
    if current_password == new_password:
        raise UsageError("the new password is the same as the current one")
    passwords.check_policy(new_password, username=row.username)
    hashed = passwords.hash_password(new_password)
    with store.write() as conn:
        logins.clear(conn, principal.username)
        _update(conn, row, None, password_hash=hashed, password_changed_at=_now())
        ended = _end_sessions(conn, row.id, keep=keep_session)
        audit.append(conn, audit.PasswordChanged(force_code=row.force_code, subject_id=str(row.id),
                                                 username=row.username, reset=False, sessions_ended=ended),
                     actor=principal)


def set_password(store: Store, *, actor: Principal, username: str, password: str,
                 expected_version: int | None = None) -> UserAccount:
    """An administrator sets (resets) someone's password; all of that user's web sessions end."""
    with store.read() as conn:
        row = _load(conn, username)
    require(actor, "user.manage", force_code=row.force_code)
    passwords.check_policy(password, username=row.username)
    hashed = passwords.hash_password(password)
    with store.write() as conn:
        _update(conn, row, expected_version, password_hash=hashed, password_changed_at=_now())
        logins.clear(conn, row.username)
        ended = _end_sessions(conn, row.id)
        audit.append(conn, audit.PasswordChanged(force_code=row.force_code, subject_id=str(row.id),
                                                 username=row.username, reset=True, sessions_ended=ended), actor=actor)
        return _account(_load(conn, row.username))


def disable_user(store: Store, *, actor: Principal, username: str, expected_version: int | None = None) -> UserAccount:
    """Disable an account: it can no longer log in, its sessions end and its API tokens are revoked."""
    with store.read() as conn:
        row = _load(conn, username)
    require(actor, "user.manage", force_code=row.force_code)
    if actor.user_id is not None and actor.user_id == row.id:
        raise UsageError("you cannot disable your own account", hint="ask another administrator")
    with store.write() as conn:
        _update(conn, row, expected_version, active=False)
        ended = _end_sessions(conn, row.id)
        revoked = conn.execute(update(api_token).where(api_token.c.user_id == row.id, api_token.c.revoked_at.is_(None))
                               .values(revoked_at=_now())).rowcount
        audit.append(conn, audit.UserDisabled(force_code=row.force_code, subject_id=str(row.id), username=row.username,
                                              sessions_ended=ended, tokens_revoked=revoked), actor=actor)
        return _account(_load(conn, row.username))


def list_users(store: Store, *, actor: Principal, force: str | None = None,
               include_disabled: bool = True) -> list[UserAccount]:
    """Accounts the actor may manage, by user name (the listing is an audited read)."""
    force_code = resolve(force, "force").code if force else None
    visible = readable_forces(actor, "user.manage", force_code=force_code)
    query = select(user_account).order_by(user_account.c.username)
    if visible is not ALL:
        query = query.where(user_account.c.force_code.in_(sorted(visible)))  # type: ignore[arg-type]
    if not include_disabled:
        query = query.where(user_account.c.active.is_(True))
    with store.write() as conn:
        found = [_account(r) for r in conn.execute(query)]
        audit.append(conn, audit.RecordRead(force_code=force_code, record_type="user_account", count=len(found),
                                            query={"force": force_code, "include_disabled": include_disabled}),
                     actor=actor)
    return found


def get_user(store: Store, *, actor: Principal, username: str) -> UserAccount:
    """One account, for someone who may manage it (an audited read)."""
    with store.write() as conn:
        account = _account(_load(conn, username))
        require(actor, "user.manage", force_code=account.force_code)
        audit.append(conn, audit.RecordRead(force_code=account.force_code, subject_id=str(account.id),
                                            record_type="user_account"), actor=actor)
    return account


def get_principal(store: Store, user_id: int) -> Principal:
    """The principal of an active account, or :class:`NotFound`."""
    with store.read() as conn:
        row = conn.execute(select(user_account).where(user_account.c.id == user_id,
                                                      user_account.c.active.is_(True))).first()
    if row is None:
        raise NotFound(f"no active account with id {user_id}")
    return _account(row).principal()


def account_overview(store: Store, principal: Principal) -> dict[str, Any]:
    """What the "my account" page shows: the account, its open sessions and its API tokens."""
    if principal.user_id is None:
        raise NotAuthenticated("log in to see your account")
    with store.read() as conn:
        account = _account(_load(conn, principal.username))
        sessions = conn.execute(select(web_session.c.id).where(web_session.c.user_id == account.id)).all()
        tokens = conn.execute(select(api_token.c.id, api_token.c.name, api_token.c.created_at, api_token.c.expires_at,
                                     api_token.c.last_used_at, api_token.c.revoked_at)
                              .where(api_token.c.user_id == account.id).order_by(api_token.c.id)).all()
    force = resolve(account.force_code).name if account.force_code else None
    details = {k: v for k, v in account.as_dict().items() if k not in ("id", "version")}
    return {**details, "force": force, "open_sessions": len(sessions),
            "api_tokens": [dict(t._mapping) for t in tokens]}
