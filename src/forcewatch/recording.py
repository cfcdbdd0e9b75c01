"""Importing officers' reports: ``forcewatch import records PATH --force F``.

:func:`import_records` reads a national-form file (CSV in UTF-8 or cp1252, or XLSX), checks and
normalises every value, and stores the reports, their incidents and people, tactic uses and CED
device blocks. It is

- **atomic**: the whole file is read and checked before anything is written; a file with any
  error-severity problem is refused with :class:`~forcewatch.errors.InputRefused` listing every
  problem, and nothing is stored. Everything is then written in one transaction, so a crash half
  way leaves the database as it was;
- **idempotent**: a file already imported for the same scope (by SHA-256) changes nothing; a
  revised file for the same force adds only the reports it does not hold yet (by natural key, see
  :mod:`forcewatch.record_keys`), and replaces a report whose ``ReportId`` it holds with different
  content (``version`` + 1).
"""

from __future__ import annotations

import getpass
import hashlib
import time as clock
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import polars as pl
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from . import forces
from .errors import Conflict, InputRefused, Problem, UsageError
from .importers.national_form import read_national_form
from .normalise import normalise_frame
from .record_keys import add_keys
from .settings import Settings
from .store import Store
from .store.bulk import allocate_ids, bulk_insert
from .store.tables.records import ced_device, incident, officer_report, person_involved, tactic_use
from .store.tables.reference import source_file

__all__ = ["ImportReport", "import_records", "Progress"]

#: progress(phase, done, total): phases "read", "check", "write"
Progress = Callable[[str, int, int], None]
KIND = "records"


@dataclass
class ImportReport:
    """What an import read, stored, skipped, repaired and warned about."""

    file: str
    sha256: str
    scope: str
    encoding: str = ""
    layout: str = ""
    reports_read: int = 0
    stored: int = 0
    updated: int = 0
    skipped: int = 0
    simulated: int = 0
    size_bytes: int = 0
    already_imported: bool = False
    source_file_id: int | None = None
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    @property
    def repairs(self) -> int:
        return sum(1 for p in self.problems if p.severity == "repair")

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == "warning")

    def summary(self) -> dict[str, Any]:
        """The counts, as stored in ``source_file.summary`` and printed by the command line."""
        d = asdict(self)
        d.pop("problems")
        d.update(repairs=self.repairs, warnings=self.warnings)
        if self.simulated:
            d["note"] = f"SIMULATED: {self.simulated:,} of these reports are synthetic (forcewatch simulate)"
        return d

    def as_dict(self) -> dict[str, Any]:
        return {**self.summary(), "problems": [p.as_dict() for p in self.problems]}


def _scope_and_forces(frame: pl.DataFrame, force: str | None, log: Any) -> tuple[str, pl.DataFrame]:
    """The force of every row, from ``--force`` or the file's ``Force`` column (which must agree)."""
    code = forces.resolve(force, "force").code if force else None
    column = frame.get_column("force") if "force" in frame.columns else None
    if column is None or column.null_count() == frame.height:
        if code is None:
            raise UsageError("this file has no Force column, so the force must be given",
                             hint="add --force NAME_OR_CODE, e.g. --force 'Metropolitan Police'")
        return code, frame.with_columns(pl.lit(code).alias("force_code"))
    if code is not None:
        wrong = frame.filter(pl.col("force").is_not_null() & (pl.col("force") != code))
        for row in wrong.get_column("_row").head(100).to_list():
            log.add("error", f"this row belongs to another force than --force {force!r}", field="force", row=row,
                    value=frame.filter(pl.col("_row") == row).get_column("force")[0], expected=code)
    missing = frame.filter(pl.col("force").is_null()).get_column("_row")
    if code is None and len(missing):
        for row in missing.head(100).to_list():
            log.add("error", "Force is empty", field="force", row=row, expected="a force name or ONS code")
    filled = frame.with_columns(pl.col("force").fill_null(pl.lit(code)).alias("force_code"))
    found = filled.get_column("force_code").drop_nulls().unique().to_list()
    return (found[0] if len(found) == 1 else "national"), filled


def _duplicate_report_ids(frame: pl.DataFrame, log: Any) -> None:
    if "report_id" not in frame.columns:
        return
    dup = frame.filter(pl.col("report_id").is_not_null() & pl.col("report_id").is_duplicated())
    for row, value in dup.select("_row", "report_id").head(100).iter_rows():
        log.add("error", "this ReportId appears on more than one row", field="report_id", row=row, value=value,
                expected="one row per report")
    empty = frame.filter(pl.col("report_id").is_null()).get_column("_row")
    for row in empty.head(100).to_list():
        log.add("error", "ReportId is empty", field="report_id", row=row,
                expected="a ReportId on every row when the column is present")


def import_records(store: Store, path: str | Path, force: str | None = None, *, settings: Settings | None = None,
                   imported_by: str | None = None, progress: Progress | None = None,
                   fault: Callable[[str], None] | None = None) -> ImportReport:
    """Import one national-form file; returns the report, or raises :class:`InputRefused`.

    ``fault`` is called with the name of each write step (``incidents``, ``people``, ``reports``,
    ``tactics``, ``devices``) inside the transaction; raising from it proves a failed write keeps
    nothing.
    """
    started = clock.perf_counter()
    path = Path(path)
    tick = progress or (lambda phase, done, total: None)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    sha = hashlib.sha256(data).hexdigest()
    wanted = forces.resolve(force, "force").code if force else None
    done = _already_imported(store, path, sha, wanted, len(data), started)
    if done:
        return done
    tick("read", 0, 1)
    raw = read_national_form(data, path.name)
    log = raw.log
    report = ImportReport(file=path.name, sha256=sha, scope=wanted or "", encoding=raw.encoding, layout=raw.layout,
                          size_bytes=len(data))
    if not log.errors:
        tick("check", 0, raw.frame.height)
        report.scope, frame = _scope_and_forces(raw.frame, force, log)
        _duplicate_report_ids(frame, log)
        forms = normalise_frame(frame, log=log)
        report.reports_read = frame.height
    report.problems = log.sorted()
    if log.errors:
        raise InputRefused(f"{path.name}: {len(log.errors):,} problems; the file was not imported", report.problems,
                           hint="fix the rows named and import the file again")
    reports = forms.reports.with_columns(frame.get_column("force_code"))
    key = None
    if "officer_id" in forms.present and reports.get_column("officer_id").null_count() < reports.height:
        key = (settings or Settings()).officer_pseudonym_key
    reports = add_keys(reports, forms.tactics, forms.devices, pseudonym_key=key)
    report.simulated = int(reports.get_column("simulated").sum())
    try:
        _write(store, report, reports, forms.tactics, forms.devices, imported_by or getpass.getuser(), tick,
               fault or (lambda step: None))
    except IntegrityError:  # another import of the same file (or of the same reports) committed first
        done = _already_imported(store, path, sha, wanted or report.scope, len(data), started)
        if done:
            return done
        raise Conflict(f"{path.name}: another import stored some of the same reports while this one ran; "
                       "nothing was stored by this one", hint="import the file again: what is held is skipped") from None
    report.seconds = clock.perf_counter() - started
    return report


def _already_imported(store: Store, path: Path, sha: str, wanted: str | None, size: int,
                      started: float) -> ImportReport | None:
    """The report of an earlier import of the same bytes (for the same force, if one is named), if any."""
    with store.read() as conn:
        done = conn.execute(select(source_file).where(source_file.c.kind == KIND, source_file.c.sha256 == sha)).mappings().all()
    for previous in done:
        if wanted is None or previous["scope"] == wanted:
            summary = dict(previous["summary"])
            return ImportReport(file=path.name, sha256=sha, scope=previous["scope"], encoding=summary.get("encoding", ""),
                                layout=summary.get("layout", ""), reports_read=summary.get("reports_read", 0),
                                skipped=summary.get("reports_read", 0), already_imported=True, size_bytes=size,
                                source_file_id=previous["id"], seconds=clock.perf_counter() - started)
    return None


def _existing(conn: Any, query: Any, schema: dict[str, Any]) -> pl.DataFrame:
    rows = conn.execute(query).all()
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def _write(store: Store, report: ImportReport, reports: pl.DataFrame, tactics: pl.DataFrame, devices: pl.DataFrame,
           imported_by: str, tick: Progress, fault: Callable[[str], None]) -> None:
    force_codes = reports.get_column("force_code").unique().to_list()
    total = reports.height
    with store.write() as conn:
        file_id = conn.execute(insert(source_file).values(
            kind=KIND, sha256=report.sha256, filename=report.file[:400], size_bytes=report.size_bytes, scope=report.scope,
            vintage=None, imported_at=datetime.now(timezone.utc), imported_by=imported_by[:120], summary={},
        ).returning(source_file.c.id)).scalar_one()
        report.source_file_id = file_id
        # reports already held: skip identical ones, replace changed ones (declared ReportId only)
        held = _existing(conn, select(officer_report.c.force_code, officer_report.c.natural_key, officer_report.c.id,
                                      officer_report.c.content_hash, officer_report.c.version)
                         .where(officer_report.c.force_code.in_(force_codes)),
                         {"force_code": pl.String, "natural_key": pl.String, "_held_id": pl.Int64,
                          "_held_hash": pl.String, "_held_version": pl.Int64})
        reports = reports.join(held, on=["force_code", "natural_key"], how="left")
        same = pl.col("_held_id").is_not_null() & (pl.col("_held_hash") == pl.col("content_hash"))
        report.skipped = reports.filter(same).height
        reports = reports.filter(~same)
        changed = reports.filter(pl.col("_held_id").is_not_null())
        report.updated = changed.height
        if changed.height:
            ids = changed.get_column("_held_id").to_list()
            for start in range(0, len(ids), 10_000):
                conn.execute(delete(officer_report).where(officer_report.c.id.in_(ids[start:start + 10_000])))
        # incidents and people: reuse those held, create the rest
        held_incidents = _existing(conn, select(incident.c.force_code, incident.c.ref, incident.c.id)
                                   .where(incident.c.force_code.in_(force_codes)),
                                   {"force_code": pl.String, "incident_ref": pl.String, "incident_id": pl.Int64})
        reports = reports.join(held_incidents, on=["force_code", "incident_ref"], how="left")
        new_incidents = (reports.filter(pl.col("incident_id").is_null())
                         .select("force_code", "incident_ref", "incident_grouping", "incident_date", "incident_time",
                                 "borough", "simulated")
                         .unique(["force_code", "incident_ref"], keep="first", maintain_order=True))
        first = allocate_ids(conn, incident, new_incidents.height)
        new_incidents = new_incidents.with_columns((pl.int_range(pl.len()) + first).alias("new_incident_id"))
        fault("incidents")
        bulk_insert(conn, incident, new_incidents.select(
            pl.col("new_incident_id").alias("id"), "force_code", pl.col("incident_ref").alias("ref"),
            pl.col("incident_grouping").alias("grouping"), pl.col("incident_date").alias("occurred_date"),
            pl.col("incident_time").alias("occurred_time"), "borough", "simulated"))
        reports = reports.join(new_incidents.select("force_code", "incident_ref", "new_incident_id"),
                               on=["force_code", "incident_ref"], how="left").with_columns(
            pl.coalesce("incident_id", "new_incident_id").alias("incident_id"))
        held_people = _existing(conn, select(person_involved.c.incident_id, person_involved.c.ref, person_involved.c.id)
                                .join(incident).where(incident.c.force_code.in_(force_codes)),
                                {"incident_id": pl.Int64, "person_ref": pl.String, "person_id": pl.Int64})
        reports = reports.join(held_people, on=["incident_id", "person_ref"], how="left")
        new_people = (reports.filter(pl.col("person_id").is_null())
                      .select("incident_id", "person_ref", "person_grouping")
                      .unique(["incident_id", "person_ref"], keep="first", maintain_order=True))
        first = allocate_ids(conn, person_involved, new_people.height)
        new_people = new_people.with_columns((pl.int_range(pl.len()) + first).alias("new_person_id"))
        fault("people")
        bulk_insert(conn, person_involved, new_people.select(
            pl.col("new_person_id").alias("id"), "incident_id", pl.col("person_ref").alias("ref"),
            pl.col("person_grouping").alias("grouping")))
        reports = reports.join(new_people.select("incident_id", "person_ref", "new_person_id"),
                               on=["incident_id", "person_ref"], how="left").with_columns(
            pl.coalesce("person_id", "new_person_id").alias("person_id"))
        # the reports themselves, their tactic uses and CED device blocks
        first = allocate_ids(conn, officer_report, reports.height)
        reports = reports.sort("_idx").with_columns(
            pl.coalesce("_held_id", pl.int_range(pl.len()) + first).alias("id"),
            (pl.col("_held_version").fill_null(0) + 1).alias("version"),
            pl.lit(file_id).alias("source_file_id"), pl.col("_row").alias("source_row"))
        columns = [c for c in officer_report.c.keys() if c in reports.columns]
        fault("reports")
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            tick("write", done, total)

        bulk_insert(conn, officer_report, reports.select(columns), progress=step)
        ids = reports.select("_idx", "id")
        fault("tactics")
        bulk_insert(conn, tactic_use, tactics.join(ids, on="_idx").select(
            pl.col("id").alias("report_id"), "seq", "form_tactic", "tactic", "effective"))
        fault("devices")
        bulk_insert(conn, ced_device, devices.join(ids, on="_idx").drop("_idx").rename({"id": "report_id"}))
        report.stored = reports.height - report.updated
        conn.execute(update(source_file).where(source_file.c.id == file_id).values(
            summary={**report.summary(), "problems": [p.as_dict() for p in report.problems[:200]]}))
