"""Trends and change points in monthly counts (assaults on officers, weapon incidents, CED uses).

- :func:`annual_trend`: a Poisson GLM on monthly counts with offset log(exposure) and month-of-year
  terms; the rate ratio per year exp(β_year) with its interval says "rates rise by x% a year".
- :func:`pelt`: retrospective change points by PELT (Killick, Fearnhead and Eckley 2012) with a
  Poisson cost. The answer depends on the penalty per change, so the penalty is part of the result.
- :func:`poisson_cusum`: prospective monitoring. An alarm is a prompt for an early review.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.stats import norm

from ..errors import UsageError
from .canonical import Serialisable
from .glm import GlmFit, poisson_glm

__all__ = [
    "ChangePoints",
    "Cusum",
    "Segment",
    "Trend",
    "annual_trend",
    "pelt",
    "poisson_cusum",
    "segment_cost",
]


def _month(label: str) -> tuple[int, int]:
    try:
        year, month = (int(p) for p in label.split("-"))
    except ValueError:
        raise UsageError(
            f"period {label!r} is not a month", hint="write months as YYYY-MM, e.g. 2019-04"
        ) from None
    if not 1 <= month <= 12:
        raise UsageError(f"period {label!r} has no month {month}")
    return year, month


@dataclass(frozen=True)
class Trend(Serialisable):
    """The rate ratio per year with its interval, and the fitted model behind it."""

    periods: tuple[str, ...]
    rate_ratio_per_year: float
    ci_low: float
    ci_high: float
    level: float
    seasonal: bool
    fit: GlmFit
    note: str


def annual_trend(
    periods: Sequence[str],
    counts: Sequence[float],
    exposure: Sequence[float] | None = None,
    *,
    seasonal: bool = True,
    scale: Literal["poisson", "quasi"] = "poisson",
    level: float = 0.95,
) -> Trend:
    """Fit log E[count] = log(exposure) + β₀ + β_year·t + month terms, t in years since the first month.

    ``periods`` are months ``YYYY-MM``. Month terms (one per calendar month present, less one)
    absorb seasonality. Use ``scale="quasi"`` when the counts are overdispersed (``fit.dispersion``
    well above 1): it widens the interval.
    """
    months = [_month(p) for p in periods]
    if len(months) != len(counts) or (exposure is not None and len(exposure) != len(counts)):
        raise UsageError("give one count (and one exposure) per period")
    if len(set(months)) != len(months):
        raise UsageError("a month appears twice", hint="aggregate counts to one row per month")
    first = min(months)
    t = [((y - first[0]) * 12 + (m - first[1])) / 12 for y, m in months]
    present = sorted({m for _, m in months})
    terms = present[1:] if seasonal else []
    names = ["intercept", "year", *(f"month_{m:02d}" for m in terms)]
    design = [[1.0, ti, *(1.0 if m == k else 0.0 for k in terms)] for ti, (_, m) in zip(t, months)]
    fit = poisson_glm(counts, design, names, exposure=exposure, scale=scale)
    beta, se = fit.coefficient("year")
    z = float(norm.ppf(0.5 + level / 2))
    notes = []
    if seasonal and len(months) < 24:
        notes.append("fewer than 24 months: the trend and the month terms are hard to separate")
    if fit.dispersion > 1.5 and scale == "poisson":
        notes.append(
            f"overdispersed (Pearson chi2/df = {fit.dispersion:.2f}): consider scale='quasi'"
        )
    if not fit.converged:
        notes.append("the fit did not converge (a month with no events?)")
    return Trend(
        tuple(periods),
        math.exp(beta),
        math.exp(beta - z * se),
        math.exp(beta + z * se),
        level,
        seasonal,
        fit,
        "; ".join(notes),
    )


# --- change points -----------------------------------------------------------------------


def segment_cost(count: float, exposure: float) -> float:
    """Poisson cost of a segment: −2 × maximised log-likelihood (terms not depending on the rate dropped).

    = −2·(Y·ln(Y/E) − Y) for Y events over exposure E; 0 when Y = 0.
    """
    return 0.0 if count == 0 else -2.0 * (count * math.log(count / exposure) - count)


@dataclass(frozen=True)
class Segment(Serialisable):
    """A run of periods [start, end) with one rate."""

    start: int
    end: int
    count: float
    exposure: float
    rate: float


@dataclass(frozen=True)
class ChangePoints(Serialisable):
    """Where the rate changes: ``change_points`` are the indices at which a new segment starts."""

    change_points: tuple[int, ...]
    segments: tuple[Segment, ...]
    penalty: float
    penalty_rule: str
    min_size: int
    cost: float
    method: str = "PELT (Killick et al. 2012), Poisson cost -2*loglik, penalty per change"


def pelt(
    counts: Sequence[float],
    exposure: Sequence[float] | None = None,
    *,
    penalty: float | None = None,
    min_size: int = 1,
) -> ChangePoints:
    """Optimal segmentation minimising Σ segment_cost + penalty × (number of changes), by PELT.

    The default penalty is 2·ln(n) per change. Segments have at least ``min_size`` periods.
    """
    y = [float(c) for c in counts]
    n = len(y)
    e = [1.0] * n if exposure is None else [float(v) for v in exposure]
    if n == 0 or len(e) != n:
        raise UsageError("give at least one count, and one exposure per count")
    if any(v < 0 for v in y) or any(v <= 0 for v in e):
        raise UsageError("counts must not be negative and exposures must be positive")
    if min_size < 1:
        raise UsageError("min_size must be at least 1")
    rule = "given"
    if penalty is None:
        penalty, rule = 2 * math.log(n) if n > 1 else 0.0, "2*ln(n)"
    if penalty < 0:
        raise UsageError("the penalty must not be negative")
    cy = np.concatenate([[0.0], np.cumsum(y)])
    ce = np.concatenate([[0.0], np.cumsum(e)])

    def cost(s: int, t: int) -> float:
        return segment_cost(float(cy[t] - cy[s]), float(ce[t] - ce[s]))

    best = [math.inf] * (n + 1)
    last = [0] * (n + 1)
    best[0] = -penalty
    # PELT pruning: s can never be the last change before any later T >= t + min_size once
    # F(s) + C(s, t) > F(t). It stays a candidate until then, because the split at t that proves
    # it useless is only admissible for segments of at least min_size.
    candidates: list[int] = []
    expires: dict[int, int] = {}
    for t in range(1, n + 1):
        new = t - min_size
        if new >= 0 and math.isfinite(best[new]):
            candidates.append(new)
        candidates = [s for s in candidates if expires.get(s, n + 1) > t]
        if not candidates:
            continue
        raw = [best[s] + cost(s, t) for s in candidates]
        values = [r + penalty for r in raw]
        i = int(np.argmin(values))
        best[t], last[t] = values[i], candidates[i]
        for s, r in zip(candidates, raw):
            if r > best[t] and s not in expires:
                expires[s] = t + min_size
    cps = []
    t = n
    while t > 0:
        cps.append(last[t])
        t = last[t]
    bounds = sorted(cps) + [n]
    segs = tuple(
        Segment(
            a,
            b,
            float(cy[b] - cy[a]),
            float(ce[b] - ce[a]),
            float((cy[b] - cy[a]) / (ce[b] - ce[a])),
        )
        for a, b in itertools.pairwise(bounds)
    )
    return ChangePoints(
        tuple(s.start for s in segs[1:]), segs, float(penalty), rule, min_size, float(best[n])
    )


# --- prospective monitoring ------------------------------------------------------------------


@dataclass(frozen=True)
class Cusum(Serialisable):
    """A Poisson CUSUM run: the statistic each period, and the periods that raised an alarm."""

    in_control: float
    shift: float
    h: float
    reference: tuple[float, ...]
    statistic: tuple[float, ...]
    alarms: tuple[int, ...]
    alarm_periods: tuple[str, ...]
    reset: bool
    direction: str
    method: str = "Poisson CUSUM (Lucas 1985): S_t = max(0, S_t-1 + y_t - k_t), k_t = mu0_t(r-1)/ln r; alarm S_t >= h"


def poisson_cusum(
    counts: Sequence[float],
    in_control: float,
    shift: float,
    h: float,
    *,
    exposure: Sequence[float] | None = None,
    periods: Sequence[str] | None = None,
    reset: bool = True,
) -> Cusum:
    """Poisson CUSUM for a change from ``in_control`` to ``in_control × shift``.

    ``in_control`` is the expected count per period (or per unit of ``exposure`` if given);
    ``shift`` = r, the ratio to detect (1.5 for a 50% rise; below 1 watches for a fall); ``h`` is
    the decision interval in counts. The reference value k_t = μ₀ₜ(r − 1)/ln r is the
    likelihood-ratio optimum. After an alarm the statistic restarts at 0 when ``reset``.
    """
    if in_control <= 0 or shift <= 0 or shift == 1 or h <= 0:
        raise UsageError(
            "in_control and h must be positive, and shift a positive ratio other than 1",
            hint="e.g. shift=1.5 to detect a 50% rise",
        )
    y = [float(c) for c in counts]
    e = [1.0] * len(y) if exposure is None else [float(v) for v in exposure]
    labels = [str(i) for i in range(len(y))] if periods is None else list(periods)
    if len(e) != len(y) or len(labels) != len(y):
        raise UsageError("give one exposure and one period label per count")
    up = shift > 1
    ks, stats, alarms = [], [], []
    s = 0.0
    for i, (yi, ei) in enumerate(zip(y, e)):
        mu0 = in_control * ei
        k = mu0 * (shift - 1) / math.log(shift)
        s = max(0.0, s + (yi - k if up else k - yi))
        ks.append(k)
        stats.append(s)
        if s >= h:
            alarms.append(i)
            if reset:
                s = 0.0
    return Cusum(
        in_control,
        shift,
        h,
        tuple(ks),
        tuple(stats),
        tuple(alarms),
        tuple(labels[i] for i in alarms),
        reset,
        "up" if up else "down",
    )
