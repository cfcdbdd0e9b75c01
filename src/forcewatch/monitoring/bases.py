"""Counts by force (published or from records) and the denominators rates divide by.

- **Counts**, ``source="official"``: CED and its levels from ``ced_by_force``; reports from
  ``incidents_by_force``; any other tactic from the force tables (2018-19 Tables 14-17, category
  ``all``, "times reported"). ``source="records"``: reports involving the tactic, per force, from
  the stored reports (CED once per report at its highest level).
- **Officers**: police officers, full-time equivalent, at **31 March** of the financial year
  (Home Office police workforce tables, ``workforce`` ``officers_fte`` as at ``YYYY-03-31``).
- **Residents**: usual residents at the **2011 Census** (ONS KS201EW by police force area). The
  census is dated: populations have grown since, unevenly between areas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from .. import forces
from ..access import Principal
from ..errors import NotFound, UsageError
from ..official import facts
from ..store import Store
from ..vocab import DEFAULT_HIERARCHY, tactic as tactic_term
from .counting import counting_mask, pattern_counts
from .loader import load_reports
from ..periods import financial_year_bounds
from .scope import Scope

__all__ = ["AreaFigures", "area_counts", "area_bases", "SOURCES", "PER"]

SOURCES = ("official", "records")
PER = ("officers", "population")
_CED_TABLE_TACTICS = {"ced", "ced_non_discharge", "ced_discharge", "ced_drawn", "ced_aimed", "ced_red_dot", "ced_arced",
                      "ced_drive_stun", "ced_angled_drive_stun", "ced_fired", "ced_not_stated"}


@dataclass(frozen=True)
class AreaFigures:
    """Values by area code, and a sentence saying where they came from."""

    values: dict[str, float]
    source: str
    vintages: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "vintages": list(self.vintages)}


def _aggregate(values: dict[str, float]) -> dict[str, float]:
    """Add regions and England and Wales as sums of the 43 forces, where every member is present."""
    out = dict(values)
    for region in forces.regions():
        members = [f.code for f in forces.forces_in(region.code)]
        if region.code not in out and all(m in values for m in members):
            out[region.code] = sum(values[m] for m in members)
    ew = forces.ENGLAND_AND_WALES.code
    territorial = [f.code for f in forces.forces()]
    if ew not in out and all(m in values for m in territorial):
        out[ew] = sum(values[m] for m in territorial)
    return out


def area_counts(store: Store, *, year: str, tactic: str, source: str, principal: Principal | None = None,
                profile: str = DEFAULT_HIERARCHY, area: str | None = None) -> AreaFigures:
    """Reports involving ``tactic`` per force (and region and England and Wales) in ``year``."""
    tactic_term(tactic)
    financial_year_bounds(year)
    if source == "official":
        if tactic in _CED_TABLE_TACTICS:
            rows = facts(store, year=year, table="ced_by_force", tactic=tactic, measure="incidents")
            what = f"published CED reports ({tactic}), Home Office Table 13"
        elif tactic == "all":
            rows = facts(store, year=year, table="incidents_by_force", measure="incidents")
            what = "published use-of-force reports, Home Office Table 12"
        else:
            rows = facts(store, year=year, table="force_age", tactic=tactic, category="all")
            what = f"published times reported ({tactic}), Home Office force tables"
        if not rows:
            raise NotFound(f"no published {tactic} figures by force are loaded for {year}",
                           hint="import them: forcewatch import official --bundled")
        values = {f.area_code: float(f.value) for f in rows if f.value is not None and f.area_code != "BTP"}
        return AreaFigures(_aggregate(values), what, tuple(sorted({f.vintage for f in rows})))
    if source != "records":
        raise UsageError(f"unknown source {source!r}", hint="official or records")
    scope = Scope.of(force=area, year=year)
    frame = load_reports(store, scope, principal=principal).reports.with_columns(counting_mask(profile))
    grouped = frame.group_by("force_code", "counted").agg(pl.len().alias("n"))
    counts = pattern_counts(grouped, ["force_code"], ["n"], (tactic,), ("incidents",))
    values = {code: float(v) for code, v in counts.select("force_code", "value").iter_rows()}
    return AreaFigures(_aggregate(values), f"reports involving {tactic} in stored records (counted once per report)")


def area_bases(store: Store, *, year: str, per: str) -> AreaFigures:
    """Officers (FTE at 31 March of ``year``) or residents (census 2011) per area."""
    first, last = financial_year_bounds(year)
    if per == "officers":
        snapshot = last.isoformat()
        rows = [f for f in facts(store, table="workforce", measure="officers_fte", category=snapshot)
                if f.dimension == "as_at"]
        if not rows:
            raise NotFound(f"no police workforce figures at {snapshot} are loaded",
                           hint="import the Home Office workforce tables: forcewatch import official --bundled")
        return AreaFigures({f.area_code: float(f.value) for f in rows if f.value},
                           f"police officers (FTE) at {snapshot}, Home Office police workforce tables",
                           tuple(sorted({f.vintage for f in rows})))
    if per == "population":
        rows = facts(store, table="population", category="all", measure="population")
        if not rows:
            raise NotFound("no census population by force area is loaded",
                           hint="import it: forcewatch import official --bundled")
        return AreaFigures({f.area_code: float(f.value) for f in rows if f.value},
                           "usual residents, 2011 Census (ONS KS201EW); the census is dated",
                           tuple(sorted({f.vintage for f in rows})))
    raise UsageError(f"unknown base {per!r}", hint="officers or population")
