"""The assessment's link to the register: current, required (an interval) and the difference."""

from __future__ import annotations

from pathlib import Path

import pytest

from forcewatch.errors import PermissionDenied, UsageError
from forcewatch.method import BlockDemand, load_method
from forcewatch.recording import import_records
from forcewatch.register_coverage import DEMAND_EVENT, coverage_for_force, coverage_from, years_with_demand
from forcewatch.register_import import import_register
from forcewatch.store import Store

from .form_rows import row, write_csv
from .register_data import AVON, KEY, WMIDS, analyst, posting, training, write_register

CED = {"Tactic 1": "CED (Taser) Drawn", "CED Used": "Yes", "CED Drawn": "Yes", "TrainedCED": "Yes", "CarryingCED": "Yes"}


def test_the_difference_is_required_minus_current_at_each_bound() -> None:
    # worked examples 5.1-5.9: 438 events in 730 hours, pairs, beta 0.05, R 5, alpha 0.25, rho 0.10:
    # 3 pairs (6 STOs) at the lower bound -> 44 trained; 4 pairs (8 STOs) centrally and above -> 59
    demand = [BlockDemand("North", "00-08", 438, 730), BlockDemand("North", "08-16", 0, 730),
              BlockDemand("North", "16-24", 0, 730)]
    areas, total, result = coverage_from(demand, {"North": 50, "Elsewhere": 7}, load_method())
    [north] = areas
    assert north["current"] == 50
    assert north["required"] == {"low": 44, "central": 59, "high": 59}
    assert north["difference"] == {"low": -6, "central": 9, "high": 9}
    assert north["recommendation"] == "44 to 59, central 59"
    assert north["decision"] == "not decided"  # no threat and risk priority was given
    assert total["current"] == 50 and total["difference"]["central"] == 9
    _, with_priority, _ = coverage_from(demand, {"North": 50}, load_method(), priority=12)
    assert with_priority["decision"] == "increase"


@pytest.fixture
def force_with_demand(store: Store, tmp_path: Path) -> Store:
    register = [posting("A1", "2016-01-01", team="Bristol Response A", area="Bristol"), training("A1", "2017-03-01"),
                training("A1", "2018-02-20", course="Requalification"),
                posting("B2", "2016-01-01", team="Bath Response B", area="Bath"), training("B2", "2018-06-01"),
                posting("C3", "2016-01-01", team="Yeovil Response C", area="Yeovil"), training("C3", "2018-06-01")]
    import_register(store, analyst(), write_register(tmp_path / "hr.csv", register), AVON, settings=KEY)
    reports = [row(ReportId=f"R{i}", OfficerId="A1" if i % 2 else "B2", IncidentDate=f"2018-{5 + i % 6:02d}-{1 + i:02d}",
                   IncidentTime=f"{(i * 7) % 24:02d}:15:00", **CED) for i in range(20)]
    reports.append(row(ReportId="R-untimed", OfficerId="A1", IncidentDate="2018-07-30", IncidentTime="", **CED))
    import_records(store, write_csv(tmp_path / "uof.csv", reports), AVON, settings=KEY)
    return store


def test_coverage_for_a_force_shows_current_required_and_the_difference(force_with_demand: Store) -> None:
    result = coverage_for_force(force_with_demand, analyst(), AVON, "2018-19").as_dict()
    assert result["demand_event"] == DEMAND_EVENT and str(result["on"]) == "2019-03-31"
    by_area = {a["area"]: a for a in result["areas"]}
    assert set(by_area) == {"Bath", "Bristol"}
    assert {a: v["current"] for a, v in by_area.items()} == {"Bath": 1, "Bristol": 0}  # A1 lapsed in February 2019
    for area in by_area.values():
        assert set(area["required"]) == set(area["difference"]) == {"low", "central", "high"}
        assert all(area["difference"][k] == area["required"][k] - area["current"] for k in area["required"])
    assert result["total"]["current"] == 1
    assert result["areas_without_demand"] == {"Yeovil": 1}
    assert result["excluded"] == {"reports_without_time": 1, "incidents": 20}
    assert result["method"]["name"] == "forcewatch-default-stra" and len(result["trace_sha256"]) == 64


def test_the_headcount_date_and_grouping_can_be_chosen(force_with_demand: Store) -> None:
    from datetime import date

    result = coverage_for_force(force_with_demand, analyst(), AVON, "2018-19", on=date(2018, 12, 1), by="team")
    assert {a["area"]: a["current"] for a in result.areas} == {"Bath Response B": 1, "Bristol Response A": 1}
    assert years_with_demand(force_with_demand, analyst(), AVON) == ["2018-19"]


def test_no_demand_or_a_bad_year_is_explained(force_with_demand: Store) -> None:
    with pytest.raises(UsageError, match="no reports of CED use are stored for Avon and Somerset in 2017-18"):
        coverage_for_force(force_with_demand, analyst(), AVON, "2017-18")
    with pytest.raises(UsageError, match="not a financial year"):
        coverage_for_force(force_with_demand, analyst(), AVON, "2018")
    with pytest.raises(PermissionDenied):
        coverage_for_force(force_with_demand, analyst(WMIDS), AVON, "2018-19")
