"""Reading tables by their headings, whatever the layout: generated workbooks, no database.

Each test takes a real published table, changes its layout the way later releases do (rows and
columns reordered, labels renamed within known synonyms, blank rows, notes and columns inserted,
a later year's wording), writes it as XLSX, and expects the very same figures.
"""

from __future__ import annotations

import copy
import random
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forcewatch.errors import InputRefused
from forcewatch.importers import read_publication

from .conftest import DATA
from .workbooks import Grid, find, grids, set_cell, write_xlsx

UOF_2018 = DATA / "home-office/use-of-force/police-use-of-force-apr2017-mar2018-hosb3018-tables.ods"
UOF_2019 = DATA / "home-office/use-of-force/police-use-of-force-apr2018-mar2019-hosb3319-tables.ods"
WORKFORCE = DATA / "home-office/workforce/police-workforce-sep19-tables.ods"
CED_2016 = DATA / "home-office/ced/police-use-of-conducted-energy-devices-2016.ods"
FRONT = ("Cover_sheet", "Contents")


@lru_cache(maxsize=8)
def _published(path: Path) -> tuple:
    return tuple(read_publication(path).facts) if path.is_relative_to(DATA) else ()


def figures(path: Path, table: str | None = None) -> set[tuple]:
    """What a file says: every figure's keys, value and note (not where it was printed)."""
    facts = _published(path) or read_publication(path).facts
    return {(f.key, f.value, f.note) for f in facts if table is None or f.table == table}


@lru_cache(maxsize=8)
def _grids(path: Path) -> dict[str, Grid]:
    return grids(path)


def workbook(tmp_path: Path, source: Path, keep: tuple[str, ...]) -> dict[str, Grid]:
    """Editable grids of the front matter and the ``keep`` sheets of a published file (all if none)."""
    all_grids = copy.deepcopy(_grids(source))
    return {n: all_grids[n] for n in (*FRONT, *keep) if n in all_grids} if keep else all_grids


def save(tmp_path: Path, sheets: dict[str, Grid], name: str = "changed.xlsx") -> Path:
    return write_xlsx(tmp_path / name, sheets)


def test_an_xlsx_copy_reads_exactly_like_the_published_ods(tmp_path: Path) -> None:
    original = read_publication(UOF_2018)
    copy = read_publication(save(tmp_path, grids(UOF_2018)))
    assert [(f.key, f.value, f.note, f.cell) for f in copy.facts] == [(f.key, f.value, f.note, f.cell) for f in original.facts]
    assert (copy.vintage, copy.period) == ("2018-12-13", "2017-18")


def test_columns_in_another_order_give_the_same_figures(tmp_path: Path) -> None:
    sheets = workbook(tmp_path, UOF_2018, ("Table_12", "Table_13"))
    for name in ("Table_12", "Table_13"):
        grid = sheets[name]
        width = max(len(r) for r in grid)
        order = list(range(width))[::-1]  # Police force before Region, CED levels reversed
        sheets[name] = [[(row + [""] * width)[c] for c in order] if i > 1 else row for i, row in enumerate(grid)]
    expected = figures(UOF_2018, "ced_by_force") | figures(UOF_2018, "incidents_by_force")
    got = figures(save(tmp_path, sheets))
    assert {f for f in got if f[0][1] == "2017-18"} == {f for f in expected if f[0][1] == "2017-18"}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=10_000))
def test_shuffling_the_area_rows_changes_nothing(tmp_path: Path, seed: int) -> None:
    sheets = workbook(tmp_path, UOF_2018, ("Table_12",))
    grid = sheets["Table_12"]
    header, _ = find(grid, "Region")
    last = max(r for r, row in enumerate(grid) if any(isinstance(v, float) for v in row))
    body = grid[header + 1:last + 1]
    random.Random(seed).shuffle(body)
    sheets["Table_12"] = grid[:header + 1] + body + grid[last + 1:]
    assert figures(save(tmp_path, sheets, f"shuffled-{seed}.xlsx")) == figures(UOF_2018, "incidents_by_force")


def test_tactic_blocks_in_another_order_give_the_same_figures(tmp_path: Path) -> None:
    sheets = workbook(tmp_path, UOF_2019, ("Table_2",))
    grid = sheets["Table_2"]
    firearms, _ = find(grid, "Total Firearms")
    restraint, _ = find(grid, "Total Restraint")
    unarmed, _ = find(grid, "Total Unarmed skills")
    # Firearms first, then Unarmed skills, then the Restraint block (seven rows)
    moved = [grid[firearms], grid[unarmed], *grid[restraint:unarmed]]
    rest = [row for i, row in enumerate(grid[restraint:], restraint) if i not in (firearms, *range(restraint, unarmed + 1))]
    sheets["Table_2"] = grid[:restraint] + moved + rest
    assert figures(save(tmp_path, sheets)) == figures(UOF_2019, "age")


def test_labels_renamed_within_known_synonyms_give_the_same_figures(tmp_path: Path) -> None:
    sheets = workbook(tmp_path, UOF_2018, ("Table_4", "Table_13"))
    renames = {"Table_13": {"Metropolitan": "Metropolitan Police Service", "Avon & Somerset": "Avon and Somerset",
                            "Total England and Wales": "England and Wales", "Red-dot": "Red-dotted",
                            "Angled drive stun": "Angle drive stun", "Dyfed-Powys": "Dyfed Powys"},
               "Table_4": {"Black (or Black British)": "Black or Black British", "Don't know": "Dont know",
                           "Compliant handcuffing": "Compliant Handcuffing", "Spit and bite guard": "Spit guard",
                           "Irritant spray - drawn": "Irritant Spray - PAVA Drawn"}}
    for name, pairs in renames.items():
        for old, new in pairs.items():
            r, c = find(sheets[name], old)
            sheets[name][r][c] = new
    expected = figures(UOF_2018, "ethnicity") | {f for f in figures(UOF_2018, "ced_by_force") if f[0][1] == "2017-18"}
    assert figures(save(tmp_path, sheets)) == expected


def test_blank_rows_blank_columns_and_notes_are_ignored(tmp_path: Path) -> None:
    sheets = workbook(tmp_path, UOF_2018, ("Table_3", "Table_10"))
    for name in ("Table_3", "Table_10"):
        padded: Grid = []
        for i, row in enumerate(sheets[name]):
            padded.append(row[:2] + [""] + row[2:])  # a blank column after the labels
            if i % 3 == 0:
                padded.append([])  # blank rows throughout
            if i == 12:
                padded.append(["Note: these figures are provisional and may be revised."])
        padded.insert(2, ["Source: Home Office, Annual Data Requirement"])
        sheets[name] = padded
    expected = figures(UOF_2018, "gender") | figures(UOF_2018, "officer_injury")
    assert figures(save(tmp_path, sheets)) == expected


def test_a_later_years_wording_is_read_by_its_headings(tmp_path: Path) -> None:
    """2019-20 renamed "disability" to "health condition" and "subject" to "person involved"."""
    sheets = workbook(tmp_path, UOF_2019, ("Table_5", "Table_11"))
    t5, t11 = sheets["Table_5"], sheets["Table_11"]
    t5[0][0] = "Table 5. Number of times tactics were used, by officer perceived health condition of person involved"
    r, c = find(t5, "Perceived disability (Total number of incidents involving group)")
    t5[r][c] = "Perceived health condition (Total number of incidents involving group)"
    t11[0][0] = "Table 11. Injuries to persons involved"
    r, c = find(t11, "Subject injured as a result of officer use of force")
    t11[r][c] = "Person involved injured as a result of officer use of force"
    r, c = find(t11, "Subject injury level")
    t11[r][c] = "Person involved injury level"
    assert figures(save(tmp_path, sheets)) == figures(UOF_2019, "health") | figures(UOF_2019, "subject_injury")


def test_ced_split_into_non_discharge_discharge_and_not_stated_rows_is_read(tmp_path: Path) -> None:
    """From 2019-20 the demographic tables split CED into three rows instead of one."""
    sheets = workbook(tmp_path, UOF_2019, ("Table_3",))
    grid = sheets["Table_3"]
    r, c = find(grid, "CED")
    row = grid[r]
    zeros = [0.0 if isinstance(v, float) else v for v in row[c + 1:]]
    split = [[*row[:c], "CED non-discharge", *row[c + 1:]], [*row[:c], "CED discharge", *zeros],
             [*row[:c], "CED not stated", *zeros]]
    sheets["Table_3"] = grid[:r] + split + grid[r + 1:]
    male_ced = row[find(grid, "Male")[1]]
    pub = read_publication(save(tmp_path, sheets))
    male = {f.tactic: f.value for f in pub.facts if f.category == "male" and f.measure == "times_reported"}
    assert (male["ced_non_discharge"], male["ced_discharge"], male["ced_not_stated"]) == (male_ced, 0.0, 0.0)
    assert "ced" not in male
    assert pub.warnings == []  # less lethal weapons = the three CED rows + AEP, still


def test_markers_become_empty_values_with_a_note(tmp_path: Path) -> None:
    sheets = workbook(tmp_path, UOF_2018, ("Table_12",))
    grid = sheets["Table_12"]
    r, _ = find(grid, "Gwent")
    grid[r][2] = ".."
    r, _ = find(grid, "Dorset")
    grid[r][2] = "[c]"
    got = {f.area_code: (f.value, f.note) for f in read_publication(save(tmp_path, sheets)).facts}
    assert got["W15000002"] == (None, "not available")
    assert got["E23000039"] == (None, "suppressed")


def test_the_workforce_tables_tell_regions_from_forces_by_structure(tmp_path: Path) -> None:
    pub = read_publication(WORKFORCE)
    march = {f.area_code: f.value for f in pub.facts if f.measure == "officers_fte" and f.category == "2019-03-31"}
    assert round(march["E12000005"], 2) == 10867.57  # "West Midlands " the region
    assert round(march["E23000014"], 2) == 6494.70  # "West Midlands" the force
    assert len(march) == 1 + 10 + 43 + 1  # England and Wales, regions, forces, BTP; no "Total", no secondments


# --- refusals: nothing guessed, the cell and the text named -----------------------------


def refusal(path: Path) -> InputRefused:
    with pytest.raises(InputRefused) as info:
        read_publication(path)
    return info.value


def test_a_truncated_file_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "truncated.ods"
    broken.write_bytes(UOF_2018.read_bytes()[:40_000])
    error = refusal(broken)
    assert "damaged or truncated" in str(error.problems[0])


def test_an_unrecognised_heading_is_refused_naming_sheet_cell_and_text(tmp_path: Path) -> None:
    sheets = workbook(tmp_path, UOF_2018, ("Table_3",))
    r, c = find(sheets["Table_3"], "Female")
    sheets["Table_3"][r][c] = "Zebra"
    problem = refusal(save(tmp_path, sheets)).problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("Table_3", 5, "D")
    assert "Table_3!D5: heading 'Zebra' is not recognised" in problem.message
    assert "gender category" in (problem.expected or "")


def test_an_unknown_area_is_refused(tmp_path: Path) -> None:
    sheets = workbook(tmp_path, UOF_2018, ("Table_12",))
    r, c = find(sheets["Table_12"], "Gwent")
    sheets["Table_12"][r][c] = "Atlantis"
    problem = refusal(save(tmp_path, sheets)).problems[0]
    assert "Table_12!B56: label 'Atlantis' is not recognised" in problem.message


def test_text_where_a_figure_should_be_is_refused(tmp_path: Path) -> None:
    sheets = workbook(tmp_path, UOF_2018, ("Table_12",))
    r, _ = find(sheets["Table_12"], "Gwent")
    sheets["Table_12"][r][2] = "about 400"
    assert "'about 400' is not a figure" in refusal(save(tmp_path, sheets)).problems[0].message


def test_a_file_that_is_no_publication_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "notes.csv"
    other.write_text("name,value\nalpha,1\n")
    assert "not a publication forcewatch recognises" in str(refusal(other))
    assert "local authority" in str(refusal(DATA / "ons/local-authority-ethnic-groups-census2011.csv").problems[0])


def test_a_new_unknown_table_is_reported_not_silently_dropped(tmp_path: Path) -> None:
    sheets = workbook(tmp_path, CED_2016, ())
    sheets["Table_9"] = [["Table 9: Police use of TASER by phase of the moon"], [], ["Moon", "Uses"], ["Full", 3.0]]
    pub = read_publication(save(tmp_path, sheets))
    assert any("Table_9" in w.message and "not imported" in w.message for w in pub.warnings)


def test_a_publication_that_does_not_add_up_is_stored_with_warnings(tmp_path: Path) -> None:
    sheets = workbook(tmp_path, UOF_2018, ("Table_12",))
    grid = sheets["Table_12"]
    r, _ = find(grid, "Gwent")
    set_cell(grid, r, 2, grid[r][2] + 10)  # Gwent 418 instead of 408
    pub = read_publication(save(tmp_path, sheets))
    messages = [w.message for w in pub.warnings]
    assert any(m.startswith("Table_12!C54 = 21,296 but the sum of the forces of Wales = 21,306") for m in messages)
    assert any(m.startswith("Table_12!C5 = 313,137 but the sum of the 43 forces = 313,147") for m in messages)
    assert all(w.severity == "warning" for w in pub.warnings)
    assert len(pub.facts) == 54
