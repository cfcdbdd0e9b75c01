"""Monte Carlo interval for the requirement: draw λ, E[S] and α, recompute, take quantiles.

The alternative to repeating the calculation at the exact bounds of λ (``demand_ci``). With a fixed
seed the draws, and so the result, are the same on every run with the same NumPy version
(NumPy's ``default_rng``, PCG64). The draws are made in a fixed order:

1. commitment time E[S]: ``draws`` values from a triangular distribution (low, central, high) if
   ``interval.commitment_hours`` gives a range, else the central value;
2. abstraction α: likewise from ``interval.abstraction``; each draw is rounded to 4 decimal places
   and then used as an exact decimal, so the headcount ceiling sees no binary rounding;
3. λ for each (area, block), sorted by area then block: Gamma(shape n + 1/2, scale 1/T), the
   posterior for a Poisson rate under Jeffreys' prior, which is proper even when n = 0.

For each draw: a = λ·E[S]; units = smallest c with B(c, a) <= β (vectorised, same recursion);
STOs on duty per area = max over its blocks; headcount = ⌈on_duty × R/(1 − α) × (1 + ρ)⌉. The
interval is the (1 − level)/2 and (1 + level)/2 quantiles of the draws (inverted-CDF quantiles, so
every bound is a value that was actually drawn).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import UsageError
from ..stats.canonical import sha256_of
from ..stats.erlang import MAX_UNITS
from ..stats.staffing import CREWING
from .config import MethodConfig

__all__ = ["MonteCarloOutcome", "simulate"]


@dataclass(frozen=True)
class MonteCarloOutcome:
    """Quantiles per block and per area, and what the trace records about the draws."""

    block_units: Mapping[tuple[str, str], tuple[int, int]]
    block_load: Mapping[tuple[str, str], tuple[float, float]]
    area_on_duty: Mapping[str, tuple[int, int]]
    area_required: Mapping[str, tuple[int, int]]
    area_median: Mapping[str, int]
    step: Mapping[str, Any]


def _units(a: np.ndarray, beta: float) -> np.ndarray:
    """Smallest c with B(c, a) <= beta for each a (0 where a = 0), by the Erlang B recursion."""
    units = np.zeros(a.shape, dtype=np.int64)
    b = np.ones(a.shape)
    todo = a > 0
    k = 0
    while todo.any():
        k += 1
        if k > MAX_UNITS:
            raise UsageError(
                "a Monte Carlo draw needs more than 10,000 units",
                hint="check rates and commitment time",
            )
        nxt = a * b / (k + a * b)
        b = np.where(todo, nxt, b)
        done = todo & (b <= beta)
        units[done] = k
        todo &= ~done
    return units


def _triangular(
    rng: np.random.Generator, rng_spec: tuple[Decimal, Decimal] | None, mode: Decimal, n: int
) -> np.ndarray:
    if rng_spec is None or rng_spec[0] == rng_spec[1]:
        return np.full(n, float(mode))
    return rng.triangular(float(rng_spec[0]), float(mode), float(rng_spec[1]), size=n)


def simulate(
    config: MethodConfig, blocks: Sequence[tuple[str, str, int, Fraction]], level: float
) -> MonteCarloOutcome:
    """Run the Monte Carlo for ``blocks`` = (area, block, events, hours), already sorted."""
    iv = config.interval
    if iv.seed is None or iv.draws is None:
        raise UsageError("interval.method is monte_carlo but seed or draws is missing")
    n = iv.draws
    rng = np.random.default_rng(iv.seed)
    service = _triangular(rng, iv.commitment_range, config.commitment_hours, n)
    alpha = _triangular(rng, iv.abstraction_range, config.staffing.abstraction, n)
    alpha_q = [Decimal(f"{x:.4f}") for x in alpha]
    crew = CREWING[config.crewing]
    beta = float(config.beta)
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2

    def q(values: np.ndarray) -> tuple[Any, Any]:
        low, high = np.quantile(values, [lo_q, hi_q], method="inverted_cdf")
        return low.item(), high.item()

    block_units: dict[tuple[str, str], tuple[int, int]] = {}
    block_load: dict[tuple[str, str], tuple[float, float]] = {}
    on_duty: dict[str, np.ndarray] = {}
    for area, block, events, hours in blocks:
        lam = rng.gamma(events + 0.5, 1.0 / float(hours), size=n)
        load = lam * service
        units = _units(load, beta)
        block_units[(area, block)] = q(units)
        block_load[(area, block)] = q(load)
        stos = units * crew
        on_duty[area] = stos if area not in on_duty else np.maximum(on_duty[area], stos)
    teams, buffer = Fraction(config.staffing.teams), Fraction(config.staffing.buffer)
    memo: dict[tuple[int, Decimal], int] = {}
    area_on_duty, area_required, area_median, hashes = {}, {}, {}, {}
    for area, duty in on_duty.items():
        required = np.empty(n, dtype=np.int64)
        for i, (d, a) in enumerate(zip(duty.tolist(), alpha_q)):
            key = (d, a)
            if key not in memo:
                memo[key] = math.ceil(Fraction(d) * teams / (1 - Fraction(a)) * (1 + buffer))
            required[i] = memo[key]
        area_on_duty[area] = q(duty)
        area_required[area] = q(required)
        area_median[area] = int(np.quantile(required, 0.5, method="inverted_cdf"))
        hashes[area] = sha256_of(required.tolist())
    step = {
        "generator": "numpy.random.default_rng (PCG64)",
        "seed": iv.seed,
        "draws": n,
        "order": "commitment_hours, abstraction, then lambda per (area, block) sorted",
        "commitment_hours": "triangular(low, central, high)"
        if iv.commitment_range
        else "fixed at central",
        "abstraction": "triangular(low, central, high), rounded to 4 dp"
        if iv.abstraction_range
        else "fixed at central",
        "rate": "Gamma(shape = n + 1/2, scale = 1/T) per block",
        "quantiles": [lo_q, hi_q],
        "required_draws_sha256": hashes,
    }
    return MonteCarloOutcome(
        block_units, block_load, area_on_duty, area_required, area_median, step
    )
