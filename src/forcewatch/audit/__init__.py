"""The audit log: typed, immutable events in an append-only, hash-chained table.

- :func:`append` ``(conn, event, *, actor)`` is the only writer; it runs inside the caller's
  ``store.write()`` transaction, so an event commits with the change it records, or not at all.
- :func:`record` ``(store, event, *, actor)`` appends in a transaction of its own (for reads).
- :func:`verify` ``(store)`` recomputes every hash and link and names the first broken one.
- :func:`head` ``(store)`` is the latest ``seq:hash``, for periodic publication.
- :func:`events` ``(store, *, principal, ...)`` reads entries the principal may see.
- Event types subclass :class:`AuditEvent` and are registered with :func:`register`
  (see :mod:`forcewatch.audit.events`).

The database refuses UPDATE and DELETE on ``audit_event`` (triggers), and each entry holds the
hash of the one before, so a change made by someone who drops the triggers is still detected.
"""

from .events import (
    EVENT_TYPES,
    ApiTokenCreated,
    ApiTokenRevoked,
    AuditEvent,
    AuditLogRead,
    ExportDownloaded,
    FileImported,
    LoginFailed,
    PasswordChanged,
    RecordRead,
    RecordWritten,
    UserCreated,
    UserDisabled,
    UserLoggedIn,
    UserLoggedOut,
    events_markdown,
    register,
)
from .log import (
    GENESIS,
    AuditEntry,
    AuditHead,
    BrokenLink,
    VerifyResult,
    append,
    canonical_json,
    entry_hash,
    events,
    head,
    record,
    verify,
)

__all__ = [
    "EVENT_TYPES", "GENESIS", "AuditEntry", "AuditEvent", "AuditHead", "BrokenLink", "VerifyResult",
    "append", "canonical_json", "entry_hash", "events", "events_markdown", "head", "record", "register",
    "verify",
    "ApiTokenCreated", "ApiTokenRevoked", "AuditLogRead", "ExportDownloaded", "FileImported", "LoginFailed",
    "PasswordChanged", "RecordRead", "RecordWritten", "UserCreated", "UserDisabled", "UserLoggedIn",
    "UserLoggedOut",
]
