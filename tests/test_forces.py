"""Forces, regions and England and Wales: codes, regions, and every published spelling."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from forcewatch import forces
from forcewatch.errors import UnknownName

from .conftest import DATA

HOME_OFFICE_FILES = sorted((DATA / "home-office").rglob("*.ods"))

# Labels that sit in a force column of the Home Office tables but are not areas.
NOT_AREAS = {
    "central service secondments",  # workforce: officers seconded to national bodies
    "total",  # workforce: 43 forces + BTP + secondments, not England and Wales
    # force-by-demographic tables: the "Type of force" column beside the force column
    "restraint", "unarmed skills", "other equipment", "less lethal weapons", "firearms", "other",
    "not reported", "tactical communication", "total excluding not reported and tactical communication",
}


def test_there_are_43_territorial_forces_with_the_ons_codes_and_names() -> None:
    with (DATA / "ons" / "lad-to-police-force-area-2016.csv").open(encoding="utf-8-sig") as fh:
        ons = {row["PFA16CD"]: row["PFA16NM"] for row in csv.DictReader(fh)}
    territorial = forces.forces()
    assert len(territorial) == 43
    assert {f.code for f in territorial} == set(ons)
    for code, ons_name in ons.items():
        assert forces.resolve(ons_name).code == code, ons_name


def test_every_force_belongs_to_one_of_ten_regions() -> None:
    regions = forces.regions()
    assert len(regions) == 10
    assert sum(len(forces.forces_in(r.code)) for r in regions) == 43
    assert {r.code for r in regions} == {f"E1200000{i}" for i in range(1, 10)} | {"W92000004"}
    assert forces.get("E23000001").region_code == "E12000007"  # Metropolitan Police in London
    assert forces.get("W15000004").region_code == "W92000004"  # Dyfed-Powys in Wales


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("Avon & Somerset", "E23000036"),
        ("Avon and Somerset", "E23000036"),
        ("Metropolitan", "E23000001"),
        ("Metropolitan Police", "E23000001"),
        ("London, City of", "E23000034"),
        ("City of London", "E23000034"),
        ("Devon & Cornwall", "E23000035"),
        ("Devon & Cornwall ", "E23000035"),
        ("Devon and Cornwall ", "E23000035"),
        ("Dyfed Powys", "W15000004"),
        ("Dyfed-Powys", "W15000004"),
        ("Total North East ", "E12000001"),
        ("*Total England and Wales", "K04000001"),
        ("Total 43 forces", "K04000001"),
        ("England and Wales", "K04000001"),
        ("Eastern ", "E12000006"),
        ("Total East of England ", "E12000006"),
        ("Wiltshire1", "E23000038"),
        ("Derbyshire2", "E23000018"),
        ("Hampshire (R)", "E23000030"),
        ("British Transport", "BTP"),
        ("British Transport Police", "BTP"),
        ("London", "E12000007"),
        ("Wales", "W92000004"),
        ("E23000013", "E23000013"),
    ],
)
def test_published_spellings_resolve_to_one_canonical_area(spelling: str, code: str) -> None:
    assert forces.resolve(spelling).code == code


def test_a_name_shared_by_a_force_and_a_region_needs_context() -> None:
    assert forces.resolve("West Midlands").code == "E23000014"  # the force, as Table 12 writes it
    assert forces.resolve("Total West Midlands ").code == "E12000005"  # the region subtotal
    assert forces.resolve("West Midlands ", kind="region").code == "E12000005"  # workforce region rows


def test_an_unknown_name_is_an_error_naming_the_nearest_names() -> None:
    with pytest.raises(UnknownName) as info:
        forces.resolve("Avon and Somerest")
    assert "Avon and Somerset" in info.value.suggestions
    assert "did you mean" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_unknown_code_is_refused() -> None:
    with pytest.raises(UnknownName):
        forces.get("E23000099")


def _force_column_labels(path: Path) -> set[str]:
    """Every label in the area columns of the force and region tables of one workbook."""
    labels: set[str] = set()
    wb = CalamineWorkbook.from_path(str(path))
    for sheet in wb.sheet_names:
        rows = wb.get_sheet_by_name(sheet).to_python()
        if not rows:
            continue
        title = " ".join(str(c) for c in rows[0] if isinstance(c, str))
        if not re.search(r"police force|force and region|force area", title, re.IGNORECASE):
            continue
        for row in rows:
            numeric = any(isinstance(c, (int, float)) and not isinstance(c, bool) for c in row[1:])
            if not numeric:
                continue
            for cell in row[:2]:
                # skip years ("2017/18") and markers ("..") that share the column
                if isinstance(cell, str) and re.search(r"[A-Za-z]", cell) and not re.fullmatch(r"\s*\d{4}(/\d{2})?\s*", cell):
                    labels.add(cell)
    return labels


def test_every_force_spelling_in_the_bundled_home_office_files_resolves() -> None:
    assert HOME_OFFICE_FILES, "no bundled Home Office files found"
    seen: dict[str, str] = {}
    unresolved: set[str] = set()
    for path in HOME_OFFICE_FILES:
        for label in _force_column_labels(path):
            if forces.normalise_label(label) in NOT_AREAS:
                continue
            try:
                seen[label] = forces.resolve(label).code
            except Exception:
                unresolved.add(label)
    assert unresolved == set()
    # The scan must really have found the forces: every territorial force, BTP, and the regions.
    codes = set(seen.values())
    assert {f.code for f in forces.forces(include_btp=True)} <= codes
    assert {r.code for r in forces.regions()} <= codes | {"E12000005"}
    assert "K04000001" in codes
    assert len(seen) > 60
