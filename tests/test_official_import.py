"""Importing official files: idempotent, atomic (one transaction per file), every vintage kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from forcewatch import official
from forcewatch.errors import InputRefused
from forcewatch.store import Store
from forcewatch.store.tables.reference import source_file

from .conftest import DATA
from .workbooks import find, grids, write_xlsx

CED_2016 = DATA / "home-office/ced/police-use-of-conducted-energy-devices-2016.ods"
CENSUS = DATA / "ons/force-population-by-ethnicity-census2011.csv"
UOF_2018 = DATA / "home-office/use-of-force/police-use-of-force-apr2017-mar2018-hosb3018-tables.ods"

OFFICIAL_TABLES = ("source_file", "official_release", "fact")


def counts(store: Store) -> dict[str, int]:
    c = store.table_counts()
    return {t: c[t] for t in OFFICIAL_TABLES}


def test_importing_the_same_file_again_changes_nothing(store: Store) -> None:
    first = official.import_file(store, CED_2016)
    after_first = counts(store)
    again = official.import_file(store, CED_2016)
    assert (first.status, first.facts_stored) == ("stored", 1232)
    assert (again.status, again.facts_stored) == ("already imported", 0)
    assert "nothing changed" in again.message
    assert counts(store) == after_first == {"source_file": 1, "official_release": 1, "fact": 1232}


def test_the_same_publication_from_another_file_stores_nothing_new(store: Store, tmp_path: Path) -> None:
    official.import_file(store, CENSUS)
    copy = tmp_path / "census-copy.csv"
    copy.write_bytes(CENSUS.read_bytes() + b"\n")  # other bytes, same figures
    result = official.import_file(store, copy)
    assert (result.status, result.facts_stored) == ("same publication", 0)
    assert counts(store) == {"source_file": 2, "official_release": 1, "fact": 301}


def test_the_same_publication_with_other_figures_is_refused(store: Store, tmp_path: Path) -> None:
    official.import_file(store, CENSUS)
    lines = CENSUS.read_text().splitlines()
    lines[1] = lines[1].replace("1599555", "1599556", 1)
    changed = tmp_path / "census-changed.csv"
    changed.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputRefused, match="different figures"):
        official.import_file(store, changed)
    assert counts(store) == {"source_file": 1, "official_release": 1, "fact": 301}


def test_a_refused_file_stores_nothing_and_the_others_are_stored(store: Store, tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.ods"
    truncated.write_bytes(UOF_2018.read_bytes()[:30_000])
    sheets = grids(UOF_2018)
    r, c = find(sheets["Table_13"], "Arced")
    sheets["Table_13"][r][c] = "Zapped"
    unknown_heading = write_xlsx(tmp_path / "unknown-heading.xlsx", sheets)
    results = official.import_files(store, [truncated, CENSUS, unknown_heading])
    assert [r.status for r in results] == ["refused", "stored", "refused"]
    assert "damaged or truncated" in results[0].message or "damaged or truncated" in str(results[0].errors[0])
    problem = results[2].errors[0]
    assert (problem.sheet, problem.column, problem.row) == ("Table_13", "H", 4)
    assert "'Zapped'" in problem.message
    assert counts(store) == {"source_file": 1, "official_release": 1, "fact": 301}


def test_a_refusal_half_way_through_the_tables_stores_nothing(store: Store, tmp_path: Path) -> None:
    sheets = grids(UOF_2018)
    r, c = find(sheets["Table_15"], "Wiltshire")
    sheets["Table_15"][r][c] = "Wessex"  # the last table: every earlier one read fine
    with pytest.raises(InputRefused) as info:
        official.import_file(store, write_xlsx(tmp_path / "late-error.xlsx", sheets))
    assert "Table_15!B53: label 'Wessex' is not recognised" in info.value.problems[0].message
    assert counts(store) == {"source_file": 0, "official_release": 0, "fact": 0}


def test_the_import_report_keeps_the_warnings(store: Store, tmp_path: Path) -> None:
    sheets = grids(UOF_2018)
    r, _ = find(sheets["Table_12"], "Gwent")
    sheets["Table_12"][r][2] += 10
    result = official.import_file(store, write_xlsx(tmp_path / "does-not-add-up.xlsx", sheets))
    assert result.status == "stored" and result.facts_stored == 4588
    assert len(result.warnings) == 2  # Wales is not the sum of its forces, nor England and Wales of the 43
    with store.read() as conn:
        summary = conn.execute(select(source_file.c.summary)).scalar_one()
    assert [w["message"][:40] for w in summary["warnings"]] == [w.message[:40] for w in result.warnings]
    assert summary["facts"] == 4588 and summary["tables"][0]["table"] == "tactics"


def test_a_folder_is_imported_file_by_file(store: Store) -> None:
    results = official.import_files(store, [DATA / "home-office" / "ced"])
    assert [(r.file, r.status) for r in results] == [(CED_2016.name, "stored")]
