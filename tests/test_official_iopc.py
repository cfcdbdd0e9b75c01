"""The IOPC "Deaths during or following police contact" time-series tables: read, checked, stored.

Figures are checked against values read by hand in the bundled ODS files (sheet and cell cited).
Layout tests take the real 2018-19 workbook, change it the way a later release might (rows and
columns reordered, labels renamed within known synonyms, blank rows and notes), write it as XLSX,
and expect the very same figures.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

import pytest

from forcewatch import official
from forcewatch.errors import InputRefused
from forcewatch.importers import read_publication
from forcewatch.store import Store

from .conftest import DATA
from .workbooks import Grid, find, grids, write_xlsx

IOPC_2019 = DATA / "iopc/Time_series_tables_2018-19.ods"
IOPC_2020 = DATA / "iopc/Time_series_tables_2019-20.ods"
EW = "K04000001"
CUSTODY = "iopc_deaths_custody"
OFFICIAL_TABLES = ("source_file", "official_release", "fact")


@lru_cache(maxsize=2)
def _publication(path: Path):  # type: ignore[no-untyped-def]
    return read_publication(path)


def figures(path: Path) -> set[tuple]:
    """What a file says: every figure's keys, value and note (not where it was printed)."""
    pub = _publication(path) if path in (IOPC_2019, IOPC_2020) else read_publication(path)
    return {(f.key, f.value, f.note) for f in pub.facts}


def fact(path: Path, table: str, year: str, area: str = EW, dimension: str = "", category: str = "",
         measure: str = "fatalities"):  # type: ignore[no-untyped-def]
    found = [f for f in _publication(path).facts if f.key == (table, year, area, "", dimension, category, measure)]
    assert len(found) == 1, found
    return found[0]


@lru_cache(maxsize=1)
def _grids() -> dict[str, Grid]:
    return grids(IOPC_2019)


def sheets() -> dict[str, Grid]:
    return copy.deepcopy(_grids())


def counts(store: Store) -> dict[str, int]:
    c = store.table_counts()
    return {t: c[t] for t in OFFICIAL_TABLES}


# --- the real files ---------------------------------------------------------------------------

def test_the_2018_19_release_is_recognised_with_its_publication_date() -> None:
    pub = _publication(IOPC_2019)
    assert (pub.kind, pub.publisher, pub.vintage, pub.period) == (
        "official_iopc_deaths", "Independent Office for Police Conduct", "2019-09-05", "2004-05 to 2018-19")
    assert pub.title.startswith("Deaths during or following police contact")
    assert len(pub.tables) == 29 and all(t.table.startswith("iopc_deaths_") and t.facts > 0 for t in pub.tables)


def test_real_figures_match_the_published_cells() -> None:
    # Custody!B27 (Table 3.1): deaths in or following police custody in 2018/19
    assert (fact(IOPC_2019, CUSTODY, "2018-19").value, fact(IOPC_2019, CUSTODY, "2018-19").cell) == (16.0, "Custody!B27")
    # RTI!B27 and C27 (Table 1.1): 42 road traffic fatalities from 33 incidents in 2018/19
    assert fact(IOPC_2019, "iopc_deaths_road_traffic", "2018-19").value == 42.0
    assert fact(IOPC_2019, "iopc_deaths_road_traffic", "2018-19", measure="incidents").value == 33.0
    # RTI!B41 (Table 1.3): pursuit-related fatalities, 2004/05
    assert fact(IOPC_2019, "iopc_deaths_road_traffic", "2004-05", dimension="rti_type", category="pursuit").value == 23.0
    # RTI_By_Force!P33 (Table 1.7): Metropolitan road traffic incidents, 2018/19
    met = fact(IOPC_2019, "iopc_deaths_road_traffic", "2018-19", area="E23000001", measure="incidents")
    assert (met.value, met.cell) == (5.0, "RTI_By_Force!P33")
    # Custody!E51 (Table 3.3): age not known, 2007/08
    assert fact(IOPC_2019, CUSTODY, "2007-08", dimension="age_group", category="not_known").value == 1.0
    # Apparent_suicides!C66 (Table 4.4): ethnicity "Not known / stated", 2005/06
    assert fact(IOPC_2019, "iopc_deaths_apparent_suicides", "2005-06", dimension="ethnicity",
                category="not_known").value == 6.0
    # Apparent_suicides_By_Force!N52 (Table 4.5): HMRC, 2016/17
    hmrc = fact(IOPC_2019, "iopc_deaths_apparent_suicides", "2016-17", dimension="appropriate_authority",
                category="hmrc")
    assert (hmrc.value, hmrc.area_code, hmrc.cell) == (1.0, EW, "Apparent_suicides_By_Force!N52")


def test_footnote_marks_and_revisions_become_notes() -> None:
    # Shootings_By_Force!O13 prints '3^' (City of London, 2017/18: one incident shared with the Met)
    city = fact(IOPC_2019, "iopc_deaths_shootings", "2017-18", area="E23000034")
    assert (city.value, city.note) == (3.0, "footnote ^")
    # Other_contact!O36 prints '116~' (men, 2017/18, updated since first published)
    men = fact(IOPC_2019, "iopc_deaths_other_contact", "2017-18", dimension="gender", category="male")
    assert (men.value, men.note) == (116.0, "revised")
    # Other_contact_by_force!O130: "West Midlands & Warkwickshire" (sic), fatalities 2017/18
    joint = fact(IOPC_2019, "iopc_deaths_other_contact", "2017-18", dimension="appropriate_authority",
                 category="joint:west_midlands+warwickshire")
    assert joint.value == 1.0


def test_the_2019_20_release_revises_2018_19_custody_deaths() -> None:
    # Custody!B27 = 17 with '~' in C27; D27 prints ' 17~' (incidents); B28 = 18 for 2019/20
    assert _publication(IOPC_2020).vintage == "2020-10-22"
    revised = fact(IOPC_2020, CUSTODY, "2018-19")
    assert (revised.value, revised.note, revised.cell) == (17.0, "revised", "Custody!B27")
    assert (fact(IOPC_2020, CUSTODY, "2018-19", measure="incidents").value,
            fact(IOPC_2020, CUSTODY, "2018-19", measure="incidents").note) == (17.0, "revised")
    assert fact(IOPC_2020, CUSTODY, "2019-20").value == 18.0


def test_the_publication_arithmetic_is_checked_and_reported() -> None:
    # the only sums that do not add up are the fatal shootings of 2017/18 shared by the City of London
    # and the Metropolitan Police (3 deaths printed against each force, footnoted '^')
    warnings = [w.message for w in _publication(IOPC_2019).warnings]
    assert len(warnings) == 1 and warnings[0].startswith("Shootings!B25 = 4 but the sum of the 16 forces = 7")


def test_a_total_across_years_that_does_not_add_up_is_a_warning(tmp_path: Path) -> None:
    grid = sheets()
    r, c = find(grid["Custody"], "Male")
    grid["Custody"][r][16] = 999.0  # Custody!Q34: total of men 2004/05 to 2018/19, published 257
    pub = read_publication(write_xlsx(tmp_path / "total.xlsx", grid))
    assert any(w.message.startswith("Custody!Q34 = 999 but the sum of the years = 257") for w in pub.warnings)
    assert figures(tmp_path / "total.xlsx") == figures(IOPC_2019)  # the total itself is not stored


def test_a_breakdown_total_that_differs_from_the_year_table_is_a_warning(tmp_path: Path) -> None:
    grid = sheets()
    r = next(i for i, row in enumerate(grid["Custody"]) if row and row[0] == "Total fatalities")
    assert r == 35  # Custody!P36: all genders, 2018/19, published 16
    grid["Custody"][r][15] = 15.0
    pub = read_publication(write_xlsx(tmp_path / "gender.xlsx", grid))
    messages = sorted(w.message for w in pub.warnings if w.sheet == "Custody")
    assert any(m.startswith("Custody!P36 = 15 but Custody!B27 = 16") for m in messages), messages
    assert any(m.startswith("Custody!P36 = 15 but the sum of the categories = 16") for m in messages), messages
    assert all(w.file == "gender.xlsx" for w in pub.warnings)


# --- layouts ------------------------------------------------------------------------------------

def _reverse_rows(grid: Grid, first: str, last: str) -> None:
    a, b = find(grid, first)[0], find(grid, last)[0]
    grid[a:b + 1] = grid[a:b + 1][::-1]


def test_rows_and_columns_reordered_give_the_same_figures(tmp_path: Path) -> None:
    grid = sheets()
    _reverse_rows(grid["Custody_By_Force"], "Avon & Somerset", "Home Office^")
    _reverse_rows(grid["Custody"], "Under 18", "Not known")
    for name in ("Custody", "RTI_By_Force"):  # every column after the labels, in reverse order
        width = max(len(row) for row in grid[name])
        grid[name] = [[row[0], *(row + [""] * (width - len(row)))[1:][::-1]] if row else row for row in grid[name]]
    assert figures(write_xlsx(tmp_path / "reordered.xlsx", grid)) == figures(IOPC_2019)


def test_labels_renamed_within_known_synonyms_give_the_same_figures(tmp_path: Path) -> None:
    grid = sheets()
    renames = {"Custody": {"Gender": "Sex", "Male": "Males", "Number of fatalities": "Number of deaths",
                           "Deaths in or following police custody": "Deaths in or following custody"},
               "Custody_By_Force": {"Metropolitan": "Metropolitan Police Service", "SOCA / NCA": "National Crime Agency",
                                    "Avon & Somerset": "Avon and Somerset", "04/05": "2004/05"},
               "Apparent_suicides": {"Not known / stated": "Not stated"}}
    for name, pairs in renames.items():
        for old, new in pairs.items():
            r, c = find(grid[name], old)
            grid[name][r][c] = new
    assert figures(write_xlsx(tmp_path / "renamed.xlsx", grid)) == figures(IOPC_2019)


def test_blank_rows_notes_and_blank_columns_give_the_same_figures(tmp_path: Path) -> None:
    grid = sheets()
    r, _ = find(grid["Custody"], "Female")
    grid["Custody"][r:r] = [[], ["Note: figures are provisional until the inquest concludes."], []]
    grid["Custody_By_Force"] = [[row[0], "", *row[1:]] if row else row for row in grid["Custody_By_Force"]]
    r, _ = find(grid["Shootings"], "2010/11")
    grid["Shootings"][r].extend(["", "", "a note to the right of the table"])
    grid["Other_contact"][0:0] = [[], [], ["Independent Office for Police Conduct"]]
    r, _ = find(grid["RTI_By_Force"], "Table 1.8 Number of FATALITIES by appropriate authority and financial year, "
                                      "2004/05 to 2018/19")
    grid["RTI_By_Force"][r + 1:r + 1] = [["Figures for 2018/19 are provisional."], []]
    assert figures(write_xlsx(tmp_path / "padded.xlsx", grid)) == figures(IOPC_2019)


@pytest.mark.parametrize(("sheet", "old", "new"), [
    ("Custody", "Female", "Zebra"),
    ("Custody_By_Force", "HMRC", "Police Scotland"),
    ("RTI", "Number of incidents", "Number of vehicles"),
    ("Custody", "Gender", "Shoe size"),
    ("Apparent_suicides", "2012/13", "2012/13 (provisional)"),
])
def test_an_unrecognised_heading_or_label_is_refused_naming_the_cell(tmp_path: Path, sheet: str, old: str,
                                                                      new: str) -> None:
    grid = sheets()
    r, c = find(grid[sheet], old)
    grid[sheet][r][c] = new
    with pytest.raises(InputRefused) as refused:
        read_publication(write_xlsx(tmp_path / "unknown.xlsx", grid))
    problem = refused.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == (sheet, r + 1, chr(65 + c))
    assert repr(new) in problem.message


def test_a_release_without_a_publication_date_is_refused(tmp_path: Path) -> None:
    grid = sheets()
    r, c = find(grid["Cover"], "2004/05 to 2018/19")
    grid["Cover"][r][c] = "2004/05 to 2030/31"
    with pytest.raises(InputRefused) as refused:
        read_publication(write_xlsx(tmp_path / "undated.xlsx", grid))
    assert "publication date" in refused.value.problems[0].message
    grid["Cover"].append(["Published: 30 September 2031"])
    assert read_publication(write_xlsx(tmp_path / "dated.xlsx", grid)).vintage == "2031-09-30"


# --- storing ------------------------------------------------------------------------------------

def test_both_releases_keep_both_vintages(official_store: Store) -> None:
    both = official.facts(official_store, table=CUSTODY, year="2018-19", force=EW, dimension="",
                          measure="fatalities", vintage="all")
    assert [(f.vintage, f.value, f.note) for f in both] == [("2019-09-05", 16.0, ""), ("2020-10-22", 17.0, "revised")]
    latest = official.facts(official_store, table=CUSTODY, year="2018-19", force=EW, dimension="", measure="fatalities")
    assert [(f.vintage, f.value) for f in latest] == [("2020-10-22", 17.0)]


def test_a_corrupted_file_is_refused_with_nothing_stored(store: Store, tmp_path: Path) -> None:
    truncated = tmp_path / "Time_series_tables_2018-19.ods"
    truncated.write_bytes(IOPC_2019.read_bytes()[:20_000])
    grid = sheets()
    r, c = find(grid["Other_contact_by_force"], "Surrey & Sussex")
    grid["Other_contact_by_force"][r][c] = "Surrey & Atlantis"
    unknown = write_xlsx(tmp_path / "unknown-authority.xlsx", grid)
    results = official.import_files(store, [truncated, unknown])
    assert [r.status for r in results] == ["refused", "refused"]
    assert "damaged or truncated" in results[0].message
    assert "'Surrey & Atlantis'" in results[1].errors[0].message
    assert counts(store) == {"source_file": 0, "official_release": 0, "fact": 0}


def test_importing_again_changes_nothing(store: Store) -> None:
    first = official.import_file(store, IOPC_2019)
    after = counts(store)
    again = official.import_file(store, IOPC_2019)
    assert (first.status, first.facts_stored) == ("stored", len(_publication(IOPC_2019).facts))
    assert (again.status, again.facts_stored) == ("already imported", 0)
    assert counts(store) == after == {"source_file": 1, "official_release": 1, "fact": first.facts_stored}


def test_the_cli_shows_the_facts(official_store: Store, cli) -> None:  # type: ignore[no-untyped-def]
    import json

    from .conftest import store_url

    out = cli("facts", "--table", CUSTODY, "--year", "2019-20", "--force", "England and Wales", "--format", "json",
              database=store_url(official_store))
    assert out.exit_code == 0, out.stderr
    rows = json.loads(out.stdout)
    national = [r for r in rows if r["dimension"] == "" and r["measure"] == "fatalities"]
    assert national == [{"year": "2019-20", "source": "official", "vintage": "2020-10-22", "table": CUSTODY,
                         "area_code": EW, "area": "England and Wales", "tactic": "", "dimension": "", "category": "",
                         "measure": "fatalities", "value": 18.0, "note": ""}]


# --- the web page ---------------------------------------------------------------------------------

def _client(store: Store):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from forcewatch.settings import Settings
    from forcewatch.web import create_app

    return TestClient(create_app(Settings(demo=True, secure_cookies=False), store=store))


def test_the_deaths_page_and_its_twins(official_store: Store) -> None:
    import csv
    import io

    client = _client(official_store)
    doc = client.get("/national/deaths.json").json()
    by_year = {r["year"]: r for r in doc["rows"]}
    assert by_year["2018-19"]["custody_fatalities"] == 17.0  # revised by the 2019-20 release (16 first)
    assert by_year["2018-19"]["revised"].startswith("custody_fatalities")
    # 2019/20, 2019-20 release Table x.1: 24 + 3 + 18 + 54 + 107
    assert (by_year["2019-20"]["road_traffic_fatalities"], by_year["2019-20"]["total_fatalities"]) == (24.0, 206.0)
    assert [r["year"] for r in doc["rows"]][:2] == ["2004-05", "2005-06"] and len(doc["rows"]) == 16
    html = client.get("/national/deaths")  # public: no log-in
    assert html.status_code == 200
    assert "does not mean that the police caused or contributed to it" in html.text
    assert "<svg" in html.text and "https://" not in html.text.split("<svg", 1)[1].split("</svg>", 1)[0]
    rows = list(csv.DictReader(io.StringIO(client.get("/national/deaths.csv").text)))
    assert [(r["year"], r["total_fatalities"]) for r in rows if r["year"] == "2019-20"] == [("2019-20", "206.0")]


def test_the_deaths_page_with_nothing_loaded_says_what_to_import(store: Store) -> None:
    page = _client(store).get("/national/deaths")
    assert page.status_code == 200 and "forcewatch import official --bundled" in page.text
