"""Figures computed from records: every Home Office table for a scope, with its provenance.

:func:`compute_tables` is pure (a loader frame in, tidy facts out); :func:`records_facts` reads
the store for a scope (through :func:`~forcewatch.monitoring.loader.load_reports`, which checks
access and audits the read) and is what ``forcewatch facts --source records`` and
``official.facts(source="records")`` call. Every figure has ``source = records`` and
``vintage`` = the date computed; the counting-rule version and the CED hierarchy profile (name,
version, SHA-256) travel with them in :class:`Provenance` (printed by the command line, shown on
the pages, and carried in each :class:`~forcewatch.official.Fact`'s ``table_title``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

import polars as pl

from ..access import Principal
from ..errors import UnknownName, UsageError
from ..official import FACT_COLUMNS, TABLE_KEYS, Fact
from ..periods import financial_year_bounds
from ..store import Store
from ..vocab import DEFAULT_HIERARCHY, ced_hierarchy
from .counting import COUNTING_RULES, counting_mask
from .loader import ReportFrame, financial_years_held, load_reports, today
from .scope import Scope
from .tables import TABLES, TableContext

__all__ = ["Provenance", "RecordTables", "compute_tables", "records_facts", "NOT_FROM_RECORDS"]

#: published denominators that no report can give
NOT_FROM_RECORDS = ("workforce", "population")


@dataclass(frozen=True)
class Provenance:
    """How record-derived figures were made: rules, CED profile, scope, reports read."""

    counting_rules: str
    counting_rules_version: str
    ced_profile: str
    ced_profile_version: str
    ced_profile_sha256: str
    scope: dict[str, Any]
    reports: int
    people: int
    incidents: int
    simulated_reports: int
    forces_with_records: tuple[str, ...]
    computed: str

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "forces_with_records": list(self.forces_with_records)}

    def line(self) -> str:
        """One sentence for people (the command line's stderr, the pages)."""
        sim = f" ({self.simulated_reports:,} simulated)" if self.simulated_reports else ""
        return (f"computed {self.computed} from {self.reports:,} stored reports{sim} about {self.people:,} people in "
                f"{self.incidents:,} incidents ({self.scope['area']}, "
                f"{self.scope['from']} to {self.scope['to']}); counting rules {self.counting_rules} "
                f"{self.counting_rules_version}; CED hierarchy {self.ced_profile} {self.ced_profile_version} "
                f"(sha256 {self.ced_profile_sha256[:12]})")


@dataclass(frozen=True)
class RecordTables:
    """Tidy figures (the interface columns) and their provenance, one or more scopes."""

    frame: pl.DataFrame
    provenance: tuple[Provenance, ...] = field(default_factory=tuple)

    @property
    def facts(self) -> list[Fact]:
        """The figures as :class:`~forcewatch.official.Fact` (provenance in ``table_title``)."""
        titles = {p.scope["year"]: "computed from records; " + p.line() for p in self.provenance}
        return [Fact(**row, table_title=titles.get(row["year"], "")) for row in self.frame.iter_rows(named=True)]

    def rows(self) -> list[dict[str, Any]]:
        return self.frame.select(FACT_COLUMNS).to_dicts()


def _force_notes(reports: pl.DataFrame) -> dict[str, str]:
    sims = reports.group_by("force_code").agg(pl.col("simulated").all().alias("all"), pl.col("simulated").any().alias("any"))
    return {code: ("simulated" if every else "partly simulated" if some else "")
            for code, every, some in sims.iter_rows()}


def compute_tables(reports: ReportFrame, *, profile: str = DEFAULT_HIERARCHY, tables: Iterable[str] | None = None,
                   vintage: str | None = None) -> RecordTables:
    """Every (or the named) Home Office table from one scope's reports, under a CED ``profile``."""
    hierarchy = ced_hierarchy(profile)
    wanted = list(tables) if tables is not None else list(TABLES)
    for name in wanted:
        if name not in TABLES:
            if name in NOT_FROM_RECORDS:
                raise UsageError(f"{name} is a published denominator, not computed from reports",
                                 hint="use --source official for workforce and population")
            import difflib

            raise UnknownName("table", name, difflib.get_close_matches(name, TABLE_KEYS, n=3))
    frame = reports.reports.with_columns(counting_mask(hierarchy.profile))
    ctx = TableContext(reports.scope, vintage or today().isoformat(), _force_notes(frame))
    parts = [TABLES[name](frame, ctx) for name in wanted]
    tidy = pl.concat(parts) if parts else pl.DataFrame(schema={c: pl.String for c in FACT_COLUMNS})
    provenance = Provenance(
        COUNTING_RULES.name, COUNTING_RULES.version, hierarchy.profile, hierarchy.version, hierarchy.sha256,
        reports.scope.as_dict(), reports.reports.height, reports.reports.get_column("person_id").n_unique(),
        reports.reports.get_column("incident_id").n_unique(), reports.simulated, reports.forces_with_records, ctx.vintage)
    return RecordTables(tidy, (provenance,))


def _scopes(store: Store, *, year: str | None, force: str | None, start: date | str | None,
            end: date | str | None) -> list[Scope]:
    if year or start or end:
        return [Scope.of(force=force, year=year, start=start, end=end)]
    area = Scope.of(force=force, year="2018-19")
    held = financial_years_held(store, area.forces)
    return [Scope.of(force=force, year=y) for y in held]


def records_facts(store: Store, *, year: str | None = None, table: str | None = None, force: str | None = None,
                  tactic: str | None = None, dimension: str | None = None, category: str | None = None,
                  measure: str | None = None, start: date | str | None = None, end: date | str | None = None,
                  profile: str = DEFAULT_HIERARCHY, principal: Principal | None = None,
                  tables: Iterable[str] | None = None) -> RecordTables:
    """Figures computed from stored reports, filtered like :func:`forcewatch.official.facts`.

    ``force`` is a force, region or England and Wales (default); the period is ``year`` (a
    financial year), ``start``/``end`` (a date range), or, with neither, every financial year
    held. Reading is checked against ``facts.read_records`` for ``principal`` and audited.
    ``tables`` names several tables at once (``table`` one).
    """
    if year:
        financial_year_bounds(year)  # a calendar year or quarter is refused with a hint
    tables = [table] if table else (list(tables) if tables is not None else None)
    results = []
    for scope in _scopes(store, year=year, force=force, start=start, end=end):
        results.append(compute_tables(load_reports(store, scope, principal=principal), profile=profile, tables=tables))
    frames = [r.frame for r in results]
    tidy = pl.concat(frames) if frames else pl.DataFrame(schema={c: pl.String for c in FACT_COLUMNS})
    filters = {"tactic": tactic, "dimension": dimension, "category": category, "measure": measure}
    for column, value in filters.items():
        if value is not None:
            tidy = tidy.filter(pl.col(column) == value)
    return RecordTables(tidy, tuple(p for r in results for p in r.provenance))
