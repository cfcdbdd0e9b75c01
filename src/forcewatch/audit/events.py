"""Audit event types: frozen dataclasses, each with a stable name and a docstring saying when it fires.

Add an event type in the module that fires it::

    from dataclasses import dataclass
    from typing import ClassVar

    from forcewatch import audit

    @audit.register
    @dataclass(frozen=True, kw_only=True)
    class AssessmentTransitioned(audit.AuditEvent):
        \"\"\"Fires when an assessment moves between sign-off states (draft -> assured -> ...).\"\"\"

        name: ClassVar[str] = "assessment.transitioned"
        subject_type: ClassVar[str] = "assessment"
        from_state: str
        to_state: str

    audit.append(conn, AssessmentTransitioned(force_code=f, subject_id=str(aid), from_state="draft",
                                              to_state="assured"), actor=principal)

Every event has ``force_code`` (the force whose data it concerns; ``None`` for national events)
and ``subject_id`` (the id of its subject, whose type is the class's ``subject_type``); every
other field goes into the payload. Payloads hold JSON values only and never a person's name,
staff number or the free text of a record: ids and pseudonyms, so the log itself reveals no one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, ClassVar, TypeVar

__all__ = [
    "AuditEvent", "EVENT_TYPES", "register", "events_markdown",
    "UserCreated", "UserLoggedIn", "UserLoggedOut", "LoginFailed", "PasswordChanged", "UserDisabled",
    "ApiTokenCreated", "ApiTokenRevoked", "RecordRead", "RecordWritten", "FileImported",
    "ExportDownloaded", "AuditLogRead",
]

_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")


@dataclass(frozen=True, kw_only=True)
class AuditEvent:
    """Base of every audit event type (not itself an event)."""

    #: stable name stored in the log, ``noun.verb`` (never change it once shipped)
    name: ClassVar[str] = ""
    #: what kind of thing ``subject_id`` identifies (``user_account``, ``assessment`` ...)
    subject_type: ClassVar[str | None] = None

    force_code: str | None = None
    subject_id: str | None = None

    def __post_init__(self) -> None:
        if self.subject_id is not None and not isinstance(self.subject_id, str):
            object.__setattr__(self, "subject_id", str(self.subject_id))

    def subject(self) -> tuple[str | None, str | None]:
        """The subject's type and id as stored."""
        return type(self).subject_type, self.subject_id

    def payload(self) -> dict[str, Any]:
        """Every field but ``force_code`` and ``subject_id``."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("force_code", "subject_id")}

    @classmethod
    def from_entry(cls, *, force_code: str | None, subject_id: str | None, payload: dict[str, Any]) -> AuditEvent:
        """Rebuild the event from a stored entry."""
        return cls(force_code=force_code, subject_id=subject_id, **payload)


#: Every registered event type by its stable name.
EVENT_TYPES: dict[str, type[AuditEvent]] = {}

E = TypeVar("E", bound=type[AuditEvent])


def register(cls: E) -> E:
    """Class decorator making an event type known to the log (``audit.append`` refuses others).

    Checks that it is a frozen dataclass with its own stable ``name`` and a docstring saying
    when it fires.
    """
    if not (isinstance(cls, type) and issubclass(cls, AuditEvent) and is_dataclass(cls)
            and "__dataclass_params__" in cls.__dict__):
        raise TypeError(f"{cls!r} must be decorated with @dataclass(frozen=True, kw_only=True) and subclass AuditEvent")
    if not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__} must be a frozen dataclass (events are immutable)")
    name = cls.__dict__.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise TypeError(f"{cls.__name__} needs its own stable name like 'assessment.transitioned'")
    doc = (cls.__doc__ or "").strip()
    if not doc or doc.startswith(cls.__name__ + "("):
        raise TypeError(f"{cls.__name__} needs a docstring saying when it fires")
    known = EVENT_TYPES.get(name)
    if known is not None and (known.__module__, known.__qualname__) != (cls.__module__, cls.__qualname__):
        raise TypeError(f"audit event name {name!r} is already used by {known.__module__}.{known.__qualname__}")
    EVENT_TYPES[name] = cls
    return cls


def events_markdown() -> str:
    """``docs/audit-events.md``: every registered event type, its fields and when it fires."""
    lines = ["# Audit events", "",
             "Generated from the registered event types by `make docs`; a test keeps it current.",
             "Every entry also records its sequence number, time (UTC), actor, force, subject and the",
             "hash chain (see [security.md](security.md)).", "",
             "| event | class | subject | payload fields | fires when |", "|---|---|---|---|---|"]
    for name in sorted(EVENT_TYPES):
        cls = EVENT_TYPES[name]
        payload = ", ".join(f"`{f.name}`" for f in fields(cls) if f.name not in ("force_code", "subject_id"))
        doc = " ".join((cls.__doc__ or "").split())
        lines.append(f"| `{name}` | `{cls.__module__}.{cls.__qualname__}` | {cls.subject_type or '-'} | "
                     f"{payload or '-'} | {doc} |")
    return "\n".join(lines) + "\n"


# --- accounts and log-ins ------------------------------------------------------------------


@register
@dataclass(frozen=True, kw_only=True)
class UserCreated(AuditEvent):
    """Fires when an account is created (by an administrator, the command line or the demo)."""

    name: ClassVar[str] = "user.created"
    subject_type: ClassVar[str] = "user_account"
    username: str
    role: str
    team: str | None = None


@register
@dataclass(frozen=True, kw_only=True)
class UserLoggedIn(AuditEvent):
    """Fires when a user name and password are accepted (web log-in or a library call)."""

    name: ClassVar[str] = "user.logged_in"
    subject_type: ClassVar[str] = "user_account"
    username: str
    client_ip: str
    rehashed: bool = False


@register
@dataclass(frozen=True, kw_only=True)
class UserLoggedOut(AuditEvent):
    """Fires when a user logs out of a web session."""

    name: ClassVar[str] = "user.logged_out"
    subject_type: ClassVar[str] = "user_account"
    username: str


@register
@dataclass(frozen=True, kw_only=True)
class LoginFailed(AuditEvent):
    """Fires when a log-in is refused for a wrong password, an unknown user name or a disabled account.

    ``username`` is recorded only when it names an account (so a password typed into the user
    name box is not kept). Attempts refused by throttling write nothing and fire nothing.
    """

    name: ClassVar[str] = "login.failed"
    subject_type: ClassVar[str] = "user_account"
    username: str | None
    client_ip: str
    reason: str


@register
@dataclass(frozen=True, kw_only=True)
class PasswordChanged(AuditEvent):
    """Fires when a password is changed by its user, or reset by an administrator (``reset``)."""

    name: ClassVar[str] = "user.password_changed"
    subject_type: ClassVar[str] = "user_account"
    username: str
    reset: bool
    sessions_ended: int = 0


@register
@dataclass(frozen=True, kw_only=True)
class UserDisabled(AuditEvent):
    """Fires when an account is disabled: its sessions end and its API tokens are revoked."""

    name: ClassVar[str] = "user.disabled"
    subject_type: ClassVar[str] = "user_account"
    username: str
    sessions_ended: int = 0
    tokens_revoked: int = 0


@register
@dataclass(frozen=True, kw_only=True)
class ApiTokenCreated(AuditEvent):
    """Fires when an API token is issued for a user (the token itself is never logged)."""

    name: ClassVar[str] = "api_token.created"
    subject_type: ClassVar[str] = "api_token"
    username: str
    token_name: str
    expires_at: str


@register
@dataclass(frozen=True, kw_only=True)
class ApiTokenRevoked(AuditEvent):
    """Fires when an API token is revoked."""

    name: ClassVar[str] = "api_token.revoked"
    subject_type: ClassVar[str] = "api_token"
    username: str
    token_name: str


# --- records, files, exports ---------------------------------------------------------------


@register
@dataclass(frozen=True, kw_only=True)
class RecordRead(AuditEvent):
    """Fires on every record-level read: one record (``subject_id``) or a listing (``count``, ``query``).

    Fired inside, or before the end of, the transaction that read, so no data leaves unlogged.
    """

    name: ClassVar[str] = "record.read"
    record_type: str
    count: int = 1
    query: dict[str, Any] = field(default_factory=dict)

    def subject(self) -> tuple[str | None, str | None]:
        return self.record_type, self.subject_id


@register
@dataclass(frozen=True, kw_only=True)
class RecordWritten(AuditEvent):
    """Fires in the same transaction as every record-level write (``change``: created, updated, deleted)."""

    name: ClassVar[str] = "record.written"
    record_type: str
    change: str
    fields: list[str] = field(default_factory=list)

    def subject(self) -> tuple[str | None, str | None]:
        return self.record_type, self.subject_id


@register
@dataclass(frozen=True, kw_only=True)
class FileImported(AuditEvent):
    """Fires in the same transaction as an import that stored a file's contents."""

    name: ClassVar[str] = "file.imported"
    subject_type: ClassVar[str] = "source_file"
    kind: str
    filename: str
    sha256: str
    rows: int


@register
@dataclass(frozen=True, kw_only=True)
class ExportDownloaded(AuditEvent):
    """Fires when someone downloads an export that holds record-level or unsuppressed data."""

    name: ClassVar[str] = "export.downloaded"
    subject_type: ClassVar[str] = "export"
    export: str
    format: str
    rows: int
    query: dict[str, Any] = field(default_factory=dict)


@register
@dataclass(frozen=True, kw_only=True)
class AuditLogRead(AuditEvent):
    """Fires when someone reads entries of the audit log itself (``forcewatch audit show``, the web)."""

    name: ClassVar[str] = "audit.read"
    filters: dict[str, Any] = field(default_factory=dict)
    count: int = 0
