"""The caveats every disparity figure must be shown with, as data the UI and the packs can render.

threat-risk-assessment.md section 7 lists what a reader needs to know before reading a ratio:
the benchmark population chosen, that ethnicity on the use-of-force form is the officer's
perception, small counts, many comparisons at once, overdispersion, and (nationally) that the
Metropolitan Police is shown separately. Keys are stable; titles and texts may be improved.
"""

from __future__ import annotations

from dataclasses import dataclass

from .canonical import Serialisable

__all__ = ["CAVEATS", "Caveat", "caveats"]


@dataclass(frozen=True)
class Caveat(Serialisable):
    """A caveat to show beside disparity figures: a stable key, a short title and the text."""

    key: str
    title: str
    text: str


CAVEATS: tuple[Caveat, ...] = (
    Caveat(
        "benchmark",
        "Choice of benchmark",
        "The ratio depends on the comparison population: residents (Census), the population 'available' in "
        "public places, or people in contact with the police give different answers. The benchmark used "
        "is stated with every figure.",
    ),
    Caveat(
        "perceived_ethnicity",
        "Officer-perceived ethnicity",
        "Use-of-force ethnicity is the officer's perception; Census ethnicity is self-defined. The two "
        "classifications do not match exactly.",
    ),
    Caveat(
        "small_counts",
        "Small counts",
        "Ratios built on few events are unstable; intervals are wide, and counts below the configured "
        "threshold are flagged or suppressed.",
    ),
    Caveat(
        "multiple_comparisons",
        "Many comparisons",
        "Several groups, forces and tactics are compared at once, so some 95% intervals will exclude 1 "
        "by chance alone (about one in twenty where there is no real difference).",
    ),
    Caveat(
        "overdispersion",
        "Overdispersion",
        "Counts often vary more than a Poisson model allows; plain intervals are then too narrow. "
        "Quasi-Poisson or negative-binomial intervals are wider.",
    ),
    Caveat(
        "metropolitan_police",
        "Metropolitan Police shown separately",
        "Nationally, the Metropolitan Police is shown separately because London's demography would "
        "skew totals for England and Wales.",
    ),
)


def caveats(*, national: bool = False) -> tuple[Caveat, ...]:
    """The caveats to display; the Metropolitan Police caveat only for national figures."""
    return tuple(c for c in CAVEATS if national or c.key != "metropolitan_police")
