"""Small-number suppression for public outputs.

A public output never shows a count from 1 to the threshold (``FORCEWATCH_SUPPRESSION_THRESHOLD``,
default 5): the cell is shown as suppressed and the rule is stated with the output. Zero is shown
(it identifies no one). Percentages and medians computed from a suppressed count are suppressed
too. Differences between two published cells are not protected (no secondary suppression): the
outputs that use this module publish nested stages, whose differences are counts of crimes, not of
people; see ``docs/assaults-and-review.md``.

>>> suppress(3, 5)
{'value': None, 'suppressed': True}
>>> suppress(0, 5)
{'value': 0, 'suppressed': False}
"""

from __future__ import annotations

from typing import Any

__all__ = ["suppress", "is_suppressed", "rule_text"]


def is_suppressed(count: int | None, threshold: int) -> bool:
    """Whether a count must be hidden in a public output: 1 to ``threshold`` inclusive."""
    return count is not None and 0 < count <= threshold


def suppress(count: int | None, threshold: int) -> dict[str, Any]:
    """``{"value", "suppressed"}``: the count, or ``None`` when it is from 1 to ``threshold``."""
    hidden = is_suppressed(count, threshold)
    return {"value": None if hidden else count, "suppressed": hidden}


def rule_text(threshold: int) -> str:
    """The suppression rule, stated with every public output that applies it."""
    if threshold <= 0:
        return "No counts are suppressed (the suppression threshold is 0)."
    return (f"Counts from 1 to {threshold} are suppressed (shown as 'suppressed'), and so is any rate or "
            "median computed from them, so that no small group can be singled out. Zero is shown.")
