"""On-duty STOs to trained headcount in exact arithmetic (worked examples 5.7 to 5.10)."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forcewatch.errors import UsageError
from forcewatch.stats.staffing import exact, stos_for_units, trained_headcount


def test_worked_example_5_7_central_estimate() -> None:
    h = trained_headcount(8, "5", "0.25", "0")
    assert h.exact == Fraction(160, 3)
    assert round(float(h.exact), 2) == 53.33
    assert h.required == 54


def test_worked_example_5_8_lower_bound_is_exactly_40() -> None:
    h = trained_headcount(6, "5", "0.25", "0")
    assert h.exact == 40 and h.required == 40


def test_worked_example_5_9_with_a_ten_per_cent_buffer() -> None:
    h = trained_headcount(8, "5", "0.25", "0.10")
    assert round(float(h.exact), 2) == 58.67
    assert h.required == 59


def test_worked_example_5_10_is_exactly_14_and_binary_floats_would_say_15() -> None:
    h = trained_headcount(2, 5, "0.25", "0.05")
    assert h.exact == 14
    assert h.required == 14
    # The proof that exact arithmetic is needed: the same formula in binary floating point.
    naive = 2 * 5 / (1 - 0.25) * (1 + 0.05)
    assert naive == 14.000000000000002
    assert math.ceil(naive) == 15


def test_floats_are_refused_with_the_decimal_string_to_use_instead() -> None:
    with pytest.raises(UsageError) as info:
        trained_headcount(2, 5, 0.25, "0.05")  # type: ignore[arg-type]
    assert "'0.25'" in str(info.value)


def test_exact_accepts_decimal_strings_decimals_fractions_and_ints() -> None:
    assert exact("0.1") == Fraction(1, 10)
    assert exact(Decimal("0.10")) == Fraction(1, 10)
    assert exact("1/3") == Fraction(1, 3)
    assert exact(7) == 7
    with pytest.raises(UsageError):
        exact("a quarter")


@pytest.mark.parametrize(
    ("teams", "abstraction", "buffer", "field"),
    [("0", "0.25", "0", "teams"), ("5", "1", "0", "abstraction"), ("5", "0.25", "-0.1", "buffer")],
)
def test_out_of_range_parameters_name_the_parameter(
    teams: str, abstraction: str, buffer: str, field: str
) -> None:
    with pytest.raises(UsageError, match=field):
        trained_headcount(4, teams, abstraction, buffer)


def test_pairs_need_twice_the_stos_of_singles() -> None:
    assert stos_for_units(4, "pairs") == 8
    assert stos_for_units(4, "singles") == 4
    with pytest.raises(UsageError, match="pairs"):
        stos_for_units(4, "trios")


decimals = st.decimals(min_value=0, max_value="0.95", places=2)


@given(
    st.integers(0, 200),
    st.integers(1, 10),
    decimals,
    st.decimals(min_value=0, max_value="0.5", places=2),
)
def test_required_is_the_smallest_whole_number_at_least_the_exact_value(
    on_duty: int, teams: int, abstraction: Decimal, buffer: Decimal
) -> None:
    h = trained_headcount(on_duty, teams, str(abstraction), str(buffer))
    assert h.exact == Fraction(on_duty * teams) / (1 - Fraction(abstraction)) * (
        1 + Fraction(buffer)
    )
    assert h.required - 1 < h.exact <= h.required
