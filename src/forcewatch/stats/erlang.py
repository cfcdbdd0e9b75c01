"""Erlang loss and delay formulas: how often an incident finds every Taser-capable unit busy.

Erlang B (the loss system M/G/c/c): ``c`` units, incidents arriving at random (Poisson) at rate λ,
each keeping a unit committed for a time S with mean E[S]. The *offered load* is a = λ·E[S], the
average number of units that would be busy if there were enough. B(c, a) is the share of incidents
that arrive when all ``c`` units are busy. It depends on S only through its mean (insensitivity),
which suits the skewed commitment times of real incidents.

Erlang C (M/M/c) is for when a short wait is acceptable: the chance an incident must wait, and the
mean wait.

B is computed by the stable recursion B(0) = 1, B(k) = a·B(k-1) / (k + a·B(k-1)), never from the
factorial formula, which overflows for large c.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import UsageError
from .canonical import Serialisable

__all__ = [
    "MAX_UNITS",
    "ErlangC",
    "UnitsNeeded",
    "erlang_b",
    "erlang_b_table",
    "erlang_c",
    "units_for_blocking",
]

#: the largest number of units searched before giving up (a load this large is a data error)
MAX_UNITS = 10_000


def _check_load(a: float) -> float:
    a = float(a)
    if not math.isfinite(a) or a < 0:
        raise UsageError(
            f"offered load {a!r} must be a finite number, 0 or more",
            hint="a = arrival rate x mean commitment time",
        )
    return a


def _check_units(c: int) -> None:
    if isinstance(c, bool) or not isinstance(c, int) or c < 0:
        raise UsageError(f"number of units {c!r} must be a whole number, 0 or more")


def erlang_b_table(a: float, c_max: int) -> tuple[float, ...]:
    """(B(0, a), B(1, a), ..., B(c_max, a)) by the stable recursion."""
    a = _check_load(a)
    _check_units(c_max)
    table = [1.0]
    b = 1.0
    for k in range(1, c_max + 1):
        b = a * b / (k + a * b)
        table.append(b)
    return tuple(table)


def erlang_b(c: int, a: float) -> float:
    """B(c, a): the share of incidents that find all ``c`` units busy, at offered load ``a``."""
    return erlang_b_table(a, c)[c]


@dataclass(frozen=True)
class ErlangC(Serialisable):
    """Erlang C for ``units`` servers at ``load``: P(wait) and the mean wait (same unit as mean_service)."""

    units: int
    load: float
    mean_service: float
    p_wait: float
    mean_wait: float


def erlang_c(c: int, a: float, mean_service: float) -> ErlangC:
    """P(an incident waits) and mean wait = P(wait)·E[S]/(c - a), for c > a.

    P(wait) = [aᶜ/c! · c/(c - a)] / [Σₖ₌₀..c-1 aᵏ/k! + aᶜ/c! · c/(c - a)], computed stably from
    Erlang B as c·B / (c - a·(1 - B)).
    """
    a = _check_load(a)
    _check_units(c)
    if not (math.isfinite(mean_service) and mean_service > 0):
        raise UsageError(f"mean commitment time {mean_service!r} must be positive (hours)")
    if c <= a:
        raise UsageError(
            f"Erlang C needs more units than the offered load (c = {c}, a = {a:g})",
            hint="with c <= a the queue grows without limit; every incident waits",
        )
    b = erlang_b(c, a)
    p_wait = c * b / (c - a * (1 - b))
    return ErlangC(c, a, float(mean_service), p_wait, p_wait * mean_service / (c - a))


@dataclass(frozen=True)
class UnitsNeeded(Serialisable):
    """The smallest number of units with B(units, load) <= target, and the table that shows it.

    ``table[k]`` is B(k, load) for k = 0..units: the trace shows that ``units - 1`` fails the target.
    """

    load: float
    target: float
    units: int
    blocking: float
    table: tuple[float, ...]
    rule: str = "smallest c with B(c, a) <= beta; c = 0 when a = 0 (no incidents, none lost)"


def units_for_blocking(a: float, beta: float, *, c_max: int = MAX_UNITS) -> UnitsNeeded:
    """Smallest c with B(c, a) <= beta (beta strictly between 0 and 1).

    With a = 0 no incident ever arrives, so no unit is needed: c = 0 (by convention B(0, a) = 1,
    but there is nothing to lose).
    """
    a = _check_load(a)
    beta = float(beta)
    if not 0 < beta < 1:
        raise UsageError(
            f"service-level target beta {beta!r} must be between 0 and 1", hint="e.g. 0.05 for 5%"
        )
    if a == 0:
        return UnitsNeeded(a, beta, 0, 0.0, (1.0,))
    table = [1.0]
    b = 1.0
    k = 0
    while b > beta:
        k += 1
        if k > c_max:
            raise UsageError(
                f"more than {c_max} units would be needed for offered load {a:g}",
                hint="check the arrival rate and commitment time units (events per hour, hours)",
            )
        b = a * b / (k + a * b)
        table.append(b)
    return UnitsNeeded(a, beta, k, b, tuple(table))
