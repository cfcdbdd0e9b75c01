"""Small-number suppression for public outputs: counts from 1 to the threshold are not shown.

A count of 1 to ``threshold`` (``FORCEWATCH_SUPPRESSION_THRESHOLD``, default 5) could identify a
person, so public outputs replace it with :data:`SUPPRESSED`, and anything derived from it (a rate,
an interval, a ratio) goes with it. Zero is shown: it identifies no one. Every public output states
the rule (:func:`statement`). Kept tiny on purpose; the monitoring tables use the same rule.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SUPPRESSED", "is_small", "statement", "suppress"]

#: what a public output shows instead of a small count
SUPPRESSED = "suppressed"


def is_small(count: Any, threshold: int) -> bool:
    """True for a whole count from 1 to ``threshold`` (the counts that are suppressed)."""
    if isinstance(count, bool) or not isinstance(count, (int, float)):
        return False
    return float(count).is_integer() and 1 <= count <= threshold


def suppress(count: Any, threshold: int) -> Any:
    """``count``, or :data:`SUPPRESSED` when it is from 1 to ``threshold``."""
    return SUPPRESSED if is_small(count, threshold) else count


def statement(threshold: int) -> str:
    """The rule in words, printed on every public output."""
    if threshold < 1:
        return "No counts are suppressed (the suppression threshold is 0)."
    return (
        f"Counts from 1 to {threshold} are suppressed (shown as '{SUPPRESSED}'), with every rate, "
        "interval and ratio computed from them, so that no one can be identified. Zero is shown."
    )
