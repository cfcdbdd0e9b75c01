"""The canonical JSON form that results are hashed in."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from forcewatch.errors import UsageError
from forcewatch.stats.canonical import (
    Serialisable,
    canonical_json,
    fraction_text,
    sha256_of,
    to_jsonable,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(160, 3), "160/3"),
        (Fraction(81, 4), "20.25"),
        (Fraction(54), "54"),
        (Decimal("0.250"), "0.25"),
        (Fraction(-1, 8), "-0.125"),
        (Decimal("1E+1"), "10"),
        (Fraction(1, 20), "0.05"),
    ],
)
def test_exact_values_are_written_as_exact_text(value: Fraction | Decimal, text: str) -> None:
    assert fraction_text(value) == text


def test_keys_are_sorted_and_there_is_no_whitespace() -> None:
    assert canonical_json({"b": 1, "a": [1.5, None, True]}) == '{"a":[1.5,null,true],"b":1}'


def test_floats_are_rounded_to_twelve_significant_digits_so_last_bit_noise_disappears() -> None:
    assert canonical_json(0.1 + 0.2) == canonical_json(0.3) == "0.3"
    assert canonical_json(-0.0) == "0.0"


def test_non_finite_numbers_are_refused() -> None:
    with pytest.raises(UsageError, match="non-finite"):
        canonical_json({"x": float("nan")})


def test_numpy_scalars_and_dataclasses_are_converted() -> None:
    @dataclass(frozen=True)
    class Point(Serialisable):
        x: float
        n: int

    assert to_jsonable(Point(np.float64(1.5), np.int64(3))) == {"x": 1.5, "n": 3}  # type: ignore[arg-type]
    assert Point(1.5, 3).canonical_json() == '{"n":3,"x":1.5}'


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_canonical_float_text_is_a_fixed_point(x: float) -> None:
    import json

    once = canonical_json(x)
    assert canonical_json(json.loads(once)) == once


def test_the_hash_is_of_the_canonical_bytes() -> None:
    import hashlib

    assert sha256_of({"a": 1}) == hashlib.sha256(b'{"a":1}').hexdigest()
