"""Disproportionality by ethnic group: ``forcewatch disparity``.

Two benchmarks (the output always says which):

- ``population``: the rate ratio of uses per head of each group's population against the
  reference group (white by default), with the 2011 Census by police force area. The census
  counts residents of **all ages** (a narrower benchmark, e.g. aged 10 and over, can be supplied
  as ``populations``); it is dated; census Asian includes Chinese, so for years where the Home
  Office counts Chinese separately, Asian is compared with census Asian minus Chinese.
- ``use_of_force``: among use-of-force reports, the chance that the tactic (CED) was used, group
  against reference (the conditional ratio): this partly allows for different contact with police.

Groups with no population (don't know, not reported) are not compared. Nationally the
Metropolitan Police is shown separately: England and Wales rows exclude it (``note`` says so)
and the Metropolitan Police has its own rows. Counts below the method's small-count threshold
are flagged in ``note``; the caveats are returned as data beside the figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import polars as pl

from .. import forces
from ..access import Principal
from ..errors import NotFound, UsageError
from ..method import load_method
from ..official import facts
from ..stats.caveats import Caveat, caveats
from ..stats.disparity import BENCHMARKS, disparity_rows
from ..store import Store
from ..suppression import MARKER, SuppressionRule
from ..vocab import DEFAULT_HIERARCHY
from .counting import CROSS_TACTICS, counting_mask, pattern_counts
from .loader import load_reports
from .scope import Scope, area_forces

__all__ = ["DISPARITY_COLUMNS", "DisparityResult", "disparity", "MONITORING_CAVEATS", "GROUPS"]

DISPARITY_COLUMNS = ("year", "area_code", "tactic", "group", "reference_group", "group_count", "group_base",
                     "reference_count", "reference_base", "rate_ratio", "ci_low", "ci_high", "benchmark", "note")
#: groups that have a census population (Home Office 2017-18 and 2018-19 categories)
GROUPS = ("white", "black", "asian", "chinese", "mixed", "other")
_MPS, _EW = "E23000001", forces.ENGLAND_AND_WALES.code
MONITORING_CAVEATS = (
    Caveat("census_ages", "Census of all ages",
           "The census population counts residents of all ages, while force is rarely used on young children; "
           "groups with more children have their rates understated. Supply a population aged 10 and over if held."),
    Caveat("census_dated", "The census is dated",
           "Populations are from the 2011 Census; areas and groups have grown at different speeds since."),
    Caveat("unknown_ethnicity", "Unknown ethnicity left out",
           "Reports whose ethnicity was 'don't know' or not reported have no population and are not compared."),
)


@dataclass(frozen=True)
class DisparityResult:
    """Rows with the interface fields, the caveats to show beside them, and where figures came from."""

    rows: tuple[dict[str, Any], ...]
    caveats: tuple[Caveat, ...]
    sources: tuple[str, ...]
    suppression: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"rows": list(self.rows), "caveats": [c.as_dict() for c in self.caveats], "sources": list(self.sources),
                "suppression": self.suppression}


def _official_counts(store: Store, year: str, tactic: str, codes: list[str], benchmark: str) -> dict[str, dict[str, float]]:
    """Per area: group -> count of the tactic, and ``<group>:reports`` for the conditional base."""
    out: dict[str, dict[str, float]] = {}
    national = codes == [_EW]
    if national:
        rows = facts(store, year=year, table="ethnicity", tactic=tactic, measure="times_reported")
        base = facts(store, year=year, table="ethnicity", tactic="all", measure="incidents")
    else:
        if benchmark == "use_of_force":
            raise UsageError("the published force tables give times reported, not reports, by ethnic group, so the "
                             "conditional ratio cannot be formed for a force from them",
                             hint="use --source records, or the national figures (no --area)")
        rows = [f for f in facts(store, year=year, table="force_ethnicity", tactic=tactic) if f.area_code in codes]
        base = []
    for f in [*rows, *(_tag(b) for b in base)]:
        if f.value is not None:
            out.setdefault(f.area_code, {})[f.category] = float(f.value)
    if not out:
        raise NotFound(f"no published {tactic} figures by ethnic group are loaded for {year}",
                       hint="import them: forcewatch import official --bundled")
    return out


def _tag(f: Any) -> Any:
    from dataclasses import replace

    return replace(f, category=f"{f.category}:reports")


def _records_counts(store: Store, scope: Scope, tactic: str, principal: Principal | None, profile: str,
                    split_mps: bool) -> dict[str, dict[str, float]]:
    frame = load_reports(store, scope, principal=principal).reports.with_columns(counting_mask(profile))
    if split_mps:
        frame = frame.with_columns(pl.when(pl.col("force_code") == _MPS).then(pl.lit(_MPS)).otherwise(pl.lit(_EW))
                                   .alias("area"))
    else:
        frame = frame.with_columns(pl.lit(scope.area_code).alias("area"))
    grouped = frame.group_by("area", "ethnicity", "counted").agg(pl.len().alias("n"))
    counts = pattern_counts(grouped, ["area", "ethnicity"], ["n"], (tactic, "all"), ("incidents",))
    out: dict[str, dict[str, float]] = {}
    for area, group, key, value in counts.select("area", "ethnicity", "tactic", "value").iter_rows():
        out.setdefault(area, {})[group if key == tactic else f"{group}:reports"] = float(value)
    return out


def _populations(store: Store, codes: list[str], exclude_mps: bool) -> dict[str, dict[str, float]]:
    rows = facts(store, table="population", measure="population")
    if not rows:
        raise NotFound("no census population by ethnic group is loaded", hint="forcewatch import official --bundled")
    by_area: dict[str, dict[str, float]] = {}
    for f in rows:
        if f.value is not None:
            by_area.setdefault(f.area_code, {})[f.category] = float(f.value)
    for code in codes:
        if code not in by_area:  # an area the census table has no row for: the sum of its forces
            members = [by_area.get(f, {}) for f in area_forces(forces.get(code))]
            by_area[code] = {g: sum(m.get(g, 0.0) for m in members) for g in {g for m in members for g in m}}
    if exclude_mps and _EW in codes:
        by_area[_EW] = {g: v - by_area.get(_MPS, {}).get(g, 0.0) for g, v in by_area[_EW].items()}
    return {code: by_area.get(code, {}) for code in codes}


def _groups(counts: Mapping[str, float], population: Mapping[str, float], benchmark: str) -> dict[str, tuple[int, float]]:
    out = {}
    for group in GROUPS:
        count = int(round(counts.get(group, 0)))
        if benchmark == "use_of_force":
            base = counts.get(f"{group}:reports")
        elif group == "asian" and "chinese" in population:
            base = population.get("asian", 0) - population["chinese"]
        else:
            base = population.get(group)
        if base:
            out[group] = (count, float(base))
    return out


def disparity(store: Store, *, year: str, tactic: str = "ced", area: str | None = None, benchmark: str = "population",
              source: str = "official", reference_group: str = "white", principal: Principal | None = None,
              populations: Mapping[str, float] | None = None, profile: str = DEFAULT_HIERARCHY,
              rule: SuppressionRule | None = None) -> DisparityResult:
    """Ratios for every ethnic group against ``reference_group`` in ``area`` (England and Wales by default).

    ``populations`` (group -> people) replaces the census benchmark for a single area.
    """
    if benchmark not in BENCHMARKS:
        raise UsageError(f"benchmark {benchmark!r} is not known", hint="population or use_of_force")
    if tactic not in CROSS_TACTICS:
        raise UsageError(f"{tactic!r} has no figures by ethnic group", hint="e.g. ced, all, handcuffing")
    scope = Scope.of(force=area, year=year)
    national = scope.area_code == _EW
    codes = [_EW, _MPS] if national else [scope.area_code]
    if source == "official":
        counts = _official_counts(store, year, tactic, [_EW] if national else codes, benchmark)
        if national:
            mps = _official_counts(store, year, tactic, [_MPS], "population") if benchmark == "population" else {}
            if mps:
                counts[_EW] = {g: v - mps[_MPS].get(g, 0.0) if ":" not in g else v for g, v in counts[_EW].items()}
                counts[_MPS] = mps[_MPS]
            else:
                codes = [_EW]
        what = "published Home Office tables (ethnicity, force_ethnicity)"
    elif source == "records":
        counts = _records_counts(store, scope, tactic, principal, profile, national)
        what = "stored reports, counted once per report"
    else:
        raise UsageError(f"unknown source {source!r}", hint="official or records")
    if benchmark == "use_of_force":
        pops: dict[str, dict[str, float]] = {}
    elif populations is not None:
        pops = {scope.area_code: dict(populations)}
    else:
        pops = _populations(store, codes, exclude_mps=national and _MPS in codes)
    settings = load_method().disparity
    rows: list[dict[str, Any]] = []
    for code in codes:
        groups = _groups(counts.get(code, {}), pops.get(code, {}), benchmark)
        if reference_group not in groups:
            continue
        for row in disparity_rows(year, code, tactic, groups, reference_group=reference_group, benchmark=benchmark,
                                  small_count=settings.small_count_threshold, order=[g for g in GROUPS if g in groups]):
            data = row.as_dict()
            if national and code == _EW and _MPS in codes:
                data["note"] = "; ".join(x for x in ("England and Wales excluding the Metropolitan Police",
                                                     str(data["note"])) if x)
            rows.append(data)
    if not rows:
        raise NotFound(f"no {tactic} figures with a {reference_group} reference group for {scope.area} in {year}")
    base_text = ("benchmark population supplied by the caller" if populations is not None
                 else "usual residents by ethnic group, 2011 Census (all ages)")
    sources = (f"counts: {what}", f"bases: {base_text if benchmark == 'population' else 'use-of-force reports per group'}")
    shown = (*caveats(national=national), *(MONITORING_CAVEATS if benchmark == "population" else MONITORING_CAVEATS[2:]))
    suppression: dict[str, Any] = {}
    if rule is not None:
        rows = [_suppress(r, rule) for r in rows]
        suppression = rule.as_dict()
    return DisparityResult(tuple(rows), shown, sources, suppression)


def _suppress(row: dict[str, Any], rule: SuppressionRule) -> dict[str, Any]:
    small = [c for c in ("group_count", "reference_count") if rule.active and 1 <= (row[c] or 0) <= rule.threshold]
    if not small:
        return row
    hidden: dict[str, Any] = {**row, **{c: None for c in small}, "rate_ratio": None, "ci_low": None, "ci_high": None}
    hidden["note"] = "; ".join(x for x in (f"{MARKER}: a count from 1 to {rule.threshold}", row["note"]) if x)
    return hidden
