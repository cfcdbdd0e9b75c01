"""The Home Office counting rules, as bit arithmetic on the loader's frame.

Rules (``use-of-force-data.md`` sections 2-4; version :data:`COUNTING_RULES`):

1. The unit is the officer report (one officer's use of force on one person).
2. A tactic counts **once per report** (a report's ``tactic_mask`` holds each tactic once).
3. CED counts **once per report, at its highest level** under the chosen hierarchy profile; a
   report with CED and no level recorded counts as ``ced_not_stated``. The CED leaves of
   ``tactic_mask`` are replaced by that one bit (the *counting mask*).
4. *Reports involving* a tactic group (``handcuffing``, ``restraint`` ...) = reports with any of its
   leaf tactics. *Times reported* = the number of distinct leaf tactics of the group in the report
   (working assumption of the domain note: drawn and used in one report add 2 to times reported,
   1 to reports involving). So times reported for a leaf equals reports involving it.
5. ``all``: *reports* (measure ``incidents``) is every report; *times reported* adds every leaf
   tactic except tactical communication. Tactical communication and ``not_reported`` (reports with
   no tactic at all) are **outside** the total.
6. Multi-select dimensions (reason, impact factor, outcome, location) count a report once in each
   category ticked; their categories do not sum to the total, and reports with none ticked appear
   only in the ``all`` column.

To count a national year fast, reports are first grouped by their counting mask (a few hundred
distinct masks), and the tactic arithmetic is done once per distinct mask (:func:`pattern_counts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np
import polars as pl

from ..ced import highest_by_mask
from ..masks import MASK_KEYS
from ..vocab import TACTICS, ced_hierarchy

__all__ = ["COUNTING_RULES", "CountingRules", "counting_mask", "TacticBits", "tactic_bits", "pattern_counts",
           "LEAVES", "CROSS_TACTICS"]


@dataclass(frozen=True)
class CountingRules:
    """The version of the counting rules recorded beside every record-derived figure."""

    name: str
    version: str
    summary: str


COUNTING_RULES = CountingRules(
    "forcewatch-uof-counting", "1.0.0",
    "report as the unit; a tactic once per report; CED once per report at its highest level under the "
    "hierarchy profile; times reported = distinct leaf tactics per report; tactical communication and "
    "not reported outside the total; multi-select categories counted once per tick")

_BIT = {k: i for i, k in enumerate(MASK_KEYS["tactic"])}
_CHILDREN: dict[str, list[str]] = {}
for _t in TACTICS:
    if _t.parent:
        _CHILDREN.setdefault(_t.parent, []).append(_t.key)
#: leaf tactics a counting mask can hold (tactical communication included; it is outside the total)
LEAVES: tuple[str, ...] = tuple(t.key for t in TACTICS if t.key not in _CHILDREN and t.key not in ("all", "not_reported"))
_CED_KEYS = tuple(t.key for t in TACTICS if t.key.startswith("ced"))
_CED_BITS = sum(1 << _BIT[k] for k in _CED_KEYS)
#: tactic rows of the cross-tabulations (Tables 2-9, 14-17): every key but the CED levels, plus
#: the CED roll-up (non-discharge, discharge, not stated) that later releases publish there
CROSS_TACTICS: tuple[str, ...] = tuple(
    t.key for t in TACTICS
    if not t.key.startswith("ced_") or t.key in ("ced_non_discharge", "ced_discharge", "ced_not_stated"))


def _leaves_under(key: str) -> list[str]:
    if key == "all":
        return [k for k in LEAVES if k != "tactical_communication"]
    kids = _CHILDREN.get(key)
    if not kids:
        return [key] if key in LEAVES else []
    return [leaf for kid in kids for leaf in _leaves_under(kid)]


@dataclass(frozen=True)
class TacticBits:
    """For each tactic key: the bits of its leaves in the counting mask."""

    keys: tuple[str, ...]
    bits: np.ndarray  # int64, one per key


@lru_cache(maxsize=4)
def tactic_bits(keys: tuple[str, ...] = tuple(t.key for t in TACTICS)) -> TacticBits:
    """The leaf bits of every tactic key (``not_reported`` has none: it is the empty mask)."""
    return TacticBits(keys, np.array([sum(1 << _BIT[leaf] for leaf in _leaves_under(k)) for k in keys], dtype=np.int64))


@lru_cache(maxsize=8)
def _ced_lookup(profile: str) -> dict[int, int]:
    highest = highest_by_mask(profile)
    return {m: 1 << _BIT[f"ced_{level}" if level else "ced_not_stated"] for m, level in highest.items()}


def counting_mask(profile: str = "mps_ho_table") -> pl.Expr:
    """The counting mask of each report: its tactics, with CED as one bit at its highest level."""
    ced_hierarchy(profile)  # refuses an unknown profile with suggestions
    ced_bit = pl.col("ced_levels_mask").replace_strict(_ced_lookup(profile), return_dtype=pl.Int64)
    return ((pl.col("tactic_mask") & ~_CED_BITS)
            | pl.when(pl.col("ced")).then(ced_bit).otherwise(pl.lit(0, pl.Int64))).alias("counted")


def pattern_counts(grouped: pl.DataFrame, keys: Sequence[str], weights: Sequence[str],
                   tactics: Sequence[str], measures: Sequence[str] = ("incidents", "times_reported")) -> pl.DataFrame:
    """Tactic counts from reports grouped by (``keys``, counting mask) with ``weights`` columns.

    ``grouped`` has one row per distinct (keys, ``counted``) and, per weight column, how many
    reports of that row fall in it. Returns one row per (keys, weight, tactic, measure) with
    ``value``: reports involving the tactic (``incidents``) or times reported.
    """
    bits = tactic_bits(tuple(tactics))
    grouped = grouped.sort(list(keys)) if keys else grouped
    counted = grouped.get_column("counted").to_numpy().astype(np.int64)
    hit = counted[:, None] & bits.bits[None, :]
    feature = {"incidents": (hit != 0).astype(np.int64), "times_reported": np.bitwise_count(hit).astype(np.int64)}
    empty = counted == 0
    for i, key in enumerate(bits.keys):
        if key == "not_reported":
            feature["incidents"][:, i] = feature["times_reported"][:, i] = empty
        elif key == "all":
            feature["incidents"][:, i] = 1
    if keys:
        key_frame = grouped.select(keys)
        starts = np.flatnonzero(np.r_[True, np.any([(key_frame[k][1:] != key_frame[k][:-1]).to_numpy()
                                                   for k in keys], axis=0)]) if grouped.height else np.array([], int)
        heads = key_frame[starts] if grouped.height else key_frame
    else:
        starts, heads = np.array([0]), pl.DataFrame()
    parts = []
    for weight in weights:
        w = grouped.get_column(weight).to_numpy().astype(np.int64)[:, None]
        for measure in measures:
            if not grouped.height:
                values = np.zeros((0 if keys else 1, len(bits.keys)), np.int64)
            else:
                values = np.add.reduceat(feature[measure] * w, starts, axis=0)
            block = pl.DataFrame(values, schema=list(bits.keys), orient="row")
            block = pl.concat([heads, block], how="horizontal") if keys else block
            parts.append(block.unpivot(index=list(keys), variable_name="tactic", value_name="value")
                         .with_columns(pl.lit(weight).alias("weight"), pl.lit(measure).alias("measure")))
    return pl.concat(parts) if parts else pl.DataFrame()
