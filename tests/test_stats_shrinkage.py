"""Empirical-Bayes gamma-Poisson shrinkage for small groups."""

from __future__ import annotations

import pytest

from forcewatch.errors import UsageError
from forcewatch.stats.shrinkage import shrink_rates


def test_method_of_moments_prior_and_posterior_means_by_hand() -> None:
    keys, counts, exposures = ["a", "b", "c"], [2, 30, 8], [100.0, 1000.0, 100.0]
    result = shrink_rates(keys, counts, exposures)
    m = 40 / 1200
    s2 = (100 * (0.02 - m) ** 2 + 1000 * (0.03 - m) ** 2 + 100 * (0.08 - m) ** 2) / 1200
    v = s2 - m / 400
    assert result.overall_rate == pytest.approx(m)
    assert result.between_variance == pytest.approx(v)
    shape, rate = m * m / v, m / v
    assert result.prior_shape == pytest.approx(shape)
    assert [u.shrunk_rate for u in result.units] == pytest.approx(
        [(shape + c) / (rate + e) for c, e in zip(counts, exposures)]
    )


def test_shrunk_rates_lie_between_the_raw_rate_and_the_overall_rate() -> None:
    result = shrink_rates(["a", "b", "c", "d"], [1, 30, 9, 50], [50.0, 1000.0, 100.0, 900.0])
    for u in result.units:
        lo, hi = sorted((u.raw_rate, result.overall_rate))
        assert lo <= u.shrunk_rate <= hi
        assert u.low is not None and u.high is not None and u.low < u.shrunk_rate < u.high
    by_key = {u.key: u for u in result.units}
    assert (
        by_key["b"].weight_own_data > by_key["a"].weight_own_data
    )  # more evidence, less shrinkage


def test_no_variation_beyond_chance_shrinks_everything_to_the_overall_rate() -> None:
    result = shrink_rates(["a", "b"], [10, 10], [100.0, 100.0])
    assert result.prior_shape is None
    assert all(u.shrunk_rate == pytest.approx(0.1) for u in result.units)


def test_shrinkage_needs_two_units() -> None:
    with pytest.raises(UsageError):
        shrink_rates(["a"], [1], [10.0])
