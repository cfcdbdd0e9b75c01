"""Small-number suppression: the one rule every public output uses.

**Primary.** A count from 1 to the threshold (``FORCEWATCH_SUPPRESSION_THRESHOLD``, default 5)
could identify a person, so a public output shows :data:`SUPPRESSED` instead, and every rate,
interval, ratio, share or median computed from it goes with it. Zero is shown: it identifies no one.

**Secondary.** A hidden count must not be recoverable by arithmetic:

- where cells add up to a published total (the forces of a region, the regions of England and
  Wales, the categories of a single-answer dimension, the levels of CED, the forces of a funnel),
  a lone hidden cell of the group could be worked out by subtraction, so the next smallest cell of
  the group is hidden too (the total if nothing else is left);
- where counts nest (a funnel's stages, each within the one before; a figure "x of n"), the
  difference between two of them is a count anyone can compute, so :func:`nested_groups` adds
  each difference as a cell of its own: a small difference hides one of the two figures.

Both are repeated until no group has exactly one hidden cell (:func:`suppressed_cells`). On by
default; a threshold of 0 turns it off. Every output that applies it states the rule in the same
words (:func:`statement`).

>>> rule = SuppressionRule(5)
>>> sorted(suppressed_cells({"A": 3, "B": 40, "C": 12, "all": 55}, [("all", ["A", "B", "C"])], rule))
['A', 'C']
>>> values, groups = nested_groups({"recorded": 40, "charged": 38}, ["recorded", "charged"])
>>> sorted(k for k in suppressed_cells(values, groups, rule) if isinstance(k, str))
['charged']
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from . import forces
from .settings import Settings

__all__ = [
    "MARKER",
    "SUPPRESSED",
    "SuppressionRule",
    "area_groups",
    "is_small",
    "nested_groups",
    "rule_from_settings",
    "statement",
    "suppress",
    "suppress_rows",
    "suppressed_cells",
]

#: what a public output shows instead of a small count
SUPPRESSED = "suppressed"
#: the same marker, under the name the monitoring modules use in notes
MARKER = SUPPRESSED
K = TypeVar("K", bound=Hashable)
Group = tuple[Any, Sequence[Any]]


def is_small(count: Any, threshold: int) -> bool:
    """True for a whole count from 1 to ``threshold`` (the counts primary suppression hides)."""
    if isinstance(count, bool) or not isinstance(count, numbers.Real):
        return False
    value = float(count)
    return value.is_integer() and 1 <= value <= threshold


def suppress(count: Any, threshold: int) -> Any:
    """``count``, or :data:`SUPPRESSED` when it is from 1 to ``threshold``."""
    return SUPPRESSED if is_small(count, threshold) else count


def statement(threshold: int) -> str:
    """The rule in words, printed on every public output that applies it."""
    if threshold < 1:
        return "No counts are suppressed (the suppression threshold is 0)."
    return (
        f"Counts from 1 to {threshold} are suppressed (shown as '{SUPPRESSED}'), with every rate, interval, "
        "ratio, share and median computed from them; so is the next smallest figure wherever a suppressed "
        "count could be worked out from a total or from the difference of two figures. Zero is shown."
    )


@dataclass(frozen=True)
class SuppressionRule:
    """The threshold in force; 0 means no suppression."""

    threshold: int = 5

    @property
    def active(self) -> bool:
        return self.threshold > 0

    def hides(self, count: Any) -> bool:
        """Whether primary suppression hides ``count``."""
        return self.active and is_small(count, self.threshold)

    def statement(self) -> str:
        return statement(self.threshold)

    def as_dict(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "marker": MARKER, "statement": self.statement()}


def rule_from_settings(settings: Settings | None = None) -> SuppressionRule:
    """The rule configured by ``FORCEWATCH_SUPPRESSION_THRESHOLD`` (default 5)."""
    return SuppressionRule((settings or Settings()).suppression_threshold)


def suppressed_cells(values: Mapping[K, float | None], groups: Iterable[Group], rule: SuppressionRule) -> set[K]:
    """The cells to hide: primary (1 to threshold) and secondary, for groups (total, members)."""
    if not rule.active:
        return set()
    hidden = {k for k, v in values.items() if rule.hides(v)}
    listed = [(total, [m for m in members if m in values]) for total, members in groups]
    changed = True
    while changed:
        changed = False
        for total, members in listed:
            cells = [*members, total] if total in values else list(members)
            if sum(c in hidden for c in cells) != 1:
                continue
            visible = [m for m in members if m not in hidden]
            visible.sort(key=lambda m: (not (values[m] or 0) > 0, values[m] or 0))
            hidden.add(visible[0] if visible else total)
            changed = True
    return hidden


def nested_groups(values: Mapping[Any, float | None], chain: Sequence[Any]) -> tuple[dict[Any, float | None],
                                                                                    list[Group]]:
    """Groups for counts that nest, each within the one before (``chain``: outermost first).

    Returns ``values`` with the difference of each pair added as a cell of its own, keyed
    ``("difference", outer, inner)``, and the groups (outer, [inner, difference]) for
    :func:`suppressed_cells`. Differences are never published; they only make the rule hide one of
    two figures whose difference is small.
    """
    out = dict(values)
    groups: list[Group] = []
    for outer, inner in zip(chain, chain[1:]):
        a, b = out.get(outer), out.get(inner)
        if a is None or b is None:
            continue
        gap = ("difference", outer, inner)
        out[gap] = a - b
        groups.append((outer, [inner, gap]))
    return out, groups


def suppress_rows(rows: Sequence[dict[str, Any]], key: Callable[[dict[str, Any]], Any], value: str,
                  groups: Iterable[Group], rule: SuppressionRule, *,
                  blank: Sequence[str] = (), note: str | None = "note") -> list[dict[str, Any]]:
    """Copies of ``rows`` with suppressed cells' ``value`` (and ``blank`` fields) emptied and noted."""
    values = {key(r): r.get(value) for r in rows}
    hide = suppressed_cells(values, groups, rule)
    out = []
    for row in rows:
        row = dict(row)
        if key(row) in hide:
            row[value] = None
            for name in blank:
                row[name] = None
            if note:
                row[note] = "; ".join(x for x in (MARKER, row.get(note) or "") if x)
        out.append(row)
    return out


def area_groups(area_codes: Iterable[str]) -> list[tuple[str, list[str]]]:
    """(region, its forces) and (England and Wales, the regions) among the given codes."""
    codes = set(area_codes)
    groups = [(r.code, [f.code for f in forces.forces_in(r.code) if f.code in codes]) for r in forces.regions()
              if r.code in codes]
    ew = forces.ENGLAND_AND_WALES.code
    if ew in codes:
        groups.append((ew, [r.code for r in forces.regions() if r.code in codes]))
    return groups
