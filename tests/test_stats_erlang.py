"""Erlang B and C (worked examples 5.3 to 5.6 and 5.11) and their invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forcewatch.errors import UsageError
from forcewatch.stats.erlang import erlang_b, erlang_b_table, erlang_c, units_for_blocking
from forcewatch.stats.staffing import stos_for_units


def erlang_b_by_factorials(c: int, a: float) -> float:
    """The textbook formula, independent of the recursion under test."""
    return (a**c / math.factorial(c)) / sum(a**k / math.factorial(k) for k in range(c + 1))


def test_worked_example_5_3_blocking_for_load_0_9() -> None:
    assert round(erlang_b(1, 0.9), 3) == 0.474
    assert round(erlang_b(2, 0.9), 3) == 0.176
    assert round(erlang_b(3, 0.9), 4) == 0.0501
    assert round(erlang_b(4, 0.9), 4) == 0.0111


def test_worked_example_5_4_four_pairs_are_eight_stos_because_three_pairs_just_fail() -> None:
    need = units_for_blocking(0.6 * 1.5, 0.05)
    assert need.units == 4
    assert stos_for_units(need.units, "pairs") == 8
    assert need.table[3] > 0.05  # 0.0501 > 0.05: three pairs fail
    assert round(need.table[3], 4) == 0.0501


def test_worked_example_5_5_lower_bound_needs_three_pairs() -> None:
    assert round(erlang_b(3, 0.8175), 3) == 0.041
    need = units_for_blocking(0.8175, 0.05)
    assert (need.units, stos_for_units(need.units, "pairs")) == (3, 6)


def test_worked_example_5_6_upper_bound_needs_four_pairs() -> None:
    assert round(erlang_b(3, 0.9885), 3) == 0.061
    assert round(erlang_b(4, 0.9885), 3) == 0.015
    need = units_for_blocking(0.9885, 0.05)
    assert (need.units, stos_for_units(need.units, "pairs")) == (4, 8)


def test_worked_example_5_11_erlang_c() -> None:
    three, four = erlang_c(3, 0.9, 1.5), erlang_c(4, 0.9, 1.5)
    assert round(three.p_wait, 3) == 0.070 and round(three.mean_wait, 3) == 0.050
    assert round(four.p_wait, 4) == 0.0143 and round(four.mean_wait, 4) == 0.0069


def test_erlang_c_matches_its_factorial_formula() -> None:
    c, a = 5, 3.2
    top = a**c / math.factorial(c) * c / (c - a)
    expected = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    assert erlang_c(c, a, 1.0).p_wait == pytest.approx(expected, rel=1e-12)


def test_erlang_c_refuses_a_load_the_units_cannot_carry() -> None:
    with pytest.raises(UsageError, match="more units than the offered load"):
        erlang_c(2, 2.0, 1.5)


@given(st.integers(0, 60), st.floats(0.0, 50.0))
def test_the_recursion_agrees_with_the_factorial_formula(c: int, a: float) -> None:
    assert erlang_b(c, a) == pytest.approx(erlang_b_by_factorials(c, a), rel=1e-9, abs=1e-300)


@given(st.floats(0.01, 200.0), st.integers(1, 300))
def test_blocking_decreases_as_units_are_added(a: float, c: int) -> None:
    fewer, more = erlang_b(c - 1, a), erlang_b(c, a)
    assert more <= fewer
    if fewer > 1e-290:  # below that both may underflow to zero
        assert more < fewer


@given(st.integers(1, 100), st.floats(0.01, 100.0), st.floats(1.001, 3.0))
def test_blocking_increases_with_the_load(c: int, a: float, factor: float) -> None:
    lighter, heavier = erlang_b(c, a), erlang_b(c, a * factor)
    assert heavier >= lighter
    if heavier > 1e-290:  # below that both may underflow to zero
        assert heavier > lighter


@given(st.floats(0.001, 500.0), st.floats(0.001, 0.5))
def test_units_for_blocking_is_the_smallest_c_meeting_beta(a: float, beta: float) -> None:
    need = units_for_blocking(a, beta)
    assert erlang_b(need.units, a) <= beta
    assert need.units == 0 or erlang_b(need.units - 1, a) > beta
    assert need.table == erlang_b_table(a, need.units)


def test_a_large_load_is_computed_without_overflow() -> None:
    # the factorial formula overflows here; the recursion does not
    assert 0 < erlang_b(1000, 950.0) < 1


def test_no_demand_needs_no_units() -> None:
    assert units_for_blocking(0.0, 0.05).units == 0


@pytest.mark.parametrize("beta", [0, 1, 1.5, -0.1])
def test_beta_must_be_a_share_strictly_between_zero_and_one(beta: float) -> None:
    with pytest.raises(UsageError, match="beta"):
        units_for_blocking(0.9, beta)
