"""What the demand-coverage model takes in, and how it is written into (and read back from) a trace.

The later wiring (stored incidents, the roster, the judgement log) builds a :class:`CoverageInputs`;
this module has no idea where the numbers came from, only that they are well formed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import UsageError
from ..stats.canonical import fraction_text
from ..stats.morile import MorileInputs
from ..stats.staffing import Exact, exact

__all__ = ["BlockDemand", "CoverageInputs"]


@dataclass(frozen=True)
class BlockDemand:
    """Demand events counted in one (area, hour block): ``events`` over ``hours`` of observation.

    ``hours`` is the total time observed in that block (e.g. 365 days x 8 hours = 2920), as an int
    or decimal string so it is held exactly.
    """

    area: str
    block: str
    events: int
    hours: Exact

    def __post_init__(self) -> None:
        if not self.area or not self.block:
            raise UsageError("every demand row needs an area and an hour block")
        if self.area == "all":
            raise UsageError(
                "'all' is reserved for the force total", hint="name areas by their own keys"
            )
        if isinstance(self.events, bool) or not isinstance(self.events, int) or self.events < 0:
            raise UsageError(
                f"{self.area}/{self.block}: events {self.events!r} must be a whole number, 0 or more"
            )
        if exact(self.hours, f"{self.area}/{self.block} hours") <= 0:
            raise UsageError(f"{self.area}/{self.block}: hours observed must be positive")

    def as_dict(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "block": self.block,
            "events": self.events,
            "hours": fraction_text(exact(self.hours, "hours")),
        }


@dataclass(frozen=True)
class CoverageInputs:
    """Everything a coverage run needs besides the method document.

    - ``demand``: one row per (area, hour block);
    - ``current``: trained STOs now, by area; each value is a number, or a mapping of team -> number
      (summed); areas left out have no comparison ("not decided");
    - ``threat``: the MoRiLE-style inputs, scored with the method's scales; or
    - ``priority``: a priority already scored elsewhere (not both).
    """

    demand: tuple[BlockDemand, ...]
    current: Mapping[str, int | Mapping[str, int]] | None = None
    threat: MorileInputs | None = None
    priority: Exact | None = None

    def __post_init__(self) -> None:
        if not self.demand:
            raise UsageError("the coverage model needs at least one demand row")
        keys = [(d.area, d.block) for d in self.demand]
        if len(set(keys)) != len(keys):
            dup = next(k for k in keys if keys.count(k) > 1)
            raise UsageError(
                f"demand for {dup[0]}/{dup[1]} is given twice",
                hint="add the counts and hours together first",
            )
        if self.threat is not None and self.priority is not None:
            raise UsageError("give the threat inputs or a priority, not both")
        areas = {d.area for d in self.demand}
        for area in self.current or {}:
            if area not in areas:
                raise UsageError(
                    f"current headcount given for {area!r}, which has no demand rows",
                    hint="areas with demand: " + ", ".join(sorted(areas)),
                )
            self.current_for(area)

    def current_for(self, area: str) -> int | None:
        """The current trained headcount of ``area`` (teams summed), or ``None`` if not given."""
        if self.current is None or area not in self.current:
            return None
        value = self.current[area]
        numbers = list(value.values()) if isinstance(value, Mapping) else [value]
        for v in numbers:
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise UsageError(
                    f"current headcount for {area!r} must be whole numbers, 0 or more (got {v!r})"
                )
        return sum(numbers)

    def threat_dict(self) -> dict[str, Any] | None:
        if self.threat is None:
            return None
        t = self.threat
        return {
            "harm": {k: fraction_text(exact(v, f"harm.{k}")) for k, v in t.harm.items()},
            "vulnerability": fraction_text(exact(t.vulnerability, "vulnerability")),
            "scope": fraction_text(exact(t.scope, "scope")),
            "likelihood": fraction_text(exact(t.likelihood, "likelihood")),
            "org_position": t.org_position,
            "confidence": t.confidence,
        }

    def as_dict(self) -> dict[str, Any]:
        current = None
        if self.current is not None:
            current = {
                a: (dict(v) if isinstance(v, Mapping) else v)
                for a, v in sorted(self.current.items())
            }
        return {
            "demand": [d.as_dict() for d in sorted(self.demand, key=lambda d: (d.area, d.block))],
            "current": current,
            "threat": self.threat_dict(),
            "priority": None
            if self.priority is None
            else fraction_text(exact(self.priority, "priority")),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CoverageInputs:
        """Read inputs back from a trace (the inverse of :meth:`as_dict`)."""
        try:
            demand = tuple(
                BlockDemand(str(d["area"]), str(d["block"]), d["events"], str(d["hours"]))
                for d in data["demand"]
            )
            t = data.get("threat")
            threat = (
                None
                if t is None
                else MorileInputs(
                    dict(t["harm"]),
                    t["vulnerability"],
                    t["scope"],
                    t["likelihood"],
                    t["org_position"],
                    t["confidence"],
                )
            )
        except (KeyError, TypeError) as exc:
            raise UsageError(f"coverage inputs are missing {exc}") from None
        return cls(demand, data.get("current"), threat, data.get("priority"))
