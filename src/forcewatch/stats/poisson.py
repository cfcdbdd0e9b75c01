"""Poisson counts: exact intervals, the plain-language chance of an event, and overdispersion.

Counts of incidents, Taser uses or assaults in a period are treated as Poisson: events happen
independently at a steady rate. These functions give the exact (Garwood) interval for a count or a
rate, turn a rate into "the chance of at least one event in a shift", and test whether the
Poisson assumption holds (overdispersion: more variation between units or months than Poisson
allows, which makes Poisson intervals too narrow).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from scipy.stats import chi2

from ..errors import UsageError
from .canonical import Serialisable

__all__ = [
    "DispersionTest",
    "PoissonInterval",
    "dispersion_test",
    "poisson_interval",
    "prob_at_least_one",
    "rate_interval",
]


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        raise UsageError(
            f"confidence level {level!r} must be between 0 and 1",
            hint="for a 95% interval pass 0.95",
        )


def _check_count(n: int, name: str = "count") -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise UsageError(f"{name} {n!r} must be a whole number of events, 0 or more")


@dataclass(frozen=True)
class PoissonInterval(Serialisable):
    """A Poisson count ``count`` over ``exposure`` (1 for a bare count), its rate and exact interval."""

    count: int
    exposure: float
    rate: float
    low: float
    high: float
    level: float
    method: str = (
        "exact (Garwood): chi2.ppf((1-level)/2, 2n)/(2T) to chi2.ppf((1+level)/2, 2n+2)/(2T)"
    )


def rate_interval(
    count: int, exposure: float | Decimal | Fraction, level: float = 0.95
) -> PoissonInterval:
    """Exact (Garwood) interval for the rate of ``count`` events in ``exposure`` (hours, people, ...).

    lower = chi2.ppf((1 - level)/2, 2n) / (2T), upper = chi2.ppf((1 + level)/2, 2n + 2) / (2T);
    a count of 0 has lower bound 0. The interval is conservative: it covers the true rate at least
    ``level`` of the time.
    """
    _check_count(count)
    _check_level(level)
    try:
        t = float(exposure)
    except (TypeError, ValueError):
        t = float("nan")
    if isinstance(exposure, bool) or not (math.isfinite(t) and t > 0):
        raise UsageError(
            f"exposure {exposure!r} must be a positive number",
            hint="e.g. hours observed, or people",
        )
    tail = (1 - level) / 2
    low = 0.0 if count == 0 else float(chi2.ppf(tail, 2 * count)) / (2 * t)
    high = float(chi2.ppf(1 - tail, 2 * count + 2)) / (2 * t)
    return PoissonInterval(count, t, count / t, low, high, level)


def poisson_interval(count: int, level: float = 0.95) -> PoissonInterval:
    """Exact (Garwood) interval for the mean of a Poisson count (exposure 1)."""
    return rate_interval(count, 1.0, level)


def prob_at_least_one(rate: float, hours: float) -> float:
    """P(at least one event in ``hours``) = 1 - exp(-rate * hours), for a Poisson rate per hour."""
    if rate < 0 or hours < 0 or not (math.isfinite(rate) and math.isfinite(hours)):
        raise UsageError(f"rate {rate!r} and hours {hours!r} must be finite and not negative")
    return -math.expm1(-rate * hours)


@dataclass(frozen=True)
class DispersionTest(Serialisable):
    """Pearson chi-squared test of the Poisson assumption.

    ``dispersion`` = chi_square / df; about 1 if the counts are Poisson, above 1 if overdispersed.
    ``p_value`` is P(chi2(df) >= chi_square): small means more variation than Poisson allows.
    """

    chi_square: float
    df: int
    dispersion: float
    p_value: float
    overdispersed: bool
    alpha: float
    fitted: tuple[float, ...]


def dispersion_test(
    counts: Sequence[int | float],
    exposures: Sequence[float] | None = None,
    *,
    fitted: Sequence[float] | None = None,
    n_params: int | None = None,
    alpha: float = 0.05,
) -> DispersionTest:
    """Pearson chi-squared / df for counts against their Poisson means.

    Without ``fitted``, every unit is assumed to share one rate (the pooled rate
    sum(counts)/sum(exposures); equal exposures if none given), so one parameter is estimated and
    df = N - 1. With ``fitted`` (e.g. from a Poisson GLM), pass the number of parameters the model
    estimated as ``n_params``; df = N - n_params.
    """
    y = [float(c) for c in counts]
    if any(v < 0 or not math.isfinite(v) for v in y):
        raise UsageError("counts must be finite and not negative")
    if fitted is None:
        e = [1.0] * len(y) if exposures is None else [float(v) for v in exposures]
        if len(e) != len(y):
            raise UsageError(
                f"{len(y)} counts but {len(e)} exposures", hint="give one exposure per count"
            )
        if any(v <= 0 for v in e):
            raise UsageError("every exposure must be positive")
        pooled = sum(y) / sum(e) if y else 0.0
        mu = [pooled * v for v in e]
        k = 1 if n_params is None else n_params
    else:
        mu = [float(v) for v in fitted]
        if len(mu) != len(y):
            raise UsageError(f"{len(y)} counts but {len(mu)} fitted values")
        if n_params is None:
            raise UsageError(
                "n_params is required with fitted values", hint="the number of model coefficients"
            )
        k = n_params
    df = len(y) - k
    if df < 1:
        raise UsageError(
            f"{len(y)} counts leave {df} degrees of freedom",
            hint="need more counts than parameters",
        )
    if any(m <= 0 for m in mu):
        raise UsageError(
            "every expected count must be positive for the Pearson test",
            hint="with no events at all there is nothing to test",
        )
    x2 = sum((yi - mi) ** 2 / mi for yi, mi in zip(y, mu))
    p = float(chi2.sf(x2, df))
    return DispersionTest(x2, df, x2 / df, p, p < alpha, alpha, tuple(mu))
