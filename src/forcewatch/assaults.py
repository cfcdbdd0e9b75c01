"""Assaults on officers: one record per victim per crime, read and written under the access policy.

- :func:`record_assault` stores one assault entered by hand (the web form), checked by the same rules
  as an import (:mod:`forcewatch.assault_fields`); the CSV importer is
  :func:`forcewatch.assault_import.import_assaults`.
- :func:`get_assault` returns one record with its linked use-of-force reports, its outcome trail, the
  status derived from it, its prosecution time limit and (for those allowed) its welfare record.
- :func:`list_assaults` lists the records the reader may see, newest first.
- :func:`record_welfare` records aftercare and welfare checks (health data, ``welfare.write``).

The victim is stored only as an officer pseudonym. Every read is a ``record.read`` audit event and
every write an :class:`AssaultRecorded` or :class:`WelfareRecorded` event, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, ClassVar, Mapping

from sqlalchemy import Connection, insert, select, update

from . import access, audit
from . import assault_reference as ref
from .access import Principal
from .assault_access import allowed_on, assault_filters, load_assault, require_on
from .assault_fields import CheckedAssault, check_assault, check_welfare, content_hash
from .errors import Conflict, InputRefused, Problem, UsageError
from .forces import resolve
from .outcomes import derived_status, outcome_trail, time_limit_status
from .pseudonyms import officer_pseudonym
from .settings import Settings
from .store import Store
from .store.tables.assaults import assault_use_of_force, assault_welfare, officer_assault
from .store.tables.records import officer_report

__all__ = ["AssaultRecorded", "WelfareRecorded", "record_assault", "get_assault", "list_assaults",
           "record_welfare", "store_checked", "victim_of"]


@audit.register
@dataclass(frozen=True, kw_only=True)
class AssaultRecorded(audit.AuditEvent):
    """Fires when an assault on an officer is recorded (``change``: created) or revised by a re-import
    (``change``: updated), in the same transaction. Never carries the circumstances or the victim."""

    name: ClassVar[str] = "assault.recorded"
    subject_type: ClassVar[str] = "officer_assault"
    change: str
    offence: str
    ho_class: str
    source: str
    version: int = 1


@audit.register
@dataclass(frozen=True, kw_only=True)
class WelfareRecorded(audit.AuditEvent):
    """Fires when an assaulted officer's aftercare and welfare record is created or changed."""

    name: ClassVar[str] = "assault.welfare_recorded"
    subject_type: ClassVar[str] = "officer_assault"
    fields: list[str]
    version: int = 1


def _now() -> datetime:
    return datetime.now(timezone.utc)


def victim_of(principal: Principal, force_code: str, staff_id: str | None, team: str | None,
              settings: Settings) -> tuple[str, str | None]:
    """The victim's pseudonym and team: from a staff identifier, or the principal themselves."""
    if staff_id:
        return officer_pseudonym(settings.officer_pseudonym_key, force_code, staff_id), team
    if principal.officer_pseudonym and principal.force_code == force_code:
        return principal.officer_pseudonym, team or principal.team
    raise InputRefused("the assaulted officer is not named", [Problem(
        "VictimStaffId is empty", column="VictimStaffId",
        expected="the assaulted officer's staff identifier (only its pseudonym is stored)")])


def _link_reports(conn: Connection, assault_id: int, force_code: str, refs: list[str]) -> None:
    conn.execute(assault_use_of_force.delete().where(assault_use_of_force.c.assault_id == assault_id))
    if not refs:
        return
    held = dict(conn.execute(select(officer_report.c.report_ref, officer_report.c.id).where(
        officer_report.c.force_code == force_code, officer_report.c.report_ref.in_(refs))).all())
    conn.execute(insert(assault_use_of_force), [{"assault_id": assault_id, "report_ref": r, "report_id": held.get(r)}
                                                for r in refs])


def _write_welfare(conn: Connection, assault_id: int, welfare: Mapping[str, Any], by: str) -> int:
    held = conn.execute(select(assault_welfare.c.version).where(assault_welfare.c.assault_id == assault_id)).first()
    if held is None:
        conn.execute(insert(assault_welfare).values(assault_id=assault_id, **welfare, version=1, updated_by=by,
                                                    updated_at=_now()))
        return 1
    conn.execute(update(assault_welfare).where(assault_welfare.c.assault_id == assault_id).values(
        **welfare, version=held.version + 1, updated_by=by, updated_at=_now()))
    return int(held.version) + 1


def store_checked(conn: Connection, principal: Principal, checked: CheckedAssault, force_code: str, *,
                  settings: Settings, source: str, source_file_id: int | None = None,
                  source_row: int | None = None) -> tuple[str, int]:
    """Store one checked assault in ``conn``'s transaction: ``("created"|"updated"|"unchanged", id)``.

    Checks ``assault.write`` (and ``welfare.write`` when it carries welfare answers) for its force,
    victim and team; a record already held for the same crime and victim is revised in place when its
    content differs (``version`` + 1) and left alone when it does not.
    """
    victim, team = victim_of(principal, force_code, checked.victim_staff_id, checked.assault.get("team"), settings)
    values = {**checked.assault, "team": team}
    access.require(principal, "assault.write", force_code=force_code, owner=victim, team=team)
    if checked.welfare:
        access.require(principal, "welfare.write", force_code=force_code, owner=victim, team=team)
    digest = content_hash(values, checked.welfare, checked.use_of_force_refs)
    t = officer_assault.c
    held = conn.execute(select(t.id, t.content_hash, t.version).where(
        t.force_code == force_code, t.crime_ref == values["crime_ref"], t.victim_pseudonym == victim)).first()
    if held is not None and held.content_hash == digest:
        return "unchanged", int(held.id)
    now = _now()
    if held is None:
        change, version = "created", 1
        assault_id = int(conn.execute(insert(officer_assault).returning(t.id), {
            **values, "force_code": force_code, "victim_pseudonym": victim, "content_hash": digest,
            "reference_version": ref.reference().version, "version": 1, "created_by": principal.username,
            "created_at": now, "updated_at": now, "source_file_id": source_file_id, "source_row": source_row,
        }).scalar_one())
    else:
        change, version, assault_id = "updated", int(held.version) + 1, int(held.id)
        conn.execute(update(officer_assault).where(t.id == assault_id).values(
            **values, content_hash=digest, reference_version=ref.reference().version, version=version,
            updated_at=now, source_file_id=source_file_id, source_row=source_row))
    _link_reports(conn, assault_id, force_code, checked.use_of_force_refs)
    if checked.welfare:
        welfare_version = _write_welfare(conn, assault_id, checked.welfare, principal.username)
        audit.append(conn, WelfareRecorded(force_code=force_code, subject_id=str(assault_id),
                                           fields=sorted(checked.welfare), version=welfare_version), actor=principal)
    audit.append(conn, AssaultRecorded(force_code=force_code, subject_id=str(assault_id), change=change,
                                       offence=values["offence"], ho_class=values["ho_class"], source=source,
                                       version=version), actor=principal)
    return change, assault_id


def _force_for(principal: Principal, force: str | None) -> str:
    if force:
        code = resolve(force, "force").code
        if principal.force_code and code != principal.force_code:
            access.require(principal, "assault.write", force_code=code)
        return code
    if principal.force_code is None:
        raise UsageError("say which force the assault belongs to", hint="give --force NAME_OR_CODE")
    return principal.force_code


def record_assault(store: Store, principal: Principal, values: Mapping[str, str | None], *,
                   force: str | None = None, settings: Settings | None = None, today: date | None = None) -> int:
    """Record one assault from a form's answers; returns its id, or raises :class:`InputRefused`.

    Without a ``VictimStaffId`` the assault is recorded as one on the principal themselves (an
    officer recording their own assault). A record already held for the same crime and victim is a
    :class:`Conflict` (change it through its own page or a revised import).
    """
    settings = settings or Settings()
    force_code = _force_for(principal, force)
    checked = check_assault(values, file="form", today=today)
    if not checked.ok:
        raise InputRefused("the assault was not recorded", [p for p in checked.problems if p.severity == "error"],
                           hint="correct the answers named and send the form again")
    with store.write() as conn:
        victim, _ = victim_of(principal, force_code, checked.victim_staff_id, None, settings)
        t = officer_assault.c
        held = conn.execute(select(t.id).where(t.force_code == force_code, t.crime_ref == checked.assault["crime_ref"],
                                               t.victim_pseudonym == victim)).first()
        if held is not None:
            raise Conflict(f"an assault on this officer under crime {checked.assault['crime_ref']} is already recorded",
                           hint="one record per officer per crime: add outcomes to it instead")
        _, assault_id = store_checked(conn, principal, checked, force_code, settings=settings, source="form")
    return assault_id


def _record_dict(row: Any) -> dict[str, Any]:
    d = dict(row._mapping)
    d.pop("content_hash", None)
    d["force"] = resolve(d["force_code"]).name
    d["offence_label"] = ref.offence(d["offence"]).label
    return d


def get_assault(store: Store, principal: Principal, assault_id: int, *, as_of: date | None = None) -> dict[str, Any]:
    """One assault with its use-of-force links, outcome trail, derived status, time limit and, when the
    reader may see it, its welfare record (``welfare``: ``None`` when not recorded or not allowed)."""
    with store.write() as conn:
        row = load_assault(conn, principal, "assault.read", assault_id)
        record = _record_dict(row)
        record["use_of_force_refs"] = [dict(r._mapping) for r in conn.execute(
            select(assault_use_of_force.c.report_ref, assault_use_of_force.c.report_id)
            .where(assault_use_of_force.c.assault_id == assault_id).order_by(assault_use_of_force.c.report_ref))]
        record["outcomes"] = outcome_trail(conn, [assault_id])[assault_id]
        record["welfare_visible"] = allowed_on(principal, "welfare.read", row)
        welfare = None
        if record["welfare_visible"]:
            found = conn.execute(select(assault_welfare).where(assault_welfare.c.assault_id == assault_id)).first()
            welfare = dict(found._mapping) if found else None
        record["welfare"] = welfare
        audit.append(conn, audit.RecordRead(force_code=row.force_code, subject_id=str(assault_id),
                                            record_type="officer_assault"), actor=principal)
    record["status"] = derived_status(record["outcomes"])
    record["time_limit"] = time_limit_status(record, record["outcomes"], as_of or date.today())
    return record


def list_assaults(store: Store, principal: Principal, *, force: str | None = None, date_from: date | None = None,
                  date_to: date | None = None, limit: int = 500) -> list[dict[str, Any]]:
    """The assaults the principal may read, newest offence first, each with its derived status."""
    clauses = assault_filters(principal, "assault.read")
    code = resolve(force, "force").code if force else None
    if code:
        if code not in access.visible_forces(principal, "assault.read"):
            access.require(principal, "assault.read", force_code=code)  # raises, naming the force
        clauses.append(officer_assault.c.force_code == code)
    if date_from:
        clauses.append(officer_assault.c.offence_date >= date_from)
    if date_to:
        clauses.append(officer_assault.c.offence_date <= date_to)
    query = (select(officer_assault).where(*clauses).order_by(officer_assault.c.offence_date.desc(),
                                                                     officer_assault.c.id.desc())
             .limit(max(1, min(int(limit), 100_000))))
    with store.write() as conn:
        rows = [_record_dict(r) for r in conn.execute(query)]
        trails = outcome_trail(conn, [r["id"] for r in rows])
        asked = {k: v for k, v in {"force": code, "from": date_from, "to": date_to}.items() if v}
        audit.append(conn, audit.RecordRead(force_code=code or principal.force_code, record_type="officer_assault",
                                            count=len(rows), query={k: str(v) for k, v in asked.items()}),
                     actor=principal)
    for r in rows:
        r["status"] = derived_status(trails[r["id"]])
        r.pop("circumstances", None)
    return rows


def record_welfare(store: Store, principal: Principal, assault_id: int, values: Mapping[str, str | None]) -> int:
    """Record or change an assault's aftercare and welfare checks; returns the welfare record's version."""
    welfare, problems = check_welfare(values, file="form")
    if problems:
        raise InputRefused("the welfare record was not saved", problems,
                           hint="correct the answers named and send the form again")
    if not welfare:
        raise InputRefused("the welfare form is empty", [Problem("no welfare answer was given",
                                                                 expected="at least one answer")])
    with store.write() as conn:
        row = load_assault(conn, principal, "welfare.write", assault_id)
        require_on(principal, "welfare.write", row)
        first = welfare.get("first_welfare_contact_date")
        if first and first < row.offence_date:
            raise InputRefused("the welfare record was not saved", [Problem(
                "FirstWelfareContactDate is before the offence date", column="FirstWelfareContactDate",
                value=first.isoformat(), expected=f"on or after {row.offence_date.isoformat()}")])
        version = _write_welfare(conn, assault_id, welfare, principal.username)
        audit.append(conn, WelfareRecorded(force_code=row.force_code, subject_id=str(assault_id),
                                           fields=sorted(welfare), version=version), actor=principal)
    return version
