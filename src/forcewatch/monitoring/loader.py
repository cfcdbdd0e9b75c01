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
from functools import lru_cache
from datetime import date, datetime, timezone
from typing import Any

import polars as pl
from sqlalchemy import BigInteger, Integer, String, and_, bindparam, case, cast, func, literal_column, select

from .. import audit
from ..access import ALL, Principal, visible_forces
from ..errors import PermissionDenied
from ..store import Store
from ..masks import MASK_KEYS
from ..store.tables.records import ced_device, officer_report
from .scope import Scope

__all__ = ["ReportFrame", "FRAME_SCHEMA", "load_reports", "financial_years_held", "empty_frame"]

_R = officer_report.c

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


# The read packs each report's answers into two 64-bit integers (SQLite and PostgreSQL alike):
# one Python object per row instead of twenty-five, which is most of the cost of a national read.
# Categories are stored as vocabulary keys checked on import; a value outside these lists would be
# read as the last one (not reported / unknown).
_CODES: dict[str, tuple[str, ...]] = {
    "age": ("under_11", "11_17", "18_34", "35_49", "50_64", "65_plus", "not_reported"),
    "gender": ("male", "female", "other", "not_reported"),
    "ethnicity": ("white", "black", "asian", "chinese", "mixed", "other", "dont_know", "not_reported"),
    "health": ("mental", "physical", "physical_and_mental", "none", "not_reported"),
    "staff_injured": ("yes", "no", "not_reported"),
    "staff_injury_level": ("minor", "severe", "death", "not_reported"),
    "subject_injured": ("yes", "no", "unknown", "not_reported"),
    "subject_injury_level": ("minor", "severe", "death", "not_reported"),
}
_TRISTATE = ("staff_injury_intentional", "ced_used", "trained_ced", "carrying_ced")  # 0 null, 1 no, 2 yes
_FIELDS: list[tuple[str, int]] = [
    *((name, max(1, (len(values) - 1).bit_length())) for name, values in _CODES.items()),
    *((name, 2) for name in _TRISTATE), ("simulated", 1), ("ced", 1), ("ced_serial_recorded", 1),
    ("ced_levels_mask", 7), ("quality_flags", 16)]
_MULTI = [(f"{d}_mask", len(MASK_KEYS[d])) for d in ("location", "reason", "impact_factor", "outcome")]
assert sum(w for _, w in _FIELDS) < 63 and sum(w for _, w in _MULTI) < 63


def _field_sql(name: str) -> Any:
    if name in _CODES:
        values = _CODES[name]
        return case({v: i for i, v in enumerate(values[:-1])}, value=_R[name], else_=len(values) - 1)
    if name in _TRISTATE:
        return func.coalesce(cast(_R[name], Integer) + 1, 0)
    if name == "ced_serial_recorded":
        return case((func.coalesce(_R.ced_serial, "") == "", 0), else_=1)
    return cast(_R[name], Integer)


def _packed(fields: list[tuple[str, int]]) -> Any:
    expr: Any = None
    shift = 0
    for name, width in fields:
        part: Any = cast(_field_sql(name), BigInteger)
        part = part.op("<<")(literal_column(str(shift))) if shift else part
        expr = part if expr is None else expr.op("|")(part)
        shift += width
    return expr


def _unpacked(column: str, fields: list[tuple[str, int]]) -> list[pl.Expr]:
    out, shift = [], 0
    for name, width in fields:
        raw = (pl.col(column) // (1 << shift)) & ((1 << width) - 1)  # values are never negative
        if name in _CODES:
            raw = raw.replace_strict(dict(enumerate(_CODES[name])), return_dtype=pl.String)
        elif name in _TRISTATE:
            raw = raw.replace_strict({0: None, 1: False, 2: True}, return_dtype=pl.Boolean)
            if name == "staff_injury_intentional":
                raw = raw.replace_strict({None: "not_reported", False: "no", True: "yes"}, return_dtype=pl.String)
        elif width == 1:
            raw = raw.cast(pl.Boolean)
        out.append(raw.alias(name))
        shift += width
    return out


@lru_cache(maxsize=1)
def _report_query() -> Any:
    """One force's reports in a date range and financial years: (force, start, end, years) bound."""
    conditions = [_R.force_code == bindparam("force"), _R.incident_date >= bindparam("start"),
                  _R.incident_date <= bindparam("end"),
                  _R.financial_year.in_(bindparam("years", expanding=True))]  # the (force, year) index
    return select(_R.id, _R.incident_id, _R.person_id, cast(_R.incident_date, String), _R.tactic_mask,
                  _packed(_FIELDS), _packed(_MULTI)).where(and_(*conditions))


def _device_query(scope: Scope, forces: tuple[str, ...]) -> Any:
    d = ced_device.c
    fired = cast(func.coalesce(d.fired, False), Integer)
    return (select(d.report_id, func.sum(fired).label("fired_blocks"),
                   func.sum(case((d.cartridge_number.is_(None), fired), else_=0)).label("fired_no_cartridge"),
                   func.sum(case((d.total_cycles.is_(None), fired), else_=0)).label("fired_no_cycles"))
            .select_from(ced_device.join(officer_report, d.report_id == _R.id))
            .where(_R.incident_date >= scope.start, _R.incident_date <= scope.end, _R.force_code.in_(forces))
            .group_by(d.report_id))


_READ = ("report_id", "incident_id", "person_id", "incident_date", "tactic_mask", "packed", "multi")


def _frame(parts: list[tuple[str, Any]]) -> pl.DataFrame:
    """Decode the packed rows of each force into the documented frame."""
    frames = []
    for force, rows in parts:
        if not rows:
            continue
        columns = list(zip(*rows))
        frames.append(pl.DataFrame({n: pl.Series(n, list(v), dtype=pl.String if n == "incident_date" else pl.Int64)
                                    for n, v in zip(_READ, columns)}).with_columns(pl.lit(force).alias("force_code")))
    if not frames:
        return pl.DataFrame(schema={k: v for k, v in FRAME_SCHEMA.items() if k not in _DEVICE})
    frame = pl.concat(frames)
    return frame.with_columns(pl.col("incident_date").str.to_date("%Y-%m-%d"), *_unpacked("packed", _FIELDS),
                              *_unpacked("multi", _MULTI)).drop("packed", "multi")


def _authorise(principal: Principal | None, scope: Scope) -> tuple[str, ...]:
    wanted = scope.forces
    if principal is None:
        return wanted
    visible = visible_forces(principal, "facts.read_records")
    if visible is ALL:
        return wanted
    assert isinstance(visible, set)
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
        query, years = _report_query(), list(scope.financial_years)
        parts = [(force, conn.execute(query, {"force": force, "start": scope.start, "end": scope.end,
                                              "years": years}).fetchall()) for force in forces]
        devices = conn.execute(_device_query(scope, forces)).fetchall()
    frame = _frame(parts)
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
