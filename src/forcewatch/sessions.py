"""Web sessions, kept on the server: log in, resume on each request, log out.

The browser holds only a random 256-bit token (the session cookie); the database holds its
SHA-256, the user, and when the session started, was last used and ends. A session ends
``session_lifetime_minutes`` after log-in, or after ``session_idle_minutes`` without a request,
or at log-out, or when the user's password is reset or their account disabled.

Every log-in starts a *new* session and ends the one the browser had (session fixation cannot
carry a planted session across a log-in). The CSRF token of a session is derived from its token
(:func:`csrf_token`), so it rotates with the session too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, insert, select, update

from . import audit
from .access import Principal, Role
from .accounts import authenticate
from .settings import Settings
from .store import Store
from .store.tables.security import user_account, web_session

__all__ = ["NewSession", "session_id", "csrf_token", "log_in", "resume", "log_out"]

_TOUCH_EVERY = timedelta(seconds=60)  # write last_seen_at at most once a minute per session


def _now() -> datetime:
    return datetime.now(timezone.utc)


def session_id(token: str) -> str:
    """The stored id of a session token (its SHA-256)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def csrf_token(secret: str, token: str) -> str:
    """The CSRF token that goes with a session (or pre-log-in) token: an HMAC under the secret key."""
    return hmac.new(secret.encode("utf-8"), b"csrf:" + token.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class NewSession:
    """A session just started: send ``token`` to the browser as the session cookie."""

    token: str
    principal: Principal
    expires_at: datetime


def log_in(store: Store, username: str, password: str, *, client_ip: str, settings: Settings,
           user_agent: str | None = None, previous_token: str | None = None) -> NewSession:
    """Check the password (:func:`forcewatch.accounts.authenticate`) and start a new session.

    ``previous_token`` is the session the browser already had, if any: it ends here.
    """
    principal = authenticate(store, username, password, client_ip=client_ip, settings=settings)
    assert principal.user_id is not None
    token = secrets.token_urlsafe(32)
    now = _now()
    expires = now + timedelta(minutes=settings.session_lifetime_minutes)
    with store.write() as conn:
        if previous_token:
            conn.execute(delete(web_session).where(web_session.c.id == session_id(previous_token)))
        conn.execute(delete(web_session).where(web_session.c.user_id == principal.user_id,
                                               web_session.c.expires_at <= now))
        conn.execute(insert(web_session), {"id": session_id(token), "user_id": principal.user_id, "created_at": now,
                                           "last_seen_at": now, "expires_at": expires, "client_ip": client_ip[:64],
                                           "user_agent": (user_agent or "")[:200] or None})
    return NewSession(token, principal, expires)


def resume(store: Store, token: str, *, settings: Settings, now: datetime | None = None) -> Principal | None:
    """The principal of a live session, or ``None`` (unknown, expired, idle too long, or account disabled)."""
    now = now or _now()
    sid = session_id(token)
    with store.read() as conn:
        row = conn.execute(
            select(web_session.c.created_at, web_session.c.last_seen_at, web_session.c.expires_at, user_account)
            .join(user_account, user_account.c.id == web_session.c.user_id)
            .where(web_session.c.id == sid)).first()
    if row is None:
        return None
    idle_until = row.last_seen_at + timedelta(minutes=settings.session_idle_minutes)
    if not row.active or row.expires_at <= now or idle_until <= now:
        with store.write() as conn:
            conn.execute(delete(web_session).where(web_session.c.id == sid))
        return None
    if now - row.last_seen_at >= _TOUCH_EVERY:
        with store.write() as conn:
            conn.execute(update(web_session).where(web_session.c.id == sid).values(last_seen_at=now))
    return Principal(user_id=row.id, username=row.username, role=Role(row.role), force_code=row.force_code,
                     team=row.team, officer_pseudonym=row.officer_pseudonym, display_name=row.display_name)


def log_out(store: Store, token: str) -> bool:
    """End a session; returns whether there was one. Logged as :class:`~forcewatch.audit.UserLoggedOut`."""
    sid = session_id(token)
    with store.write() as conn:
        row = conn.execute(select(user_account.c.id, user_account.c.username, user_account.c.force_code)
                           .join(web_session, web_session.c.user_id == user_account.c.id)
                           .where(web_session.c.id == sid)).first()
        if row is None:
            return False
        conn.execute(delete(web_session).where(web_session.c.id == sid))
        audit.append(conn, audit.UserLoggedOut(force_code=row.force_code, subject_id=str(row.id),
                                               username=row.username), actor=row.username)
    return True
