"""Control limits for funnel plots, and the overdispersion estimate that widens them.

See :mod:`forcewatch.stats.funnel` for the plot itself and docs/methods.md section 6 for the
method in plain language.

- Normal limits: θ₀ ± z·sᵢ with sᵢ = √(θ₀/Eᵢ) (Poisson) or √(θ₀(1 − θ₀)/nᵢ) (proportion).
- Exact limits: Spiegelhalter's interpolated quantiles of the Poisson or binomial count,
  limit = (rₚ − (F(rₚ) − p)/(F(rₚ) − F(rₚ − 1))) / denominator, with p the normal tail of z.
- Widened limits: θ₀ ± z·√(φ·sᵢ² + τ²), normal form.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.stats import binom, chi2, norm, poisson

from ..errors import UsageError
from .canonical import Serialisable

__all__ = [
    "Z95",
    "Z998",
    "Limits",
    "Overdispersion",
    "funnel_limits",
    "overdispersion",
    "standard_error",
]

#: the 95% ("alert") and 99.8% ("alarm") multipliers, as stated in threat-risk-assessment.md
Z95 = 1.960
Z998 = 3.090


@dataclass(frozen=True)
class Limits(Serialisable):
    """The 95% and 99.8% limits at one denominator ``base`` (on the ``per`` scale)."""

    base: float
    low95: float
    high95: float
    low998: float
    high998: float


@dataclass(frozen=True)
class Overdispersion(Serialisable):
    """φ̂, τ̂² and the test of N·φ̂ against χ²(N − 1), with the winsorisation bounds used."""

    phi: float
    tau2: float
    statistic: float
    df: int
    critical: float
    p_value: float
    overdispersed: bool
    winsor_fraction: float
    winsor_low: float
    winsor_high: float


def standard_error(kind: str, target: float, base: float) -> float:
    """sᵢ at denominator ``base``: √(θ₀/base) for a Poisson rate, √(θ₀(1 − θ₀)/base) for a proportion."""
    var = target if kind == "poisson" else target * (1 - target)
    return math.sqrt(var / base)


def _exact_limit(kind: str, target: float, base: float, p: float) -> float:
    """Spiegelhalter's interpolated exact limit for tail probability ``p`` at ``base``."""
    dist = poisson(target * base) if kind == "poisson" else binom(round(base), target)
    r = float(dist.ppf(p))
    f_r, f_below = float(dist.cdf(r)), float(dist.cdf(r - 1))
    step = f_r - f_below
    alpha = (f_r - p) / step if step > 0 else 0.0
    return (r - alpha) / base


def _clip(kind: str, value: float) -> float:
    return min(max(value, 0.0), 1.0) if kind == "proportion" else max(value, 0.0)


def funnel_limits(
    kind: Literal["poisson", "proportion"],
    target: float,
    base: float,
    *,
    limits: Literal["normal", "exact"] = "normal",
    phi: float = 1.0,
    tau2: float = 0.0,
    z95: float = Z95,
    z998: float = Z998,
    per: float = 1.0,
) -> Limits:
    """95% and 99.8% limits at denominator ``base`` around ``target`` (both on the raw scale).

    ``phi`` > 1 widens multiplicatively and ``tau2`` > 0 additively; either forces the normal form.
    Results are multiplied by ``per`` and clipped to the possible range (rates >= 0, 0 <= p <= 1).
    """
    if base <= 0:
        raise UsageError(f"denominator {base!r} must be positive")
    out = []
    for z in (z95, z998):
        if limits == "exact" and phi == 1.0 and tau2 == 0.0:
            p = float(norm.sf(z))
            low, high = _exact_limit(kind, target, base, p), _exact_limit(kind, target, base, 1 - p)
        else:
            half = z * math.sqrt(phi * standard_error(kind, target, base) ** 2 + tau2)
            low, high = target - half, target + half
        out += [_clip(kind, low) * per, _clip(kind, high) * per]
    return Limits(float(base), float(out[0]), float(out[1]), float(out[2]), float(out[3]))


def overdispersion(z: np.ndarray, s: np.ndarray, winsor: float) -> Overdispersion:
    """Winsorised φ̂, DerSimonian-Laird τ̂² and the χ²(N − 1) test, from z-scores and standard errors."""
    n = len(z)
    lo, hi = (float(q) for q in np.quantile(z, [winsor, 1 - winsor]))
    zw = np.clip(z, lo, hi)
    phi = float(np.mean(zw**2))
    w = 1 / s**2
    denom = float(w.sum() - (w**2).sum() / w.sum())
    tau2 = max(0.0, (n * phi - (n - 1)) / denom) if denom > 0 else 0.0
    stat = n * phi
    crit = float(chi2.ppf(0.95, n - 1))
    return Overdispersion(
        phi, tau2, stat, n - 1, crit, float(chi2.sf(stat, n - 1)), stat > crit, winsor, lo, hi
    )
