"""Empirical-Bayes (gamma-Poisson) shrinkage of rates for small groups or small forces.

A force with 3 uses on 2,000 people has a raw rate that could easily be half or double its true
rate. Shrinkage pulls each raw rate towards the overall rate, more strongly the less evidence the
unit has, which gives steadier figures for ranking-free display. It is optional and always
reported beside (never instead of) the raw rate.

Model: count_i ~ Poisson(rate_i × E_i), rate_i ~ Gamma(shape α, rate β), the prior fitted by the
method of moments (Clayton and Kaldor 1987):

- m = Σy / ΣE (overall rate);
- s² = Σ E_i (r_i − m)² / ΣE (exposure-weighted variance of the raw rates r_i = y_i/E_i);
- v = s² − m / Ē, with Ē = ΣE / N (the between-unit variance after removing Poisson noise);
- α = m²/v, β = m/v; if v <= 0 there is no detectable between-unit variation and every
  shrunk rate equals m.

Posterior for unit i: Gamma(α + y_i, β + E_i); the shrunk rate is its mean (α + y_i)/(β + E_i), with
an equal-tailed credible interval from the gamma quantiles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scipy.stats import gamma

from ..errors import UsageError
from .canonical import Serialisable

__all__ = ["Shrinkage", "ShrunkRate", "shrink_rates"]


@dataclass(frozen=True)
class ShrunkRate(Serialisable):
    """One unit: its raw rate, shrunk rate, credible interval and the weight on its own data."""

    key: str
    count: float
    exposure: float
    raw_rate: float
    shrunk_rate: float
    low: float | None
    high: float | None
    weight_own_data: float


@dataclass(frozen=True)
class Shrinkage(Serialisable):
    """The fitted prior (shape, rate; ``None`` when v <= 0) and every unit's shrunk rate."""

    overall_rate: float
    between_variance: float
    prior_shape: float | None
    prior_rate: float | None
    level: float
    units: tuple[ShrunkRate, ...]
    method: str = "empirical Bayes gamma-Poisson, method of moments (Clayton and Kaldor 1987)"


def shrink_rates(
    keys: Sequence[str], counts: Sequence[float], exposures: Sequence[float], *, level: float = 0.95
) -> Shrinkage:
    """Shrink each unit's rate count/exposure towards the overall rate (see the module docstring)."""
    if not (len(keys) == len(counts) == len(exposures)) or len(keys) < 2:
        raise UsageError("give one count and one exposure per key, for at least two units")
    if any(e <= 0 for e in exposures) or any(c < 0 for c in counts):
        raise UsageError("exposures must be positive and counts not negative")
    if not 0 < level < 1:
        raise UsageError(f"level {level!r} must be between 0 and 1")
    total_e = float(sum(exposures))
    m = float(sum(counts)) / total_e
    s2 = sum(e * (c / e - m) ** 2 for c, e in zip(counts, exposures)) / total_e
    v = s2 - m / (total_e / len(keys))
    units = []
    tail = (1 - level) / 2
    if v <= 0 or m == 0:
        for k, c, e in zip(keys, counts, exposures):
            units.append(ShrunkRate(k, float(c), float(e), c / e, m, None, None, 0.0))
        return Shrinkage(m, max(v, 0.0), None, None, level, tuple(units))
    shape, rate = m * m / v, m / v
    for k, c, e in zip(keys, counts, exposures):
        a, b = shape + c, rate + e
        units.append(
            ShrunkRate(
                k,
                float(c),
                float(e),
                c / e,
                a / b,
                float(gamma.ppf(tail, a, scale=1 / b)),
                float(gamma.ppf(1 - tail, a, scale=1 / b)),
                e / (rate + e),
            )
        )
    return Shrinkage(m, v, shape, rate, level, tuple(units))
