"""Accounts, log-in bookkeeping, web sessions, API tokens and the audit log.

``user_account``: one row per person who can log in (see :mod:`forcewatch.accounts`).
``login_failure``: failed log-ins, counted to throttle guessing (:mod:`forcewatch.accounts`).
``web_session``: server-side web sessions, keyed by the SHA-256 of the cookie's random token.
``api_token``: per-user tokens for scripts, stored as SHA-256 hashes.
``audit_event``: the append-only, hash-chained audit log (:mod:`forcewatch.audit`); the database
refuses UPDATE and DELETE on it (triggers in migration ``0004_security``).
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from .base import metadata
from .types import UtcDateTime

#: Account roles the database accepts (the policy itself is in forcewatch.access).
ACCOUNT_ROLES = (
    "officer", "supervisor", "force_analyst", "assurer", "chief_officer", "pcc", "scrutiny_panel",
    "national_analyst", "review_team", "administrator",
)
#: Roles that are not tied to one force.
NATIONAL_ROLES = ("national_analyst", "review_team", "administrator")


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


user_account = Table(
    "user_account",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    #: stored in lower case, so user names are unique whatever their case
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(120), nullable=False),
    Column("role", String(20), nullable=False),
    Column("force_code", String(12), ForeignKey("area.code"), nullable=True),
    Column("team", String(80), nullable=True),
    #: HMAC of the force and a staff identifier (the identifier itself is never stored)
    Column("officer_pseudonym", String(64), nullable=True),
    Column("password_hash", String(255), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("password_changed_at", UtcDateTime, nullable=False),
    #: optimistic locking: every update adds one, and names the version it expects
    Column("version", Integer, nullable=False),
    CheckConstraint(f"role IN ({_quoted(ACCOUNT_ROLES)})", name="role"),
    CheckConstraint(f"role IN ({_quoted(NATIONAL_ROLES)}) OR force_code IS NOT NULL", name="force_required"),
)

login_failure = Table(
    "login_failure",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    #: SHA-256 of the lower-cased user name tried (so a password typed as a user name is not kept)
    Column("username_key", String(64), nullable=False),
    Column("client_ip", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Index(None, "username_key", "at"),
    Index(None, "client_ip", "at"),
)

web_session = Table(
    "web_session",
    metadata,
    #: SHA-256 of the random token in the session cookie
    Column("id", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("user_account.id"), nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("client_ip", String(64), nullable=True),
    Column("user_agent", String(200), nullable=True),
)

api_token = Table(
    "api_token",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("user_account.id"), nullable=False, index=True),
    Column("name", String(80), nullable=False),
    #: SHA-256 of the token (tokens are 256-bit random, so a fast hash is enough)
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("last_used_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
)

audit_event = Table(
    "audit_event",
    metadata,
    #: 1, 2, 3 ... with no gaps; assigned under a lock by forcewatch.audit.append
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at", UtcDateTime, nullable=False),
    #: a user name, or "system" (command line, scheduled jobs) or "public" (not logged in)
    Column("actor", String(120), nullable=False),
    Column("event_type", String(80), nullable=False),
    Column("force_code", String(12), nullable=True),
    Column("subject_type", String(40), nullable=True),
    Column("subject_id", String(120), nullable=True),
    #: canonical JSON (sorted keys, no spaces), exactly the text that was hashed
    Column("payload", Text, nullable=False),
    #: the hash of the previous event (64 zeros for the first): unique, so the chain cannot fork
    Column("prev_hash", String(64), nullable=False, unique=True),
    Column("hash", String(64), nullable=False, unique=True),
    Index(None, "force_code", "seq"),
    Index(None, "subject_type", "subject_id"),
)
