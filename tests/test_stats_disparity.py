"""Rate ratios, conditional ratios, zero and small counts, caveats (worked example 7.1)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forcewatch.errors import UsageError
from forcewatch.stats.disparity import (
    CAVEATS,
    caveats,
    conditional_ratio,
    disparity_rows,
    odds_ratio,
    rate_ratio,
)

INTERFACE_FIELDS = [
    "year",
    "area_code",
    "tactic",
    "group",
    "reference_group",
    "group_count",
    "group_base",
    "reference_count",
    "reference_base",
    "rate_ratio",
    "ci_low",
    "ci_high",
    "benchmark",
    "note",
]


def test_worked_example_7_1_rate_ratio_five_with_interval_3_56_to_7_02() -> None:
    est = rate_ratio(40, 20_000, 200, 500_000)
    assert est.ratio == pytest.approx(5.0)
    assert round(est.ci_low, 2) == 3.56
    assert round(est.ci_high, 2) == 7.02
    assert est.notes == ()


def test_a_disparity_row_has_exactly_the_interface_fields_in_order() -> None:
    rows = disparity_rows(
        "2019-20", "E23000001", "ced", {"white": (200, 500_000), "black": (40, 20_000)}
    )
    assert len(rows) == 1
    data = rows[0].as_dict()
    assert list(data) == INTERFACE_FIELDS
    assert (
        data["group"] == "black"
        and data["reference_group"] == "white"
        and data["benchmark"] == "population"
    )
    assert round(data["ci_low"], 2) == 3.56 and data["note"] == ""


def test_conditional_ratio_is_a_risk_ratio_with_the_katz_interval() -> None:
    # 30 of 200 reports on the group involved CED; 100 of 2,000 on the reference group.
    est = conditional_ratio(30, 200, 100, 2000)
    se = math.sqrt(1 / 30 - 1 / 200 + 1 / 100 - 1 / 2000)
    assert est.ratio == pytest.approx(3.0)
    assert est.ci_low == pytest.approx(3.0 * math.exp(-1.96 * se))
    assert est.ci_high == pytest.approx(3.0 * math.exp(1.96 * se))


def test_the_odds_ratio_uses_woolfs_interval() -> None:
    est = odds_ratio(30, 200, 100, 2000)
    assert est.ratio == pytest.approx(30 * 1900 / (100 * 170))
    se = math.sqrt(1 / 30 + 1 / 170 + 1 / 100 + 1 / 1900)
    assert est.ci_high == pytest.approx(est.ratio * math.exp(1.96 * se))


def test_use_of_force_benchmark_rows_can_carry_the_odds_ratio() -> None:
    rows = disparity_rows(
        "2019-20",
        "E23000001",
        "ced",
        {"white": (100, 2000), "black": (30, 200)},
        benchmark="use_of_force",
        with_odds_ratio=True,
    )
    assert rows[0].rate_ratio == pytest.approx(3.0)
    assert rows[0].as_dict()["odds_ratio"]["ratio"] == pytest.approx(30 * 1900 / (100 * 170))


def test_a_zero_group_count_has_a_ratio_of_zero_and_no_interval_with_a_note() -> None:
    row = disparity_rows(
        "2019-20", "W15000004", "ced", {"white": (50, 400_000), "mixed": (0, 5_000)}
    )[0]
    assert row.rate_ratio == 0.0
    assert row.ci_low is None and row.ci_high is None
    assert "zero: no interval" in row.note


def test_a_zero_reference_count_leaves_the_ratio_undefined() -> None:
    est = rate_ratio(5, 1000, 0, 1000)
    assert est.ratio is None and est.ci_low is None
    assert "reference count is zero" in est.notes[0]


def test_small_counts_are_flagged_against_the_configured_threshold() -> None:
    groups = {"white": (200, 500_000), "asian": (7, 30_000), "black": (12, 20_000)}
    notes = {
        r.group: r.note
        for r in disparity_rows("2019-20", "E23000001", "ced", groups, small_count=10)
    }
    assert "small count" in notes["asian"] and notes["black"] == ""
    notes = {
        r.group: r.note
        for r in disparity_rows("2019-20", "E23000001", "ced", groups, small_count=5)
    }
    assert notes["asian"] == ""


def test_the_reference_group_must_be_present() -> None:
    with pytest.raises(UsageError, match="reference group 'white'"):
        disparity_rows("2019-20", "E23000001", "ced", {"black": (1, 2)})


def test_overdispersion_widens_the_interval_by_root_phi() -> None:
    plain, wide = (
        rate_ratio(40, 20_000, 200, 500_000),
        rate_ratio(40, 20_000, 200, 500_000, dispersion=4.0),
    )
    assert math.log(wide.ci_high / wide.ratio) == pytest.approx(
        2 * math.log(plain.ci_high / plain.ratio)
    )


def test_the_caveats_are_data_the_ui_can_show() -> None:
    keys = [c.key for c in CAVEATS]
    assert keys == [
        "benchmark",
        "perceived_ethnicity",
        "small_counts",
        "multiple_comparisons",
        "overdispersion",
        "metropolitan_police",
    ]
    assert all(c.title and c.text for c in CAVEATS)
    assert "metropolitan_police" not in [c.key for c in caveats()]
    assert "metropolitan_police" in [c.key for c in caveats(national=True)]
    assert caveats()[0].as_dict() == {
        "key": "benchmark",
        "title": CAVEATS[0].title,
        "text": CAVEATS[0].text,
    }


counts = st.integers(1, 10_000)
bases = st.floats(1.0, 1e7)


@given(counts, bases, counts, bases)
def test_swapping_the_groups_gives_the_reciprocal_ratio_and_interval(
    a: int, pa: float, b: int, pb: float
) -> None:
    forward, back = rate_ratio(a, pa, b, pb), rate_ratio(b, pb, a, pa)
    assert forward.ratio is not None and back.ratio is not None
    assert back.ratio == pytest.approx(1 / forward.ratio, rel=1e-12)
    assert back.ci_low == pytest.approx(1 / forward.ci_high, rel=1e-12)
    assert back.ci_high == pytest.approx(1 / forward.ci_low, rel=1e-12)


@given(counts, bases, counts, bases)
def test_the_interval_contains_the_ratio(a: int, pa: float, b: int, pb: float) -> None:
    est = rate_ratio(a, pa, b, pb)
    assert est.ci_low < est.ratio < est.ci_high


@given(st.integers(1, 500), st.integers(0, 500), st.integers(1, 500), st.integers(0, 500))
def test_conditional_ratio_swaps_to_its_reciprocal(
    a: int, extra_a: int, b: int, extra_b: int
) -> None:
    forward, back = (
        conditional_ratio(a, a + extra_a, b, b + extra_b),
        conditional_ratio(b, b + extra_b, a, a + extra_a),
    )
    assert back.ratio == pytest.approx(1 / forward.ratio, rel=1e-12)
    assert back.ci_low == pytest.approx(1 / forward.ci_high, rel=1e-9)
