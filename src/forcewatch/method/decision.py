"""The decision rule: recommend an increase only if there is a shortfall AND the priority is high enough.

threat-risk-assessment.md section 5.10: recommend more trained STOs only if both

1. the coverage model shows a shortfall against β: the required headcount (at the central
   estimate, or at the lower bound if the method says so) is above the current headcount, and
2. the threat and risk priority (MoRiLE-style, section 3) is at or above the agreed threshold.

Otherwise the result is "no increase", stated explicitly. If the current headcount or the
priority was not supplied, the rule cannot be applied and the result is "not decided", with the
reason. The uplift is required − current at the judged estimate; the range of uplifts over the
interval is reported beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Generic, TypeVar

from ..stats.canonical import Serialisable, fraction_text
from .settings import DecisionRule

__all__ = [
    "INCREASE",
    "NOT_DECIDED",
    "NO_INCREASE",
    "Bounds",
    "Decision",
    "decide",
    "force_decision",
    "recommendation_text",
]

INCREASE = "increase"
NO_INCREASE = "no increase"
NOT_DECIDED = "not decided"

T = TypeVar("T")


@dataclass(frozen=True)
class Bounds(Serialisable, Generic[T]):
    """A quantity at the lower bound, the central estimate and the upper bound."""

    low: T
    central: T
    high: T


@dataclass(frozen=True)
class Decision(Serialisable):
    """The outcome of the decision rule for one area (or the force), with every reason."""

    decision: str
    shortfall: bool | None
    judged_at: str
    required: int
    current: int | None
    priority: Fraction | None
    priority_threshold: Fraction
    priority_met: bool | None
    uplift: int | None
    uplift_low: int | None
    uplift_high: int | None
    reasons: tuple[str, ...]


def recommendation_text(required: Bounds[int]) -> str:
    """ "L to U, central C", e.g. "40 to 54, central 54"."""
    return f"{required.low} to {required.high}, central {required.central}"


def decide(
    required: Bounds[int], current: int | None, priority: Fraction | None, rule: DecisionRule
) -> Decision:
    """Apply the decision rule to one area's required headcount."""
    judged_at = rule.shortfall_at
    basis = required.central if judged_at == "central" else required.low
    threshold = Fraction(rule.priority_threshold)
    reasons: list[str] = []
    shortfall = None if current is None else basis > current
    priority_met = None if priority is None else priority >= threshold
    where = "central estimate" if judged_at == "central" else "lower bound"
    if current is None:
        reasons.append("current trained headcount not supplied: the shortfall cannot be judged")
    elif shortfall:
        reasons.append(f"shortfall: {basis} required at the {where} against {current} trained")
    else:
        reasons.append(f"no shortfall: {basis} required at the {where}, {current} trained")
    if priority is None:
        reasons.append("threat and risk priority not supplied: condition (ii) cannot be judged")
    elif priority_met:
        reasons.append(
            f"priority {fraction_text(priority)} is at or above the threshold {fraction_text(threshold)}"
        )
    else:
        reasons.append(
            f"priority {fraction_text(priority)} is below the threshold {fraction_text(threshold)}"
        )
    if shortfall is False or priority_met is False:
        decision = NO_INCREASE
    elif shortfall is None or priority_met is None:
        decision = NOT_DECIDED
    else:
        decision = INCREASE
    uplift = uplift_low = uplift_high = None
    if current is not None:
        uplift_low, uplift_high = max(0, required.low - current), max(0, required.high - current)
        if decision == INCREASE:
            uplift = basis - current
    return Decision(
        decision,
        shortfall,
        judged_at,
        basis,
        current,
        priority,
        threshold,
        priority_met,
        uplift,
        uplift_low,
        uplift_high,
        tuple(reasons),
    )


def force_decision(
    by_area: Sequence[tuple[str, Decision]],
    required: Bounds[int],
    current: int | None,
    priority: Fraction | None,
    rule: DecisionRule,
) -> Decision:
    """The force-level decision: "increase" if any area's is, with the areas' uplifts added up.

    Surpluses in one area are not netted off against shortfalls in another, because each area
    keeps its own cover. Otherwise "not decided" if any area is, else the rule on the totals.
    """
    decision = decide(required, current, priority, rule)
    if any(d.decision == INCREASE for _, d in by_area):
        why = [
            f"{area}: {d.decision}" + (f" (+{d.uplift})" if d.uplift else "") for area, d in by_area
        ]
        why.append("uplift = sum of area uplifts; surpluses elsewhere are not netted off")
        uplift = sum(d.uplift or 0 for _, d in by_area)
        return replace(decision, decision=INCREASE, uplift=uplift, reasons=tuple(why))
    if any(d.decision == NOT_DECIDED for _, d in by_area):
        return replace(decision, decision=NOT_DECIDED, uplift=None)
    return decision
