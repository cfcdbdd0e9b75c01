"""The tactics and CED (Taser) columns of a simulated force: exact reports per tactic and per CED level.

Part of :mod:`forcewatch.simulate`. :func:`tactic_columns` writes, for one force, exactly the
published number of CED reports at each highest level (``mps_ho_table``) including "not stated"
(``CED Used`` = Yes with no level), with lower non-discharge levels drawn below each report's
highest one (never above); exactly the given number of reports involving each other tactic, every
report outside "not reported" holding at least one; tactical communication only beside another
tactic; ``Tactic n`` in order of use (up to 20) with an ``Effective n`` answer; and device block 1
(levels, cartridge, cycles, a probe miss, the body map) for every CED report with a level.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .form_values import FORM_TACTICS
from .simulation_targets import CED_TARGET_LEVELS, ForceTargets
from .vocab import ced_hierarchy

__all__ = ["tactic_columns", "EFFECTIVE_SHARE"]

#: the assumed share of tactics recorded as effective (no publication gives it)
EFFECTIVE_SHARE = 0.8
_LABEL = {ho: label for label, (_, ho) in reversed(FORM_TACTICS.items())}
_LABEL["irritant_spray_drawn"], _LABEL["irritant_spray_used"] = "Irritant Spray - PAVA Drawn", "Irritant Spray - PAVA Used"
_CED_LABEL = {level: _LABEL[f"ced_{level}"] for level in ("drawn", "aimed", "red_dot", "arced", "drive_stun", "fired",
                                                          "angled_drive_stun")}


def _yes_no(mask: np.ndarray) -> np.ndarray:
    return np.where(mask, "Yes", "No").astype(object)


def _ced_masks(rng: np.random.Generator, highest: np.ndarray) -> dict[str, np.ndarray]:
    """Levels recorded on each CED report: its highest level plus some lower non-discharge ones."""
    order = ced_hierarchy("mps_ho_table").order_high_to_low
    rank = {lvl: len(order) - i for i, lvl in enumerate(order)}
    top = np.array([rank.get(h, 0) for h in highest])
    levels = {}
    for level, p in (("drawn", 0.95), ("aimed", 0.5), ("red_dot", 0.6), ("arced", 0.05), ("drive_stun", 0.0),
                     ("fired", 0.0), ("angled_drive_stun", 0.0)):
        levels[level] = (highest == level) | ((top > rank[level]) & (rng.random(len(highest)) < p))
    return levels


def tactic_columns(rng: np.random.Generator, ft: ForceTargets) -> dict[str, np.ndarray]:
    """The ``Tactic n``/``Effective n``, ``CED Used``, serial and block-1 columns of ``ft.reports`` reports,
    plus ``_is_ced`` (which reports involve CED)."""
    n = ft.reports
    cols: dict[str, np.ndarray] = {}
    # CED: exactly the published reports at each highest level
    ced_counts = [ft.ced.get(level, 0) for level in CED_TARGET_LEVELS]
    ced_rows = rng.permutation(n)[: sum(ced_counts)]
    highest = rng.permutation(np.repeat(np.array(CED_TARGET_LEVELS, dtype=object), ced_counts))
    levels = _ced_masks(rng, highest)
    is_ced = np.zeros(n, bool)
    is_ced[ced_rows] = True
    stated = highest != "not_stated"
    tactic_rows: list[np.ndarray] = []
    tactic_keys: list[np.ndarray] = []
    for rank, level in enumerate(("drawn", "aimed", "red_dot", "arced", "drive_stun", "fired", "angled_drive_stun")):
        rows = ced_rows[levels[level]]
        tactic_rows.append(rows)
        tactic_keys.append(np.full(len(rows), 100 + rank))
    # other tactics: exact reports per tactic, every report outside "not reported" gets at least one
    keys = [k for k in ft.tactics if k not in ("not_reported", "tactical_communication") and ft.tactics[k] > 0]
    counts = np.array([ft.tactics[k] for k in keys], dtype=int)
    others = np.flatnonzero(~is_ced)
    rng.shuffle(others)
    not_reported = others[: min(ft.tactics.get("not_reported", 0), len(others))]
    needs = others[len(not_reported):]
    has = np.zeros((n, len(keys)), bool)
    slots = rng.permutation(np.repeat(np.arange(len(keys)), counts))
    covered = min(len(slots), len(needs))
    has[needs[:covered], slots[:covered]] = True
    eligible = np.ones(n, bool)
    eligible[not_reported] = False
    for j, key in enumerate(keys):
        candidates = np.flatnonzero(eligible & ~has[:, j])
        extra = min(max(counts[j] - int(has[:, j].sum()), 0), len(candidates))
        has[rng.choice(candidates, extra, replace=False), j] = True
    for j in range(len(keys)):
        rows = np.flatnonzero(has[:, j])
        tactic_rows.append(rows)
        tactic_keys.append(np.full(len(rows), j + 1))
    talked = ft.tactics.get("tactical_communication", 0)
    if talked:
        candidates = np.flatnonzero(has.any(axis=1) | is_ced)
        rows = rng.choice(candidates, min(talked, len(candidates)), replace=False)
        tactic_rows.append(rows)
        tactic_keys.append(np.zeros(len(rows), int))
    labels = np.array(["Tactical Communications", *[_LABEL[k] for k in keys],
                       *[None] * (100 - len(keys) - 1), *_CED_LABEL.values()], dtype=object)
    long = pl.DataFrame({"row": np.concatenate(tactic_rows or [np.zeros(0, int)]),
                         "key": np.concatenate(tactic_keys or [np.zeros(0, int)])})
    long = long.with_columns(pl.Series("shuffle", rng.random(long.height))).with_columns(
        pl.when(pl.col("key").is_between(1, 99)).then(pl.col("shuffle")).otherwise(pl.col("key")).alias("sort"))
    long = long.sort("row", pl.col("key") >= 100, "sort").with_columns(pl.int_range(pl.len()).over("row").alias("seq"))
    long = long.filter(pl.col("seq") < 20)
    grid = np.full((n, 20), None, dtype=object)
    effective = np.full((n, 20), None, dtype=object)
    r, s, k = (long.get_column(c).to_numpy() for c in ("row", "seq", "key"))
    grid[r, s] = labels[k]
    effective[r, s] = _yes_no(rng.random(len(r)) < EFFECTIVE_SHARE)
    for i in range(20):
        cols[f"Tactic {i + 1}"] = grid[:, i]
        cols["Tactic Effective 20" if i == 19 else f"Effective {i + 1}"] = effective[:, i]
    # the CED header and device block 1
    cols["CED Used"] = _yes_no(is_ced)
    serial = np.full(n, None, dtype=object)
    serial[ced_rows] = np.char.add("X", rng.integers(1_000_000, 9_999_999, len(ced_rows)).astype(str))
    cols["CED Device Serial No"] = serial
    for header_item, key in (("Drawn", "drawn"), ("Aimed", "aimed"), ("Arced", "arced"), ("Red-Dotted", "red_dot"),
                             ("Drive Stun", "drive_stun"), ("Angle Drive Stun", "angled_drive_stun"), ("Fired", "fired")):
        col = np.full(n, None, dtype=object)
        col[ced_rows[stated]] = _yes_no(levels[key][stated])
        cols[f"CED {header_item}"] = col
    repeat = np.full(n, None, dtype=object)
    repeat[ced_rows[stated]] = "No"
    cols["CED Drive Stun Repeat Application"] = repeat
    fired = ced_rows[levels["fired"]]
    for header, values in (("CED Fired Cartridge Number", np.full(len(fired), "1", dtype=object)),
                           ("CED Fired Total Number Of Cycles", rng.integers(1, 4, len(fired)).astype(str).astype(object)),
                           ("CED Fired Miss With One Probe", _yes_no(rng.random(len(fired)) < 0.1))):
        col = np.full(n, None, dtype=object)
        col[fired] = values
        cols[header] = col
    zones = [f"CED Front {i}" for i in range(1, 16)] + [f"CED Back {z}" for z in "ABCDEFGHJK"]
    hit = rng.integers(0, len(zones), (len(fired), 2))
    for z, header in enumerate(zones):
        col = np.full(n, None, dtype=object)
        col[fired[(hit == z).any(axis=1)]] = "Yes"
        cols[header] = col
    cols["_is_ced"] = is_ced
    return cols
