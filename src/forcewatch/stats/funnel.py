"""Funnel plots (Spiegelhalter 2005): compare forces without ranking noise.

Each force's indicator (a rate per officer or per person, or a proportion of reports) is drawn
against its denominator, with control limits around a target θ₀. A small force's figure varies more
by chance, so its limits are wider: the plot has the shape of a funnel. A point outside the 99.8%
limits prompts a search for an explanation (data quality, case mix, deployment); it is not a
verdict.

- Limits: 95% (z = 1.960, "alert") and 99.8% (z = 3.090, "alarm").
- Poisson rate: θ₀ ± z·√(θ₀/Eᵢ) (normal approximation), or exact Poisson quantiles, which suit
  small forces. Proportion: p₀ ± z·√(p₀(1 − p₀)/nᵢ), or exact binomial quantiles.
  Exact limits interpolate between whole counts (Spiegelhalter 2005, appendix) so the funnel is
  smooth: with rₚ the p-quantile of the count and F its distribution function,
  limit = (rₚ − (F(rₚ) − p)/(F(rₚ) − F(rₚ − 1))) / denominator.
- Overdispersion (forces differ by more than chance): zᵢ = (yᵢ − θ₀)/sᵢ, winsorised at the 10th
  and 90th percentiles (the FunnelPlotR default; percentiles by linear interpolation, R's type 7);
  φ̂ = mean of the winsorised zᵢ²; overdispersed when N·φ̂ exceeds the 95% point of χ²(N − 1).
  Only then are the limits widened: multiplicatively, θ₀ ± z·√φ̂·sᵢ, or by an additive random
  effect (DerSimonian-Laird), τ̂² = (N·φ̂ − (N − 1)) / (Σwᵢ − Σwᵢ²/Σwᵢ) with wᵢ = 1/sᵢ², truncated at
  0, limits θ₀ ± z·√(sᵢ² + τ̂²). Widened limits use the normal form even when ``limits="exact"``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..errors import UsageError
from .canonical import Serialisable
from .control_limits import (
    Z95,
    Z998,
    Limits,
    Overdispersion,
    funnel_limits,
    overdispersion,
    standard_error,
)

__all__ = [
    "Z95",
    "Z998",
    "Funnel",
    "FunnelPoint",
    "FunnelUnit",
    "Limits",
    "Overdispersion",
    "funnel_limits",
    "outside",
    "poisson_funnel",
    "proportion_funnel",
]

Kind = Literal["poisson", "proportion"]
LimitsMethod = Literal["normal", "exact"]
Adjustment = Literal["none", "multiplicative", "additive"]


@dataclass(frozen=True)
class FunnelUnit:
    """One force (or area) on the funnel: ``count`` events over ``base`` (exposure or reports)."""

    key: str
    count: float
    base: float


@dataclass(frozen=True)
class FunnelPoint(Serialisable):
    """A unit on the funnel: its value, z-scores, limits at its own base, and where it falls."""

    key: str
    count: float
    base: float
    value: float
    z: float
    z_winsorised: float
    limits: Limits
    outside: str  # "none", "95" or "998"


@dataclass(frozen=True)
class Funnel(Serialisable):
    """A whole funnel plot: target, method, overdispersion, every unit, and the curve of limits.

    Values, limits and the target are on the ``per`` scale (a rate per ``per`` of the base);
    ``overdispersion.tau2`` is on the same scale (multiplied by per²).
    """

    kind: str
    target: float
    target_source: str
    per: float
    limits_method: str
    adjustment: str
    adjustment_applied: bool
    method: str
    z95: float
    z998: float
    overdispersion: Overdispersion | None
    points: tuple[FunnelPoint, ...]
    curve: tuple[Limits, ...]
    note: str = ""

    def limits_at(self, base: float) -> Limits:
        """Limits at any denominator under this funnel's target, method and adjustment.

        For figures drawn against the funnel without being part of it (a region, England and
        Wales).
        """
        raw_target = self.target / self.per
        phi = tau2 = None
        if self.adjustment_applied and self.overdispersion is not None:
            if self.adjustment == "multiplicative":
                phi = self.overdispersion.phi
            else:
                tau2 = self.overdispersion.tau2 / (self.per * self.per)
        kind: Kind = "poisson" if self.kind == "poisson" else "proportion"
        if raw_target <= 0 or (kind == "proportion" and raw_target >= 1):
            return Limits(float(base), self.target, self.target, self.target, self.target)
        return funnel_limits(
            kind,
            raw_target,
            base,
            limits="exact" if self.limits_method == "exact" else "normal",
            phi=phi or 1.0,
            tau2=tau2 or 0.0,
            z95=self.z95,
            z998=self.z998,
            per=self.per,
        )


def outside(value: float, lim: Limits) -> str:
    """``998`` beyond the 99.8% limits, ``95`` beyond the 95% limits only, else ``none``."""
    if value < lim.low998 or value > lim.high998:
        return "998"
    if value < lim.low95 or value > lim.high95:
        return "95"
    return "none"


def _check(
    kind: str, units: Sequence[FunnelUnit], limits: str, adjustment: str, winsor: float
) -> None:
    if limits not in ("normal", "exact"):
        raise UsageError(f"limits {limits!r} is not known", hint="use 'normal' or 'exact'")
    if adjustment not in ("none", "multiplicative", "additive"):
        raise UsageError(
            f"overdispersion adjustment {adjustment!r} is not known",
            hint="none, multiplicative or additive",
        )
    if not 0 <= winsor < 0.5:
        raise UsageError(
            f"winsorisation fraction {winsor!r} must be at least 0 and below 0.5",
            hint="FunnelPlotR uses 0.1",
        )
    if not units:
        raise UsageError("a funnel plot needs at least one unit")
    if len({u.key for u in units}) != len(units):
        raise UsageError("unit keys must be unique", hint="aggregate rows for the same force first")
    for u in units:
        if u.base <= 0 or u.count < 0:
            raise UsageError(f"unit {u.key!r}: base must be positive and count not negative")
        if kind == "proportion" and (u.count > u.base or u.base != round(u.base)):
            raise UsageError(
                f"unit {u.key!r}: a proportion needs a whole-number base at least the count"
            )


def _curve_bases(kind: str, bases: Sequence[float], points: int) -> list[float]:
    lo, hi = min(bases) / 2, max(bases) * 1.1
    if kind == "proportion":
        lo = max(lo, 1.0)
    grid = np.geomspace(lo, hi, points)
    if kind == "proportion":
        return sorted({float(round(b)) for b in grid})
    return [float(b) for b in grid]


def _funnel(
    kind: Kind,
    units: Sequence[FunnelUnit],
    target: float | None,
    per: float,
    limits: LimitsMethod,
    adjustment: Adjustment,
    winsor: float,
    z95: float,
    z998: float,
    curve_bases: Sequence[float] | None,
    curve_points: int,
) -> Funnel:
    _check(kind, units, limits, adjustment, winsor)
    y = np.array([float(u.count) for u in units])
    n = np.array([float(u.base) for u in units])
    source = "given"
    if target is None:
        target, source = float(y.sum() / n.sum()), "pooled"
    elif not (0 < target < (1 if kind == "proportion" else math.inf)):
        raise UsageError(
            f"target {target!r} is outside the possible range",
            hint="a rate > 0, or a proportion in (0, 1)",
        )
    target = float(target)
    value = y / n
    bases = (
        list(curve_bases) if curve_bases is not None else _curve_bases(kind, list(n), curve_points)
    )
    degenerate = target <= 0 or (kind == "proportion" and target >= 1)
    if degenerate:
        flat = [Limits(float(b), target * per, target * per, target * per, target * per) for b in n]
        pts = tuple(
            FunnelPoint(u.key, float(u.count), float(u.base), float(v) * per, 0.0, 0.0, lim, "none")
            for u, v, lim in zip(units, value, flat)
        )
        curve = tuple(
            Limits(float(b), target * per, target * per, target * per, target * per) for b in bases
        )
        return Funnel(
            kind,
            target * per,
            source,
            per,
            limits,
            adjustment,
            False,
            "no variation: target at its bound",
            z95,
            z998,
            None,
            pts,
            curve,
            note="every unit is at the target; limits have no width",
        )
    s = np.array([standard_error(kind, target, b) for b in n])
    z = (value - target) / s
    od = overdispersion(z, s, winsor) if len(units) >= 2 else None
    applied = adjustment != "none" and od is not None and od.overdispersed
    phi = od.phi if applied and adjustment == "multiplicative" and od is not None else 1.0
    tau2 = od.tau2 if applied and adjustment == "additive" and od is not None else 0.0
    zw = np.clip(z, od.winsor_low, od.winsor_high) if od is not None else z

    def lim(b: float) -> Limits:
        return funnel_limits(
            kind, target, b, limits=limits, phi=phi, tau2=tau2, z95=z95, z998=z998, per=per
        )

    points = []
    for u, v, zi, zwi in zip(units, value, z, zw):
        li = lim(float(u.base))
        points.append(
            FunnelPoint(
                u.key,
                float(u.count),
                float(u.base),
                float(v) * per,
                float(zi),
                float(zwi),
                li,
                outside(float(v) * per, li),
            )
        )
    base_text = "exact Poisson quantiles" if kind == "poisson" else "exact binomial quantiles"
    method = base_text if limits == "exact" else "normal approximation"
    if applied:
        method = (
            f"multiplicative overdispersion, phi = {phi:.4g}"
            if adjustment == "multiplicative"
            else f"additive random effects (DerSimonian-Laird), tau2 = {tau2:.4g}"
        )
    elif adjustment != "none":
        method += f" ({adjustment} adjustment not applied: not overdispersed)"
    if od is not None and per != 1:
        od = Overdispersion(
            od.phi,
            od.tau2 * per * per,
            od.statistic,
            od.df,
            od.critical,
            od.p_value,
            od.overdispersed,
            od.winsor_fraction,
            od.winsor_low,
            od.winsor_high,
        )
    return Funnel(
        kind,
        target * per,
        source,
        per,
        limits,
        adjustment,
        applied,
        method,
        z95,
        z998,
        od,
        tuple(points),
        tuple(lim(b) for b in bases),
    )


def poisson_funnel(
    units: Sequence[FunnelUnit],
    *,
    target: float | None = None,
    per: float = 1.0,
    limits: LimitsMethod = "exact",
    adjustment: Adjustment = "none",
    winsor: float = 0.10,
    z95: float = Z95,
    z998: float = Z998,
    curve_bases: Sequence[float] | None = None,
    curve_points: int = 60,
) -> Funnel:
    """Funnel for rates count/base (e.g. Taser uses per officer). ``target`` is a rate per 1 of base
    (pooled Σcount/Σbase if omitted); outputs are per ``per`` (e.g. 1000 for per 1,000 officers)."""
    return _funnel(
        "poisson",
        units,
        target,
        per,
        limits,
        adjustment,
        winsor,
        z95,
        z998,
        curve_bases,
        curve_points,
    )


def proportion_funnel(
    units: Sequence[FunnelUnit],
    *,
    target: float | None = None,
    limits: LimitsMethod = "exact",
    adjustment: Adjustment = "none",
    winsor: float = 0.10,
    z95: float = Z95,
    z998: float = Z998,
    curve_bases: Sequence[float] | None = None,
    curve_points: int = 60,
) -> Funnel:
    """Funnel for proportions count/base (e.g. the share of use-of-force reports involving CED)."""
    return _funnel(
        "proportion",
        units,
        target,
        1.0,
        limits,
        adjustment,
        winsor,
        z95,
        z998,
        curve_bases,
        curve_points,
    )
