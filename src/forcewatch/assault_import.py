"""Importing assaults and outcome events from CSV: ``forcewatch assaults import`` and ``... outcome import``.

Both importers are

- **atomic**: every row is read and checked before anything is written; a file with any error is
  refused with :class:`~forcewatch.errors.InputRefused` naming each file, row, column, value and
  expectation, and nothing is stored. Everything is then written in one transaction;
- **idempotent**: a file already imported for the same force (by SHA-256) changes nothing; a revised
  assaults file revises only the records whose content changed (``version`` + 1) and adds the new
  ones; an outcome event already in a trail is skipped.

Files are UTF-8 (with or without a byte-order mark) or Windows-1252, with a header row. Columns are
named as in :data:`forcewatch.assault_fields.FIELDS` (assaults) and
:data:`forcewatch.outcome_fields.EVENT_FIELDS` plus ``CrimeRef`` and ``VictimStaffId`` (events).
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update

from . import audit
from .access import Principal
from .assault_access import allowed_on
from .assault_fields import FIELDS, HEADERS, CheckedAssault, check_assault
from .assaults import store_checked
from .errors import InputRefused, Problem, UsageError
from .forces import resolve
from .outcome_fields import EVENT_FIELDS, check_event
from .outcomes import insert_event
from .pseudonyms import officer_pseudonym
from .settings import Settings
from .store import Store
from .store.tables.assaults import officer_assault
from .store.tables.reference import source_file

__all__ = ["AssaultImportReport", "import_assaults", "import_outcomes"]


@dataclass
class AssaultImportReport:
    """What an import read and stored."""

    file: str
    kind: str
    force_code: str
    sha256: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    already_imported: bool = False
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The counts, without the problems (what the command line prints for people)."""
        d = asdict(self)
        d.pop("problems")
        return d

    def as_dict(self) -> dict[str, Any]:
        return {**self.summary(), "problems": [p.as_dict() for p in self.problems]}


def _read_csv(data: bytes, name: str) -> tuple[list[str], list[dict[str, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252", errors="strict")
        except UnicodeDecodeError as exc:
            raise InputRefused(f"{name}: byte {exc.start:,} is neither UTF-8 nor Windows-1252 text", [Problem(
                "the file is not text in a known encoding", file=name, value=data[exc.start:exc.start + 1].hex(),
                expected="a CSV file in UTF-8 or Windows-1252")]) from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputRefused(f"{name}: the CSV cannot be read ({exc})", [Problem(
            f"the CSV cannot be read ({exc})", file=name, expected="a CSV file with one record per row")]) from None
    if not rows or not any(c.strip() for c in rows[0]):
        raise InputRefused(f"{name} is empty", [Problem("the file has no header row", file=name, row=1,
                                                        expected="a header row naming the columns")])
    header = [c.strip() for c in rows[0]]
    body: list[dict[str, str]] = []
    for cells in rows[1:]:
        if not any(c.strip() for c in cells):
            body.append({})
            continue
        body.append({h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h})
    return header, body


def _header_problems(header: list[str], known: set[str], required: list[str], name: str) -> list[Problem]:
    problems = [Problem(f"column {h!r} is not one forcewatch reads; it was ignored", file=name, row=1, column=h,
                        severity="warning") for h in header if h and h not in known]
    problems += [Problem(f"the file has no {r} column", file=name, row=1, column=r, expected=f"a {r} column")
                 for r in required if r not in header]
    seen: set[str] = set()
    for h in header:
        if h in seen:
            problems.append(Problem(f"column {h!r} appears twice", file=name, row=1, column=h,
                                    expected="each column once"))
        seen.add(h)
    return problems


def _start(store: Store, path: str | Path, force: str, kind: str) -> tuple[bytes, AssaultImportReport, int | None]:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    code = resolve(force, "force").code
    report = AssaultImportReport(file=path.name, kind=kind, force_code=code, sha256=hashlib.sha256(data).hexdigest())
    with store.read() as conn:
        held = conn.execute(select(source_file.c.id, source_file.c.summary).where(
            source_file.c.kind == kind, source_file.c.sha256 == report.sha256, source_file.c.scope == code)).first()
    if held is not None:
        report.already_imported = True
        report.rows = int(held.summary.get("rows", 0))
        report.unchanged = report.rows
    return data, report, held.id if held else None


def _register(conn: Connection, principal: Principal, report: AssaultImportReport, size: int) -> int:
    file_id = int(conn.execute(insert(source_file).returning(source_file.c.id), {
        "kind": report.kind, "sha256": report.sha256, "filename": report.file[:400], "size_bytes": size,
        "scope": report.force_code, "vintage": None, "imported_at": datetime.now(timezone.utc),
        "imported_by": principal.username[:120], "summary": {}}).scalar_one())
    return file_id


def _finish(conn: Connection, principal: Principal, report: AssaultImportReport, file_id: int) -> None:
    summary = report.summary()
    conn.execute(update(source_file).where(source_file.c.id == file_id).values(summary=summary))
    audit.append(conn, audit.FileImported(force_code=report.force_code, subject_id=str(file_id), kind=report.kind,
                                          filename=report.file, sha256=report.sha256, rows=report.rows),
                 actor=principal)


def import_assaults(store: Store, path: str | Path, force: str, *, principal: Principal,
                    settings: Settings | None = None, today: date | None = None) -> AssaultImportReport:
    """Import a CSV of assaults for ``force`` as ``principal`` (who needs ``assault.write`` on every row)."""
    settings = settings or Settings()
    data, report, held = _start(store, path, force, "assaults")
    if held is not None:
        return report
    header, rows = _read_csv(data, report.file)
    problems = _header_problems(header, set(HEADERS), [f.header for f in FIELDS if f.required], report.file)
    checked: list[tuple[int, CheckedAssault]] = []
    if not any(p.severity == "error" for p in problems):
        keys: dict[tuple[str, str], int] = {}
        for number, values in enumerate(rows, start=2):
            if not values:
                continue
            one = check_assault(values, file=report.file, row=number, today=today)
            problems += one.problems
            staff = (one.victim_staff_id or "").strip().upper()
            if not staff:
                problems.append(Problem("VictimStaffId is empty", file=report.file, row=number, column="VictimStaffId",
                                        expected="the assaulted officer's staff identifier (only its pseudonym is kept)"))
            crime = (values.get("CrimeRef") or "").strip()
            if staff and crime:
                if (crime, staff) in keys:
                    problems.append(Problem(f"the same crime and victim as row {keys[(crime, staff)]}", file=report.file,
                                            row=number, column="CrimeRef", value=crime,
                                            expected="one row per officer per crime"))
                keys.setdefault((crime, staff), number)
            checked.append((number, one))
    report.problems = sorted(problems, key=lambda p: (p.severity != "error", p.row or 0))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputRefused(f"{report.file}: {len(errors):,} problems; the file was not imported", report.problems,
                           hint="fix the rows named and import the file again")
    report.rows = len(checked)
    with store.write() as conn:
        file_id = _register(conn, principal, report, len(data))
        for number, one in checked:
            change, _ = store_checked(conn, principal, one, report.force_code, settings=settings, source="import",
                                      source_file_id=file_id, source_row=number)
            setattr(report, change, getattr(report, change) + 1)
        _finish(conn, principal, report, file_id)
    return report


def import_outcomes(store: Store, path: str | Path, force: str, *, principal: Principal,
                    settings: Settings | None = None, today: date | None = None) -> AssaultImportReport:
    """Import a CSV of outcome events (one per row, naming its assault by ``CrimeRef`` and ``VictimStaffId``)."""
    settings = settings or Settings()
    data, report, held = _start(store, path, force, "assault_outcomes")
    if held is not None:
        return report
    header, rows = _read_csv(data, report.file)
    known = {"CrimeRef", "VictimStaffId", *(h for h, _ in EVENT_FIELDS.values())}
    problems = _header_problems(header, known, ["CrimeRef", "VictimStaffId", "EventType", "EventDate"], report.file)
    todo: list[tuple[Any, dict[str, Any]]] = []
    with store.write() as conn:
        if not any(p.severity == "error" for p in problems):
            for number, values in enumerate(rows, start=2):
                if not values:
                    continue
                crime, staff = (values.get("CrimeRef") or "").strip(), (values.get("VictimStaffId") or "").strip()
                pseudonym = officer_pseudonym(settings.officer_pseudonym_key, report.force_code, staff) if staff else ""
                row = conn.execute(select(officer_assault).where(
                    officer_assault.c.force_code == report.force_code, officer_assault.c.crime_ref == crime,
                    officer_assault.c.victim_pseudonym == pseudonym)).first()
                if row is None or not allowed_on(principal, "assault.write", row):
                    problems.append(Problem("no assault with this crime reference and victim that you may write to",
                                            file=report.file, row=number, column="CrimeRef", value=crime,
                                            expected="an assault imported or recorded first"))
                    continue
                event, errors = check_event(values, offence_date=row.offence_date, today=today, file=report.file,
                                            row=number)
                problems += errors
                todo.append((row, event))
        report.problems = sorted(problems, key=lambda p: (p.severity != "error", p.row or 0))
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise InputRefused(f"{report.file}: {len(errors):,} problems; the file was not imported", report.problems,
                               hint="fix the rows named and import the file again")
        report.rows = len(todo)
        file_id = _register(conn, principal, report, len(data))
        for row, event in todo:
            event_id, _ = insert_event(conn, principal, row, event, settings=settings, source="import")
            if event_id is None:
                report.unchanged += 1
            else:
                report.created += 1
        _finish(conn, principal, report, file_id)
    return report
