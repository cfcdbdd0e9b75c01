"""`forcewatch simulate` end to end against the real published figures: simulate, import, count.

Each test simulates a year from the bundled Home Office tables (the ``official_store``), imports
the file into a fresh store, and checks that the stored reports reproduce the published figures
exactly: reports per force (Table 12, ``incidents_by_force``) and CED reports per highest level
under ``mps_ho_table`` including "not stated", with the discharge / non-discharge roll-up (Table
13, ``ced_by_force``). At ``--scale S`` every finest-level count is the published one times S,
rounded half up (``docs/records.md``), and the roll-ups are the sums of the rounded levels.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from forcewatch import forces, official
from forcewatch.ced import highest_by_mask
from forcewatch.recording import import_records
from forcewatch.settings import Settings
from forcewatch.store import Store
from forcewatch.store.tables.records import officer_report, tactic_use

from .conftest import store_url

KEY = Settings(pseudonym_key="k" * 40)
LEVELS = ("drawn", "aimed", "red_dot", "arced", "drive_stun", "fired", "angled_drive_stun", "not_stated")
NON_DISCHARGE = ("drawn", "aimed", "red_dot", "arced")
DISCHARGE = ("drive_stun", "fired", "angled_drive_stun")


def _round(x: float) -> int:
    return int(math.floor(x + 0.5))


def published(store: Store, year: str, *, vintage: str = "latest", scale: float = 1.0) -> dict[str, dict[str, int]]:
    """Per force: published reports and CED reports per level, each scaled and rounded half up."""
    out: dict[str, dict[str, int]] = {}
    for r in official.facts(store, year=year, table="incidents_by_force", measure="incidents", vintage=vintage):
        if r.area_code.startswith(("E23", "W15")) and r.value is not None:
            out.setdefault(r.area_code, {})["reports"] = _round(r.value * scale)
    for r in official.facts(store, year=year, table="ced_by_force", measure="incidents", vintage=vintage):
        level = r.tactic.removeprefix("ced_")
        if r.area_code in out and level in LEVELS and r.value is not None:
            out[r.area_code][level] = _round(r.value * scale)
    for counts in out.values():
        counts["non_discharge"] = sum(counts.get(k, 0) for k in NON_DISCHARGE)
        counts["discharge"] = sum(counts.get(k, 0) for k in DISCHARGE)
        counts["ced"] = counts["non_discharge"] + counts["discharge"] + counts.get("not_stated", 0)
    return out


def stored(store: Store) -> dict[str, dict[str, int]]:
    """Per force: stored reports, CED reports at each highest level (mps_ho_table) and by class."""
    highest = highest_by_mask("mps_ho_table")
    with store.read() as conn:
        rows = conn.execute(select(officer_report.c.force_code, officer_report.c.ced, officer_report.c.ced_levels_mask,
                                   officer_report.c.ced_class)).all()
    out: dict[str, Counter[str]] = {}
    for code, ced, mask, klass in rows:
        counts = out.setdefault(code, Counter())
        counts["reports"] += 1
        if ced:
            level = highest[mask] or "not_stated"
            counts[level] += 1
            counts["ced"] += 1
            if klass != "not_stated":  # the class of a report without a level is "not_stated" too
                counts[klass] += 1
            assert (klass == "not_stated") == (level == "not_stated")
    return {code: dict(c) for code, c in out.items()}


def _same(expected: dict[str, int], got: dict[str, int], where: str = "") -> None:
    keys = {*expected, *got}
    assert {k: got.get(k, 0) for k in keys} == {k: expected.get(k, 0) for k in keys}, where


def _simulate(cli, official_store: Store, out: Path, *args: str):  # type: ignore[no-untyped-def]
    result = cli("simulate", "--out", str(out), "--seed", "1", "--format", "json", *args,
                 database=store_url(official_store))
    assert result.exit_code == 0, result.stderr
    return result.json()


@pytest.mark.parametrize(("year", "force", "scale"), [
    ("2018-19", "Avon and Somerset", 0.05),
    ("2018-19", "West Midlands", 0.05),
    ("2017-18", "Avon and Somerset", 0.05),
    ("2017-18", "Hampshire", 0.1),  # its CED row was revised in the 2018-19 release ("Hampshire (R)")
])
def test_a_force_file_reproduces_its_published_reports_and_ced_by_level(
        cli, official_store: Store, store: Store, tmp_path: Path, year: str, force: str, scale: float) -> None:  # type: ignore[no-untyped-def]
    code = forces.resolve(force, "force").code
    summary = _simulate(cli, official_store, tmp_path / "sim.csv", "--year", year, "--force", force,
                        "--scale", str(scale))
    expected = published(official_store, year, scale=scale)[code]
    assert (summary["forces"], summary["reports"], summary["ced_reports"]) == (1, expected["reports"], expected["ced"])
    report = import_records(store, tmp_path / "sim.csv", settings=KEY)
    assert report.stored == report.simulated == expected["reports"] and report.scope == code
    _same(expected, stored(store)[code])


def test_a_force_file_of_2018_19_has_the_force_s_own_published_reports_per_tactic(
        cli, official_store: Store, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _simulate(cli, official_store, tmp_path / "sim.csv", "--year", "2018-19", "--force", "Avon and Somerset",
              "--scale", "0.1")
    import_records(store, tmp_path / "sim.csv", settings=KEY)
    want = {r.tactic: _round(r.value * 0.1) for r in official.facts(
        official_store, year="2018-19", table="force_age", force="E23000036", category="all", measure="times_reported")
        if r.tactic in ("handcuffing_compliant", "unarmed_skills", "ground_restraint", "baton_drawn", "spit_bite_guard",
                        "irritant_spray_used", "dog_bite", "tactical_communication")}
    with store.read() as conn:
        uses = conn.execute(select(tactic_use.c.tactic, func.count(func.distinct(tactic_use.c.report_id)))
                            .where(tactic_use.c.tactic.in_(list(want))).group_by(tactic_use.c.tactic)).all()
    assert dict(uses) == {k: v for k, v in want.items() if v}


@pytest.mark.parametrize("year", ["2018-19", "2017-18"])
def test_the_national_file_has_every_force_and_reproduces_each_one(
        cli, official_store: Store, store: Store, tmp_path: Path, year: str) -> None:  # type: ignore[no-untyped-def]
    summary = _simulate(cli, official_store, tmp_path / "national.csv", "--year", year, "--scale", "0.01")
    expected = published(official_store, year, scale=0.01)
    assert summary["forces"] == len(expected) == 43
    report = import_records(store, tmp_path / "national.csv", settings=KEY)
    assert report.scope == "national" and not [p for p in report.problems if p.severity != "repair"]
    got = stored(store)
    assert set(got) == {c for c, e in expected.items() if e["reports"]}
    for code, counts in expected.items():
        _same(counts, got.get(code, {}), code)


@pytest.mark.parametrize(("year", "force"), [("2018-19", "Gloucestershire"), ("2017-18", "Gwent")])
def test_at_scale_one_the_smallest_force_matches_the_publication_unscaled(
        cli, official_store: Store, store: Store, tmp_path: Path, year: str, force: str) -> None:  # type: ignore[no-untyped-def]
    code = forces.resolve(force, "force").code
    _simulate(cli, official_store, tmp_path / "sim.csv", "--year", year, "--force", force)
    import_records(store, tmp_path / "sim.csv", settings=KEY)
    got = stored(store)[code]
    table12 = official.facts(official_store, year=year, table="incidents_by_force", force=code)
    table13 = {r.tactic.removeprefix("ced_"): int(r.value)
               for r in official.facts(official_store, year=year, table="ced_by_force", force=code, measure="incidents")}
    assert got["reports"] == int(table12[0].value)
    # every published cell of the force's Table 13 row, roll-ups as printed (not recomputed)
    assert {k: got.get(k, 0) for k in (*LEVELS, "non_discharge", "discharge")} == {
        k: table13[k] for k in (*LEVELS, "non_discharge", "discharge")}
    assert got.get("ced", 0) == table13["ced"]


def test_2017_18_targets_the_revised_ced_table_by_default_and_the_first_release_on_request(
        cli, official_store: Store, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    latest = _simulate(cli, official_store, tmp_path / "latest.csv", "--year", "2017-18", "--force", "Hampshire",
                       "--scale", "0.2")
    assert latest["vintages"]["ced_by_force"] == ["2019-12-19"]
    assert latest["vintages"]["incidents_by_force"] == ["2018-12-13"]  # not revised: its only publication
    assert "latest publication of each figure" in latest["source"]
    first = _simulate(cli, official_store, tmp_path / "first.csv", "--year", "2017-18", "--force", "Hampshire",
                      "--scale", "0.2", "--vintage", "2018-12-13")
    assert first["vintages"]["ced_by_force"] == ["2018-12-13"] and "on or before 2018-12-13" in first["source"]
    import_records(store, tmp_path / "first.csv", settings=KEY)
    _same(published(official_store, "2017-18", vintage="2018-12-13", scale=0.2)["E23000030"], stored(store)["E23000030"])
    revised = published(official_store, "2017-18", scale=0.2)["E23000030"]
    assert revised["not_stated"] > 0 == published(official_store, "2017-18", vintage="2018-12-13")["E23000030"]["not_stated"]
    assert latest["ced_reports"] == revised["ced"] != first["ced_reports"]


@pytest.mark.slow
def test_the_national_2018_19_year_at_full_scale_imports_and_matches_every_force(
        cli, official_store: Store, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    summary = _simulate(cli, official_store, tmp_path / "national.csv", "--year", "2018-19")
    assert (summary["reports"], summary["ced_reports"]) == (427_725, 23_451)
    import_records(store, tmp_path / "national.csv", settings=KEY)
    got = stored(store)
    for code, counts in published(official_store, "2018-19").items():
        _same(counts, got[code], code)
