"""Home Office tables computed from stored reports: the counting rules, profiles, scopes, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from forcewatch import access, audit, official
from forcewatch.access import Principal
from forcewatch.errors import PermissionDenied, UsageError
from forcewatch.monitoring import RECORD_TABLES, Scope, load_reports, records_facts
from forcewatch.recording import import_records
from forcewatch.settings import Settings
from forcewatch.store import Store

from .conftest import DATA, store_url
from .form_rows import counting_fixture, row, write_csv

SETTINGS = Settings(demo=True, pseudonym_key="k" * 40)
MET = "E23000001"
SAMPLE = DATA / "samples" / "national-form-sample-fy20-layout.csv"


def _import(store: Store, tmp_path: Path, rows: list[dict[str, str]], name: str = "reports.csv",
            force: str = "Metropolitan Police") -> None:
    import_records(store, write_csv(tmp_path / name, rows), force, settings=SETTINGS)


def _value(tables, **where):  # type: ignore[no-untyped-def]
    frame = tables.frame
    for column, value in where.items():
        frame = frame.filter(pl.col(column) == value)
    assert frame.height == 1, (where, frame)
    return frame.get_column("value")[0]


def test_the_counting_fixture_of_section_2(store: Store, tmp_path: Path) -> None:
    _import(store, tmp_path, counting_fixture())
    tables = records_facts(store, year="2018-19", force="Metropolitan Police")
    tactics = dict(table="tactics", area_code=MET)
    assert _value(tables, **tactics, tactic="all", measure="incidents") == 3          # reports
    assert _value(tables, **tactics, tactic="all", measure="times_reported") == 5     # the tactic total
    assert _value(tables, **tactics, tactic="tactical_communication", measure="incidents") == 2  # outside the total
    assert _value(tables, **tactics, tactic="handcuffing_non_compliant", measure="times_reported") == 2  # repeat ignored
    assert _value(tables, **tactics, tactic="ced", measure="incidents") == 1
    assert _value(tables, **tactics, tactic="ced_fired", measure="incidents") == 1
    assert _value(tables, table="ced_by_force", area_code=MET, tactic="ced_discharge") == 1
    assert _value(tables, table="ced_by_force", area_code=MET, tactic="ced_red_dot") == 0  # highest level only
    assert _value(tables, table="subject_injury", category="yes/all") == 2  # reports, not people
    (provenance,) = tables.provenance
    assert (provenance.reports, provenance.people, provenance.incidents) == (3, 2, 1)
    frame = load_reports(store, Scope.of(force="Met", year="2018-19")).reports
    assert frame.filter(pl.col("subject_injured") == "yes").get_column("person_id").n_unique() == 1  # one injured person


def test_every_figure_says_it_comes_from_records_with_its_rules_and_profile(store: Store, tmp_path: Path) -> None:
    _import(store, tmp_path, counting_fixture())
    tables = records_facts(store, year="2018-19")
    assert set(tables.frame.get_column("table")) == set(RECORD_TABLES)
    assert set(tables.frame.get_column("source")) == {"records"}
    (provenance,) = tables.provenance
    assert (provenance.counting_rules, provenance.ced_profile) == ("forcewatch-uof-counting", "mps_ho_table")
    assert len(provenance.ced_profile_sha256) == 64
    fact = official.facts(store, source="records", year="2018-19", table="incidents_by_force", force="Met")[0]
    assert fact.as_dict() == {"year": "2018-19", "source": "records", "vintage": provenance.computed,
                              "table": "incidents_by_force", "area_code": MET, "area": "Metropolitan Police",
                              "tactic": "all", "dimension": "", "category": "", "measure": "incidents", "value": 3.0,
                              "note": ""}
    assert "mps_ho_table" in fact.table_title and "forcewatch-uof-counting 1.0.0" in fact.table_title
    national = {r["area_code"]: r for r in tables.rows() if r["table"] == "incidents_by_force"}
    assert national["K04000001"]["note"] == "records for 1 of 43 forces"
    assert national["E12000007"]["value"] == 3 and national["E12000007"]["note"] == "records for 1 of 2 forces"


def test_hierarchy_profiles_give_different_levels_but_the_same_discharge_roll_up(store: Store, tmp_path: Path) -> None:
    both = row(**{"Tactic 1": "CED (Taser) Fired", "Tactic 2": "CED (Taser) Angle Drive Stun", "CED Used": "Yes"})
    warning = row(**{"Tactic 1": "CED (Taser) Arced", "Tactic 2": "CED (Taser) Red-Dotted", "CED Used": "Yes"})
    _import(store, tmp_path, [both, warning])
    by_profile = {}
    for profile in ("mps_ho_table", "listing_2015"):
        tables = records_facts(store, year="2018-19", force="Met", table="ced_by_force", profile=profile)
        by_profile[profile] = {r["tactic"]: r["value"] for r in tables.rows()}
    mps, listing = by_profile["mps_ho_table"], by_profile["listing_2015"]
    assert (mps["ced_angled_drive_stun"], mps["ced_fired"], mps["ced_arced"], mps["ced_red_dot"]) == (1, 0, 1, 0)
    assert (listing["ced_angled_drive_stun"], listing["ced_fired"], listing["ced_arced"], listing["ced_red_dot"]) == (0, 1, 0, 1)
    for key in ("ced", "ced_discharge", "ced_non_discharge", "ced_not_stated"):
        assert mps[key] == listing[key]


def test_multi_select_dimensions_do_not_sum_to_the_total(store: Store, tmp_path: Path) -> None:
    ticks = {"Reason for Force: Protect self": "Yes", "Reason for Force: Effect Arrest": "Yes"}
    _import(store, tmp_path, [row(**ticks), row(**ticks), row(**{"Reason for Force: Protect self": "No"})])
    tables = records_facts(store, year="2018-19", force="Met", table="reason", tactic="all", measure="incidents")
    by_category = {r["category"]: r["value"] for r in tables.rows()}
    assert by_category["all"] == 3 and by_category["protect_self"] == 2 and by_category["effect_arrest"] == 2
    assert sum(v for k, v in by_category.items() if k != "all") == 4 > by_category["all"]


def test_a_date_range_selects_by_incident_date_and_labels_the_period(store: Store, tmp_path: Path) -> None:
    _import(store, tmp_path, [row(IncidentDate=d) for d in ("2018-04-02", "2018-05-20", "2018-06-30", "2018-07-01",
                                                            "2019-04-01")])
    quarter = records_facts(store, force="Met", start="2018-04-01", end="2018-06-30", table="incidents_by_force")
    assert [(r["year"], r["value"]) for r in quarter.rows()] == [("2018-04-01/2018-06-30", 3)]
    every_year = records_facts(store, force="Met", table="incidents_by_force")
    assert [(r["year"], r["value"]) for r in every_year.rows()] == [("2018-19", 4), ("2019-20", 1)]
    whole = records_facts(store, force="Met", start="2018-04-01", end="2019-03-31", table="incidents_by_force")
    assert whole.rows()[0]["year"] == "2018-19"
    with pytest.raises(UsageError):
        records_facts(store, force="Met", year="2018-19", start="2018-04-01", end="2018-05-01")


def test_the_sample_file_gives_its_expected_tallies_through_facts_source_records(store: Store, cli) -> None:  # type: ignore[no-untyped-def]
    import_records(store, SAMPLE, "Metropolitan Police", settings=SETTINGS)
    expected = json.loads(SAMPLE.with_name(SAMPLE.name + ".expected.json").read_text())
    result = cli("facts", "--source", "records", "--year", "2020-21", "--force", "Met", "--format", "json",
                 database=store_url(store))
    assert result.exit_code == 0, result.stderr
    rows = [r for r in result.json() if r["area_code"] == MET]
    assert "counting rules forcewatch-uof-counting" in result.stderr

    def get(table: str, tactic: str, category: str = "", measure: str = "incidents") -> float:
        return next(r["value"] for r in rows if (r["table"], r["tactic"], r["category"], r["measure"]) ==
                    (table, tactic, category, measure))

    assert get("incidents_by_force", "all") == expected["reports"]
    assert get("ced_by_force", "ced") == expected["ced"]
    for key in ("ced_discharge", "ced_non_discharge", "ced_not_stated"):
        assert get("ced_by_force", key) == expected[key]
    assert get("outcome", "all", "arrested") == expected["arrested"]
    labels = {"White": "white", "Black (or Black British)": "black", "Asian (or Asian British)": "asian",
              "Mixed": "mixed", "Other": "other"}
    for label, count in expected["ethnicity_ced"].items():
        assert get("ethnicity", "ced", labels[label], "times_reported") == count
    bands = {"0-10": "under_11", "11-17": "11_17", "18-34": "18_34", "35-49": "35_49", "50-64": "50_64",
             "65 and over": "65_plus"}
    for band, count in expected["age"].items():
        assert get("age", "all", bands[band]) == count


def test_workforce_and_population_are_not_computed_from_records(store: Store) -> None:
    with pytest.raises(UsageError, match="published denominator"):
        records_facts(store, year="2018-19", table="workforce")


def test_reading_statistics_from_records_is_scoped_and_audited(store: Store, tmp_path: Path) -> None:
    _import(store, tmp_path, counting_fixture())
    analyst = Principal(user_id=1, username="kent.analyst", role=access.Role.force_analyst, force_code="E23000032")
    with pytest.raises(PermissionDenied, match="facts.read_records"):
        records_facts(store, year="2018-19", force="Met", principal=analyst)
    with pytest.raises(PermissionDenied):
        records_facts(store, year="2018-19", principal=analyst)  # England and Wales is every force
    national = Principal(user_id=2, username="nat", role=access.Role.national_analyst)
    assert records_facts(store, year="2018-19", force="Met", principal=national, table="incidents_by_force").rows()
    reads = [e for e in audit.events(store, principal=access.SYSTEM) if e.event_type == "record.read"]
    assert reads[-1].actor == "nat" and reads[-1].payload["record_type"] == "use_of_force_statistics"
    assert reads[-1].payload["count"] == 3 and reads[-1].payload["query"]["area_code"] == MET


def test_the_loader_frame_has_the_documented_columns_and_every_answer_as_recorded(store: Store, tmp_path: Path) -> None:
    from forcewatch.masks import mask_of
    from forcewatch.monitoring import FRAME_SCHEMA

    answers = row(**{**{"Tactic 1": "CED (Taser) Fired", "CED Used": "Yes", "CED Fired": "Yes",
                        "CED Device Serial No": "T7-1", "Reason for Force: Protect Public": "Yes",
                        "Outcome: Hospitalised": "Yes", "Impact Factor: Drugs": "Yes"},
                     "SubjectAge": "65 and over", "SubjectGender": "Female", "SubjectEthnicity": "Chinese",
                     "PhysicalDisability": "Yes", "MentalDisability": "Yes", "TrainedCED": "Yes", "CarryingCED": "",
                     "StaffInjured": "Yes", "StaffInjuryIntentional": "Yes", "StaffInjuryLevel": "Severe",
                     "SubjectInjured": "No", "SubjectNatureOfInjury": "Minor", "IncidentDate": "2019-03-31"})
    _import(store, tmp_path, [answers])
    frame = load_reports(store, Scope.of(force="Met", year="2018-19")).reports
    assert dict(frame.schema) == FRAME_SCHEMA
    got = frame.row(0, named=True)
    assert {k: got[k] for k in ("force_code", "age", "gender", "ethnicity", "health", "staff_injured",
                                "staff_injury_intentional", "staff_injury_level", "subject_injured",
                                "subject_injury_level", "ced", "ced_used", "ced_serial_recorded", "trained_ced",
                                "carrying_ced", "simulated", "fired_blocks", "fired_no_cartridge")} == {
        "force_code": MET, "age": "65_plus", "gender": "female", "ethnicity": "chinese",
        "health": "physical_and_mental", "staff_injured": "yes", "staff_injury_intentional": "yes",
        "staff_injury_level": "severe", "subject_injured": "no", "subject_injury_level": "minor", "ced": True,
        "ced_used": True, "ced_serial_recorded": True, "trained_ced": True, "carrying_ced": None, "simulated": False,
        "fired_blocks": 1, "fired_no_cartridge": 1}
    assert got["incident_date"].isoformat() == "2019-03-31" and got["ced_levels_mask"] == 32
    assert got["reason_mask"] == mask_of("reason", ["protect_self", "protect_public"])
    assert got["outcome_mask"] == mask_of("outcome", ["hospitalised", "arrested"])
    assert got["impact_factor_mask"] == mask_of("impact_factor", ["drugs"])
    assert got["location_mask"] == mask_of("location", ["street_highway"])
    assert got["quality_flags"] & 4  # injury contradiction: not injured, yet an injury level


def test_every_frame_column_and_quality_rule_is_documented() -> None:
    from forcewatch.monitoring import FRAME_SCHEMA
    from forcewatch.monitoring.quality import rules

    doc = (Path(__file__).resolve().parents[1] / "docs" / "monitoring.md").read_text()
    for column in FRAME_SCHEMA:
        assert f"`{column}`" in doc, column
    assert "ced_lapsed" in rules()  # the register's cross-checks, through the entry point
    for key, rule in rules().items():
        assert f"| `{key}` | {rule.kind} | {rule.title} |" in doc, key
