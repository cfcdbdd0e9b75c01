"""CED (Taser) use on one report: every level recorded, its class, and its highest level.

The raw truth is stored as recorded: the ``Tactic n`` entries (``tactic_use``) and up to four
device blocks (``ced_device``) with every level, cartridge, cycles, misses and the probe-strike
body map. From them each report gets:

- ``ced``: the report involves CED (``CED Used`` = Yes, a CED tactic, or a level ticked in a
  device block);
- ``ced_levels_mask``: the union of the levels recorded anywhere on the report, one bit per level
  in ``masks.MASK_KEYS["ced_level"]`` order (drawn=1, aimed=2, red_dot=4, arced=8, drive_stun=16,
  fired=32, angled_drive_stun=64). ``Drive Stun Repeat Application`` is a detail of drive stun, not
  a level: it sets no bit of its own;
- ``ced_class``: ``discharge``, ``non_discharge`` or ``not_stated`` (CED used, no level recorded),
  identical under every hierarchy profile (all of them rank discharge above non-discharge).

The highest level depends on the hierarchy profile, so it is not stored: :func:`highest_by_mask`
gives the 128-entry lookup from ``ced_levels_mask`` to the highest level under a profile, which
counts a national year with one vectorised ``replace`` (see ``docs/records.md``).
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from .masks import MASK_KEYS
from .vocab import CED_DISCHARGE_LEVELS, ced_hierarchy

__all__ = ["LEVEL_BITS", "DISCHARGE_MASK", "levels_of", "highest_by_mask", "ced_class_expr", "ced_class"]

LEVEL_BITS: dict[str, int] = {level: 1 << i for i, level in enumerate(MASK_KEYS["ced_level"])}
DISCHARGE_MASK = sum(LEVEL_BITS[level] for level in CED_DISCHARGE_LEVELS)


def levels_of(mask: int | None) -> list[str]:
    """The CED levels whose bits are set in ``mask``."""
    return [level for level, b in LEVEL_BITS.items() if (mask or 0) & b]


@lru_cache(maxsize=16)
def highest_by_mask(profile: str = "mps_ho_table") -> dict[int, str | None]:
    """``ced_levels_mask`` -> highest level under ``profile`` (``None`` for 0: not stated)."""
    hierarchy = ced_hierarchy(profile)
    return {mask: hierarchy.highest(levels_of(mask)) for mask in range(1 << len(LEVEL_BITS))}


def ced_class(ced: bool, mask: int | None) -> str | None:
    """``discharge``, ``non_discharge``, ``not_stated``, or ``None`` when the report has no CED."""
    if not ced:
        return None
    if (mask or 0) & DISCHARGE_MASK:
        return "discharge"
    return "non_discharge" if mask else "not_stated"


def ced_class_expr(ced: pl.Expr, mask: pl.Expr) -> pl.Expr:
    """:func:`ced_class` as a Polars expression (the same rule, column-wise)."""
    return (
        pl.when(~ced.fill_null(False)).then(None)
        .when((mask & DISCHARGE_MASK) != 0).then(pl.lit("discharge"))
        .when(mask != 0).then(pl.lit("non_discharge"))
        .otherwise(pl.lit("not_stated"))
    )
