"""Rates per force with funnel limits, in the shape of ``forcewatch rates``."""

from __future__ import annotations

import pytest

from forcewatch.errors import UsageError
from forcewatch.stats.funnel import funnel_limits
from forcewatch.stats.rates import AreaCount, rate_table

INTERFACE_FIELDS = [
    "year", "area_code", "area", "tactic", "count", "base", "per", "rate", "limit95_low",
    "limit95_high", "limit998_low", "limit998_high", "outside",
]  # fmt: skip

FORCES = [
    AreaCount("E23000001", "Metropolitan Police", 900, 30_000),
    AreaCount("E23000013", "West Midlands", 150, 6_500),
    AreaCount("W15000004", "Dyfed-Powys", 12, 1_100),
    AreaCount("E23000036", "Cumbria", 60, 1_150),
]
REGION = AreaCount("E12000005", "West Midlands region", 260, 11_000)


def test_rows_have_exactly_the_interface_fields_and_rates_per_thousand() -> None:
    table = rate_table("2018-19", "ced", FORCES, limits="normal")
    row = table.rows[1].as_dict()
    assert list(row) == INTERFACE_FIELDS
    assert row["per"] == 1000 and row["rate"] == pytest.approx(150 / 6500 * 1000)


def test_limits_are_those_of_the_pooled_funnel_at_each_forces_base() -> None:
    table = rate_table("2018-19", "ced", FORCES, limits="normal")
    target = sum(f.count for f in FORCES) / sum(f.base for f in FORCES)
    lim = funnel_limits("poisson", target, 1_150, per=1000)
    cumbria = table.rows[3]
    assert (cumbria.limit95_low, cumbria.limit998_high) == pytest.approx((lim.low95, lim.high998))
    # 52.2 per 1,000 against a pooled 29.0, whose 99.8% limit at 1,150 officers is 44.5
    assert cumbria.limit998_high == pytest.approx(44.5, abs=0.05)
    assert cumbria.outside == "998"


def test_a_region_is_placed_on_the_forces_funnel_without_changing_it() -> None:
    alone = rate_table("2018-19", "ced", FORCES)
    table = rate_table("2018-19", "ced", FORCES, others=[REGION])
    assert table.funnel == alone.funnel
    region = table.rows[-1]
    lim = table.funnel.limits_at(11_000)
    assert region.area_code == "E12000005" and region.limit95_high == pytest.approx(lim.high95)


def test_adjusted_limits_carry_over_to_other_areas() -> None:
    table = rate_table("2018-19", "ced", FORCES, others=[REGION], adjustment="additive")
    assert table.funnel.adjustment_applied
    force_limits = table.funnel.points[1].limits
    assert table.funnel.limits_at(6_500) == force_limits


def test_an_area_without_a_base_has_no_rate() -> None:
    table = rate_table("2018-19", "ced", [*FORCES, AreaCount("E23000099", "No data", 3, 0)])
    assert table.rows[-1].rate is None and table.rows[-1].outside == "none"


def test_an_area_given_twice_is_refused() -> None:
    with pytest.raises(UsageError, match="twice"):
        rate_table("2018-19", "ced", [FORCES[0], FORCES[0]])
