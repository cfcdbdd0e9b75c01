"""Log-in throttling: failed attempts are counted per user name and per client address.

After ``login_max_failures_per_user`` failures for one user name (5), or
``login_max_failures_per_ip`` from one address (20), within ``login_failure_window_minutes`` (15),
further attempts are refused with :class:`TooManyAttempts` until enough failures fall out of the
window; ``retry_after`` says when. A successful log-in clears the user name's failures.

Every attempt is counted *before* its password is checked (:func:`admit`), in one serialised
transaction, so parallel guesses cannot slip past the limit; a success then removes the count
(:func:`clear`). User names are kept as SHA-256 hashes, so a password typed into the user name
box is not stored. Attempts that are refused write nothing, so a flood cannot extend a lock-out.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, select, text

from .errors import TooManyAttempts
from .settings import Settings
from .store import Store
from .store.tables.security import login_failure

__all__ = ["username_key", "admit", "clear", "failures"]

_PG_LOGIN_LOCK = 7_171_720  # advisory lock key: counting and recording attempts is serialised


def username_key(username: str) -> str:
    """The key a user name's failures are counted under (SHA-256 of its lower-case form)."""
    return hashlib.sha256(username.strip().lower().encode("utf-8")).hexdigest()


def _retry_after(times: list[datetime], limit: int, window: timedelta, now: datetime) -> float:
    """Seconds until fewer than ``limit`` of ``times`` (newest first) are inside the window."""
    if len(times) < limit:
        return 0.0
    return (times[limit - 1] + window - now).total_seconds()


def admit(store: Store, *, username: str, client_ip: str, settings: Settings, now: datetime) -> None:
    """Refuse the attempt if the limits are reached; otherwise count it as a failure until cleared."""
    window = timedelta(minutes=settings.login_failure_window_minutes)
    key = username_key(username)
    ip = (client_ip or "unknown")[:64]
    with store.write() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOGIN_LOCK})
        since = now - window
        by_user = list(conn.execute(
            select(login_failure.c.at).where(login_failure.c.username_key == key, login_failure.c.at > since)
            .order_by(login_failure.c.at.desc()).limit(settings.login_max_failures_per_user)).scalars())
        by_ip = list(conn.execute(
            select(login_failure.c.at).where(login_failure.c.client_ip == ip, login_failure.c.at > since)
            .order_by(login_failure.c.at.desc()).limit(settings.login_max_failures_per_ip)).scalars())
        wait_user = _retry_after(by_user, settings.login_max_failures_per_user, window, now)
        wait_ip = _retry_after(by_ip, settings.login_max_failures_per_ip, window, now)
        if wait_user > 0 or wait_ip > 0:
            who = "this user name" if wait_user >= wait_ip else "this address"
            seconds = math.ceil(max(wait_user, wait_ip))
            raise TooManyAttempts(
                f"too many failed log-ins for {who}; try again in {math.ceil(seconds / 60)} minute(s)",
                retry_after=seconds,
                hint="an administrator can reset the password with `forcewatch users set-password`",
            )
        conn.execute(delete(login_failure).where(login_failure.c.at <= since))
        conn.execute(insert(login_failure), {"username_key": key, "client_ip": ip, "at": now})


def clear(conn: Connection, username: str) -> int:
    """Forget a user name's failures (after a successful log-in); returns how many were removed."""
    return conn.execute(delete(login_failure).where(login_failure.c.username_key == username_key(username))).rowcount


def failures(store: Store, *, username: str) -> int:
    """How many failures are counted against a user name (for tests and the administrator)."""
    with store.read() as conn:
        rows = conn.execute(select(login_failure.c.id).where(login_failure.c.username_key == username_key(username)))
        return len(rows.all())
