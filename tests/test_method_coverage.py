"""The demand-coverage engine end to end: worked examples 5.1-5.9, the decision rule, the trace."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcewatch.errors import UsageError, VerificationFailed
from forcewatch.method import (
    BlockDemand,
    CoverageInputs,
    rerun_from_trace,
    run_coverage,
    verify_trace,
)
from forcewatch.method.config import MethodConfig, load_method
from forcewatch.method.settings import DecisionRule, HourBlock, IntervalSettings, Staffing
from forcewatch.stats.morile import MorileInputs


def worked_config(
    buffer: str = "0", shortfall_at: str = "central", threshold: str = "12"
) -> MethodConfig:
    """The default method with the worked examples' settings: one 24-hour block, R = 5, α = 0.25."""
    return dataclasses.replace(
        load_method(),
        hour_blocks=(HourBlock("day", 0, 24),),
        staffing=Staffing(Decimal(5), Decimal("0.25"), Decimal(buffer)),
        decision=DecisionRule(shortfall_at, Decimal(threshold)),
    )


def monte_carlo(config: MethodConfig, seed: int = 42, draws: int = 2000) -> MethodConfig:
    return dataclasses.replace(
        config,
        interval=IntervalSettings(
            "monte_carlo",
            Decimal("0.95"),
            seed,
            draws,
            (Decimal("1.25"), Decimal("1.75")),
            (Decimal("0.20"), Decimal("0.30")),
        ),
    )


WORKED = CoverageInputs((BlockDemand("north", "day", 438, 730),))


def test_worked_examples_5_1_and_5_4_to_5_8_end_to_end() -> None:
    result = run_coverage(worked_config(), WORKED)
    block = result.blocks[0]
    assert (round(block.rate, 3), round(block.rate_low, 3), round(block.rate_high, 3)) == (
        0.6,
        0.545,
        0.659,
    )
    assert round(block.p_at_least_one.central, 3) == 0.992  # 5.2, an 8-hour shift
    assert block.load.central == pytest.approx(0.9)
    assert (block.units.low, block.units.central, block.units.high) == (
        3,
        4,
        4,
    )  # pairs: 5.4, 5.5, 5.6
    assert (block.stos.low, block.stos.central, block.stos.high) == (6, 8, 8)
    area = result.areas[0]
    assert area.headcount.central == Fraction(160, 3) and area.headcount.low == 40  # 5.7, 5.8
    assert (area.required.low, area.required.central, area.required.high) == (40, 54, 54)
    assert area.recommendation == "40 to 54, central 54"
    assert result.total.recommendation == "40 to 54, central 54"


def test_worked_example_5_9_with_a_buffer() -> None:
    area = run_coverage(worked_config(buffer="0.10"), WORKED).areas[0]
    assert area.required.central == 59
    assert round(float(area.headcount.central), 2) == 58.67  # type: ignore[arg-type]


def test_the_erlang_b_table_is_in_the_trace_showing_why_three_pairs_fail() -> None:
    step = run_coverage(worked_config(), WORKED).trace.step("erlang_b[north/day]")
    central = step.outputs["central"]
    assert central["units"] == 4 and round(central["table"][3], 4) == 0.0501


def inputs(current: int | None = None, priority: str | None = None) -> CoverageInputs:
    return CoverageInputs(
        WORKED.demand, None if current is None else {"north": current}, priority=priority
    )


@pytest.mark.parametrize(
    ("current", "priority", "rule", "decision", "uplift"),
    [
        (42, "20.25", "central", "increase", 12),
        (54, "20.25", "central", "no increase", None),  # no shortfall
        (42, "11", "central", "no increase", None),  # priority below the threshold of 12
        (42, "12", "central", "increase", 12),  # at the threshold counts
        (42, "20.25", "lower_bound", "no increase", None),  # even the lower bound (40) is covered
        (30, "20.25", "lower_bound", "increase", 10),
        (None, "20.25", "central", "not decided", None),
        (42, None, "central", "not decided", None),
        (60, None, "central", "no increase", None),  # no shortfall settles it without a priority
    ],
)
def test_the_decision_rule_needs_both_a_shortfall_and_priority(
    current: int | None, priority: str | None, rule: str, decision: str, uplift: int | None
) -> None:
    result = run_coverage(worked_config(shortfall_at=rule), inputs(current, priority))
    assert result.decision == decision
    assert result.areas[0].decision.uplift == uplift
    assert result.areas[0].decision.reasons


def test_uplift_range_covers_the_interval() -> None:
    d = run_coverage(worked_config(), inputs(42, "20.25")).areas[0].decision
    assert (d.uplift_low, d.uplift_high) == (0, 12)


def test_a_threat_is_scored_with_the_methods_scales_and_its_priority_used() -> None:
    threat = MorileInputs(
        {"physical": 3, "psychological": 2, "financial": 1, "community": 2},
        "1.5",
        "1.0",
        3,
        3,
        "medium",
    )
    result = run_coverage(
        worked_config(), CoverageInputs(WORKED.demand, {"north": 42}, threat=threat)
    )
    assert result.priority == Fraction("20.25")
    assert result.threat is not None and result.threat.confidence == "medium"
    assert result.trace.step("priority").outputs["priority"] == "20.25"
    assert result.decision == "increase"


def test_current_headcount_by_team_is_summed() -> None:
    result = run_coverage(
        worked_config(), CoverageInputs(WORKED.demand, {"north": {"A": 20, "B": 22}}, priority="13")
    )
    assert result.areas[0].decision.current == 42


def test_areas_are_assessed_separately_and_added_for_the_force() -> None:
    demand = (BlockDemand("north", "day", 438, 730), BlockDemand("south", "day", 73, 730))
    result = run_coverage(
        worked_config(), CoverageInputs(demand, {"north": 60, "south": 10}, priority="20")
    )
    south = result.areas[1]
    assert south.area == "south" and south.required.central < 54
    assert result.total.required.central == 54 + south.required.central
    assert result.total.decision.current == 70


def test_the_busiest_block_sets_the_on_duty_need() -> None:
    config = load_method()  # three 8-hour blocks
    demand = (
        BlockDemand("north", "00-08", 30, 2920),
        BlockDemand("north", "08-16", 146, 2920),
        BlockDemand("north", "16-24", 1752, 2920),
    )
    area = run_coverage(config, CoverageInputs(demand)).areas[0]
    assert area.busiest_block == "16-24"
    assert area.on_duty.central == max(
        b.stos.central for b in run_coverage(config, CoverageInputs(demand)).blocks
    )


def test_a_block_the_method_does_not_define_is_refused() -> None:
    with pytest.raises(UsageError, match="hour block 'night'"):
        run_coverage(load_method(), CoverageInputs((BlockDemand("north", "night", 5, 100),)))


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: BlockDemand("north", "day", -1, 730), "events"),
        (lambda: BlockDemand("north", "day", 5, "0"), "positive"),
        (lambda: BlockDemand("north", "day", 5, 730.5), "binary float"),
        (lambda: CoverageInputs(()), "at least one"),
        (
            lambda: CoverageInputs((BlockDemand("n", "day", 1, 2), BlockDemand("n", "day", 1, 2))),
            "twice",
        ),
        (lambda: CoverageInputs(WORKED.demand, {"west": 3}), "no demand rows"),
        (
            lambda: CoverageInputs(
                WORKED.demand, priority="3", threat=MorileInputs({}, 1, 1, 1, 1, "low")
            ),
            "not both",
        ),
    ],
)
def test_malformed_inputs_are_refused(make: object, match: str) -> None:
    with pytest.raises(UsageError, match=match):
        make()  # type: ignore[operator]


# --- the trace ----------------------------------------------------------------------------


def test_the_trace_is_ordered_named_steps_with_inputs_formula_and_outputs() -> None:
    trace = run_coverage(worked_config(), inputs(42, "20.25")).trace
    names = [s.name for s in trace.steps]
    assert names == [
        "method",
        "rate[north/day]",
        "chance_in_shift[north/day]",
        "erlang_b[north/day]",
        "priority",
        "on_duty[north]",
        "headcount[north]",
        "decision[north]",
        "headcount[all]",
        "summary",
    ]
    data = json.loads(trace.canonical_json())
    assert data["format"] == "forcewatch.calculation_trace/1"
    assert all(
        set(s) == {"name", "formula", "inputs", "outputs"} and s["formula"] for s in data["steps"]
    )
    assert data["steps"][6]["outputs"]["central"]["exact"] == "160/3"
    assert data["method"]["sha256"] == worked_config().sha256


def test_a_trace_re_runs_to_the_same_bytes_and_verifies() -> None:
    result = run_coverage(worked_config(), inputs(42, "20.25"))
    text = result.trace.canonical_json()
    assert rerun_from_trace(text).trace.canonical_json() == text
    assert verify_trace(text) == result.trace.sha256


def test_verification_names_the_step_that_was_tampered_with() -> None:
    data = json.loads(run_coverage(worked_config(), inputs(42, "20.25")).trace.canonical_json())
    data["steps"][6]["outputs"]["central"]["required"] = 50
    with pytest.raises(VerificationFailed, match=r"step 7 \(headcount\[north\]\)"):
        verify_trace(data)


def test_verification_notices_changed_inputs_and_reformatted_text() -> None:
    text = run_coverage(worked_config(), inputs(42, "20.25")).trace.canonical_json()
    with pytest.raises(VerificationFailed, match="step 2"):
        verify_trace(
            text.replace('"events":438', '"events":439', 1).replace('"events":438', '"events":439')
        )
    with pytest.raises(VerificationFailed, match="not the canonical JSON"):
        verify_trace(json.dumps(json.loads(text), indent=1))


demand_rows = st.lists(
    st.tuples(
        st.sampled_from(["north", "south", "east"]),
        st.sampled_from(["00-08", "08-16", "16-24"]),
        st.integers(0, 3000),
        st.integers(1, 20_000),
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda r: (r[0], r[1]),
)


@settings(max_examples=25, deadline=None)
@given(demand_rows, st.integers(0, 300), st.sampled_from(["5", "12.5", "30"]))
def test_any_run_re_computed_from_its_own_trace_is_byte_identical(
    rows: list, current: int, priority: str
) -> None:
    demand = tuple(BlockDemand(a, b, n, str(h)) for a, b, n, h in rows)
    run = CoverageInputs(demand, {demand[0].area: current}, priority=priority)
    text = run_coverage(load_method(), run).trace.canonical_json()
    assert rerun_from_trace(text).trace.canonical_json() == text


# --- Monte Carlo ----------------------------------------------------------------------------


def test_monte_carlo_gives_an_interval_around_the_central_estimate() -> None:
    result = run_coverage(monte_carlo(worked_config()), WORKED)
    area = result.areas[0]
    assert result.interval_method == "monte_carlo"
    assert area.required.central == 54  # the central estimate is not drawn
    assert area.required.low <= 54 <= area.required.high
    assert 36 <= area.required.low <= 45 and 54 <= area.required.high <= 60
    step = result.trace.step("monte_carlo").outputs
    assert (
        step["seed"] == 42
        and step["draws"] == 2000
        and len(step["required_draws_sha256"]["north"]) == 64
    )


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_monte_carlo_with_the_same_seed_is_identical(seed: int) -> None:
    config = monte_carlo(worked_config(), seed=seed, draws=300)
    first, second = run_coverage(config, WORKED), run_coverage(config, WORKED)
    assert first.trace.canonical_json() == second.trace.canonical_json()


def test_a_different_seed_gives_different_draws() -> None:
    a = run_coverage(monte_carlo(worked_config(), seed=1), WORKED).trace.step("monte_carlo").outputs
    b = run_coverage(monte_carlo(worked_config(), seed=2), WORKED).trace.step("monte_carlo").outputs
    assert a["required_draws_sha256"] != b["required_draws_sha256"]


def test_a_monte_carlo_trace_verifies() -> None:
    text = run_coverage(
        monte_carlo(worked_config(), draws=500), inputs(42, "20.25")
    ).trace.canonical_json()
    verify_trace(text)
