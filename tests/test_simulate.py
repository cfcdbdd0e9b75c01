"""The simulator: exact totals, reproducible for a seed, targets from published facts, round trip."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from forcewatch.ced import highest_by_mask
from forcewatch.errors import UsageError
from forcewatch.normalise import normalise_frame
from forcewatch.recording import import_records
from forcewatch.settings import Settings
from forcewatch.simulate import AssignedOfficer, simulate_frame, write_simulation
from forcewatch.simulation_targets import ForceTargets, SimulationTargets, targets_from_facts
from forcewatch.store import Store
from forcewatch.store.tables.records import officer_report, tactic_use

from .conftest import store_url

TARGETS = SimulationTargets(
    "2018-19", "hand-made test targets",
    (
        ForceTargets("E23000001", 1200, {"drawn": 30, "aimed": 10, "red_dot": 25, "arced": 2, "drive_stun": 3, "fired": 12,
                                         "angled_drive_stun": 1, "not_stated": 4},
                     {"handcuffing_compliant": 500, "unarmed_skills": 400, "ground_restraint": 300, "baton_drawn": 20,
                      "tactical_communication": 700, "not_reported": 15}),
        ForceTargets("E23000036", 500, {"drawn": 8, "fired": 6},
                     {"handcuffing_non_compliant": 350, "limb_body_restraint": 200, "not_reported": 5}),
    ),
    shares={"age": {"18_34": 0.6, "11_17": 0.1, "35_49": 0.3}, "gender": {"male": 0.85, "female": 0.15},
            "ethnicity": {"white": 0.7, "black": 0.2, "asian": 0.1}, "health": {"none": 0.9, "mental": 0.1}},
    tick_rates={"reason": {"protect_self": 0.7}, "outcome": {"arrested": 0.6}, "location": {"dwelling": 0.3},
                "impact_factor": {"alcohol": 0.4}},
)


def _totals(frame: pl.DataFrame) -> dict[str, object]:
    """Reports, CED by highest level and reports per tactic, per force, as the importer reads them."""
    from forcewatch.form import field_for_header

    raw = frame.rename({c: field_for_header(c).name for c in frame.columns})  # type: ignore[union-attr]
    forms = normalise_frame(raw)
    assert not forms.log.errors, forms.log.errors[:3]
    reports = forms.reports.with_columns(pl.col("ced_levels_mask").replace_strict(highest_by_mask(), default=None)
                                         .alias("highest"))
    ced = Counter((f, h or "not_stated") for f, c, h in reports.select("force", "ced", "highest").iter_rows() if c)
    tactics = forms.tactics.join(reports.select("_idx", "force"), on="_idx").unique(["_idx", "tactic"])
    return {
        "reports": Counter(reports.get_column("force").to_list()),
        "ced": ced,
        "tactics": Counter(tactics.select("force", "tactic").iter_rows()),
        "not_reported": Counter(reports.filter(pl.col("quality_flags") & 1 == 1).get_column("force").to_list()),
    }


def test_totals_equal_the_targets_exactly() -> None:
    totals = _totals(simulate_frame(TARGETS, seed=3))
    for ft in TARGETS.forces:
        assert totals["reports"][ft.force_code] == ft.reports
        for level, count in ft.ced.items():
            assert totals["ced"][(ft.force_code, level)] == count, level
        for tactic, count in ft.tactics.items():
            if tactic != "not_reported":
                assert totals["tactics"][(ft.force_code, tactic)] == count, tactic
        assert totals["not_reported"][ft.force_code] == ft.tactics["not_reported"]


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path) -> None:  # type: ignore[no-untyped-def]
    digest = [hashlib.sha256((write_simulation(TARGETS, tmp_path / f"{i}.csv", seed=s) and (tmp_path / f"{i}.csv")).read_bytes()).hexdigest()
              for i, s in enumerate((7, 7, 8))]
    assert digest[0] == digest[1] != digest[2]


def test_every_row_says_it_is_simulated_and_has_ids() -> None:
    frame = simulate_frame(TARGETS, seed=1)
    assert frame.get_column("Simulated").unique().to_list() == ["Yes"]
    assert frame.get_column("ReportId").is_unique().all()
    per_incident = frame.group_by("IncidentId").agg(pl.col("PersonId").n_unique().alias("people"), pl.len().alias("reports"))
    assert per_incident.get_column("reports").max() > 1 and per_incident.get_column("people").max() > 1


def test_scaling_rounds_each_published_count_half_up() -> None:
    scaled = TARGETS.scaled(0.01)
    mps = scaled.forces[0]
    assert (mps.reports, mps.ced["drawn"], mps.ced["fired"], mps.tactics["baton_drawn"]) == (12, 0, 0, 0)
    assert mps.ced["red_dot"] == 0 and TARGETS.scaled(0.1).forces[0].ced["red_dot"] == 3  # 2.5 rounds up
    assert "scaled by 0.01" in scaled.source
    with pytest.raises(UsageError):
        TARGETS.scaled(0)


def test_a_simulated_file_round_trips_through_the_importer(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sim.csv"
    write_simulation(TARGETS, path, seed=5)
    report = import_records(store, path, settings=Settings(demo=True))
    assert (report.stored, report.simulated, report.scope) == (1700, 1700, "national")
    with store.read() as conn:
        rows = conn.execute(select(officer_report.c.force_code, officer_report.c.ced, officer_report.c.ced_levels_mask,
                                   officer_report.c.simulated)).all()
        uses = conn.execute(select(tactic_use.c.report_id, tactic_use.c.tactic).distinct()).all()
    assert all(r.simulated for r in rows)
    highest = highest_by_mask("mps_ho_table")
    ced = Counter((f, highest[m] or "not_stated") for f, c, m, _ in rows if c)
    for ft in TARGETS.forces:
        assert {k: ced[(ft.force_code, k)] for k in ft.ced} == dict(ft.ced)
    assert Counter(t for _, t in uses)["handcuffing_compliant"] == 500


@dataclass(frozen=True)
class FakeFact:
    """A local stand-in with the fields of forcewatch.official.Fact."""

    year: str
    source: str
    vintage: str
    table: str
    area_code: str
    area: str
    tactic: str
    dimension: str
    category: str
    measure: str
    value: float | None
    note: str = ""


def _facts(rows: list[FakeFact]):  # type: ignore[no-untyped-def]
    def facts(*, year=None, table=None, force=None, tactic=None, category=None, measure=None, **_):  # type: ignore[no-untyped-def]
        return [r for r in rows if (year is None or r.year == year) and (table is None or r.table == table)
                and (force is None or r.area_code == force) and (tactic is None or r.tactic == tactic)
                and (category is None or r.category == category) and (measure is None or r.measure == measure)]
    return facts


def _fact(table: str, area: str, tactic: str, value: float, dimension: str = "", category: str = "",
          measure: str = "incidents") -> FakeFact:
    return FakeFact("2018-19", "official", "2019-12-19", table, area, area, tactic, dimension, category, measure, value)


FACTS = [
    _fact("incidents_by_force", "E23000001", "all", 1000), _fact("incidents_by_force", "E23000036", "all", 300),
    _fact("incidents_by_force", "E12000007", "all", 1000),  # a region row: never a force
    _fact("ced_by_force", "E23000001", "ced_fired", 20), _fact("ced_by_force", "E23000001", "ced_not_stated", 5),
    _fact("ced_by_force", "E23000001", "ced", 25), _fact("ced_by_force", "E23000036", "ced_drawn", 7),
    _fact("tactics", "K04000001", "handcuffing_compliant", 800), _fact("tactics", "K04000001", "unarmed_skills", 700),
    _fact("tactics", "K04000001", "not_reported", 13),
    _fact("age", "K04000001", "all", 900, "age", "18_34"), _fact("age", "K04000001", "all", 400, "age", "35_49"),
    _fact("age", "K04000001", "all", 1300, "age", "all"),  # the published total is not a category
    _fact("reason", "K04000001", "all", 650, "reason", "protect_self"),
]


def test_targets_from_published_facts() -> None:
    targets = targets_from_facts(_facts(FACTS), "2018-19")
    assert [f.force_code for f in targets.forces] == ["E23000001", "E23000036"]
    mps, avon = targets.forces
    assert (mps.reports, dict(mps.ced), avon.ced["drawn"]) == (1000, {"fired": 20, "not_stated": 5}, 7)
    assert mps.tactics["handcuffing_compliant"] + avon.tactics["handcuffing_compliant"] == 800
    assert mps.tactics["not_reported"] + avon.tactics["not_reported"] == 13
    assert targets.shares["age"] == pytest.approx({"18_34": 900 / 1300, "35_49": 400 / 1300})
    assert targets.tick_rates["reason"]["protect_self"] == pytest.approx(650 / 1300)
    assert targets.source == "official statistics for 2018-19 (the latest publication of each figure)"
    assert targets.vintages["incidents_by_force"] == ("2019-12-19",)
    one = targets_from_facts(_facts(FACTS), "2018-19", "Avon and Somerset")
    assert [f.force_code for f in one.forces] == ["E23000036"] and one.reports == 300


def test_no_published_figures_means_a_clear_refusal(cli, store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match="no published figures"):
        targets_from_facts(_facts([]), "2018-19")
    result = cli("simulate", "--year", "2018-19", "--out", str(tmp_path / "x.csv"), database=store_url(store))
    assert result.exit_code != 0
    assert "forcewatch import official --bundled" in result.stderr


@settings(max_examples=15, deadline=None)
@given(st.randoms(use_true_random=False))
def test_shuffling_rows_changes_no_totals(random) -> None:  # type: ignore[no-untyped-def]
    frame = simulate_frame(TARGETS.scaled(0.2), seed=2)
    order = list(range(frame.height))
    random.shuffle(order)
    assert _totals(frame[order]) == _totals(frame)


def test_assigned_officers_get_exactly_their_reports_and_team_and_nothing_else_changes() -> None:
    officers = (AssignedOfficer("E23000036", "AVON1001", "Bristol Response A", 40),
                AssignedOfficer("E23000036", "AVON1002", "Bristol Response A", 5))
    plain, assigned = simulate_frame(TARGETS, seed=4), simulate_frame(TARGETS, seed=4, officers=officers)
    assert plain.drop("OfficerId", "OfficerTeam").equals(assigned.drop("OfficerId", "OfficerTeam"))
    counts = Counter(assigned.get_column("OfficerId").to_list())
    assert (counts["AVON1001"], counts["AVON1002"]) == (40, 5)
    team = assigned.filter(pl.col("OfficerTeam") == "Bristol Response A")
    assert set(team.get_column("Force").to_list()) == {"E23000036"}
    assert team.get_column("OfficerId").n_unique() > 2  # other simulated officers are in the team too
    assert assigned.get_column("OfficerTeam").null_count() == 0
