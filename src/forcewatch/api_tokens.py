"""Per-user API tokens for scripts: ``Authorization: Bearer fwt_...``.

A token is 256 random bits, shown once when it is created (``forcewatch users token create``)
and stored only as its SHA-256. It acts as its user, with the user's role and force; it expires
(90 days by default, at most 365), can be revoked, and dies with its account. Requests that carry
a token carry no cookie, so they need no CSRF token.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import insert, select, update

from . import audit
from .access import ALL, Principal, Role, readable_forces, require
from .errors import NotFound, UsageError
from .store import Store
from .store.tables.security import api_token, user_account

__all__ = ["TOKEN_PREFIX", "ApiToken", "create_token", "resolve_token", "revoke_token", "list_tokens"]

TOKEN_PREFIX = "fwt_"
MAX_DAYS = 365
_TOUCH_EVERY = timedelta(seconds=60)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ApiToken:
    """A token's record (never the token itself)."""

    id: int
    username: str
    name: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= _now() else "active"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "username": self.username, "name": self.name, "status": self.status,
                "created_at": self.created_at, "expires_at": self.expires_at, "last_used_at": self.last_used_at,
                "revoked_at": self.revoked_at}


_COLUMNS = (api_token.c.id, user_account.c.username, api_token.c.name, api_token.c.created_at,
            api_token.c.expires_at, api_token.c.last_used_at, api_token.c.revoked_at)


def _token(row: Any) -> ApiToken:
    return ApiToken(row.id, row.username, row.name, row.created_at, row.expires_at, row.last_used_at, row.revoked_at)


def create_token(store: Store, *, actor: Principal, username: str, name: str, days: int = 90) -> tuple[str, ApiToken]:
    """Issue a token for ``username``; returns the token (shown once) and its record."""
    if not 1 <= days <= MAX_DAYS:
        raise UsageError(f"a token lasts 1 to {MAX_DAYS} days, not {days}")
    label = name.strip()[:80]
    if not label:
        raise UsageError("give the token a name saying what uses it", hint="--name nightly-export")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = _now()
    with store.write() as conn:
        user = conn.execute(select(user_account).where(user_account.c.username == username.strip().lower())).first()
        if user is None or not user.active:
            raise NotFound(f"no active account with user name {username!r}")
        require(actor, "user.manage", force_code=user.force_code)
        token_id = conn.execute(insert(api_token).returning(api_token.c.id), {
            "user_id": user.id, "name": label, "token_hash": _hash(token), "created_at": now,
            "expires_at": now + timedelta(days=days)}).scalar_one()
        audit.append(conn, audit.ApiTokenCreated(force_code=user.force_code, subject_id=str(token_id),
                                                 username=user.username, token_name=label,
                                                 expires_at=(now + timedelta(days=days)).isoformat()), actor=actor)
        row = conn.execute(select(*_COLUMNS).join(user_account).where(api_token.c.id == token_id)).one()
    return token, _token(row)


def resolve_token(store: Store, token: str, *, now: datetime | None = None) -> Principal | None:
    """The principal a token acts as, or ``None`` if it is unknown, expired, revoked or its account disabled."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    now = now or _now()
    with store.read() as conn:
        row = conn.execute(select(api_token.c.id.label("token_id"), api_token.c.expires_at, api_token.c.revoked_at,
                                  api_token.c.last_used_at, user_account)
                           .join(user_account, user_account.c.id == api_token.c.user_id)
                           .where(api_token.c.token_hash == _hash(token))).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now or not row.active:
        return None
    if row.last_used_at is None or now - row.last_used_at >= _TOUCH_EVERY:
        with store.write() as conn:
            conn.execute(update(api_token).where(api_token.c.id == row.token_id).values(last_used_at=now))
    return Principal(user_id=row.id, username=row.username, role=Role(row.role), force_code=row.force_code,
                     team=row.team, officer_pseudonym=row.officer_pseudonym, display_name=row.display_name)


def revoke_token(store: Store, *, actor: Principal, token_id: int) -> ApiToken:
    """Revoke a token at once (revoking a revoked token changes nothing)."""
    with store.write() as conn:
        row = conn.execute(select(*_COLUMNS, user_account.c.force_code).join(user_account)
                           .where(api_token.c.id == token_id)).first()
        if row is None:
            raise NotFound(f"no API token with id {token_id}")
        require(actor, "user.manage", force_code=row.force_code)
        if row.revoked_at is None:
            conn.execute(update(api_token).where(api_token.c.id == token_id).values(revoked_at=_now()))
            audit.append(conn, audit.ApiTokenRevoked(force_code=row.force_code, subject_id=str(token_id),
                                                     username=row.username, token_name=row.name), actor=actor)
        return _token(conn.execute(select(*_COLUMNS).join(user_account).where(api_token.c.id == token_id)).one())


def list_tokens(store: Store, *, actor: Principal, username: str | None = None) -> list[ApiToken]:
    """Tokens of the accounts the actor may manage (of one user, if named); an audited read."""
    visible = readable_forces(actor, "user.manage")
    query = select(*_COLUMNS).join(user_account).order_by(api_token.c.id)
    if visible is not ALL:
        query = query.where(user_account.c.force_code.in_(sorted(visible)))  # type: ignore[arg-type]
    if username:
        query = query.where(user_account.c.username == username.strip().lower())
    with store.write() as conn:
        found = [_token(r) for r in conn.execute(query)]
        audit.append(conn, audit.RecordRead(record_type="api_token", count=len(found), query={"username": username}),
                     actor=actor)
    return found
