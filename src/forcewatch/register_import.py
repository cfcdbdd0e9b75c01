"""Importing an HR/training export into the register: ``forcewatch register import PATH --force F``.

:func:`import_register` reads the file (:mod:`forcewatch.importers.register_csv`), pseudonymises
every staff identifier with :func:`forcewatch.pseudonyms.officer_pseudonym` (the function records
and accounts use, so the register matches reports and log-ins; the identifier is never stored),
and stores the events. It is

- **atomic**: every row is read and checked first; a file with any error is refused with
  :class:`~forcewatch.errors.InputRefused` listing every problem, and nothing is stored; the
  write is one transaction;
- **idempotent**: the same file again (by SHA-256) changes nothing; another file holding events
  already stored skips them (same natural key and content); a row whose ``RecordId`` is held with
  different content **corrects** the held event: the new one is stored with ``replaces_id`` and
  the old one marked ``superseded`` (never overwritten), each an audited correction.
"""

from __future__ import annotations

import getpass
import hashlib
import time as clock
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import insert, select, update

from . import audit
from .access import Principal, require
from .errors import InputRefused, Problem, UsageError
from .forces import resolve
from .importers.register_csv import RegisterRow, read_register_csv
from .pseudonyms import officer_pseudonym
from .register_edits import CONTENT_FIELDS as EVENT_FIELDS
from .register_edits import EventCorrected, content_hash
from .settings import Settings
from .store import Store
from .store.tables.reference import source_file
from .store.tables.register import register_event, register_officer

__all__ = ["RegisterImportReport", "import_register", "content_hash", "EVENT_FIELDS"]

KIND = "register"


@dataclass
class RegisterImportReport:
    """What an import read, stored, corrected, skipped, repaired and warned about."""

    file: str
    sha256: str
    force_code: str
    encoding: str = ""
    size_bytes: int = 0
    rows_read: int = 0
    officers_created: int = 0
    events_stored: int = 0
    events_corrected: int = 0
    skipped: int = 0
    already_imported: bool = False
    source_file_id: int | None = None
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("problems")
        d.update(repairs=sum(p.severity == "repair" for p in self.problems),
                 warnings=sum(p.severity == "warning" for p in self.problems))
        return d

    def as_dict(self) -> dict[str, Any]:
        return {**self.summary(), "problems": [p.as_dict() for p in self.problems]}


def _values(row: RegisterRow) -> dict[str, Any]:
    return {f: getattr(row, f) for f in EVENT_FIELDS}


def import_register(store: Store, principal: Principal, path: str | Path, force: str, *,
                    settings: Settings | None = None, today: date | None = None,
                    fault: Callable[[str], None] | None = None) -> RegisterImportReport:
    """Import one HR/training CSV for ``force``; returns the report, or raises :class:`InputRefused`.

    ``fault`` is called with each write step's name inside the transaction (tests prove a failed
    write keeps nothing).
    """
    started = clock.perf_counter()
    path = Path(path)
    force_code = resolve(force, "force").code
    require(principal, "register.write", force_code=force_code)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    sha = hashlib.sha256(data).hexdigest()
    report = RegisterImportReport(path.name, sha, force_code, size_bytes=len(data))
    with store.read() as conn:
        done = conn.execute(select(source_file).where(source_file.c.kind == KIND, source_file.c.sha256 == sha,
                                                      source_file.c.scope == force_code)).mappings().first()
        codes = {f: {v for (v,) in conn.execute(select(register_event.c[f]).distinct().where(
            register_event.c.force_code == force_code, register_event.c[f].is_not(None)))} for f in ("team", "area")}
    if done is not None:
        summary = dict(done["summary"])
        report.already_imported, report.source_file_id = True, done["id"]
        report.rows_read = report.skipped = int(summary.get("rows_read", 0))
        report.seconds = clock.perf_counter() - started
        return report
    read = read_register_csv(data, path.name, force_code=force_code, today=today, known_codes=codes)
    report.encoding, report.rows_read = read.encoding, len(read.rows)
    key = (settings or Settings()).officer_pseudonym_key if read.rows else ""
    events: dict[str, dict[str, Any]] = {}
    for row in read.rows:
        pseudonym = officer_pseudonym(key, force_code, row.staff_id)
        values = _values(row)
        digest = content_hash(pseudonym, values)
        natural = f"id:{row.record_id}"[:200] if row.record_id else f"fp:{digest}"
        held = events.get(natural)
        if held is not None:
            if held["content_hash"] != digest:
                read.log.add("error", "this RecordId appears on another row with other content", field="record_id",
                             row=row.row, value=row.record_id, expected=f"one row per RecordId (see row {held['source_row']})")
            else:
                read.log.add("warning", f"the same event as row {held['source_row']}; stored once", row=row.row)
            continue
        events[natural] = {**values, "pseudonym": pseudonym, "natural_key": natural, "content_hash": digest,
                           "source_row": row.row}
    report.problems = read.log.sorted()
    if read.log.errors:
        raise InputRefused(f"{path.name}: {len(read.log.errors):,} problems; the file was not imported",
                           report.problems, hint="fix the rows named and import the file again")
    _write(store, principal, report, list(events.values()), fault or (lambda step: None))
    report.seconds = clock.perf_counter() - started
    return report


def _write(store: Store, principal: Principal, report: RegisterImportReport, events: list[dict[str, Any]],
           fault: Callable[[str], None]) -> None:
    now = datetime.now(timezone.utc)
    force_code = report.force_code
    with store.write() as conn:
        file_id = conn.execute(insert(source_file).returning(source_file.c.id), {
            "kind": KIND, "sha256": report.sha256, "filename": report.file[:400], "size_bytes": report.size_bytes, "scope": force_code,
            "vintage": None, "imported_at": now, "imported_by": (principal.username or getpass.getuser())[:120],
            "summary": {}}).scalar_one()
        report.source_file_id = file_id
        officers = dict(conn.execute(select(register_officer.c.officer_pseudonym, register_officer.c.id)
                                     .where(register_officer.c.force_code == force_code)).all())
        new = sorted({e["pseudonym"] for e in events} - set(officers))
        fault("officers")
        if new:
            conn.execute(insert(register_officer), [{"force_code": force_code, "officer_pseudonym": p, "created_at": now,
                                                      "source_file_id": file_id} for p in new])
            officers = dict(conn.execute(select(register_officer.c.officer_pseudonym, register_officer.c.id)
                                         .where(register_officer.c.force_code == force_code)).all())
        report.officers_created = len(new)
        seen: set[tuple[str, str]] = set()
        current: dict[str, Any] = {}
        for r in conn.execute(select(register_event.c.id, register_event.c.natural_key, register_event.c.content_hash,
                                     register_event.c.version, register_event.c.state)
                              .where(register_event.c.force_code == force_code)):
            seen.add((r.natural_key, r.content_hash))
            if r.state == "current":
                current[r.natural_key] = r
        rows, corrections = [], []
        for e in events:
            # content already held under this key, in any state (a later hand correction stands)
            if (e["natural_key"], e["content_hash"]) in seen:
                report.skipped += 1
                continue
            old = current.get(e["natural_key"])
            row = {f: e[f] for f in ("natural_key", "content_hash", "source_row", *(EVENT_FIELDS))}
            row.update(force_code=force_code, officer_id=officers[e["pseudonym"]], source_file_id=file_id,
                       recorded_at=now, recorded_by=principal.username[:120], state="current", version=1,
                       replaces_id=old.id if old is not None else None,
                       reason="hr_system_correction" if old is not None else None)
            rows.append(row)
            if old is not None:
                corrections.append(old)
        fault("corrections")
        for old in corrections:
            conn.execute(update(register_event).where(register_event.c.id == old.id)
                         .values(state="superseded", version=old.version + 1))
        fault("events")
        if rows:
            conn.execute(insert(register_event), rows)
        report.events_stored = len(rows) - len(corrections)
        report.events_corrected = len(corrections)
        if corrections:
            replaced = dict(conn.execute(select(register_event.c.replaces_id, register_event.c.id).where(
                register_event.c.replaces_id.in_([o.id for o in corrections]),
                register_event.c.state == "current")).all())
            for old in corrections:
                audit.append(conn, EventCorrected(force_code=force_code, subject_id=str(old.id),
                                                  replaced_by=replaced.get(old.id), change="corrected",
                                                  reason="hr_system_correction", fields=["import"]), actor=principal)
        conn.execute(update(source_file).where(source_file.c.id == file_id).values(
            summary={**report.summary(), "problems": [p.as_dict() for p in report.problems[:200]]}))
        audit.append(conn, audit.FileImported(force_code=force_code, subject_id=str(file_id), kind=KIND,
                                              filename=report.file, sha256=report.sha256, rows=len(rows)),
                     actor=principal)
