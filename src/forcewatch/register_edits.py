"""Correcting the register by hand: add an event, correct one, retract one. Never a silent overwrite.

- :func:`add_event` records a new event for an officer (``register.write``);
- :func:`correct_event` stores the corrected event (``replaces_id`` = the old one, same natural
  key) and marks the old one ``superseded``;
- :func:`retract_event` marks an event ``retracted`` (entered in error), keeping it.

Each names the ``version`` of the event it expects (optimistic locking): if someone else changed
it first, :class:`~forcewatch.errors.Conflict` says so and nothing is written. Values are read by
the import's own rules (:func:`forcewatch.importers.register_csv.read_event`), so a form refuses
exactly what an import would, naming the field. Every change is an audit event in the same
transaction (``register.event_corrected``, ``record.written``).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, ClassVar, Mapping

from sqlalchemy import Connection, insert, select, update

from . import audit
from .access import Principal, require
from .errors import Conflict, InputRefused, NotFound, UsageError
from .importers.register_csv import RegisterRow, read_event
from .register_state import RegisterEvent
from .register_vocab import CORRECTION_REASONS
from .store import Store
from .store.tables.register import register_event, register_officer

__all__ = ["EventCorrected", "add_event", "correct_event", "retract_event", "content_hash", "EDITABLE_FIELDS",
           "CONTENT_FIELDS"]

#: form field -> event column
EDITABLE_FIELDS = {"date": "event_date", "status": "status", "rank": "rank", "role": "role", "team": "team",
                   "area": "area", "skill": "skill", "course": "course", "result": "result", "expires": "expires_on",
                   "serial": "serial"}
#: the columns of an event that make up its content (and its fingerprint)
CONTENT_FIELDS = ("kind", "event_date", "rank", "role", "team", "area", "status", "skill", "course", "result",
            "expires_on", "serial")


@audit.register
@dataclass(frozen=True, kw_only=True)
class EventCorrected(audit.AuditEvent):
    """Fires when a register event is corrected (a new event replaces it) or retracted, by hand or by an import
    whose row with the same RecordId holds other content. The old event is kept, marked superseded or retracted."""

    name: ClassVar[str] = "register.event_corrected"
    subject_type: ClassVar[str] = "register_event"
    change: str
    replaced_by: int | None = None
    reason: str = ""
    fields: list[str] = field(default_factory=list)


def _reason(reason: str) -> str:
    if reason not in CORRECTION_REASONS:
        raise UsageError(f"unknown reason {reason!r}", hint="reasons: " + ", ".join(CORRECTION_REASONS))
    return reason


def _known_codes(conn: Connection, force_code: str) -> dict[str, set[str]]:
    return {f: {v for (v,) in conn.execute(select(register_event.c[f]).distinct().where(
        register_event.c.force_code == force_code, register_event.c[f].is_not(None)))} for f in ("team", "area")}


def _read(kind: str, cells: Mapping[str, Any], conn: Connection, force_code: str) -> RegisterRow:
    row, log = read_event(kind, {k: "" if v is None else str(v) for k, v in cells.items()},
                          known_codes=_known_codes(conn, force_code))
    if log.errors or row is None:
        raise InputRefused(f"the {kind.replace('_', ' ')} was not saved: {len(log.errors)} problem(s)", log.errors,
                           hint="correct the fields named")
    return row


def _content(row: RegisterRow) -> dict[str, Any]:
    return {c: getattr(row, c) for c in CONTENT_FIELDS}


def content_hash(pseudonym: str, values: Mapping[str, Any]) -> str:
    """MD5 of the officer and the event's content (kind, date and every value; ids excluded)."""
    parts = [pseudonym] + ["" if values.get(f) is None else str(values.get(f)) for f in CONTENT_FIELDS]
    return hashlib.md5("\x1f".join(parts).encode("utf-8")).hexdigest()


def _load(conn: Connection, event_id: int) -> tuple[RegisterEvent, str, str]:
    found = conn.execute(select(register_event, register_officer.c.officer_pseudonym)
                         .join(register_officer, register_officer.c.id == register_event.c.officer_id)
                         .where(register_event.c.id == event_id)).mappings().first()
    if found is None:
        raise NotFound(f"no register event {event_id}")
    return RegisterEvent.from_row(found), found["force_code"], found["officer_pseudonym"]


def _cells(event: RegisterEvent) -> dict[str, Any]:
    return {f: getattr(event, c) for f, c in EDITABLE_FIELDS.items()}


def add_event(store: Store, principal: Principal, force_code: str, pseudonym: str, kind: str,
              cells: Mapping[str, Any]) -> RegisterEvent:
    """Record a new event (``cells`` keyed by form field: ``date``, ``status``, ``team`` ...) for an officer."""
    require(principal, "register.write", force_code=force_code)
    now = datetime.now(timezone.utc)
    with store.write() as conn:
        officer = conn.execute(select(register_officer.c.id).where(
            register_officer.c.force_code == force_code, register_officer.c.officer_pseudonym == pseudonym)).first()
        if officer is None:
            raise NotFound("no such officer in this force's register")
        row = _read(kind, cells, conn, force_code)
        values = _content(row)
        new_id = conn.execute(insert(register_event).returning(register_event.c.id), {
            **values, "force_code": force_code, "officer_id": officer.id, "natural_key": f"manual:{uuid.uuid4().hex}",
            "content_hash": content_hash(pseudonym, values), "recorded_at": now,
            "recorded_by": principal.username[:120], "state": "current", "version": 1}).scalar_one()
        audit.append(conn, audit.RecordWritten(force_code=force_code, subject_id=str(new_id),
                                               record_type="register_event", change="created",
                                               fields=sorted(k for k, v in values.items() if v is not None)),
                     actor=principal)
        return _load(conn, new_id)[0]


def _supersede(conn: Connection, event: RegisterEvent, expected_version: int, state: str) -> None:
    if event.state != "current":
        done = "corrected" if event.state == "superseded" else "retracted"
        raise Conflict(f"register event {event.id} has already been {done} by someone "
                       f"else (it is now {event.state})", hint="reload the officer's history and check the change")
    changed = conn.execute(update(register_event).where(
        register_event.c.id == event.id, register_event.c.version == expected_version,
        register_event.c.state == "current").values(state=state, version=expected_version + 1)).rowcount
    if changed != 1:  # read it again: a concurrent correction may have committed since ``event`` was read
        now = conn.execute(select(register_event.c.version, register_event.c.state)
                           .where(register_event.c.id == event.id)).one()
        if now.state != "current":
            done = "corrected" if now.state == "superseded" else "retracted"
            raise Conflict(f"register event {event.id} has just been {done} by someone else (it is now "
                           f"{now.state}, version {now.version}; you had version {expected_version})",
                           hint="reload the officer's history and check the change")
        raise Conflict(f"register event {event.id} was changed by someone else since you opened it "
                       f"(you had version {expected_version}, it is now version {now.version})",
                       hint="reload the officer's history, check the change, and make yours again")


def correct_event(store: Store, principal: Principal, event_id: int, *, expected_version: int,
                  changes: Mapping[str, Any], reason: str = "data_entry_error") -> RegisterEvent:
    """Correct an event: store the corrected one and mark the old one superseded (returns the new one)."""
    reason = _reason(reason)
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise UsageError(f"{unknown[0]!r} cannot be corrected", hint="fields: " + ", ".join(EDITABLE_FIELDS))
    now = datetime.now(timezone.utc)
    with store.write() as conn:
        old, force_code, pseudonym = _load(conn, event_id)
        require(principal, "register.write", force_code=force_code)
        cells = {**_cells(old), **changes}
        row = _read(old.kind, cells, conn, force_code)
        values = _content(row)
        changed = sorted(f for f, c in EDITABLE_FIELDS.items() if values[c] != getattr(old, c))
        if not changed:
            raise UsageError("nothing was changed", hint="change a field, or retract the event if it is wrong")
        _supersede(conn, old, expected_version, "superseded")
        new_id = conn.execute(insert(register_event).returning(register_event.c.id), {
            **values, "force_code": force_code, "officer_id": old.officer_id, "natural_key": old.natural_key,
            "content_hash": content_hash(pseudonym, values), "recorded_at": now,
            "recorded_by": principal.username[:120], "state": "current", "version": 1, "replaces_id": old.id,
            "reason": reason}).scalar_one()
        audit.append(conn, EventCorrected(force_code=force_code, subject_id=str(old.id), change="corrected",
                                          replaced_by=new_id, reason=reason, fields=changed), actor=principal)
        return _load(conn, new_id)[0]


def retract_event(store: Store, principal: Principal, event_id: int, *, expected_version: int,
                  reason: str = "data_entry_error") -> RegisterEvent:
    """Mark an event retracted (entered in error); it is kept and shown in the history."""
    reason = _reason(reason)
    with store.write() as conn:
        old, force_code, _ = _load(conn, event_id)
        require(principal, "register.write", force_code=force_code)
        _supersede(conn, old, expected_version, "retracted")
        conn.execute(update(register_event).where(register_event.c.id == event_id).values(reason=reason))
        audit.append(conn, EventCorrected(force_code=force_code, subject_id=str(event_id), change="retracted",
                                          reason=reason), actor=principal)
        return _load(conn, event_id)[0]

