"""Officers' use-of-force reports one at a time: record one on the form, list, read and review them.

Every function takes the acting :class:`~forcewatch.access.Principal` and checks it against the
access policy (``report.create``, ``report.read``, ``report.review``) record by record; every
record-level read is an audit event in the same transaction as the read, every write an audit
event in the same transaction as the write.

- :func:`create_report` stores a report written on the web form in the same tables as imported
  ones (``source = form``), after exactly the importer's checks
  (:func:`forcewatch.record.normalise_report`). The officer's pseudonym, force and team come from
  the principal, never from the answers. Resubmitting the same form (a double click, the back
  button) returns the report already stored.
- :func:`list_reports` gives the reports the principal may read (own, team, force or all), newest
  first, a page at a time; :func:`get_report` one report with its tactics and CED blocks.
- :func:`review_report` marks a report reviewed by a supervisor of the officer's team, with
  optimistic locking on ``version``; a supervisor never reviews their own report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping

from sqlalchemy import Connection, and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from . import access, audit
from .access import ALL, Principal, Scope
from .errors import Conflict, InputRefused, NotFound, PermissionDenied, Problem
from .form import FIELDS_BY_NAME
from .record import normalise_report
from .report_details import report_details, report_summary
from .store import Store
from .store.bulk import allocate_ids
from .store.tables.records import ced_device, incident, officer_report, person_involved, tactic_use

__all__ = ["RECORD_TYPE", "ReportPage", "create_report", "list_reports", "get_report", "review_report", "PER_PAGE"]

RECORD_TYPE = "use_of_force_report"
PER_PAGE = 50
_SUBMISSION = re.compile(r"[A-Za-z0-9_-]{8,64}")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class ReportPage:
    """One page of the reports a principal may read."""

    reports: list[dict[str, Any]]
    total: int
    page: int
    per_page: int
    scope: str
    mine: bool
    awaiting_review: bool

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)

    def as_dict(self) -> dict[str, Any]:
        return {"scope": self.scope, "mine": self.mine, "awaiting_review": self.awaiting_review, "total": self.total,
                "page": self.page, "pages": self.pages, "per_page": self.per_page, "reports": self.reports}


# --- recording on the form ------------------------------------------------------------------


def create_report(store: Store, principal: Principal, answers: Mapping[str, str | None], *, submission: str,
                  started_at: datetime | None = None) -> int:
    """Store one report written on the form by ``principal``; returns its id.

    ``answers`` are national-form values keyed by field name (see
    :func:`forcewatch.recording_form.answers_from_post`); forcewatch's extension columns (force,
    ids, officer, simulated, timestamps) are not answers and are refused. ``submission`` is the
    form's one-time reference: the same submission stores one report, whatever the number of posts.
    Raises :class:`InputRefused` with every problem, keyed by field name, when the importer's
    rules refuse a value; nothing is stored then.
    """
    if principal.officer_pseudonym is None or principal.force_code is None:
        raise PermissionDenied(f"{principal.role} {principal.username!r} has no officer pseudonym, so cannot "
                               "record a report of their own", hint="ask an administrator to add your staff identifier")
    access.require(principal, "report.create", force_code=principal.force_code, owner=principal.officer_pseudonym)
    if not _SUBMISSION.fullmatch(submission):
        raise InputRefused("the form's submission reference is missing or malformed",
                           [Problem("reload the form and submit it again", column="submission")])
    extension = sorted(k for k in answers if k not in FIELDS_BY_NAME or FIELDS_BY_NAME[k].extension)
    if extension:
        raise InputRefused("these are not questions of the form", [
            Problem(f"{k!r} is not a question of the national form", column=k) for k in extension])
    completed = _now()
    started = min(started_at.replace(tzinfo=None), completed) if started_at else completed
    fields = {**answers, "form_started": started.isoformat(sep=" "), "form_completed": completed.isoformat(sep=" ")}
    normalised, problems = normalise_report(fields, source="form", force_code=principal.force_code)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputRefused(f"the report was not stored: {len(errors)} answer(s) need correcting", errors,
                           hint="correct the answers named and submit again")
    key = f"form:{principal.officer_pseudonym}:{submission}"
    try:
        with store.write() as conn:
            held = _held(conn, principal.force_code, key)
            if held is not None:
                return held
            return _insert(conn, principal, normalised.report, normalised.tactics, normalised.devices, key,
                           answered=sorted(k for k, v in answers.items() if v is not None))
    except IntegrityError:  # the same submission stored by a concurrent post
        with store.read() as conn:
            held = _held(conn, principal.force_code, key)
        if held is None:
            raise
        return held


def _held(conn: Connection, force_code: str, key: str) -> int | None:
    return conn.execute(select(officer_report.c.id).where(officer_report.c.force_code == force_code,
                                                          officer_report.c.natural_key == key)).scalar()


def _insert(conn: Connection, principal: Principal, report: dict[str, Any], tactics: list[dict[str, Any]],
            devices: list[dict[str, Any]], key: str, *, answered: list[str]) -> int:
    force_code = principal.force_code
    incident_id = conn.execute(select(incident.c.id).where(incident.c.force_code == force_code,
                                                           incident.c.ref == report["incident_ref"])).scalar()
    if incident_id is None:
        incident_id = allocate_ids(conn, incident, 1)
        conn.execute(insert(incident).values(
            id=incident_id, force_code=force_code, ref=report["incident_ref"], grouping=report["incident_grouping"],
            occurred_date=report["incident_date"], occurred_time=report["incident_time"], borough=report["borough"],
            simulated=False))
    person_id = conn.execute(select(person_involved.c.id).where(person_involved.c.incident_id == incident_id,
                                                                person_involved.c.ref == report["person_ref"])).scalar()
    if person_id is None:
        person_id = allocate_ids(conn, person_involved, 1)
        conn.execute(insert(person_involved).values(id=person_id, incident_id=incident_id, ref=report["person_ref"],
                                                    grouping=report["person_grouping"]))
    report_id = allocate_ids(conn, officer_report, 1)
    row = {k: v for k, v in report.items() if k in officer_report.c}
    row.update(id=report_id, incident_id=incident_id, person_id=person_id, force_code=force_code, natural_key=key,
               report_ref=None, source_file_id=None, source_row=None, officer_pseudonym=principal.officer_pseudonym,
               officer_team=principal.team, source="form", simulated=False, version=1)
    conn.execute(insert(officer_report).values(row))
    if tactics:
        conn.execute(insert(tactic_use), [{**t, "report_id": report_id} for t in tactics])
    if devices:
        conn.execute(insert(ced_device), [{**d, "report_id": report_id} for d in devices])
    audit.append(conn, audit.RecordWritten(force_code=force_code, subject_id=str(report_id), record_type=RECORD_TYPE,
                                           change="created", fields=answered), actor=principal)
    return report_id


# --- reading -------------------------------------------------------------------------------


def _visible(principal: Principal, *, mine: bool) -> tuple[Scope, Any]:
    """The principal's scope for reading reports, and the condition it puts on a query."""
    scope = access.scope_of(principal, "report.read")
    if scope is None:
        access.require(principal, "report.read", force_code=principal.force_code)
    assert scope is not None
    own = and_(officer_report.c.officer_pseudonym == principal.officer_pseudonym,
               officer_report.c.officer_pseudonym.is_not(None))
    forces = access.visible_forces(principal, "report.read")
    condition: Any = officer_report.c.force_code.in_(sorted(forces)) if forces is not ALL else True  # type: ignore[arg-type]
    if mine or scope is Scope.own:
        return (Scope.own if mine else scope), and_(condition, own)
    if scope is Scope.team:
        team = and_(officer_report.c.officer_team == principal.team, officer_report.c.officer_team.is_not(None))
        return scope, and_(condition, or_(own, team))
    return scope, condition


def list_reports(store: Store, principal: Principal, *, mine: bool = False, awaiting_review: bool = False,
                 page: int = 1, per_page: int = PER_PAGE) -> ReportPage:
    """The reports ``principal`` may read (only their own with ``mine``), newest incident first."""
    scope, condition = _visible(principal, mine=mine)
    if awaiting_review:
        condition = and_(condition, officer_report.c.reviewed_at.is_(None))
    page, per_page = max(page, 1), min(max(per_page, 1), 500)
    with store.write() as conn:
        total = conn.execute(select(func.count()).select_from(officer_report).where(condition)).scalar_one()
        page = min(page, max(1, -(-total // per_page)))  # past the last page: the last page
        rows = conn.execute(select(officer_report).where(condition)
                            .order_by(officer_report.c.incident_date.desc(), officer_report.c.incident_time.desc(),
                                      officer_report.c.id.desc())
                            .limit(per_page).offset((page - 1) * per_page)).mappings().all()
        summaries = [report_summary(r) for r in rows]
        audit.append(conn, audit.RecordRead(force_code=principal.force_code, record_type=RECORD_TYPE, count=len(rows),
                                            query={"scope": str(scope), "mine": mine, "awaiting_review": awaiting_review,
                                                   "page": page, "per_page": per_page}), actor=principal)
    return ReportPage(summaries, total, page, per_page, str(scope), mine, awaiting_review)


def _load(conn: Connection, principal: Principal, report_id: int, action: str = "report.read") -> Any:
    """The report's row if ``principal`` may do ``action`` on it; otherwise NotFound, saying nothing about it."""
    row = conn.execute(select(officer_report).where(officer_report.c.id == report_id)).mappings().first()
    if row is None or access.allows(principal, "report.read", force_code=row["force_code"],
                                    owner=row["officer_pseudonym"], team=row["officer_team"]) is None:
        raise NotFound(f"there is no report {report_id} that you may read",
                       hint="reports are visible to their officer, their team's supervisors and their force's analysts")
    if action != "report.read":
        access.require(principal, action, force_code=row["force_code"], owner=row["officer_pseudonym"],
                       team=row["officer_team"])
    return row


def get_report(store: Store, principal: Principal, report_id: int) -> dict[str, Any]:
    """One report with its tactics and CED device blocks (an audited read)."""
    with store.write() as conn:
        row = _load(conn, principal, report_id)
        uses = conn.execute(select(tactic_use).where(tactic_use.c.report_id == report_id)
                            .order_by(tactic_use.c.seq)).mappings().all()
        blocks = conn.execute(select(ced_device).where(ced_device.c.report_id == report_id)
                              .order_by(ced_device.c.block)).mappings().all()
        audit.append(conn, audit.RecordRead(force_code=row["force_code"], subject_id=str(report_id),
                                            record_type=RECORD_TYPE), actor=principal)
    details = report_details(row, uses, blocks)
    details["can_review"] = _can_review(principal, row)
    return details


def _can_review(principal: Principal, row: Any) -> bool:
    return (row["reviewed_at"] is None and row["officer_pseudonym"] != principal.officer_pseudonym
            and access.allows(principal, "report.review", force_code=row["force_code"], owner=row["officer_pseudonym"],
                              team=row["officer_team"]) is not None)


def review_report(store: Store, principal: Principal, report_id: int, *, expected_version: int) -> dict[str, Any]:
    """Mark a report reviewed (a supervisor of the officer's team); returns the report as now stored.

    Raises :class:`Conflict` when the report changed since the reviewer saw ``expected_version``
    (another review, or a revised import) or is already reviewed.
    """
    with store.write() as conn:
        row = _load(conn, principal, report_id, "report.review")
        if row["officer_pseudonym"] is not None and row["officer_pseudonym"] == principal.officer_pseudonym:
            raise PermissionDenied("a supervisor may not review their own report",
                                   hint="another supervisor of your team reviews it")
        changed = conn.execute(update(officer_report).where(
            officer_report.c.id == report_id, officer_report.c.version == expected_version,
            officer_report.c.reviewed_at.is_(None)).values(
            reviewed_at=_now(), reviewed_by=principal.officer_pseudonym or principal.username,
            version=officer_report.c.version + 1)).rowcount
        if changed != 1:  # read it again: a concurrent review may have committed since ``row`` was read
            row = _load(conn, principal, report_id, "report.read")
            if row["version"] != expected_version:
                raise Conflict(f"report {report_id} was changed after you opened it: you saw version "
                               f"{expected_version}, it is now version {row['version']}",
                               hint="reload the report, check what changed, and review it again")
            raise Conflict(f"report {report_id} is already reviewed (on {row['reviewed_at']:%d %B %Y at %H:%M})",
                           hint="reload the report to see the review")
        audit.append(conn, audit.RecordWritten(force_code=row["force_code"], subject_id=str(report_id),
                                               record_type=RECORD_TYPE, change="reviewed",
                                               fields=["reviewed_at", "reviewed_by"]), actor=principal)
    return get_report(store, principal, report_id)
