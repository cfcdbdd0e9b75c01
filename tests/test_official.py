"""Official statistics: every bundled publication imported, every vintage kept, facts queried."""

from __future__ import annotations

import pytest

from forcewatch import official
from forcewatch.errors import UnknownName, UsageError
from forcewatch.store import Store

EW = "K04000001"


def one(store: Store, **filters: str) -> official.Fact:
    rows = official.facts(store, **filters)
    assert len(rows) == 1, rows
    return rows[0]


def test_every_bundled_file_imports(official_store: Store) -> None:
    results = official_store.official_results  # type: ignore[attr-defined]
    assert [r.file for r in results] == [p.name for p in official.bundled_files()]
    assert {r.kind for r in results} == {"official_uof", "official_workforce", "official_ced", "population",
                                         "official_iopc_deaths"}
    assert all(r.status == "stored" and r.facts_stored > 0 for r in results)
    counts = official_store.table_counts()
    assert counts["official_release"] == counts["source_file"] == len(results) == 11
    assert counts["fact"] == sum(r.facts_stored for r in results)


def test_incidents_2018_19_england_and_wales(official_store: Store) -> None:
    fact = one(official_store, year="2018-19", table="incidents_by_force", force="England and Wales")
    assert fact.as_dict() == {
        "year": "2018-19", "source": "official", "vintage": "2019-12-19", "table": "incidents_by_force",
        "area_code": EW, "area": "England and Wales", "tactic": "all", "dimension": "", "category": "",
        "measure": "incidents", "value": 427725.0, "note": "",
    }
    assert (fact.cell, fact.table_number) == ("Table_12!C5", "12")


def test_a_revised_figure_keeps_both_vintages(official_store: Store) -> None:
    both = official.facts(official_store, year="2017-18", table="ced_by_force", force=EW, tactic="ced", vintage="all")
    assert [(f.vintage, f.value) for f in both] == [("2018-12-13", 17084.0), ("2019-12-19", 16913.0)]
    assert one(official_store, year="2017-18", table="ced_by_force", force=EW, tactic="ced").value == 16913.0
    first = one(official_store, year="2017-18", table="ced_by_force", force=EW, tactic="ced_fired", vintage="2018-12-13")
    assert first.value == 1872.0


def test_figures_marked_revised_carry_the_note(official_store: Store) -> None:
    hampshire = one(official_store, year="2017-18", table="ced_by_force", force="Hampshire", tactic="ced")
    assert (hampshire.value, hampshire.note, hampshire.vintage) == (158.0, "revised", "2019-12-19")
    # the 2016 Taser figures: first published April 2017, revised in the December 2018 release
    years = official.facts(official_store, year="2016", table="ced_by_force", force=EW, tactic="ced", vintage="all")
    assert [(f.vintage, f.value, f.measure, f.note) for f in years] == [
        ("2017-04-13", 11294.0, "uses", ""), ("2018-12-13", 11303.0, "uses", "revised")]


def test_the_taser_series_counts_uses_and_the_use_of_force_era_counts_reports(official_store: Store) -> None:
    measures = {f.year: f.measure for f in official.facts(official_store, table="ced_by_force", force=EW, tactic="ced")}
    assert measures == {"2011": "uses", "2012": "uses", "2013": "uses", "2014": "uses", "2015": "uses",
                        "2016": "uses", "2017-Q1": "uses", "2017-18": "incidents", "2018-19": "incidents"}
    assert one(official_store, table="ced_by_force", year="2017-Q1", force=EW, tactic="ced").value == 2906.0


def test_tactics_measures_follow_the_headings(official_store: Store) -> None:
    def tactic(year: str, key: str) -> dict[str, float]:
        return {f.measure: f.value for f in official.facts(official_store, table="tactics", year=year, tactic=key)}

    assert tactic("2017-18", "all") == {"incidents": 313137.0}
    assert tactic("2017-18", "handcuffing") == {"times_reported": 218810.0}
    assert tactic("2018-19", "all") == {"times_reported": 632185.0, "incidents": 427725.0}
    assert tactic("2018-19", "handcuffing") == {"times_reported": 302449.0, "incidents": 295963.0}
    assert tactic("2018-19", "handcuffing_not_stated") == {"times_reported": 10265.0, "incidents": 10265.0}
    assert tactic("2018-19", "tactical_communication") == {"times_reported": 203141.0, "incidents": 203141.0}


def test_cross_tabulations_by_category(official_store: Store) -> None:
    black = one(official_store, table="ethnicity", year="2018-19", tactic="ced", category="black")
    assert (black.dimension, black.measure, black.value) == ("ethnicity", "times_reported", 4381.0)
    groups = {f.category: f.value for f in official.facts(official_store, table="age", year="2018-19", tactic="all",
                                                          measure="incidents")}
    assert groups["all"] == 427725.0 and groups["under_11"] == 639.0
    assert one(official_store, table="force_ethnicity", year="2018-19", force="Metropolitan", tactic="ced",
               category="black").area == "Metropolitan Police"
    public = one(official_store, table="location", year="2018-19", tactic="all", category="public", measure="incidents")
    assert public.value == 243389.0


def test_injury_tables_use_compound_keys(official_store: Store) -> None:
    officer = one(official_store, table="officer_injury", year="2018-19", category="yes/yes/minor")
    assert (officer.dimension, officer.measure, officer.value) == ("injured/intentional/injury_level", "incidents", 10581.0)
    assert one(official_store, table="officer_injury", year="2018-19", category="all/all/all").value == 427725.0
    assert one(official_store, table="subject_injury", year="2017-18", category="all/death").value == 8.0


def test_workforce_snapshots(official_store: Store) -> None:
    ew = one(official_store, table="workforce", measure="officers_fte", force=EW, category="2019-03-31")
    assert (ew.year, ew.dimension, round(ew.value, 2), ew.vintage) == ("2018-19", "as_at", 123170.86, "2020-01-30")
    assert one(official_store, table="workforce", measure="officers_headcount", force=EW, category="2019-09-30").value == 127381.0
    region = one(official_store, table="workforce", measure="officers_fte", force="E12000005", category="2019-03-31")
    force = one(official_store, table="workforce", measure="officers_fte", force="E23000014", category="2019-03-31")
    assert (round(region.value, 2), round(force.value, 2)) == (10867.57, 6494.7)
    assert one(official_store, table="workforce", measure="officers_fte", force="BTP", category="2019-03-31").value == 2844.05
    # a snapshot republished by a later release: both vintages kept, the newest wins
    sep18 = official.facts(official_store, table="workforce", measure="officers_fte", force=EW, category="2018-09-30",
                           vintage="all")
    assert [(f.vintage, round(f.value, 2)) for f in sep18] == [("2019-01-24", 122395.45), ("2020-01-30", 122406.45)]


def test_population_by_ethnicity(official_store: Store) -> None:
    rows = {f.category: f.value for f in official.facts(official_store, table="population", force="Bedfordshire")}
    assert rows == {"white": 476647.0, "black": 29725.0, "asian": 85286.0, "chinese": 3806.0, "mixed": 18456.0,
                    "other": 4947.0, "all": 615061.0}
    f = one(official_store, table="population", force="Bedfordshire", category="all")
    assert (f.year, f.dimension, f.measure, f.vintage) == ("2011", "ethnicity", "population", "2012-12-11")


def test_filters_accept_names_codes_and_slashes(official_store: Store) -> None:
    by_name = official.facts(official_store, table="incidents_by_force", year="2018/19", force="Avon & Somerset")
    by_code = official.facts(official_store, table="incidents_by_force", year="2018-19", force="E23000036")
    assert by_name == by_code and len(by_name) == 1


def test_facts_are_ordered_areas_then_tactics(official_store: Store) -> None:
    rows = official.facts(official_store, table="ced_by_force", year="2018-19")
    assert rows[0].area_code == EW and rows[0].tactic == "ced"
    assert [f.area_code for f in rows[:11]] == [EW] * 11


def test_unknown_names_and_records_are_clear_errors(official_store: Store) -> None:
    with pytest.raises(UnknownName) as info:
        official.facts(official_store, table="ced_by_forse")
    assert "ced_by_force" in info.value.suggestions
    with pytest.raises(UsageError, match="unknown source"):
        official.facts(official_store, source="rumour")
    with pytest.raises(UsageError, match="records"):
        official.facts(official_store, profile="listing_2015")  # a records-only option
    assert official.facts(official_store, source="records") == []  # no reports are held: nothing computed
    with pytest.raises(UsageError, match="vintage"):
        official.facts(official_store, vintage="yesterday")
    with pytest.raises(UnknownName):
        official.facts(official_store, force="Atlantis")


def test_the_publications_add_up(official_store: Store) -> None:
    """The bundled releases' own arithmetic holds, except one documented inconsistency of Sep 2018 and the
    fatal shootings the IOPC prints against two forces (one shared incident, footnoted)."""
    warnings = [w for r in official_store.official_results for w in r.warnings]  # type: ignore[attr-defined]
    assert {w.sheet for w in warnings} == {"Table_8", "Shootings"}
    assert all("prints one figure twice" in w.message for w in warnings if w.sheet == "Table_8")
    shootings = sorted(w.message.split(" (")[0] for w in warnings if w.sheet == "Shootings")
    assert shootings == ["Shootings!B25 = 4 but the sum of the 16 forces = 7"] * 2 + [
        "Shootings!B27 = 3 but the sum of the 16 forces = 4"]
