"""Each Home Office table as a pure function of the loader's frame: tidy facts, source ``records``.

Every function takes the frame with its counting mask (column ``counted``, from
:func:`~forcewatch.monitoring.counting.counting_mask`) and a :class:`TableContext`, and returns a
Polars frame with the interface columns (``docs/domain/interfaces.md``) and the same keys as the
published table: ``tactics``, ``age`` ... ``location``, ``officer_injury``, ``subject_injury``,
``incidents_by_force``, ``ced_by_force``, ``force_age`` ... ``force_health``. Each does one
group-by pass over the reports; the tactic arithmetic runs once per distinct counting mask.

Grids are complete (a category with no reports is 0). By-force tables list the forces holding
reports in the scope, then their regions and the scope's area as sums of those forces; an area
that holds records for only some of its forces says so in ``note`` ("records for 2 of 43 forces").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import polars as pl

from .. import forces
from ..masks import MASK_KEYS
from ..vocab import CATEGORY_GROUPS, DIMENSIONS, TACTICS
from .counting import CROSS_TACTICS, pattern_counts
from .scope import Scope, area_forces

__all__ = ["TableContext", "TABLES", "RECORD_TABLES", "SINGLE", "MULTI"]

SINGLE = ("age", "gender", "ethnicity", "health")
MULTI = ("reason", "impact_factor", "outcome", "location")
_ALL_TACTICS = tuple(t.key for t in TACTICS)
_CED_TABLE = ("ced", "ced_non_discharge", "ced_discharge", "ced_drawn", "ced_aimed", "ced_red_dot", "ced_arced",
              "ced_drive_stun", "ced_angled_drive_stun", "ced_fired", "ced_not_stated")
_NAMES = {a.code: a.name for a in forces.AREAS}
_OUT = ("year", "source", "vintage", "table", "area_code", "area", "tactic", "dimension", "category", "measure",
        "value", "note")


@dataclass(frozen=True)
class TableContext:
    """What every table needs besides the reports: scope, vintage and the notes of each force."""

    scope: Scope
    vintage: str
    #: per force with records: "simulated", "partly simulated" or ""
    force_notes: dict[str, str]

    def area_note(self, area_code: str) -> str:
        """Simulated share and coverage of an area (a force, region or England and Wales)."""
        area = forces.get(area_code)
        members = area_forces(area)
        held = [c for c in members if c in self.force_notes]
        notes = {self.force_notes[c] for c in held}
        parts = []
        if notes == {"simulated"}:
            parts.append("simulated")
        elif notes - {""}:
            parts.append("partly simulated")
        if area.kind != "force" and len(held) < len(members):
            parts.append(f"records for {len(held)} of {len(members)} forces")
        return "; ".join(parts)


def _tidy(frame: pl.DataFrame, ctx: TableContext, table: str) -> pl.DataFrame:
    """Add the fixed columns and order them as the interface does."""
    for column, default in (("dimension", ""), ("category", ""), ("tactic", "")):
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(default).alias(column))
    if "area_code" not in frame.columns:
        frame = frame.with_columns(pl.lit(ctx.scope.area_code).alias("area_code"))
    notes = {code: ctx.area_note(code) for code in frame.get_column("area_code").unique().to_list()}
    return frame.with_columns(
        pl.lit(ctx.scope.label).alias("year"), pl.lit("records").alias("source"), pl.lit(ctx.vintage).alias("vintage"),
        pl.lit(table).alias("table"), pl.col("area_code").replace_strict(_NAMES, return_dtype=pl.String).alias("area"),
        pl.col("value").cast(pl.Float64), pl.col("area_code").replace_strict(notes, return_dtype=pl.String).alias("note"),
    ).select(_OUT)


def _with_areas(frame: pl.DataFrame, ctx: TableContext, by: list[str]) -> pl.DataFrame:
    """Force rows, then regions and the scope's area as sums of the forces' rows."""
    frame = frame.rename({"force_code": "area_code"})
    if ctx.scope.kind == "force" or frame.is_empty():
        return frame
    region = {a.code: a.region_code for a in forces.forces()}
    parts = [frame]
    regions = frame.with_columns(pl.col("area_code").replace_strict(region, default="", return_dtype=pl.String))
    parts.append(regions.filter(pl.col("area_code") != "").group_by("area_code", *by).agg(pl.col("value").sum()))
    if ctx.scope.kind == "country":
        parts.append(frame.group_by(by).agg(pl.col("value").sum()).with_columns(pl.lit(ctx.scope.area_code).alias("area_code")))
    return pl.concat(parts, how="diagonal")


def _grid(counts: pl.DataFrame, keys: dict[str, list[str]]) -> pl.DataFrame:
    """Every combination of ``keys``' values, with the counts found and 0 elsewhere."""
    full = None
    for name, values in keys.items():
        column = pl.DataFrame({name: values}, schema={name: pl.String})
        full = column if full is None else full.join(column, how="cross")
    assert full is not None
    return full.join(counts, on=list(keys), how="left").with_columns(pl.col("value").fill_null(0))


def _categories(dimension: str) -> list[str]:
    return [t.key for t in DIMENSIONS[dimension]]


def _cross_measures(counts: pl.DataFrame, *, incidents_for_all: bool) -> pl.DataFrame:
    keep = pl.col("measure") == "times_reported"
    if incidents_for_all:
        keep = keep | (pl.col("tactic") == "all")
    return counts.filter(keep)


def tactics(frame: pl.DataFrame, ctx: TableContext) -> pl.DataFrame:
    """Table 1: reports involving and times reported, every tactic key, for the scope's area."""
    counts = pattern_counts(frame.group_by("counted").agg(pl.len().alias("n")), [], ["n"], _ALL_TACTICS)
    return _tidy(counts.drop("weight"), ctx, "tactics")


def _single(dimension: str) -> Callable[[pl.DataFrame, TableContext], pl.DataFrame]:
    def table(frame: pl.DataFrame, ctx: TableContext) -> pl.DataFrame:
        grouped = frame.group_by(dimension, "counted").agg(pl.len().alias("n"))
        counts = _cross_measures(pattern_counts(grouped, [dimension], ["n"], CROSS_TACTICS), incidents_for_all=True)
        counts = _grid(counts.rename({dimension: "category"}).drop("weight"),
                       {"category": _categories(dimension), "tactic": list(CROSS_TACTICS),
                        "measure": ["incidents", "times_reported"]})
        counts = _cross_measures(counts, incidents_for_all=True)
        total = counts.group_by("tactic", "measure").agg(pl.col("value").sum()).with_columns(pl.lit("all").alias("category"))
        return _tidy(pl.concat([counts, total], how="diagonal").with_columns(pl.lit(dimension).alias("dimension")),
                     ctx, dimension)
    table.__doc__ = f"Tactics by perceived {dimension} (a single answer per report): times reported; reports for all."
    return table


def _multi(dimension: str) -> Callable[[pl.DataFrame, TableContext], pl.DataFrame]:
    mask = pl.col(f"{dimension}_mask")
    cats = list(MASK_KEYS[dimension])
    groups = {k: sum(1 << cats.index(m) for m in members) for k, (_, members) in CATEGORY_GROUPS.get(dimension, {}).items()}

    def table(frame: pl.DataFrame, ctx: TableContext) -> pl.DataFrame:
        ticks = [((mask & (1 << i)) != 0).sum().alias(c) for i, c in enumerate(cats)]
        ticks += [((mask & bits) != 0).sum().alias(g) for g, bits in groups.items()]
        grouped = frame.group_by("counted").agg(*ticks, pl.len().alias("all"))
        counts = pattern_counts(grouped, [], [*cats, *groups, "all"], CROSS_TACTICS)
        counts = _cross_measures(counts.rename({"weight": "category"}), incidents_for_all=True)
        return _tidy(counts.with_columns(pl.lit(dimension).alias("dimension")), ctx, dimension)
    table.__doc__ = f"Tactics by {dimension} (several per report): counts do not sum to the total."
    return table


def _force_single(dimension: str) -> Callable[[pl.DataFrame, TableContext], pl.DataFrame]:
    def table(frame: pl.DataFrame, ctx: TableContext) -> pl.DataFrame:
        grouped = frame.group_by("force_code", dimension, "counted").agg(pl.len().alias("n"))
        counts = pattern_counts(grouped, ["force_code", dimension], ["n"], CROSS_TACTICS, ("times_reported",))
        held = sorted(frame.get_column("force_code").unique().to_list())
        counts = _grid(counts.rename({dimension: "category"}).drop("weight", "measure"),
                       {"force_code": held, "category": _categories(dimension), "tactic": list(CROSS_TACTICS)})
        total = counts.group_by("force_code", "tactic").agg(pl.col("value").sum()).with_columns(pl.lit("all").alias("category"))
        counts = _with_areas(pl.concat([counts, total], how="diagonal"), ctx, ["category", "tactic"])
        return _tidy(counts.with_columns(pl.lit(dimension).alias("dimension"), pl.lit("times_reported").alias("measure")),
                     ctx, f"force_{dimension}")
    table.__doc__ = f"Tactics by force and perceived {dimension} (2018-19 Tables 14-17): times reported."
    return table


def incidents_by_force(frame: pl.DataFrame, ctx: TableContext) -> pl.DataFrame:
    """Table 12: reports per force, region and the scope's area."""
    counts = frame.group_by("force_code").agg(pl.len().alias("value"))
    counts = _with_areas(counts, ctx, [])
    return _tidy(counts.with_columns(pl.lit("all").alias("tactic"), pl.lit("incidents").alias("measure")),
                 ctx, "incidents_by_force")


def ced_by_force(frame: pl.DataFrame, ctx: TableContext) -> pl.DataFrame:
    """Table 13: CED reports per force at the highest level, with the discharge roll-up."""
    grouped = frame.filter(pl.col("ced")).group_by("force_code", "counted").agg(pl.len().alias("n"))
    counts = pattern_counts(grouped, ["force_code"], ["n"], _CED_TABLE, ("incidents",))
    held = sorted(frame.get_column("force_code").unique().to_list())
    counts = _grid(counts.drop("weight", "measure"), {"force_code": held, "tactic": list(_CED_TABLE)})
    counts = _with_areas(counts, ctx, ["tactic"])
    return _tidy(counts.with_columns(pl.lit("incidents").alias("measure")), ctx, "ced_by_force")


_OFFICER = {"injured": ["yes", "no", "not_reported"], "intentional": ["yes", "no", "not_reported"],
            "injury_level": ["minor", "severe", "not_reported"]}
_SUBJECT = {"injured": ["yes", "no", "unknown", "not_reported"], "injury_level": ["minor", "severe", "death", "not_reported"]}


def _injury(frame: pl.DataFrame, ctx: TableContext, table: str, columns: dict[str, str],
            categories: dict[str, list[str]]) -> pl.DataFrame:
    names = list(categories)
    counts = frame.group_by(list(columns.values())).agg(pl.len().alias("value")).rename({v: k for k, v in columns.items()})
    values = {n: categories[n] + sorted(set(counts.get_column(n).to_list()) - set(categories[n])) for n in names}
    counts = _grid(counts, values)
    level = names[-1]
    with_all = pl.concat([counts, counts.group_by(names[:-1]).agg(pl.col("value").sum()).with_columns(pl.lit("all").alias(level))],
                         how="diagonal")
    overall = with_all.group_by(level).agg(pl.col("value").sum()).with_columns(*(pl.lit("all").alias(n) for n in names[:-1]))
    out = pl.concat([with_all, overall], how="diagonal").with_columns(
        pl.concat_str([pl.col(n) for n in names], separator="/").alias("category"),
        pl.lit("/".join(names)).alias("dimension"), pl.lit("incidents").alias("measure"))
    return _tidy(out.drop(names), ctx, table)


def officer_injury(frame: pl.DataFrame, ctx: TableContext) -> pl.DataFrame:
    """Table 10: reports by officer injured x intentional assault x injury level (reports, not people)."""
    return _injury(frame, ctx, "officer_injury", {"injured": "staff_injured", "intentional": "staff_injury_intentional",
                                                  "injury_level": "staff_injury_level"}, _OFFICER)


def subject_injury(frame: pl.DataFrame, ctx: TableContext) -> pl.DataFrame:
    """Table 11: reports by person injured x injury level (reports, not injured people)."""
    return _injury(frame, ctx, "subject_injury", {"injured": "subject_injured", "injury_level": "subject_injury_level"},
                   _SUBJECT)


#: every table computed from records, in the interface's order
TABLES: dict[str, Callable[[pl.DataFrame, TableContext], pl.DataFrame]] = {
    "tactics": tactics,
    **{d: _single(d) for d in SINGLE},
    **{d: _multi(d) for d in MULTI},
    "officer_injury": officer_injury,
    "subject_injury": subject_injury,
    "incidents_by_force": incidents_by_force,
    "ced_by_force": ced_by_force,
    **{f"force_{d}": _force_single(d) for d in SINGLE},
}
RECORD_TABLES = tuple(TABLES)
