"""From STOs needed on duty to the number of trained STOs a force must hold, in exact arithmetic.

N_trained = ⌈ max_h c_h × R / (1 − α) × (1 + ρ) ⌉

- c_h: specially trained officers (STOs, not pairs) needed on duty in hour block h;
- R: the number of teams that give 24/7 cover (each needs its own on-duty STOs);
- α: abstraction rate, the share of a team's time lost to leave, sickness, training and court;
- ρ: buffer for attrition and requalification failure.

Why exact arithmetic: the ceiling jumps at whole numbers, and binary floating point cannot hold
0.25, 0.05 or 1.05 exactly. With c = 2, R = 5, α = 0.25, ρ = 0.05 the true value is exactly 14, but
``2*5/(1-0.25)*(1+0.05)`` in floats is 14.000000000000002, whose ceiling is 15: one officer too
many, from rounding error alone. So every parameter enters as a decimal string (or an int,
``Decimal`` or ``Fraction``) and is turned into a ``fractions.Fraction``; floats are refused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Literal, TypeAlias

from ..errors import UsageError
from .canonical import Serialisable, fraction_text

__all__ = [
    "CREWING",
    "Crewing",
    "Exact",
    "Headcount",
    "exact",
    "stos_for_units",
    "trained_headcount",
]

#: what a caller may pass where an exact number is needed
Exact: TypeAlias = str | int | Decimal | Fraction

Crewing = Literal["pairs", "singles"]
#: STOs per unit for each crewing pattern
CREWING: dict[str, int] = {"pairs": 2, "singles": 1}


def exact(value: Exact, name: str = "value") -> Fraction:
    """``value`` as an exact ``Fraction``. Decimal strings ("0.25"), ints, Decimals, Fractions only.

    Floats are refused because their binary value is not the decimal the user wrote.
    """
    if isinstance(value, bool):
        raise UsageError(f"{name} must be a number, not {value!r}")
    if isinstance(value, float):
        raise UsageError(
            f"{name} was given as the binary float {value!r}",
            hint=f"pass it as a decimal string, e.g. {name}='{value!r}', so it is held exactly",
        )
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise UsageError(f"{name} must be finite, not {value}")
        return Fraction(value)
    if isinstance(value, str):
        try:
            if "/" in value:
                return Fraction(value.strip())
            d = Decimal(value.strip())
        except (InvalidOperation, ValueError, ZeroDivisionError):
            raise UsageError(
                f"{name} {value!r} is not a number", hint="write it as a decimal, e.g. 0.25"
            ) from None
        if not d.is_finite():
            raise UsageError(f"{name} must be finite, not {value!r}")
        return Fraction(d)
    raise UsageError(
        f"{name} must be a decimal string, int, Decimal or Fraction, not {type(value).__name__}"
    )


def stos_for_units(units: int, crewing: str) -> int:
    """STOs needed on duty for ``units`` units: twice as many if STOs are crewed in pairs."""
    if crewing not in CREWING:
        raise UsageError(f"crewing {crewing!r} is not known", hint="use 'pairs' or 'singles'")
    if isinstance(units, bool) or not isinstance(units, int) or units < 0:
        raise UsageError(f"units {units!r} must be a whole number, 0 or more")
    return units * CREWING[crewing]


@dataclass(frozen=True)
class Headcount(Serialisable):
    """The trained headcount for ``on_duty`` STOs: the exact value and its ceiling ``required``."""

    on_duty: int
    teams: Fraction
    abstraction: Fraction
    buffer: Fraction
    exact: Fraction
    required: int
    formula: str = (
        "ceil(on_duty x teams / (1 - abstraction) x (1 + buffer)), exact rational arithmetic"
    )

    def as_dict(self) -> dict[str, object]:
        return {
            "on_duty": self.on_duty,
            "teams": fraction_text(self.teams),
            "abstraction": fraction_text(self.abstraction),
            "buffer": fraction_text(self.buffer),
            "exact": fraction_text(self.exact),
            "exact_decimal": f"{float(self.exact):.6f}",
            "required": self.required,
            "formula": self.formula,
        }


def trained_headcount(
    on_duty: int, teams: Exact, abstraction: Exact, buffer: Exact = "0"
) -> Headcount:
    """N = ⌈ on_duty × teams / (1 − abstraction) × (1 + buffer) ⌉, exactly.

    ``on_duty`` is STOs (not pairs) needed on duty at the busiest hour block. ``teams`` > 0,
    0 <= ``abstraction`` < 1, ``buffer`` >= 0, each as a decimal string or exact number.
    """
    if isinstance(on_duty, bool) or not isinstance(on_duty, int) or on_duty < 0:
        raise UsageError(f"on-duty STOs {on_duty!r} must be a whole number, 0 or more")
    r = exact(teams, "teams")
    a = exact(abstraction, "abstraction")
    b = exact(buffer, "buffer")
    if r <= 0:
        raise UsageError(
            f"teams {fraction_text(r)} must be positive",
            hint="the number of teams giving 24/7 cover, e.g. 5",
        )
    if not 0 <= a < 1:
        raise UsageError(
            f"abstraction {fraction_text(a)} must be at least 0 and below 1",
            hint="a share of time, e.g. 0.25 for a quarter",
        )
    if b < 0:
        raise UsageError(
            f"buffer {fraction_text(b)} must not be negative", hint="e.g. 0.10 for ten per cent"
        )
    value = Fraction(on_duty) * r / (1 - a) * (1 + b)
    return Headcount(on_duty, r, a, b, value, math.ceil(value))
