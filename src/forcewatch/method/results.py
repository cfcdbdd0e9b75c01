"""What the demand-coverage model returns: per block, per area, and the whole result with its trace."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..stats.canonical import Serialisable, to_jsonable
from ..stats.morile import MorileResult
from .decision import Bounds, Decision
from .trace import Trace

__all__ = ["AreaRequirement", "BlockCoverage", "CoverageResult", "headcount_comparison"]


@dataclass(frozen=True)
class BlockCoverage(Serialisable):
    """One (area, hour block): demand, its rate and interval, and the units needed at each bound."""

    area: str
    block: str
    events: int
    hours: Fraction
    rate: float
    rate_low: float
    rate_high: float
    p_at_least_one: Bounds[float]
    load: Bounds[float]
    units: Bounds[int]
    stos: Bounds[int]


@dataclass(frozen=True)
class AreaRequirement(Serialisable):
    """One area (or the force total, area "all"): on-duty STOs, trained headcount, recommendation, decision.

    ``headcount`` holds the exact values before the ceiling (``None`` for Monte Carlo bounds, which
    are quantiles of whole numbers).
    """

    area: str
    on_duty: Bounds[int]
    busiest_block: str | None
    headcount: Bounds[Fraction | None]
    required: Bounds[int]
    recommendation: str
    decision: Decision


def headcount_comparison(area: Mapping[str, Any]) -> dict[str, Any]:
    """Current, required (low, central, high) and the difference required - current at each bound
    (positive: a shortfall; ``None`` when the current headcount was not supplied), for one area.

    ``area`` is an :class:`AreaRequirement` as JSON (``as_dict()``, or as a stored run holds it), so
    the register's coverage page and the assessment's pages and packs compute it the same way.
    """
    decision = area["decision"]
    current = decision["current"]
    required = {k: area["required"][k] for k in ("low", "central", "high")}
    return {
        "area": area["area"],
        "current": current,
        "required": required,
        "difference": None if current is None else {k: v - current for k, v in required.items()},
        "recommendation": area["recommendation"],
        "decision": decision["decision"],
        "reasons": list(decision["reasons"]),
    }


@dataclass(frozen=True)
class CoverageResult(Serialisable):
    """The whole result. ``trace`` is kept apart from :meth:`as_dict`; use ``trace.canonical_json()``."""

    method: Mapping[str, str]
    interval_method: str
    level: float
    threat: MorileResult | None
    priority: Fraction | None
    blocks: tuple[BlockCoverage, ...]
    areas: tuple[AreaRequirement, ...]
    total: AreaRequirement
    decision: str
    trace: Trace

    def comparison(self) -> dict[str, Any]:
        """:func:`headcount_comparison` for every area and for the force (``{"areas": [...], "total": {...}}``)."""
        data = self.as_dict()
        return {"areas": [headcount_comparison(a) for a in data["areas"]],
                "total": headcount_comparison(data["total"])}

    def as_dict(self) -> dict[str, Any]:
        data = {
            k: getattr(self, k)
            for k in (
                "method",
                "interval_method",
                "level",
                "threat",
                "priority",
                "blocks",
                "areas",
                "total",
                "decision",
            )
        }
        result: dict[str, Any] = to_jsonable(data)
        return result
