"""Disproportionality: how much more often force is used on one group than on a reference group.

Two benchmarks, each answering a different question (the output always says which):

- ``population``: the rate ratio RR = (a/P_A) / (b/P_B), uses per head of each group's population
  (e.g. Census residents aged 10 and over). 95% interval exp(ln RR ± 1.96·√(1/a + 1/b)), treating
  the populations as fixed.
- ``use_of_force``: the conditional ratio (TASERD's approach). Among use-of-force reports, the
  chance that a Taser (CED) was used, group against reference: a risk ratio
  (a/n_A)/(b/n_B) with interval exp(ln RR ± 1.96·√(1/a − 1/n_A + 1/b − 1/n_B)), and optionally the
  odds ratio with Woolf's interval. This partly controls for different exposure to policing.

A zero count gets no interval (the log is undefined) and a note saying so; counts below the
configured threshold are flagged. :data:`CAVEATS` lists the caveats every display must carry.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from scipy.stats import norm

from ..errors import UsageError
from .canonical import Serialisable
from .caveats import CAVEATS, Caveat, caveats

__all__ = [
    "BENCHMARKS",
    "CAVEATS",
    "Caveat",
    "DisparityRow",
    "RatioEstimate",
    "caveats",
    "conditional_ratio",
    "disparity_rows",
    "odds_ratio",
    "rate_ratio",
]

BENCHMARKS = ("population", "use_of_force")


@dataclass(frozen=True)
class RatioEstimate(Serialisable):
    """A ratio with its interval; ``None`` where it cannot be computed, with ``notes`` saying why."""

    ratio: float | None
    ci_low: float | None
    ci_high: float | None
    level: float
    method: str
    notes: tuple[str, ...] = ()


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise UsageError(f"confidence level {level!r} must be between 0 and 1", hint="0.95 for 95%")
    return 1.96 if level == 0.95 else float(norm.ppf(0.5 + level / 2))


def _check(name: str, value: float, whole: bool = False) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(value)
        or value < 0
    ):
        raise UsageError(f"{name} {value!r} must be a number, 0 or more")
    if whole and value != int(value):
        raise UsageError(f"{name} {value!r} must be a whole number")


def _log_interval(
    ratio: float, se: float, z: float, method: str, level: float, notes: list[str]
) -> RatioEstimate:
    return RatioEstimate(
        ratio, ratio * math.exp(-z * se), ratio * math.exp(z * se), level, method, tuple(notes)
    )


def rate_ratio(
    a: int, pop_a: float, b: int, pop_b: float, *, level: float = 0.95, dispersion: float = 1.0
) -> RatioEstimate:
    """Population-based rate ratio (a/pop_a)/(b/pop_b) with exp(ln RR ± z·√(φ(1/a + 1/b))).

    ``dispersion`` φ > 1 widens the interval as a quasi-Poisson model would (default 1: Poisson).
    """
    for name, v, whole in (
        ("group count", a, True),
        ("group base", pop_a, False),
        ("reference count", b, True),
        ("reference base", pop_b, False),
    ):
        _check(name, v, whole)
    z = _z(level)
    method = "Poisson rate ratio, log interval: exp(ln RR +/- z*sqrt(1/a + 1/b))"
    if dispersion != 1.0:
        method += f", widened by sqrt(dispersion {dispersion:g})"
    if pop_a == 0 or pop_b == 0:
        return RatioEstimate(
            None, None, None, level, method, ("a base (population) is zero: no rate",)
        )
    if b == 0:
        return RatioEstimate(
            None, None, None, level, method, ("reference count is zero: ratio undefined",)
        )
    ratio = (a / pop_a) / (b / pop_b)
    if a == 0:
        return RatioEstimate(
            ratio, None, None, level, method, ("group count is zero: no interval",)
        )
    return _log_interval(ratio, math.sqrt(dispersion * (1 / a + 1 / b)), z, method, level, [])


def conditional_ratio(a: int, n_a: int, b: int, n_b: int, *, level: float = 0.95) -> RatioEstimate:
    """Risk ratio (a/n_a)/(b/n_b), e.g. share of use-of-force reports with CED, group vs reference.

    Interval exp(ln RR ± z·√(1/a − 1/n_a + 1/b − 1/n_b)) (Katz log interval).
    """
    for name, v in (
        ("group count", a),
        ("group reports", n_a),
        ("reference count", b),
        ("reference reports", n_b),
    ):
        _check(name, v, True)
    if a > n_a or b > n_b:
        raise UsageError("a count of reports with CED cannot exceed the number of reports")
    z = _z(level)
    method = "risk ratio, Katz log interval: exp(ln RR +/- z*sqrt(1/a - 1/n_a + 1/b - 1/n_b))"
    if n_a == 0 or n_b == 0:
        return RatioEstimate(
            None, None, None, level, method, ("no reports in a group: no proportion",)
        )
    if b == 0:
        return RatioEstimate(
            None, None, None, level, method, ("reference count is zero: ratio undefined",)
        )
    ratio = (a / n_a) / (b / n_b)
    if a == 0:
        return RatioEstimate(
            ratio, None, None, level, method, ("group count is zero: no interval",)
        )
    return _log_interval(ratio, math.sqrt(1 / a - 1 / n_a + 1 / b - 1 / n_b), z, method, level, [])


def odds_ratio(a: int, n_a: int, b: int, n_b: int, *, level: float = 0.95) -> RatioEstimate:
    """Odds ratio [a/(n_a − a)] / [b/(n_b − b)] with Woolf's interval √(1/a + 1/c + 1/b + 1/d)."""
    c, d = n_a - a, n_b - b
    for name, v in (
        ("group count", a),
        ("reference count", b),
        ("group without", c),
        ("reference without", d),
    ):
        _check(name, v, True)
    z = _z(level)
    method = "odds ratio, Woolf log interval"
    if 0 in (b, c):
        return RatioEstimate(
            None,
            None,
            None,
            level,
            method,
            ("a zero cell in the denominator: odds ratio undefined",),
        )
    ratio = (a * d) / (b * c)
    if 0 in (a, d):
        return RatioEstimate(ratio, None, None, level, method, ("a zero cell: no interval",))
    return _log_interval(ratio, math.sqrt(1 / a + 1 / b + 1 / c + 1 / d), z, method, level, [])


@dataclass(frozen=True)
class DisparityRow(Serialisable):
    """One group compared with the reference group: the fields of ``forcewatch disparity``.

    ``year``, ``area_code`` and ``tactic`` are the caller's; the rest is computed. ``note`` joins
    every flag (zero counts, small counts) with "; ". ``odds_ratio`` is filled only when asked for.
    """

    year: str
    area_code: str
    tactic: str
    group: str
    reference_group: str
    group_count: int
    group_base: float
    reference_count: int
    reference_base: float
    rate_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    benchmark: str
    note: str
    odds_ratio: RatioEstimate | None = field(default=None)

    def as_dict(self) -> dict[str, object]:
        data = super().as_dict()
        if self.odds_ratio is None:
            data.pop("odds_ratio")
        return data


def disparity_rows(
    year: str,
    area_code: str,
    tactic: str,
    groups: Mapping[str, tuple[int, float]],
    *,
    reference_group: str = "white",
    benchmark: str = "population",
    small_count: int = 10,
    level: float = 0.95,
    with_odds_ratio: bool = False,
    order: Sequence[str] | None = None,
) -> list[DisparityRow]:
    """Compare every group with ``reference_group``. ``groups`` maps group -> (count, base).

    For ``benchmark="population"`` base is the group's population and the ratio is the rate ratio;
    for ``"use_of_force"`` count is reports with CED and base is all use-of-force reports on the
    group, and the ratio is the conditional risk ratio. Counts below ``small_count`` (in the group
    or the reference) are flagged in ``note``. Rows follow ``order`` (default: the mapping's order).
    """
    if benchmark not in BENCHMARKS:
        raise UsageError(
            f"benchmark {benchmark!r} is not known", hint="use 'population' or 'use_of_force'"
        )
    if reference_group not in groups:
        raise UsageError(
            f"reference group {reference_group!r} has no figures",
            hint="groups: " + ", ".join(groups),
        )
    if small_count < 0:
        raise UsageError("the small-count threshold must not be negative")
    ref_count, ref_base = groups[reference_group]
    rows = []
    for group in order or list(groups):
        if group == reference_group:
            continue
        if group not in groups:
            raise UsageError(f"group {group!r} in the order has no figures")
        count, base = groups[group]
        if benchmark == "population":
            est = rate_ratio(count, base, ref_count, ref_base, level=level)
        else:
            est = conditional_ratio(count, int(base), ref_count, int(ref_base), level=level)
        notes = list(est.notes)
        if count < small_count:
            notes.append(f"small count: {group} has fewer than {small_count} events")
        if ref_count < small_count:
            notes.append(
                f"small count: reference {reference_group} has fewer than {small_count} events"
            )
        odds = None
        if with_odds_ratio and benchmark == "use_of_force":
            odds = odds_ratio(count, int(base), ref_count, int(ref_base), level=level)
        rows.append(
            DisparityRow(
                year,
                area_code,
                tactic,
                group,
                reference_group,
                count,
                base,
                ref_count,
                ref_base,
                est.ratio,
                est.ci_low,
                est.ci_high,
                benchmark,
                "; ".join(notes),
                odds,
            )
        )
    return rows
