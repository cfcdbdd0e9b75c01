"""The audit log's one write path, its verification, and reading it back.

Each entry holds a sequence number (1, 2, 3 ... with no gaps), the time in UTC, the actor, the
event type, its force, subject type and id, the payload as canonical JSON, ``prev_hash`` (the
previous entry's hash; 64 zeros for the first) and ``hash``: the SHA-256 of the canonical JSON of
all of those fields. Changing, removing or inserting any entry breaks a hash or a link, and
:func:`verify` names the first place it happens.

Appends are serialised so the chain stays linear: on PostgreSQL by a transaction-scoped advisory
lock, on SQLite by the ``BEGIN IMMEDIATE`` that every ``store.write()`` starts with. A unique
constraint on ``prev_hash`` makes a fork impossible even if that were bypassed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

from sqlalchemy import Connection, insert, select, text

from ..access import ALL, Principal, readable_forces, require
from ..errors import UsageError, VerificationFailed
from ..store import Store
from ..store.tables.security import audit_event
from .events import EVENT_TYPES, AuditEvent, AuditLogRead

__all__ = ["GENESIS", "AuditEntry", "AuditHead", "BrokenLink", "VerifyResult", "append", "record",
           "verify", "head", "events", "canonical_json", "entry_hash"]

#: ``prev_hash`` of the first entry.
GENESIS = "0" * 64
_PG_AUDIT_LOCK = 7_171_719  # advisory lock key: one audit append at a time


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return _iso(value) if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"audit payloads hold JSON values, not {type(value).__name__}")


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: one text for one value, on every backend."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False,
                      default=_default)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class AuditEntry:
    """One stored audit event, as read back."""

    seq: int
    at: datetime
    actor: str
    event_type: str
    force_code: str | None
    subject_type: str | None
    subject_id: str | None
    payload: dict[str, Any]
    prev_hash: str
    hash: str

    def event(self) -> AuditEvent:
        """The typed event this entry records."""
        cls = EVENT_TYPES.get(self.event_type)
        if cls is None:
            raise UsageError(f"unknown audit event type {self.event_type!r}",
                             hint="import the module that registers it")
        return cls.from_entry(force_code=self.force_code, subject_id=self.subject_id, payload=self.payload)

    def as_row(self) -> dict[str, Any]:
        """The entry's columns, ``at`` as a datetime."""
        return {f: getattr(self, f) for f in self.__dataclass_fields__}

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "at": _iso(self.at), "actor": self.actor, "event_type": self.event_type,
                "force_code": self.force_code, "subject_type": self.subject_type, "subject_id": self.subject_id,
                "payload": self.payload, "prev_hash": self.prev_hash, "hash": self.hash}


def entry_hash(*, seq: int, at: datetime, actor: str, event_type: str, force_code: str | None,
               subject_type: str | None, subject_id: str | None, payload: str, prev_hash: str) -> str:
    """SHA-256 (hex) over the canonical JSON of every field of an entry, ``payload`` as its stored text."""
    document = {"seq": seq, "at": _iso(at), "actor": actor, "event_type": event_type, "force_code": force_code,
                "subject_type": subject_type, "subject_id": subject_id, "payload": payload, "prev_hash": prev_hash}
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


def _actor_name(actor: str | Principal) -> str:
    name = actor.username if isinstance(actor, Principal) else actor
    if not isinstance(name, str) or not name.strip() or len(name) > 120:
        raise UsageError(f"an audit actor is a user name, 'system' or 'public', not {name!r}")
    return name


def append(conn: Connection, event: AuditEvent, *, actor: str | Principal) -> AuditEntry:
    """Append ``event`` to the log inside the caller's write transaction; the only writer.

    The entry commits with the change it records, or not at all. ``conn`` must come from
    ``store.write()``. ``actor`` is the acting :class:`Principal` or a user name, ``"system"`` or
    ``"public"``. The event's class must be registered (:func:`forcewatch.audit.register`).
    """
    if not isinstance(event, AuditEvent) or EVENT_TYPES.get(type(event).name) is not type(event):
        raise UsageError(f"{type(event).__name__} is not a registered audit event type",
                         hint="decorate the class with @forcewatch.audit.register")
    if not conn.get_execution_options().get("forcewatch_write"):
        raise UsageError("audit.append needs a write transaction", hint="use `with store.write() as conn:`")
    name = _actor_name(actor)
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_AUDIT_LOCK})
    newest = select(audit_event.c.seq, audit_event.c.hash).order_by(audit_event.c.seq.desc()).limit(1)
    last = conn.execute(newest).first()
    seq, prev_hash = (last.seq + 1, last.hash) if last else (1, GENESIS)
    subject_type, subject_id = event.subject()
    entry = AuditEntry(seq=seq, at=datetime.now(timezone.utc), actor=name, event_type=type(event).name,
                       force_code=event.force_code, subject_type=subject_type, subject_id=subject_id,
                       payload=json.loads(canonical_json(event.payload())), prev_hash=prev_hash, hash="")
    payload = canonical_json(entry.payload)
    digest = entry_hash(seq=entry.seq, at=entry.at, actor=entry.actor, event_type=entry.event_type,
                        force_code=entry.force_code, subject_type=entry.subject_type, subject_id=entry.subject_id,
                        payload=payload, prev_hash=entry.prev_hash)
    conn.execute(insert(audit_event), {**entry.as_row(), "payload": payload, "hash": digest})
    return replace(entry, hash=digest)


def record(store: Store, event: AuditEvent, *, actor: str | Principal) -> AuditEntry:
    """Append ``event`` in a transaction of its own (for reads: call it before returning the data)."""
    with store.write() as conn:
        return append(conn, event, actor=actor)


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(seq=row.seq, at=row.at, actor=row.actor, event_type=row.event_type, force_code=row.force_code,
                      subject_type=row.subject_type, subject_id=row.subject_id, payload=json.loads(row.payload),
                      prev_hash=row.prev_hash, hash=row.hash)


@dataclass(frozen=True)
class AuditHead:
    """The newest entry's sequence number and hash: publish it, and later verify against it."""

    seq: int
    hash: str
    at: datetime

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "at": _iso(self.at), "head": str(self)}


def head(store: Store) -> AuditHead | None:
    """The latest entry's sequence number and hash (``None`` for an empty log)."""
    with store.read() as conn:
        row = conn.execute(select(audit_event.c.seq, audit_event.c.hash, audit_event.c.at)
                           .order_by(audit_event.c.seq.desc()).limit(1)).first()
    return AuditHead(row.seq, row.hash, row.at) if row else None


Problem = Literal["content", "link", "gap", "published"]


@dataclass(frozen=True)
class BrokenLink:
    """The first place the chain does not check out."""

    seq: int
    #: ``content``: the entry's fields do not hash to its hash; ``link``: its ``prev_hash`` is not the
    #: previous entry's hash; ``gap``: an entry is missing; ``published``: a published head is not in the log
    problem: Problem
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "problem": self.problem, "message": self.message}


@dataclass(frozen=True)
class VerifyResult:
    """What :func:`verify` found."""

    ok: bool
    events_checked: int
    head: AuditHead | None
    broken: BrokenLink | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "events_checked": self.events_checked,
                "head": self.head.as_dict() if self.head else None,
                "broken": self.broken.as_dict() if self.broken else None}

    def raise_if_broken(self) -> None:
        """Raise :class:`VerificationFailed` naming the first broken link, if there is one."""
        if self.broken is not None:
            raise VerificationFailed(f"audit log broken at event {self.broken.seq}: {self.broken.message}")


def _check(row: Any, expected_seq: int, prev: str) -> BrokenLink | None:
    if row.seq != expected_seq:
        return BrokenLink(expected_seq, "gap", f"event {expected_seq} is missing: the log goes from event "
                          f"{expected_seq - 1} to event {row.seq}")
    if row.prev_hash != prev:
        return BrokenLink(row.seq, "link", f"event {row.seq} ({row.event_type}) names {row.prev_hash[:16]}... as "
                          f"the previous hash, but event {row.seq - 1} hashes to {prev[:16]}... "
                          "(one of them was rewritten)")
    computed = entry_hash(seq=row.seq, at=row.at, actor=row.actor, event_type=row.event_type,
                          force_code=row.force_code, subject_type=row.subject_type, subject_id=row.subject_id,
                          payload=row.payload, prev_hash=row.prev_hash)
    if computed != row.hash:
        return BrokenLink(row.seq, "content", f"event {row.seq} ({row.event_type}) was altered: its fields hash to "
                          f"{computed[:16]}..., not the stored {row.hash[:16]}...")
    return None


def verify(store: Store, *, published: AuditHead | tuple[int, str] | None = None) -> VerifyResult:
    """Recompute every hash and link, in order; name the first that does not check out.

    ``published`` is a head published earlier (``(seq, hash)``): the log must still contain it,
    which also catches entries removed from the end.
    """
    pub = (published.seq, published.hash) if isinstance(published, AuditHead) else published
    checked, prev, last = 0, GENESIS, None
    broken: BrokenLink | None = None
    with store.read() as conn:
        rows = conn.execution_options(yield_per=2000).execute(select(audit_event).order_by(audit_event.c.seq))
        for row in rows:
            broken = _check(row, checked + 1, prev)
            if broken is None and pub and row.seq == pub[0] and row.hash != pub[1]:
                broken = BrokenLink(row.seq, "published", f"event {row.seq} hashes to {row.hash[:16]}..., not the "
                                    f"published head {pub[1][:16]}...")
            if broken is not None:
                break
            checked, prev, last = checked + 1, row.hash, row
        rows.close()
    if broken is None and pub and pub[0] > checked:
        broken = BrokenLink(pub[0], "published", f"the log ends at event {checked}, before the published head at "
                            f"event {pub[0]}: entries were removed from the end")
    current = AuditHead(last.seq, last.hash, last.at) if last is not None else None
    return VerifyResult(broken is None, checked, current, broken)


def events(store: Store, *, principal: Principal, force_code: str | None = None, event_type: str | None = None,
           subject_type: str | None = None, subject_id: str | None = None, before_seq: int | None = None,
           limit: int = 100) -> list[AuditEntry]:
    """Entries the principal may read (``audit.read``), newest first, filtered as asked.

    Readers with ``force`` scope see their force's entries only (national entries, with no force,
    need ``all``). Reading the log is itself recorded (:class:`AuditLogRead`).
    """
    if force_code is not None:
        require(principal, "audit.read", force_code=force_code)
    visible = readable_forces(principal, "audit.read")
    query = select(audit_event).order_by(audit_event.c.seq.desc())
    query = query.limit(max(1, min(int(limit), 10_000)))
    if visible is not ALL:
        query = query.where(audit_event.c.force_code.in_(sorted(visible)))  # type: ignore[arg-type]
    filters = {"force_code": force_code, "event_type": event_type, "subject_type": subject_type,
               "subject_id": subject_id}
    for column, value in filters.items():
        if value is not None:
            query = query.where(audit_event.c[column] == value)
    if before_seq is not None:
        query = query.where(audit_event.c.seq < before_seq)
    with store.write() as conn:
        found = [_entry(r) for r in conn.execute(query)]
        asked = {k: v for k, v in {**filters, "before_seq": before_seq}.items() if v is not None}
        whose = force_code or (principal.force_code if visible is not ALL else None)
        append(conn, AuditLogRead(force_code=whose, filters=asked, count=len(found)), actor=principal)
    return found
