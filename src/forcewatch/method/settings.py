"""The sections of a method document, each a small frozen dataclass with its reader.

Kept apart from :mod:`.config` so each section's rules (ranges, choices, hints) are in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from ..errors import UsageError
from .document import Fields

__all__ = [
    "DecisionRule",
    "DemandEvent",
    "DisparitySettings",
    "FunnelSettings",
    "HourBlock",
    "IntervalSettings",
    "Staffing",
    "read_blocks",
    "read_decision",
    "read_demand_event",
    "read_disparity",
    "read_funnel",
    "read_interval",
    "read_staffing",
]

_SCALARS = (str, int, Decimal, bool)


@dataclass(frozen=True)
class DemandEvent:
    """What counts as a Taser-relevant demand event: text for people, a filter for machines.

    ``filter = {"source": <dataset>, "where": {field: value or [values]}}``. A record matches when,
    for every field, its value equals the value or is one of the list; a record field holding
    several values (markers) matches if any of them is listed.
    """

    text: str
    source: str
    where: Mapping[str, tuple[Any, ...]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "filter": {
                "source": self.source,
                "where": {k: list(v) for k, v in sorted(self.where.items())},
            },
        }

    def matches(self, record: Mapping[str, Any]) -> bool:
        """Whether a record (one incident, one report) is a demand event under this definition."""
        for field, allowed in self.where.items():
            value = record.get(field)
            if isinstance(value, (list, tuple, set, frozenset)):
                if not any(v in allowed for v in value):
                    return False
            elif value not in allowed:
                return False
        return True


def read_demand_event(f: Fields) -> DemandEvent:
    text = f.text(
        "text",
        hint="say in words which incidents count, e.g. 'Grade 1 or 2 incident with a weapon marker'",
    )
    flt = f.section("filter", ("source", "where"))
    where_raw = flt.raw("where", hint="map each field to the value or list of values that count")
    if not isinstance(where_raw, Mapping) or not where_raw:
        raise UsageError(
            "demand_event.filter.where must map fields to values", hint="e.g. {grade: [1, 2]}"
        )
    where: dict[str, tuple[Any, ...]] = {}
    for key, value in where_raw.items():
        values = tuple(value) if isinstance(value, list) else (value,)
        if not values or not all(isinstance(v, _SCALARS) for v in values):
            raise UsageError(
                f"demand_event.filter.where.{key} must be a value or a non-empty list of values"
            )
        where[str(key)] = values
    return DemandEvent(
        text, flt.text("source", hint="the dataset the filter applies to, e.g. incidents"), where
    )


@dataclass(frozen=True)
class Staffing:
    """R teams for 24/7 cover, abstraction rate α, buffer ρ (exact decimals)."""

    teams: Decimal
    abstraction: Decimal
    buffer: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {"teams": self.teams, "abstraction": self.abstraction, "buffer": self.buffer}


def read_staffing(f: Fields) -> Staffing:
    return Staffing(
        f.decimal(
            "teams",
            low=Decimal(0),
            low_open=True,
            hint="the number of teams giving 24/7 cover, e.g. 5",
        ),
        f.decimal(
            "abstraction",
            low=Decimal(0),
            high=Decimal(1),
            high_open=True,
            hint="share of time lost to leave, sickness, training and court, e.g. 0.25",
        ),
        f.decimal(
            "buffer",
            low=Decimal(0),
            hint="allowance for attrition and requalification failure, e.g. 0.10",
        ),
    )


@dataclass(frozen=True)
class HourBlock:
    """Hours [start, end) of the day, named ``key`` (e.g. ``00-08``)."""

    key: str
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "start": self.start, "end": self.end}


def read_blocks(raw: Any) -> tuple[HourBlock, ...]:
    if not isinstance(raw, list) or not raw:
        raise UsageError(
            "hour_blocks must be a list of {key, start, end}",
            hint="e.g. [{key: 00-08, start: 0, end: 8}, ...]",
        )
    blocks = []
    for i, item in enumerate(raw):
        f = Fields(item, f"hour_blocks[{i}]", ("key", "start", "end"))
        blocks.append(
            HourBlock(
                f.text("key"), f.integer("start", low=0, high=23), f.integer("end", low=1, high=24)
            )
        )
    if len({b.key for b in blocks}) != len(blocks):
        raise UsageError("hour_blocks use a key twice", hint="give each block its own key")
    at = 0
    for b in blocks:
        if b.start != at or b.end <= b.start:
            raise UsageError(
                f"hour block {b.key!r} ({b.start}-{b.end}) does not continue from hour {at}",
                hint="list blocks in order, each starting where the last ended, covering 0 to 24",
            )
        at = b.end
    if at != 24:
        raise UsageError(
            f"hour_blocks end at hour {at}, not 24",
            hint="blocks must cover the whole day for 24/7 cover",
        )
    return tuple(blocks)


@dataclass(frozen=True)
class IntervalSettings:
    """How the requirement interval is made: exact demand CI bounds, or Monte Carlo with a seed.

    For ``monte_carlo``, λ is drawn from Gamma(n + 1/2, T) per block and, if ranges are given, the
    commitment time and abstraction rate from triangular distributions (low, central, high).
    """

    KEYS: ClassVar[tuple[str, ...]] = (
        "method",
        "level",
        "seed",
        "draws",
        "commitment_hours",
        "abstraction",
    )
    method: str
    level: Decimal
    seed: int | None
    draws: int | None
    commitment_range: tuple[Decimal, Decimal] | None
    abstraction_range: tuple[Decimal, Decimal] | None

    def as_dict(self) -> dict[str, Any]:
        def rng(r: tuple[Decimal, Decimal] | None) -> Any:
            return None if r is None else {"low": r[0], "high": r[1]}

        return {
            "method": self.method,
            "level": self.level,
            "seed": self.seed,
            "draws": self.draws,
            "commitment_hours": rng(self.commitment_range),
            "abstraction": rng(self.abstraction_range),
        }


def read_interval(f: Fields) -> IntervalSettings:
    method = f.text("method", choices=("demand_ci", "monte_carlo"))
    level = f.decimal(
        "level", low=Decimal(0), high=Decimal(1), low_open=True, high_open=True, hint="e.g. 0.95"
    )
    seed = draws = None
    ranges: dict[str, tuple[Decimal, Decimal] | None] = {
        "commitment_hours": None,
        "abstraction": None,
    }
    if method == "monte_carlo" or f.has("seed"):
        seed = f.integer("seed", low=0, hint="a fixed seed makes the draws repeatable; record it")
    if method == "monte_carlo" or f.has("draws"):
        draws = f.integer("draws", low=100, high=1_000_000, hint="e.g. 10000")
    for key in ranges:
        if f.has(key):
            r = f.section(key, ("low", "high"))
            low, high = r.decimal("low", low=Decimal(0)), r.decimal("high", low=Decimal(0))
            if low > high:
                raise UsageError(f"interval.{key}.low is above interval.{key}.high")
            ranges[key] = (low, high)
    return IntervalSettings(
        method, level, seed, draws, ranges["commitment_hours"], ranges["abstraction"]
    )


@dataclass(frozen=True)
class DecisionRule:
    """Increase only if there is a shortfall (judged at ``shortfall_at``) and priority >= threshold."""

    shortfall_at: str
    priority_threshold: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {"shortfall_at": self.shortfall_at, "priority_threshold": self.priority_threshold}


def read_decision(f: Fields) -> DecisionRule:
    return DecisionRule(
        f.text(
            "shortfall_at",
            choices=("central", "lower_bound"),
            hint="central: judge the shortfall at the central estimate; lower_bound: only if even the lower bound falls short",
        ),
        f.decimal(
            "priority_threshold",
            low=Decimal(0),
            hint="the MoRiLE priority at or above which an increase may be recommended",
        ),
    )


@dataclass(frozen=True)
class FunnelSettings:
    """Funnel plot settings: limits method, overdispersion adjustment, winsorisation, target, z."""

    KEYS: ClassVar[tuple[str, ...]] = ("limits", "adjustment", "winsor", "target", "z95", "z998")
    limits: str
    adjustment: str
    winsor: Decimal
    target: str | Decimal
    z95: Decimal
    z998: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {
            "limits": self.limits,
            "adjustment": self.adjustment,
            "winsor": self.winsor,
            "target": self.target,
            "z95": self.z95,
            "z998": self.z998,
        }

    def funnel_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for :func:`forcewatch.stats.funnel.poisson_funnel` / ``proportion_funnel``."""
        return {
            "target": None if self.target == "pooled" else float(self.target),
            "limits": self.limits,
            "adjustment": self.adjustment,
            "winsor": float(self.winsor),
            "z95": float(self.z95),
            "z998": float(self.z998),
        }


def read_funnel(f: Fields) -> FunnelSettings:
    target: str | Decimal = "pooled"
    if f.has("target") and f.raw("target") != "pooled":
        target = f.decimal(
            "target", low=Decimal(0), low_open=True, hint="'pooled', or a target rate"
        )
    return FunnelSettings(
        f.text("limits", choices=("normal", "exact")),
        f.text("adjustment", choices=("none", "multiplicative", "additive")),
        f.decimal(
            "winsor",
            low=Decimal(0),
            high=Decimal("0.5"),
            high_open=True,
            hint="FunnelPlotR uses 0.1",
        ),
        target,
        f.decimal("z95", low=Decimal(0), low_open=True, hint="1.960"),
        f.decimal("z998", low=Decimal(0), low_open=True, hint="3.090"),
    )


@dataclass(frozen=True)
class DisparitySettings:
    """Disparity settings: small-count threshold, reference group, benchmark, interval level."""

    KEYS: ClassVar[tuple[str, ...]] = (
        "small_count_threshold",
        "reference_group",
        "benchmark",
        "level",
    )
    small_count_threshold: int
    reference_group: str
    benchmark: str
    level: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {
            "small_count_threshold": self.small_count_threshold,
            "reference_group": self.reference_group,
            "benchmark": self.benchmark,
            "level": self.level,
        }

    def disparity_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for :func:`forcewatch.stats.disparity.disparity_rows`."""
        return {
            "reference_group": self.reference_group,
            "benchmark": self.benchmark,
            "small_count": self.small_count_threshold,
            "level": float(self.level),
        }


def read_disparity(f: Fields) -> DisparitySettings:
    return DisparitySettings(
        f.integer("small_count_threshold", low=0, hint="counts below this are flagged, e.g. 10"),
        f.text("reference_group"),
        f.text("benchmark", choices=("population", "use_of_force")),
        f.decimal(
            "level", low=Decimal(0), high=Decimal(1), low_open=True, high_open=True, hint="0.95"
        ),
    )
