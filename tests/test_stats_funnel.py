"""Spiegelhalter funnel limits, overdispersion, and where each unit falls (worked example 6.1)."""

from __future__ import annotations

import itertools
import math
from statistics import NormalDist

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from forcewatch.errors import UsageError
from forcewatch.stats.funnel import FunnelUnit, funnel_limits, poisson_funnel, proportion_funnel


def test_worked_example_6_1_normal_limits_for_a_proportion_of_five_per_cent() -> None:
    small = funnel_limits("proportion", 0.05, 500)
    assert [round(v, 4) for v in (small.low95, small.high95, small.low998, small.high998)] == [
        0.0309,
        0.0691,
        0.0199,
        0.0801,
    ]
    large = funnel_limits("proportion", 0.05, 2000)
    assert [round(v, 4) for v in (large.low95, large.high95, large.low998, large.high998)] == [
        0.0404,
        0.0596,
        0.0349,
        0.0651,
    ]


def test_poisson_normal_limits_follow_the_formula() -> None:
    lim = funnel_limits("poisson", 0.6, 730)
    assert lim.high95 == pytest.approx(0.6 + 1.960 * math.sqrt(0.6 / 730))
    assert lim.low998 == pytest.approx(0.6 - 3.090 * math.sqrt(0.6 / 730))


def test_exact_binomial_limit_interpolates_between_whole_counts_as_spiegelhalter_describes() -> (
    None
):
    # Binomial(20, 0.1): F(4) and F(5) by hand; the 97.5% point lies between 4 and 5 events.
    def cdf(r: int) -> float:
        return sum(math.comb(20, k) * 0.1**k * 0.9 ** (20 - k) for k in range(r + 1))

    p = NormalDist().cdf(1.960)  # the tail of z = 1.960 (0.97500210...), not exactly 0.975
    f4, f5 = cdf(4), cdf(5)
    assert f4 < p <= f5
    expected = (5 - (f5 - p) / (f5 - f4)) / 20
    assert funnel_limits("proportion", 0.1, 20, limits="exact").high95 == pytest.approx(
        expected, rel=1e-9
    )


def test_exact_limits_approach_the_normal_limits_for_large_expected_counts() -> None:
    exact = funnel_limits("poisson", 2.0, 50_000, limits="exact")
    normal = funnel_limits("poisson", 2.0, 50_000)
    assert exact.high998 == pytest.approx(normal.high998, rel=1e-3)
    assert exact.low95 == pytest.approx(normal.low95, rel=1e-3)


# Ten units, each with 100 reports and a target of one half, so s = 0.05 and z = (count - 50)/5.
Z_SCORES = [-3, -2, -1, 0, 0, 1, 1, 2, 3, 5]
SPREAD = [FunnelUnit(f"u{i}", 50 + 5 * z, 100) for i, z in enumerate(Z_SCORES)]


def test_overdispersion_phi_is_the_mean_squared_winsorised_z_score() -> None:
    funnel = proportion_funnel(SPREAD, target=0.5, limits="normal")
    od = funnel.overdispersion
    assert od is not None
    # 10th and 90th percentiles by linear interpolation (R type 7): -2.1 and 3.2
    assert od.winsor_low == pytest.approx(-2.1)
    assert od.winsor_high == pytest.approx(3.2)
    winsorised = [-2.1, -2, -1, 0, 0, 1, 1, 2, 3, 3.2]
    assert od.phi == pytest.approx(sum(z * z for z in winsorised) / 10)  # 3.465
    assert od.statistic == pytest.approx(34.65)
    assert od.df == 9 and od.critical == pytest.approx(16.919, abs=1e-3)
    assert od.overdispersed
    # DerSimonian-Laird: w = 400 each; sum w - sum w^2 / sum w = 4000 - 400 = 3600
    assert od.tau2 == pytest.approx((34.65 - 9) / 3600)
    assert next(p.z_winsorised for p in funnel.points) == pytest.approx(-2.1)


def test_multiplicative_and_additive_limits_widen_as_stated() -> None:
    mult = proportion_funnel(SPREAD, target=0.5, limits="normal", adjustment="multiplicative")
    add = proportion_funnel(SPREAD, target=0.5, limits="normal", adjustment="additive")
    assert mult.adjustment_applied and add.adjustment_applied
    assert mult.points[0].limits.high95 == pytest.approx(0.5 + 1.960 * math.sqrt(3.465) * 0.05)
    assert add.points[0].limits.high998 == pytest.approx(
        0.5 + 3.090 * math.sqrt(0.0025 + 25.65 / 3600)
    )
    assert "phi = 3.465" in mult.method and "DerSimonian-Laird" in add.method


def test_no_adjustment_when_the_units_are_not_overdispersed() -> None:
    calm = [
        FunnelUnit(f"u{i}", c, 100) for i, c in enumerate([49, 50, 51, 50, 52, 48, 50, 51, 49, 50])
    ]
    funnel = proportion_funnel(calm, target=0.5, limits="normal", adjustment="additive")
    assert funnel.overdispersion is not None and not funnel.overdispersion.overdispersed
    assert not funnel.adjustment_applied
    assert "not applied" in funnel.method
    assert funnel.points[0].limits == funnel_limits("proportion", 0.5, 100)


def test_each_unit_is_marked_by_the_limits_it_falls_outside() -> None:
    funnel = proportion_funnel(SPREAD, target=0.5, limits="normal")
    outside = {p.key: p.outside for p in funnel.points}
    assert outside["u9"] == "998"  # z = 5
    assert outside["u8"] == "95"  # z = 3, between 1.960 and 3.090
    assert outside["u0"] == "95"  # z = -3
    assert outside["u5"] == "none"  # z = 1


def test_the_target_is_pooled_unless_given() -> None:
    units = [FunnelUnit("a", 10, 1000), FunnelUnit("b", 30, 1000)]
    funnel = poisson_funnel(units, per=1000)
    assert funnel.target_source == "pooled"
    assert funnel.target == pytest.approx(20.0)  # 40 per 2,000 = 20 per 1,000
    assert funnel.points[0].value == pytest.approx(10.0)
    assert poisson_funnel(units, target=0.01).target_source == "given"


def test_the_curve_spans_the_denominators_and_narrows() -> None:
    units = [FunnelUnit("a", 5, 100), FunnelUnit("b", 60, 1000), FunnelUnit("c", 400, 10000)]
    funnel = poisson_funnel(units, limits="normal", curve_points=20)
    assert len(funnel.curve) == 20
    assert funnel.curve[0].base == pytest.approx(50) and funnel.curve[-1].base == pytest.approx(
        11000
    )
    widths = [c.high95 - c.low95 for c in funnel.curve]
    assert all(a > b for a, b in itertools.pairwise(widths))


def test_a_funnel_serialises_for_the_trace() -> None:
    data = poisson_funnel([FunnelUnit("a", 5, 100), FunnelUnit("b", 9, 120)]).as_dict()
    assert set(data["points"][0]) == {
        "key",
        "count",
        "base",
        "value",
        "z",
        "z_winsorised",
        "limits",
        "outside",
    }
    assert data["overdispersion"]["winsor_fraction"] == 0.1


def test_no_events_anywhere_gives_a_flat_funnel_with_a_note() -> None:
    funnel = poisson_funnel([FunnelUnit("a", 0, 100), FunnelUnit("b", 0, 300)])
    assert funnel.note and all(p.outside == "none" for p in funnel.points)


@pytest.mark.parametrize(
    ("units", "kwargs", "match"),
    [
        ([FunnelUnit("a", 5, 0)], {}, "base must be positive"),
        ([FunnelUnit("a", 5, 10), FunnelUnit("a", 6, 10)], {}, "unique"),
        ([FunnelUnit("a", 5, 10)], {"limits": "bayes"}, "normal"),
        ([FunnelUnit("a", 5, 10)], {"adjustment": "square"}, "multiplicative"),
        ([FunnelUnit("a", 5, 10)], {"winsor": 0.6}, "winsorisation"),
    ],
)
def test_bad_parameters_are_refused(units: list[FunnelUnit], kwargs: dict, match: str) -> None:
    with pytest.raises(UsageError, match=match):
        poisson_funnel(units, **kwargs)


def test_a_proportion_needs_count_at_most_base() -> None:
    with pytest.raises(UsageError, match="whole-number base"):
        proportion_funnel([FunnelUnit("a", 11, 10)])


@given(
    st.floats(0.001, 50.0),
    st.floats(1.0, 1e5),
    st.floats(1.01, 10.0),
    st.floats(1.0, 4.0),
    st.floats(0.0, 0.5),
)
def test_limits_widen_as_the_denominator_shrinks(
    target: float, base: float, factor: float, phi: float, tau2: float
) -> None:
    for kwargs in ({}, {"phi": phi}, {"tau2": tau2}):
        big, small = (funnel_limits("poisson", target, b, **kwargs) for b in (base * factor, base))
        assume(small.low998 > 0)  # once clipped at zero the lower limit cannot move further
        assert small.high95 - small.low95 > big.high95 - big.low95
        assert small.high998 - small.low998 > big.high998 - big.low998


@given(st.floats(0.001, 0.999), st.integers(1, 50_000))
def test_exact_limits_widen_when_the_denominator_halves(p0: float, n: int) -> None:
    # Exact limits move in steps; compared a factor of two apart, with at least five expected
    # events either way, they always widen (small steps inside that range may not).
    assume(min(p0, 1 - p0) * n >= 5)
    big, small = (funnel_limits("proportion", p0, b, limits="exact") for b in (2 * n, n))
    assert small.high95 - small.low95 > big.high95 - big.low95
    assert small.high998 - small.low998 > big.high998 - big.low998
