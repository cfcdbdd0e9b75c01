"""Reconciliation: figures computed from records against the published ones, cell by cell.

A cell is (table, area, tactic, dimension, category, measure) of one year. For each it gives the
published value (newest publication), the records value, the difference (records − published), a
status and, where the cause is known, an explanation:

- **summary-only CED returns**: forces that sent CED use as totals appear in the publication as
  ``ced_not_stated`` (and in Table 1's CED "times reported") with no report behind them;
- **not-reported categories** and **reports with no tactic**: what lands there depends on what each
  force submitted, not on what the form says;
- **revisions**: a figure published more than once is compared with the newest publication and
  the earlier values are named (and whether records match one of them);
- **coverage**: a region or England and Wales for which records are held for only some forces,
  and forces with no records in the period;
- **simulated records**: they match the published reports and CED figures by construction; every
  other table is drawn from published shares, so differences there are expected.

:func:`reconcile_facts` is pure; :func:`reconcile` reads both sides from the store.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Sequence

from .. import forces
from ..access import Principal
from ..official import Fact, facts
from ..periods import financial_year_bounds
from ..store import Store
from ..vocab import DEFAULT_HIERARCHY
from .figures import RecordTables, records_facts
from .tables import RECORD_TABLES

__all__ = ["ReconcileRow", "Reconciliation", "RECONCILE_COLUMNS", "reconcile", "reconcile_facts"]

RECONCILE_COLUMNS = ("year", "table", "area_code", "area", "tactic", "dimension", "category", "measure", "published",
                     "records", "difference", "status", "explanation", "published_vintage", "records_note")
_EXACT = ("incidents_by_force", "ced_by_force")


@dataclass(frozen=True)
class ReconcileRow:
    """One cell compared. ``status``: match, differs, published_only, records_only."""

    year: str
    table: str
    area_code: str
    area: str
    tactic: str
    dimension: str
    category: str
    measure: str
    published: float | None
    records: float | None
    difference: float | None
    status: str
    explanation: str
    published_vintage: str
    records_note: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Reconciliation:
    """Every cell compared, and a count of cells by status."""

    rows: tuple[ReconcileRow, ...]
    provenance: tuple[Any, ...] = ()

    @property
    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for row in self.rows:
            counts[row.status] += 1
        return dict(counts)

    def differences(self) -> list[ReconcileRow]:
        return [r for r in self.rows if r.status != "match"]


def _key(f: Any) -> tuple[str, ...]:
    return (f.year, f.table, f.area_code, f.tactic, f.dimension, f.category, f.measure)


@dataclass(frozen=True)
class _Context:
    """What explanations may look at beyond the cell: both sides' values and who holds records."""

    published: dict[tuple[str, ...], float | None]
    records: dict[tuple[str, ...], float | None]
    held_forces: set[str]

    def sibling(self, key: tuple[str, ...], tactic: str) -> tuple[float, float]:
        other = (*key[:3], tactic, *key[4:])
        return self.published.get(other) or 0.0, self.records.get(other) or 0.0

    def reports(self, key: tuple[str, ...]) -> tuple[float | None, float | None]:
        cell = (key[0], "incidents_by_force", key[2], "all", "", "", "incidents")
        return self.published.get(cell), self.records.get(cell)


def _explain(key: tuple[str, ...], published: float | None, records: float | None, history: Sequence[Fact],
             note: str, ctx: _Context) -> str:
    year, table, area_code, tactic, dimension, category, measure = key
    reasons = []
    area = forces.get(area_code)
    if area_code not in ctx.held_forces and not (note and "records for" in note):
        if area.kind == "force":
            reasons.append("no records are held for this force in this period")
        elif records is None:
            reasons.append("no records are held for any force in this area in this period")
    if "records for" in note:
        reasons.append(note.split("; ")[-1] + " in this area")
    pub_reports, rec_reports = ctx.reports(key)
    if area.kind == "force" and area_code in ctx.held_forces and pub_reports and rec_reports is not None \
            and pub_reports != rec_reports and table != "incidents_by_force":
        reasons.append(f"records hold {rec_reports:,.0f} reports against {pub_reports:,.0f} published for this force")
    if tactic == "ced_not_stated" and published is not None and published > (records or 0):
        reasons.append("summary-only CED returns: forces that sent CED use as totals appear as 'CED not stated' "
                       "with no report behind them")
    elif tactic == "ced" and published is not None and records is not None:
        gap_pub, gap_rec = ctx.sibling(key, "ced_not_stated")
        if gap_pub > gap_rec and abs((published - records) - (gap_pub - gap_rec)) < 1e-9:
            reasons.append("the whole difference is in 'CED not stated' (summary-only CED returns)")
    if table == "tactics" and measure == "times_reported" and (tactic.startswith("ced") or tactic in ("less_lethal", "all")):
        reasons.append("Table 1 'times reported' for CED includes forces' summary returns, which have no reports")
    if tactic == "not_reported":
        reasons.append("'not reported' (no tactic) counts reports forces submitted in the wrong format")
    if "not_reported" in category.split("/") or "dont_know" in category.split("/"):
        reasons.append("not-reported categories depend on what each force submitted")
    if published is None and records is not None and not reasons:
        reasons.append("not printed in this publication")
    if len(history) > 1:
        earlier = [f for f in history[:-1] if f.value is not None]
        text = "; ".join(f"{f.value:,.0f} ({f.vintage})" for f in earlier)
        reasons.append(f"revised: earlier publications gave {text}; compared with {history[-1].vintage}")
        if records is not None and any(f.value == records for f in earlier):
            reasons.append("records match an earlier publication")
    if "simulated" in note and table not in _EXACT:
        reasons.append("simulated records follow published shares at random in this table; only reports and CED "
                       "by force are matched exactly")
    return "; ".join(reasons)


def reconcile_facts(published: Iterable[Fact], records: RecordTables, *, tables: Sequence[str] = RECORD_TABLES
                    ) -> Reconciliation:
    """Compare published facts (any vintages) with record-derived ones, cell by cell.

    Only (table, area) pairs the publication has are compared; a records cell in such a table
    that the publication does not print is ``records_only``.
    """
    history: dict[tuple[str, ...], list[Fact]] = defaultdict(list)
    for f in sorted(published, key=lambda f: (f.vintage, f.release_id)):
        if f.table in tables:
            history[_key(f)].append(f)
    computed = {_key(f): f for f in records.facts}
    held = {c for p in records.provenance for c in p.forces_with_records}
    ctx = _Context({k: v[-1].value for k, v in history.items()}, {k: f.value for k, f in computed.items()}, held)
    published_areas = {(k[0], k[1], k[2]) for k in history}
    keys = set(history) | {k for k in computed if (k[0], k[1], k[2]) in published_areas}
    rows = []
    for key in keys:
        versions = history.get(key, [])
        latest = versions[-1] if versions else None
        mine = computed.get(key)
        pub = latest.value if latest else None
        rec = mine.value if mine else None
        if latest is None:
            status = "records_only"
        elif mine is None:
            status = "published_only"
        elif pub is not None and rec is not None and abs(pub - rec) < 1e-9:
            status = "match"
        else:
            status = "differs"
        note = mine.note if mine else ""
        if mine is None and key[2] in held:
            rec, status = 0.0, ("match" if pub == 0 else "differs")
        diff = rec - pub if rec is not None and pub is not None else None
        explanation = "" if status == "match" else _explain(key, pub, rec, versions, note, ctx)
        rows.append(ReconcileRow(key[0], key[1], key[2], forces.get(key[2]).name, key[3], key[4], key[5], key[6],
                                 pub, rec, diff, status, explanation, latest.vintage if latest else "", note))
    order = {t: i for i, t in enumerate(tables)}
    area_order = {a.code: i for i, a in enumerate(forces.AREAS)}
    rows.sort(key=lambda r: (order.get(r.table, 99), area_order.get(r.area_code, 999), r.tactic, r.dimension,
                             r.category, r.measure))
    return Reconciliation(tuple(rows), records.provenance)


def reconcile(store: Store, *, year: str, force: str | None = None, table: str | None = None,
              profile: str = DEFAULT_HIERARCHY, principal: Principal | None = None) -> Reconciliation:
    """Records for ``year`` (a force, region or England and Wales) against every publication of it."""
    financial_year_bounds(year)
    tables = (table,) if table else RECORD_TABLES
    read = tuple(dict.fromkeys((*tables, "incidents_by_force")))  # report totals explain coverage
    records = records_facts(store, year=year, force=force, tables=read, profile=profile, principal=principal)
    scope_forces = {code for p in records.provenance for code in _areas_in(p.scope["area_code"])}
    published = [f for t in (read if table else (None,)) for f in facts(store, year=year, table=t, vintage="all")
                 if f.area_code in scope_forces]
    result = reconcile_facts(published, records, tables=read)
    return Reconciliation(tuple(r for r in result.rows if r.table in tables), result.provenance)


def _areas_in(area_code: str) -> set[str]:
    """The area and every area inside it (regions and forces of England and Wales)."""
    area = forces.get(area_code)
    if area.kind == "force":
        return {area_code}
    if area.kind == "region":
        return {area_code, *(a.code for a in forces.forces_in(area_code))}
    return {area_code, *(a.code for a in forces.regions()), *(a.code for a in forces.forces())}
