"""Canonical JSON: one byte-exact text for every result, so results can be hashed and re-run.

An assessment is auditable only if re-running it gives *the same bytes*. Python's ``json`` module
is deterministic for a given value, but results contain exact fractions, decimals, tuples and
NumPy scalars, and floats that can differ in the last binary digit between SciPy builds. This
module fixes one representation:

- keys sorted, no insignificant whitespace, UTF-8 (``ensure_ascii=False``);
- ``int`` and ``bool`` as JSON numbers and booleans, ``None`` as ``null``;
- ``float`` rounded to 12 significant digits (then written in Python's shortest form), so a
  last-digit difference between builds does not change the text; NaN and infinities are refused;
- ``Decimal`` and ``Fraction`` as *strings*, so no exact value passes through a binary float:
  a terminating value as a plain decimal (``"0.25"``, ``"54"``), any other fraction as
  ``"numerator/denominator"`` (``"160/3"``);
- tuples and lists as arrays; dataclasses through their ``as_dict()`` method if they have one,
  else field by field.

``to_jsonable`` applies the same conversions but keeps floats at full precision; it is what the
command line and the web print.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..errors import UsageError

__all__ = [
    "FLOAT_DIGITS",
    "Serialisable",
    "canonical_json",
    "fraction_text",
    "sha256_of",
    "to_jsonable",
]

#: significant digits kept for floats in canonical JSON
FLOAT_DIGITS = 12


def fraction_text(value: Fraction | Decimal | int) -> str:
    """An exact value as text: ``"0.25"`` if its decimal expansion ends, else ``"160/3"``."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise UsageError(f"cannot write the non-finite decimal {value}")
        value = Fraction(value)
    value = Fraction(value)
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = value * 10**places
    assert scaled.denominator == 1
    digits = str(abs(scaled.numerator)).rjust(places + 1, "0")
    sign = "-" if value < 0 else ""
    if places == 0:
        return sign + digits
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def _float(value: float, digits: int | None) -> float:
    if not math.isfinite(value):
        raise UsageError(
            f"cannot write the non-finite number {value!r} as JSON",
            hint="a statistic that has no value should be None, with a note saying why",
        )
    if digits is None:
        return value
    rounded = float(f"{value:.{digits}g}")
    return 0.0 if rounded == 0 else rounded  # no "-0.0"


def _convert(obj: Any, digits: int | None) -> Any:
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return _float(obj, digits)
    if isinstance(obj, (Fraction, Decimal)):
        return fraction_text(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        as_dict = getattr(obj, "as_dict", None)
        data = (
            as_dict()
            if callable(as_dict)
            else {
                f.name: getattr(obj, f.name)
                for f in dataclasses.fields(obj)
                if not f.name.startswith("_")
            }
        )
        return _convert(data, digits)
    if isinstance(obj, Mapping):
        out: dict[str, Any] = {}
        for key, value in obj.items():
            if not isinstance(key, str):
                key = str(key)
            out[key] = _convert(value, digits)
        return out
    if isinstance(obj, (list, tuple)):
        return [_convert(v, digits) for v in obj]
    # NumPy scalars and arrays without importing NumPy here
    item = getattr(obj, "tolist", None)
    if callable(item):
        return _convert(item(), digits)
    raise UsageError(
        f"cannot write a {type(obj).__name__} as JSON", hint="convert it to a number, text or list"
    )


def to_jsonable(obj: Any) -> Any:
    """Plain JSON-ready Python values (floats at full precision; exact values as strings)."""
    return _convert(obj, None)


def canonical_json(obj: Any) -> str:
    """The one canonical JSON text of ``obj`` (see the module docstring for the rules)."""
    return json.dumps(
        _convert(obj, FLOAT_DIGITS),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )


def sha256_of(obj: Any) -> str:
    """SHA-256 (hex) of the UTF-8 bytes of ``canonical_json(obj)``."""
    return hashlib.sha256(canonical_json(obj).encode("utf-8")).hexdigest()


class Serialisable:
    """Mixin for result dataclasses: ``as_dict()`` for JSON output, ``canonical_json()`` for hashing.

    Every field whose name does not start with ``_`` is written, in declaration order.
    """

    def as_dict(self) -> dict[str, Any]:
        assert dataclasses.is_dataclass(self)
        raw = {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if not f.name.startswith("_")
        }
        result: dict[str, Any] = to_jsonable(raw)
        return result

    def canonical_json(self) -> str:
        return canonical_json(self.as_dict())
