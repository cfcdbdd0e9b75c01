"""The one reader of stored reports for monitoring: a scope in, one Polars frame out.

Everything in :mod:`forcewatch.monitoring` depends on the records tables **only through**
:func:`load_reports`, so a change in how ``officer_report`` is stored touches this file alone.
The frame has one row per officer report (the Home Office counting unit) and these columns:

=========================  =========  ==============================================================
column                     type       meaning
=========================  =========  ==============================================================
``report_id``              Int64      the report's id
``incident_id``            Int64      the real-world incident it belongs to (declared or heuristic)
``person_id``              Int64      the person it describes, within the incident
``force_code``             String     ONS code of the force that holds it
``incident_date``          Date       date of the incident (scopes select on it)
``simulated``              Boolean    written by ``forcewatch simulate``
``tactic_mask``            Int64      distinct Home Office tactic keys of the ``Tactic n`` entries
                                      (bit = index in ``vocab.TACTICS``, :mod:`forcewatch.masks`)
``ced``                    Boolean    the report involves CED (Taser)
``ced_used``               Boolean    the ``CED Used`` answer as recorded (null: not answered)
``ced_levels_mask``        Int64      every CED level recorded anywhere on the report
``ced_serial_recorded``    Boolean    a device serial number is recorded
``fired_blocks``           Int64      device blocks with Fired ticked (0 without CED)
``fired_no_cartridge``     Int64      ... of which with no cartridge number
``fired_no_cycles``        Int64      ... of which with no total number of cycles
``age`` ``gender``         String     perceived person details, vocabulary keys (``not_reported``
``ethnicity`` ``health``              when not recorded)
``location_mask`` ...      Int64      ``location_mask``, ``reason_mask``, ``impact_factor_mask``,
                                      ``outcome_mask``: the categories ticked Yes
``staff_injured``          String     ``yes`` / ``no`` / ``not_reported``
``staff_injury_intentional`` String   ``yes`` / ``no`` / ``not_reported``
``staff_injury_level``     String     ``minor`` / ``severe`` / ``death`` / ``not_reported``
``subject_injured``        String     ``yes`` / ``no`` / ``unknown`` / ``not_reported``
``subject_injury_level``   String     ``minor`` / ``severe`` / ``death`` / ``not_reported``
``trained_ced``            Boolean    the officer says they are CED trained (null: not answered)
``carrying_ced``           Boolean    the officer was carrying CED (null: not answered)
``quality_flags``          Int64      the import's quality flags (``masks.QUALITY_FLAGS``)
=========================  =========  ==============================================================

Reading record-derived statistics is ``facts.read_records`` in :data:`forcewatch.access.POLICY`:
a principal sees only the forces :func:`~forcewatch.access.visible_forces` gives, and every read
is a ``record.read`` audit event (record type ``use_of_force_statistics``, with the count and the
query). ``principal=None`` is the operator at the command line, who already holds the database URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

import polars as pl
from sqlalchemy import Integer, String, and_, case, cast, func, literal, select

from .. import audit
from ..access import ALL, Principal, visible_forces
from ..errors import PermissionDenied
from ..store import Store
from ..store.tables.records import ced_device, officer_report
from .scope import Scope

__all__ = ["ReportFrame", "FRAME_SCHEMA", "load_reports", "financial_years_held", "empty_frame"]

_R = officer_report.c
_BOOLS = ("simulated", "ced", "ced_used", "ced_serial_recorded", "trained_ced", "carrying_ced")

#: the frame's columns and types (see the module docs); tests and benchmarks build frames with it
FRAME_SCHEMA: dict[str, Any] = {
    "report_id": pl.Int64, "incident_id": pl.Int64, "person_id": pl.Int64, "force_code": pl.String, "incident_date": pl.Date, "simulated": pl.Boolean,
    "tactic_mask": pl.Int64, "ced": pl.Boolean, "ced_used": pl.Boolean, "ced_levels_mask": pl.Int64,
    "ced_serial_recorded": pl.Boolean, "fired_blocks": pl.Int64, "fired_no_cartridge": pl.Int64,
    "fired_no_cycles": pl.Int64, "age": pl.String, "gender": pl.String, "ethnicity": pl.String,
    "health": pl.String, "location_mask": pl.Int64, "reason_mask": pl.Int64, "impact_factor_mask": pl.Int64,
    "outcome_mask": pl.Int64, "staff_injured": pl.String, "staff_injury_intentional": pl.String,
    "staff_injury_level": pl.String, "subject_injured": pl.String, "subject_injury_level": pl.String,
    "trained_ced": pl.Boolean, "carrying_ced": pl.Boolean, "quality_flags": pl.Int64,
}
_DEVICE = ("fired_blocks", "fired_no_cartridge", "fired_no_cycles")


@dataclass(frozen=True)
class ReportFrame:
    """The reports of one scope, when they were read, and which forces hold any."""

    scope: Scope
    reports: pl.DataFrame
    read_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def forces_with_records(self) -> tuple[str, ...]:
        return tuple(sorted(self.reports.get_column("force_code").unique().to_list()))

    @property
    def simulated(self) -> int:
        return int(self.reports.get_column("simulated").sum())

    def within(self, scope: Scope) -> "ReportFrame":
        """The part of this frame inside a narrower scope (no new read)."""
        return ReportFrame(scope, scope.filter(self.reports), self.read_at)


def empty_frame() -> pl.DataFrame:
    """A frame with the loader's columns and no rows."""
    return pl.DataFrame(schema=FRAME_SCHEMA)


def _yes_no(column: Any) -> Any:
    return case((column.is_(None), literal("not_reported")), (column, literal("yes")), else_=literal("no"))


def _report_query(scope: Scope, forces: tuple[str, ...]) -> Any:
    flags = [cast(_R[c], Integer).label(c) for c in ("simulated", "ced", "ced_used", "trained_ced", "carrying_ced")]
    conditions = [_R.incident_date >= scope.start, _R.incident_date <= scope.end, _R.force_code.in_(forces)]
    if scope.financial_years:
        conditions.append(_R.financial_year.in_(scope.financial_years))  # the (force, year) index
    return select(
        _R.id.label("report_id"), _R.incident_id, _R.person_id, _R.force_code, cast(_R.incident_date, String).label("incident_date"), flags[0],
        _R.tactic_mask, flags[1], flags[2], _R.ced_levels_mask,
        cast(case((func.coalesce(_R.ced_serial, "") == "", 0), else_=1), Integer).label("ced_serial_recorded"),
        _R.age, _R.gender, _R.ethnicity, _R.health, _R.location_mask, _R.reason_mask, _R.impact_factor_mask,
        _R.outcome_mask, func.coalesce(_R.staff_injured, "not_reported").label("staff_injured"),
        _yes_no(_R.staff_injury_intentional).label("staff_injury_intentional"),
        func.coalesce(_R.staff_injury_level, "not_reported").label("staff_injury_level"),
        func.coalesce(_R.subject_injured, "not_reported").label("subject_injured"),
        func.coalesce(_R.subject_injury_level, "not_reported").label("subject_injury_level"),
        flags[3], flags[4], _R.quality_flags,
    ).where(and_(*conditions))


def _device_query(scope: Scope, forces: tuple[str, ...]) -> Any:
    d = ced_device.c
    fired = cast(func.coalesce(d.fired, False), Integer)
    return (select(d.report_id, func.sum(fired).label("fired_blocks"),
                   func.sum(case((d.cartridge_number.is_(None), fired), else_=0)).label("fired_no_cartridge"),
                   func.sum(case((d.total_cycles.is_(None), fired), else_=0)).label("fired_no_cycles"))
            .select_from(ced_device.join(officer_report, d.report_id == _R.id))
            .where(_R.incident_date >= scope.start, _R.incident_date <= scope.end, _R.force_code.in_(forces))
            .group_by(d.report_id))


def _frame(rows: list[Any], names: list[str]) -> pl.DataFrame:
    if not rows:
        return pl.DataFrame(schema={n: FRAME_SCHEMA[n] for n in names})
    raw = {n: pl.Series(n, list(values), dtype=pl.String if n == "incident_date" else None, strict=False)
           for n, values in zip(names, zip(*rows))}
    frame = pl.DataFrame(raw)
    return frame.with_columns(pl.col("incident_date").cast(pl.String).str.to_date("%Y-%m-%d"),
                              *(pl.col(c).cast(pl.Boolean) for c in _BOOLS if c in names))


def _authorise(principal: Principal | None, scope: Scope) -> tuple[str, ...]:
    wanted = scope.forces
    if principal is None:
        return wanted
    visible = visible_forces(principal, "facts.read_records")
    if visible is ALL:
        return wanted
    refused = [c for c in wanted if c not in visible]
    if refused:
        raise PermissionDenied(
            f"{principal.role} {principal.username!r} may not read statistics computed from the records of "
            f"{scope.area}: facts.read_records reaches only {', '.join(sorted(visible)) or 'no force'}",
            hint="choose your own force, or use the published figures (source official)")
    return wanted


def load_reports(store: Store, scope: Scope, *, principal: Principal | None = None) -> ReportFrame:
    """Every stored report in ``scope`` as one frame (columns: :data:`FRAME_SCHEMA`).

    Checks ``facts.read_records`` for ``principal`` (raises :class:`PermissionDenied`) and writes
    one ``record.read`` audit event in the same step.
    """
    forces = _authorise(principal, scope)
    with store.read() as conn:
        result = conn.execute(_report_query(scope, forces))
        names = list(result.keys())
        rows = result.fetchall()
        devices = conn.execute(_device_query(scope, forces)).fetchall()
    frame = _frame(rows, names)
    device_frame = pl.DataFrame([tuple(r) for r in devices], schema={"report_id": pl.Int64, **{c: pl.Int64 for c in _DEVICE}},
                                orient="row")
    frame = (frame.join(device_frame, on="report_id", how="left")
             .with_columns(pl.col(c).fill_null(0) for c in _DEVICE)
             .select([pl.col(c).cast(t) for c, t in FRAME_SCHEMA.items()]))
    event = audit.RecordRead(force_code=forces[0] if len(forces) == 1 else None, record_type="use_of_force_statistics",
                             count=frame.height, query=scope.as_dict())
    audit.record(store, event, actor=principal or "system")
    return ReportFrame(scope, frame)


def financial_years_held(store: Store, scope_forces: tuple[str, ...]) -> list[str]:
    """The financial years for which any of these forces holds reports, oldest first."""
    with store.read() as conn:
        years = conn.execute(select(_R.financial_year).where(_R.force_code.in_(scope_forces)).distinct()).scalars().all()
    return sorted(years)


def today() -> date:
    """The computation date written as the vintage of record-derived figures."""
    return datetime.now(timezone.utc).date()
