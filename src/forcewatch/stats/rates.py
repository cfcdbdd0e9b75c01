"""Rates per force with their funnel limits: the rows of ``forcewatch rates``.

One call turns counts and bases into the interface rows (docs/domain/interfaces.md): ``year,
area_code, area, tactic, count, base, per, rate, limit95_low, limit95_high, limit998_low,
limit998_high, outside``. The funnel (target, overdispersion) is fitted on the forces only;
regions and England and Wales are then placed against the same funnel at their own base, because
they are aggregates of the forces, not further independent units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import UsageError
from .canonical import Serialisable
from .funnel import Funnel, FunnelUnit, outside, poisson_funnel

__all__ = ["AreaCount", "RateRow", "RateTable", "rate_table"]


@dataclass(frozen=True)
class AreaCount:
    """The count and base (officers, population) of one area, by ONS code and canonical name."""

    area_code: str
    area: str
    count: int
    base: float


@dataclass(frozen=True)
class RateRow(Serialisable):
    """One row of ``forcewatch rates``; ``rate`` and the limits are per ``per`` of the base."""

    year: str
    area_code: str
    area: str
    tactic: str
    count: int
    base: float
    per: float
    rate: float | None
    limit95_low: float | None
    limit95_high: float | None
    limit998_low: float | None
    limit998_high: float | None
    outside: str


@dataclass(frozen=True)
class RateTable(Serialisable):
    """The rows (forces first, in the order given, then the other areas) and the fitted funnel."""

    rows: tuple[RateRow, ...]
    funnel: Funnel


def rate_table(
    year: str,
    tactic: str,
    forces: Sequence[AreaCount],
    *,
    others: Sequence[AreaCount] = (),
    per: float = 1000,
    **funnel_settings: Any,
) -> RateTable:
    """Rates per ``per`` with funnel limits for ``forces``, and ``others`` placed on the same funnel.

    ``funnel_settings`` are passed to :func:`forcewatch.stats.funnel.poisson_funnel` (target,
    limits, adjustment, winsor, z95, z998), e.g. ``**config.funnel.funnel_kwargs()``. An area with
    a base of 0 (no officers or population recorded) gets empty rate and limits and ``outside``
    ``none``; it is left out of the funnel.
    """
    if per <= 0:
        raise UsageError(f"per {per!r} must be positive", hint="e.g. 1000 for per 1,000 officers")
    codes = [a.area_code for a in (*forces, *others)]
    if len(set(codes)) != len(codes):
        raise UsageError("an area appears twice", hint="give each ONS code once")
    usable = [a for a in forces if a.base > 0]
    funnel = poisson_funnel(
        [FunnelUnit(a.area_code, a.count, a.base) for a in usable], per=per, **funnel_settings
    )
    points = {p.key: p for p in funnel.points}
    rows = []
    for area in (*forces, *others):
        if area.base <= 0:
            rows.append(
                RateRow(year, area.area_code, area.area, tactic, area.count, area.base, per,
                        None, None, None, None, None, "none")
            )  # fmt: skip
            continue
        point = points.get(area.area_code)
        lim = point.limits if point is not None else funnel.limits_at(area.base)
        rate = area.count / area.base * per
        rows.append(
            RateRow(year, area.area_code, area.area, tactic, area.count, area.base, per, rate,
                    lim.low95, lim.high95, lim.low998, lim.high998, outside(rate, lim))
        )  # fmt: skip
    return RateTable(tuple(rows), funnel)
