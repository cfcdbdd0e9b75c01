"""Small-number suppression: the one rule every public output uses.

**Primary**: a count from 1 to the threshold (``FORCEWATCH_SUPPRESSION_THRESHOLD``, default 5) is
replaced by a marker; 0 is shown (it identifies no one). **Secondary**: where cells add up to a
total (the categories of a single-answer dimension, the forces of a region, the regions of England
and Wales, the levels of CED), a lone suppressed cell could be worked out by subtraction, so the
next smallest cell of that group is suppressed too (the total itself if nothing else is left),
repeated until no group has exactly one hidden cell. On by default; a threshold of 0 turns it
off, and every output that applies it carries :meth:`SuppressionRule.statement`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Hashable, Iterable, Mapping, Sequence, TypeVar

from .. import forces
from ..settings import Settings

__all__ = ["SuppressionRule", "MARKER", "suppressed_cells", "suppress_rows", "area_groups", "rule_from_settings"]

#: what a suppressed cell shows, in notes and on pages
MARKER = "suppressed"
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class SuppressionRule:
    """The threshold in force; 0 means no suppression."""

    threshold: int = 5

    @property
    def active(self) -> bool:
        return self.threshold > 0

    def statement(self) -> str:
        if not self.active:
            return "Small-number suppression is off: every count is shown."
        return (f"Counts from 1 to {self.threshold} are suppressed (shown as '{MARKER}'), and so is the next "
                "smallest figure wherever a suppressed count could be worked out from a total; 0 is shown.")

    def as_dict(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "marker": MARKER, "statement": self.statement()}


def rule_from_settings(settings: Settings | None = None) -> SuppressionRule:
    """The rule configured by ``FORCEWATCH_SUPPRESSION_THRESHOLD`` (default 5)."""
    return SuppressionRule((settings or Settings()).suppression_threshold)


def suppressed_cells(values: Mapping[K, float | None], groups: Iterable[tuple[K, Sequence[K]]],
                     rule: SuppressionRule) -> set[K]:
    """The cells to hide: primary (1 to threshold) and secondary, for groups (total, members)."""
    if not rule.active:
        return set()
    hidden = {k for k, v in values.items() if v is not None and 1 <= v <= rule.threshold}
    groups = [(total, [m for m in members if m in values]) for total, members in groups]
    changed = True
    while changed:
        changed = False
        for total, members in groups:
            cells = [*members, total] if total in values else list(members)
            if sum(c in hidden for c in cells) != 1:
                continue
            visible = [m for m in members if m not in hidden]
            visible.sort(key=lambda m: (not (values[m] or 0) > 0, values[m] or 0))
            hidden.add(visible[0] if visible else total)
            changed = True
    return hidden


def suppress_rows(rows: Sequence[dict[str, Any]], key: Callable[[dict[str, Any]], Any], value: str,
                  groups: Iterable[tuple[Any, Sequence[Any]]], rule: SuppressionRule, *,
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
