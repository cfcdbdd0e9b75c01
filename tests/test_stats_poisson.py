"""Exact Poisson intervals, P(at least one event), and the dispersion test (worked examples 5.1, 5.2)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import poisson

from forcewatch.errors import UsageError
from forcewatch.stats.poisson import (
    dispersion_test,
    poisson_interval,
    prob_at_least_one,
    rate_interval,
)


def test_worked_example_5_1_rate_and_exact_interval() -> None:
    ci = rate_interval(438, 730)
    assert round(ci.rate, 3) == 0.600
    assert round(ci.low, 3) == 0.545
    assert round(ci.high, 3) == 0.659
    assert ci.level == 0.95


def test_worked_example_5_2_chance_of_at_least_one_event_in_a_shift() -> None:
    assert round(prob_at_least_one(0.6, 8), 3) == 0.992


def test_a_zero_count_has_lower_bound_zero_and_the_known_upper_bound() -> None:
    ci = poisson_interval(0)
    assert ci.low == 0.0
    assert ci.high == pytest.approx(3.689, abs=5e-4)  # -ln(0.025), the textbook value


def test_garwood_bounds_are_where_the_poisson_tails_are_two_and_a_half_per_cent() -> None:
    # The defining property of the exact interval: P(X >= n | low) = 0.025 and P(X <= n | high) = 0.025.
    ci = poisson_interval(7)
    assert poisson.sf(6, ci.low) == pytest.approx(0.025, rel=1e-9)
    assert poisson.cdf(7, ci.high) == pytest.approx(0.025, rel=1e-9)


@given(st.integers(0, 2000), st.floats(0.5, 1e5))
def test_the_interval_contains_the_estimate(n: int, t: float) -> None:
    ci = rate_interval(n, t)
    assert ci.low <= ci.rate <= ci.high
    assert ci.low >= 0


@pytest.mark.parametrize(
    ("count", "exposure"), [(-1, 10), (3, 0), (3, -2), (2.5, 10), (3, float("nan"))]
)
def test_invalid_counts_and_exposures_are_refused_with_a_usage_error(
    count: object, exposure: object
) -> None:
    with pytest.raises(UsageError):
        rate_interval(count, exposure)  # type: ignore[arg-type]


def test_level_outside_zero_and_one_is_refused_with_a_hint() -> None:
    with pytest.raises(UsageError) as info:
        rate_interval(5, 10, level=95)
    assert "0.95" in str(info.value)


def test_dispersion_of_counts_equal_to_their_mean_is_zero() -> None:
    result = dispersion_test([10, 10, 10, 10])
    assert result.chi_square == 0 and result.df == 3 and result.p_value == pytest.approx(1.0)
    assert not result.overdispersed


def test_dispersion_test_by_hand_with_exposures() -> None:
    # pooled rate 60/30 = 2; expected 20, 20, 20; chi2 = (0 + 100 + 100)/20 = 10 on 2 df
    result = dispersion_test([20, 10, 30], [10, 10, 10])
    assert result.chi_square == pytest.approx(10.0)
    assert result.df == 2
    assert result.dispersion == pytest.approx(5.0)
    assert result.p_value == pytest.approx(math.exp(-5.0))  # chi2(2) survival is exp(-x/2)
    assert result.overdispersed


def test_dispersion_test_with_fitted_values_needs_the_parameter_count() -> None:
    with pytest.raises(UsageError, match="n_params"):
        dispersion_test([1, 2, 3], fitted=[2, 2, 2])
    assert dispersion_test([1, 2, 3], fitted=[2, 2, 2], n_params=1).chi_square == pytest.approx(1.0)
