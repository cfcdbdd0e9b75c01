"""Rates and funnels, disproportionality (worked example 7.1), suppression, trends and the quality scorecard."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from forcewatch.monitoring import quality
from forcewatch.monitoring.disparity import DISPARITY_COLUMNS
from forcewatch.monitoring.quality import Finding, QualityRule, scorecard
from forcewatch.monitoring.rates import RATE_COLUMNS
from forcewatch.monitoring.trends import trends
from forcewatch.recording import import_records
from forcewatch.settings import Settings
from forcewatch.store import Store
from forcewatch.suppression import SuppressionRule, suppressed_cells

from .conftest import store_url
from .form_rows import row, write_csv

SETTINGS = Settings(demo=True, pseudonym_key="k" * 40)
CED = {"Tactic 1": "CED (Taser) Drawn", "CED Used": "Yes", "CED Device Serial No": "X1"}


def _import(store: Store, tmp_path: Path, rows: list[dict[str, str]]) -> None:
    import_records(store, write_csv(tmp_path / "reports.csv", rows), "Metropolitan Police", settings=SETTINGS)


def test_worked_example_7_1_through_forcewatch_disparity(store: Store, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    black = [row(**CED, SubjectEthnicity="Black (or Black British)") for _ in range(40)]
    white = [row(**CED) for _ in range(200)]
    _import(store, tmp_path, black + white + [row()])  # and one report without CED
    populations = tmp_path / "populations.csv"
    populations.write_text("group,population\nblack,20000\nwhite,500000\n")
    result = cli("disparity", "--year", "2018-19", "--area", "Met", "--source", "records", "--population-file",
                 str(populations), "--format", "json", database=store_url(store))
    assert result.exit_code == 0, result.stderr
    (black_row,) = result.json()
    assert list(black_row) == list(DISPARITY_COLUMNS)
    assert (black_row["group"], black_row["reference_group"], black_row["group_count"], black_row["reference_count"]) == \
        ("black", "white", 40, 200)
    assert (black_row["group_base"], black_row["reference_base"], black_row["benchmark"]) == (20000, 500000, "population")
    assert f"{black_row['rate_ratio']:.3g}" == "5" and black_row["rate_ratio"] == pytest.approx(5.0)
    assert (f"{black_row['ci_low']:.3g}", f"{black_row['ci_high']:.3g}") == ("3.56", "7.02")
    assert "caveat: Officer-perceived ethnicity" in result.stderr and "caveat: Census of all ages" in result.stderr


def test_the_conditional_ratio_compares_ced_among_use_of_force_reports(store: Store, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    rows = ([row(**CED, SubjectEthnicity="Black (or Black British)")] * 12 + [row(SubjectEthnicity="Black (or Black British)")] * 28
            + [row(**CED)] * 20 + [row()] * 80)
    _import(store, tmp_path, rows)
    result = cli("disparity", "--year", "2018-19", "--area", "Met", "--source", "records", "--benchmark", "use_of_force",
                 "--format", "json", database=store_url(store))
    assert result.exit_code == 0, result.stderr
    (black_row,) = [r for r in result.json() if r["group"] == "black"]
    assert (black_row["group_count"], black_row["group_base"], black_row["reference_count"], black_row["reference_base"]) \
        == (12, 40, 20, 100)
    assert black_row["rate_ratio"] == pytest.approx(1.5) and black_row["benchmark"] == "use_of_force"


def test_national_disparity_shows_the_metropolitan_police_separately(official_store: Store, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("disparity", "--year", "2018-19", "--format", "json", database=store_url(official_store))
    assert result.exit_code == 0, result.stderr
    rows = result.json()
    assert {r["area_code"] for r in rows} == {"K04000001", "E23000001"}
    assert all("excluding the Metropolitan Police" in r["note"] for r in rows if r["area_code"] == "K04000001")
    assert "caveat: Metropolitan Police shown separately" in result.stderr


def test_rates_give_the_interface_fields_and_funnel_flags(official_store: Store, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("rates", "--year", "2018-19", "--tactic", "ced", "--format", "json", database=store_url(official_store))
    assert result.exit_code == 0, result.stderr
    rows = {r["area_code"]: r for r in result.json()}
    assert all(list(r) == list(RATE_COLUMNS) for r in rows.values())
    assert len(rows) == 43 + 10 + 1 and {r["outside"] for r in rows.values()} <= {"none", "95", "998"}
    ew = rows["K04000001"]
    assert (ew["count"], ew["per"], ew["outside"]) == (23451, 1000, "none")
    assert ew["rate"] == pytest.approx(1000 * 23451 / ew["base"])
    by_name = {r["area"]: r["outside"] for r in rows.values()}
    assert by_name["Northamptonshire"] == "998" and by_name["Leicestershire"] == "95"  # prompts, not verdicts
    assert all(r["limit998_low"] <= r["limit95_low"] <= r["limit95_high"] <= r["limit998_high"] for r in rows.values())
    assert "police officers (FTE) at 2019-03-31" in result.stderr and "suppressed" in result.stderr


def test_public_rates_never_show_a_count_from_1_to_5(official_store: Store, cli) -> None:  # type: ignore[no-untyped-def]
    for tactic in ("ced_drive_stun", "ced_angled_drive_stun", "ced_arced"):
        for per in ("officers", "population"):
            result = cli("rates", "--year", "2018-19", "--tactic", tactic, "--per", per, "--format", "json",
                         database=store_url(official_store))
            rows = result.json()
            assert not [r for r in rows if r["count"] is not None and 1 <= r["count"] <= 5], (tactic, per)
            hidden = [r for r in rows if r["count"] is None]
            assert hidden and all(r["rate"] is None for r in hidden)
    shown = cli("rates", "--year", "2018-19", "--tactic", "ced_drive_stun", "--no-suppress", "--format", "json",
                database=store_url(official_store)).json()
    assert any(1 <= r["count"] <= 5 for r in shown)


def test_secondary_suppression_hides_a_second_cell_so_no_count_can_be_recovered() -> None:
    values = {"total": 20, "a": 3, "b": 9, "c": 8}
    assert suppressed_cells(values, [("total", ["a", "b", "c"])], SuppressionRule(5)) == {"a", "c"}
    nested = {"ew": 30, "r1": 12, "r2": 18, "f1": 4, "f2": 8, "f3": 18}
    groups = [("ew", ["r1", "r2"]), ("r1", ["f1", "f2"]), ("r2", ["f3"])]
    hidden = suppressed_cells(nested, groups, SuppressionRule(5))
    assert {"f1", "f2"} <= hidden
    for total, members in groups:
        cells = [total, *members]
        assert sum(c in hidden for c in cells) != 1
    assert suppressed_cells(values, [("total", ["a", "b", "c"])], SuppressionRule(0)) == set()


def test_trends_find_a_step_change_and_raise_a_cusum_alarm(store: Store, tmp_path: Path) -> None:
    rows = []
    for i in range(36):
        day = date(2017 + (3 + i) // 12, (3 + i) % 12 + 1, 10).isoformat()
        rows += [row(**CED, IncidentDate=day)] * (2 if i < 18 else 9) + [row(IncidentDate=day)] * 20
    _import(store, tmp_path, rows)
    result = trends(store, force="Met", start="2017-04-01", end="2020-03-31")
    assert len(result.months) == 36 and result.months[0]["month"] == "2017-04"
    assert result.change_points.change_points == (18,) and result.months[18]["change_point"]
    assert result.cusum is not None and result.cusum.alarms and min(result.cusum.alarms) >= 18
    assert result.trend is not None and result.trend.rate_ratio_per_year > 1
    assert [y["year"] for y in result.years] == ["2017-18", "2018-19", "2019-20"]
    assert any("PELT penalty" in n for n in result.notes)


def test_the_quality_scorecard_counts_each_rule_per_force_and_month(store: Store, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    no_level = row(**{"CED Used": "Yes"}, TrainedCED="Yes")
    untrained_child = row(**CED, TrainedCED="No", SubjectAge="0-10")
    fired_no_cartridge = row(**{**CED, "Tactic 1": "CED (Taser) Fired", "CED Fired": "Yes"}, TrainedCED="Yes")
    _import(store, tmp_path, [no_level, untrained_child, fired_no_cartridge, row(IncidentDate="2018-07-01")])
    card = scorecard(store, force="Met", year="2018-19")
    june = {r["rule"]: (r["numerator"], r["denominator"]) for r in card.rows if r["month"] == "2018-06"}
    assert june["ced_used_without_level"] == (1, 3)
    assert june["ced_level_recorded"] == (1, 3)
    assert june["ced_by_untrained_officer"] == (1, 3)
    assert june["ced_under_11"] == (1, 3)
    assert june["ced_cartridge_when_fired"] == (1, 1) and june["ced_fired_without_cartridge"] == (1, 1)
    assert june["ced_serial_recorded"] == (1, 3)
    july = {r["rule"]: (r["numerator"], r["denominator"]) for r in card.rows if r["month"] == "2018-07"}
    assert july["ced_level_recorded"] == (0, 0) and july["injury_contradiction"] == (0, 1)
    assert {r["key"] for r in card.rules} == set(quality.RULES)
    assert all(r["definition"] and r["numerator"] and r["denominator"] for r in card.rules)
    shown = cli("quality", "--force", "Met", "--year", "2018-19", "--rules", "--format", "json", database=store_url(store))
    assert {r["key"] for r in shown.json()} == set(quality.RULES)


def test_another_module_can_contribute_a_cross_check_without_editing_the_scorecard(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _import(store, tmp_path, [row(**CED), row(**CED)])
    monkeypatch.setattr(quality, "RULES", dict(quality.RULES))

    def lapsed(store: Store, scope):  # type: ignore[no-untyped-def]
        from forcewatch.monitoring import load_reports

        first = load_reports(store, scope).reports.sort("report_id").row(0, named=True)
        yield Finding(first["report_id"], first["force_code"], first["incident_date"], "register_requalification_lapsed",
                      "error", "CED used by an officer whose requalification had lapsed")

    quality.register(QualityRule("register_requalification_lapsed", "cross-check", "Requalification lapsed",
                                 "The officer's CED requalification had lapsed on the day of use (officer register).",
                                 "CED reports by an officer whose requalification had lapsed", "reports involving CED",
                                 pl.col("ced"), findings=lapsed, severity="error"))
    card = scorecard(store, force="Met", year="2018-19")
    (cell,) = [r for r in card.rows if r["rule"] == "register_requalification_lapsed"]
    assert (cell["numerator"], cell["denominator"], cell["kind"]) == (1, 2, "cross-check")
    assert card.findings[0].explanation.startswith("CED used by an officer")


def test_rates_per_1000_reports_use_a_proportion_funnel(official_store: Store, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("rates", "--year", "2018-19", "--per", "reports", "--format", "json", database=store_url(official_store))
    assert result.exit_code == 0, result.stderr
    rows = {r["area"]: r for r in result.json()}
    assert all(list(r) == list(RATE_COLUMNS) for r in rows.values())
    kent = rows["Kent"]
    assert (kent["count"], kent["base"]) == (588, 12745) and kent["rate"] == pytest.approx(1000 * 588 / 12745)
    assert rows["Greater Manchester"]["outside"] == "998"  # many CED reports for few recorded reports: look at recording
    assert "proportion" in result.stderr and "Table 12" in result.stderr
