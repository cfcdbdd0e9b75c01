"""Reconciliation: records against the published figures, cell by cell, with known causes explained."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest

from forcewatch import official
from forcewatch.monitoring import records_facts
from forcewatch.monitoring.reconcile import reconcile, reconcile_facts
from forcewatch.recording import import_records
from forcewatch.settings import Settings
from forcewatch.simulate import write_simulation
from forcewatch.simulation_targets import targets_from_facts
from forcewatch.store import Store

from .conftest import DATA, store_url
from .form_rows import counting_fixture, write_csv

SETTINGS = Settings(demo=True, pseudonym_key="k" * 40)
UOF_2018_19 = DATA / "home-office" / "use-of-force" / "police-use-of-force-apr2018-mar2019-hosb3319-tables.ods"


def _as_published(tables, vintage: str = "2019-12-19") -> list[official.Fact]:  # type: ignore[no-untyped-def]
    """Figures computed from records, dressed as a publication (the 'file' a test then alters)."""
    return [replace(f, source="official", vintage=vintage, note="") for f in tables.facts]


def test_records_reconcile_exactly_with_a_publication_of_themselves(store: Store, tmp_path: Path) -> None:
    import_records(store, write_csv(tmp_path / "v1.csv", counting_fixture()), "Met", settings=SETTINGS)
    tables = records_facts(store, year="2018-19")
    result = reconcile_facts(_as_published(tables), tables)
    assert result.summary == {"match": len(result.rows)} and len(result.rows) > 1000


def test_an_altered_records_set_is_pinpointed_cell_by_cell_and_nothing_else(store: Store, tmp_path: Path) -> None:
    import_records(store, write_csv(tmp_path / "v1.csv", counting_fixture()), "Met", settings=SETTINGS)
    published = _as_published(records_facts(store, year="2018-19"))
    altered = counting_fixture()
    altered[2]["SubjectGender"] = "Male"  # R3: one report, unarmed skills only, now perceived male
    import_records(store, write_csv(tmp_path / "v2.csv", altered), "Met", settings=SETTINGS)
    result = reconcile_facts(published, records_facts(store, year="2018-19"))
    found = {(r.table, r.area_code, r.tactic, r.category, r.measure, r.difference) for r in result.differences()}
    expected = set()
    for category, change in (("female", -1.0), ("male", 1.0)):
        for tactic in ("unarmed_skills", "all"):
            expected.add(("gender", "K04000001", tactic, category, "times_reported", change))
            for area in ("E23000001", "E12000007", "K04000001"):
                expected.add(("force_gender", area, tactic, category, "times_reported", change))
        expected.add(("gender", "K04000001", "all", category, "incidents", change))
    assert found == expected
    assert all(r.status == "differs" for r in result.differences())


def test_a_revised_figure_names_its_earlier_publication(store: Store, tmp_path: Path) -> None:
    import_records(store, write_csv(tmp_path / "v1.csv", counting_fixture()), "Met", settings=SETTINGS)
    tables = records_facts(store, year="2018-19", table="ced_by_force")
    first = _as_published(tables, "2019-01-01")
    revised = [replace(f, value=f.value + 1, release_id=2) if f.tactic == "ced_fired" else f
               for f in _as_published(tables, "2020-01-01")]
    (row,) = [r for r in reconcile_facts([*first, *revised], tables).differences() if r.area_code == "E23000001"]
    assert (row.tactic, row.published, row.records, row.published_vintage) == ("ced_fired", 2.0, 1.0, "2020-01-01")
    assert "revised: earlier publications gave 1 (2019-01-01)" in row.explanation
    assert "records match an earlier publication" in row.explanation


def test_reconcile_against_the_real_publication_explains_known_causes(store: Store, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    official.import_file(store, UOF_2018_19)
    import_records(store, write_csv(tmp_path / "v1.csv", counting_fixture()), "Met", settings=SETTINGS)
    result = cli("reconcile", "--year", "2018-19", "--format", "json", database=store_url(store))
    assert result.exit_code == 0, result.stderr
    rows = {(r["table"], r["area_code"], r["tactic"], r["category"], r["measure"]): r for r in result.json()}
    ew_not_stated = rows[("ced_by_force", "K04000001", "ced_not_stated", "", "incidents")]
    assert ew_not_stated["published"] == 890 and ew_not_stated["records"] == 0
    assert "summary-only CED returns" in ew_not_stated["explanation"]
    assert "records for 1 of 43 forces" in ew_not_stated["explanation"]
    met = rows[("incidents_by_force", "E23000001", "all", "", "incidents")]
    assert (met["published"], met["records"], met["status"]) == (129729, 3, "differs")
    kent = rows[("incidents_by_force", "E23000032", "all", "", "incidents")]
    assert kent["status"] == "published_only" and "no records are held for this force" in kent["explanation"]
    met_ced = rows[("ced_by_force", "E23000001", "ced", "", "incidents")]
    assert "records hold 3 reports against 129,729 published" in met_ced["explanation"]
    dont_know = rows[("ethnicity", "K04000001", "all", "dont_know", "incidents")]
    assert "not-reported categories" in dont_know["explanation"]
    assert "differs" in result.stderr and "counting rules" in result.stderr


def test_a_simulated_year_reproduces_the_published_reports_and_ced_by_force_exactly(
        official_store: Store, store: Store, tmp_path: Path) -> None:
    official.import_file(store, UOF_2018_19)
    for force in ("Gloucestershire", "Warwickshire"):  # the two smallest forces of 2018-19, at full scale
        targets = targets_from_facts(partial(official.facts, official_store), "2018-19", force)
        path = write_simulation(targets, tmp_path / f"{force}.csv", seed=7) and tmp_path / f"{force}.csv"
        import_records(store, path, settings=SETTINGS)
    for force in ("Gloucestershire", "Warwickshire"):
        for table in ("incidents_by_force", "ced_by_force"):
            result = reconcile(store, year="2018-19", force=force, table=table)
            assert result.rows and result.summary == {"match": len(result.rows)}, result.differences()
