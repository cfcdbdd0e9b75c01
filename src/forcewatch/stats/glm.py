"""Poisson regression (a generalised linear model with log link), fitted by IRLS in NumPy.

log E[yᵢ] = log(exposureᵢ) + xᵢ·β. The offset log(exposure) makes the coefficients describe rates
(per officer, per person, per report) rather than counts. The fit is iteratively reweighted least
squares: starting from μ = y + 0.5, repeat

    η = log μ;  z = η − offset + (y − μ)/μ;  W = diag(μ);  β = (XᵀWX)⁻¹ XᵀWz;  μ = exp(Xβ + offset)

until the deviance changes by less than 1e-10 relative. Standard errors come from (XᵀWX)⁻¹ at the
fit; with ``scale="quasi"`` they are multiplied by √(Pearson χ²/(n − p)) (quasi-Poisson), which is
what to use when the counts are overdispersed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.stats import chi2

from ..errors import UsageError
from .canonical import Serialisable

__all__ = ["GlmFit", "poisson_glm"]


@dataclass(frozen=True)
class GlmFit(Serialisable):
    """A fitted Poisson GLM: coefficients by name, standard errors, fit statistics."""

    names: tuple[str, ...]
    coefficients: tuple[float, ...]
    std_errors: tuple[float, ...]
    fitted: tuple[float, ...]
    deviance: float
    pearson_chi2: float
    df_residual: int
    dispersion: float
    scale: str
    iterations: int
    converged: bool

    def coefficient(self, name: str) -> tuple[float, float]:
        """(estimate, standard error) of the named coefficient."""
        try:
            i = self.names.index(name)
        except ValueError:
            raise UsageError(
                f"no coefficient {name!r}", hint="coefficients: " + ", ".join(self.names)
            ) from None
        return self.coefficients[i], self.std_errors[i]

    @property
    def dispersion_p_value(self) -> float:
        """P(χ²(df) >= Pearson χ²): small values mean more variation than Poisson allows."""
        return (
            float(chi2.sf(self.pearson_chi2, self.df_residual))
            if self.df_residual > 0
            else math.nan
        )


def _deviance(y: np.ndarray, mu: np.ndarray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(y > 0, y * np.log(y / mu), 0.0)
    return float(2 * np.sum(term - (y - mu)))


def poisson_glm(
    counts: Sequence[float],
    design: Sequence[Sequence[float]],
    names: Sequence[str],
    *,
    exposure: Sequence[float] | None = None,
    scale: Literal["poisson", "quasi"] = "poisson",
    max_iter: int = 100,
    tol: float = 1e-10,
) -> GlmFit:
    """Fit log E[y] = log(exposure) + design·β by IRLS. ``design`` has one row per count.

    Raises :class:`UsageError` if the design is rank-deficient (a column repeats another) or
    there are no more counts than coefficients.
    """
    y = np.asarray(counts, dtype=float)
    x = np.asarray(design, dtype=float)
    if x.ndim != 2 or x.shape[0] != len(y) or x.shape[1] != len(names):
        raise UsageError("the design needs one row per count and one column per name")
    if np.any(y < 0) or not np.all(np.isfinite(y)):
        raise UsageError("counts must be finite and not negative")
    n, p = x.shape
    if n <= p:
        raise UsageError(
            f"{n} counts cannot fit {p} coefficients", hint="use more periods or fewer terms"
        )
    if np.linalg.matrix_rank(x) < p:
        raise UsageError(
            "the design is rank-deficient: some terms cannot be told apart",
            hint="drop a repeated term",
        )
    if scale not in ("poisson", "quasi"):
        raise UsageError(f"scale {scale!r} is not known", hint="'poisson' or 'quasi'")
    offset = np.zeros(n) if exposure is None else np.log(np.asarray(exposure, dtype=float))
    if not np.all(np.isfinite(offset)):
        raise UsageError("every exposure must be positive")
    if y.sum() == 0:
        raise UsageError("no events at all: a rate model cannot be fitted to zero counts")
    mu = y + 0.5
    eta = np.log(mu)
    beta = np.zeros(p)
    dev_old = math.inf
    converged = False
    it = 0
    for it in range(1, max_iter + 1):
        z = eta - offset + (y - mu) / mu
        w = mu
        xtw = x.T * w
        beta = np.linalg.solve(xtw @ x, xtw @ z)
        eta = np.clip(x @ beta + offset, -700, 700)
        mu = np.exp(eta)
        dev = _deviance(y, mu)
        if abs(dev - dev_old) <= tol * (abs(dev) + 0.1):
            converged = True
            break
        dev_old = dev
    info = (x.T * mu) @ x
    cov = np.linalg.inv(info)
    pearson = float(np.sum((y - mu) ** 2 / mu))
    df = n - p
    disp = pearson / df
    factor = math.sqrt(disp) if scale == "quasi" else 1.0
    se = np.sqrt(np.diag(cov)) * factor
    return GlmFit(
        tuple(names),
        tuple(float(b) for b in beta),
        tuple(float(s) for s in se),
        tuple(float(m) for m in mu),
        _deviance(y, mu),
        pearson,
        df,
        disp,
        scale,
        it,
        converged,
    )
