"""``forcewatch import official`` and ``forcewatch facts``: the interface's shapes and exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from forcewatch.official import FACT_COLUMNS
from forcewatch.store import Store

from .conftest import DATA, store_url

CED_2016 = DATA / "home-office/ced/police-use-of-conducted-energy-devices-2016.ods"
CENSUS = DATA / "ons/force-population-by-ethnicity-census2011.csv"


def test_facts_json_has_exactly_the_interface_keys_in_order(cli, official_store: Store) -> None:  # type: ignore[no-untyped-def]
    result = cli("facts", "--year", "2018-19", "--table", "incidents_by_force", "--format", "json",
                 database=store_url(official_store))
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert all(list(row) == list(FACT_COLUMNS) for row in rows)
    england_and_wales = [r for r in rows if r["area"] == "England and Wales"]
    assert england_and_wales == [{
        "year": "2018-19", "source": "official", "vintage": "2019-12-19", "table": "incidents_by_force",
        "area_code": "K04000001", "area": "England and Wales", "tactic": "all", "dimension": "", "category": "",
        "measure": "incidents", "value": 427725.0, "note": ""}]
    assert len(rows) == 54  # England and Wales, 10 regions, 43 forces


def test_facts_show_every_vintage_by_default_and_the_latest_on_request(cli, official_store: Store) -> None:  # type: ignore[no-untyped-def]
    args = ("facts", "--table", "ced_by_force", "--year", "2017-18", "--force", "England and Wales", "--tactic", "ced",
            "--format", "json")
    both = json.loads(cli(*args, database=store_url(official_store)).stdout)
    assert [(r["vintage"], r["value"]) for r in both] == [("2018-12-13", 17084.0), ("2019-12-19", 16913.0)]
    latest = json.loads(cli(*args, "--vintage", "latest", database=store_url(official_store)).stdout)
    assert [(r["vintage"], r["value"]) for r in latest] == [("2019-12-19", 16913.0)]


def test_facts_csv_header_is_the_interface(cli, official_store: Store) -> None:  # type: ignore[no-untyped-def]
    result = cli("facts", "--table", "population", "--force", "Kent", "--format", "csv", database=store_url(official_store))
    reader = csv.reader(io.StringIO(result.stdout))
    assert next(reader) == list(FACT_COLUMNS)
    assert len(list(reader)) == 7


def test_facts_from_records_with_no_records_prints_no_rows(cli, store: Store) -> None:  # type: ignore[no-untyped-def]
    result = cli("facts", "--source", "records", "--format", "json", database=store_url(store))
    assert (result.exit_code, result.json()) == (0, [])
    refused = cli("facts", "--from", "2018-04-01", database=store_url(store))
    assert refused.exit_code == 2 and "--source records only" in refused.stderr


def test_import_prints_each_file_and_a_repeat_stores_nothing(cli, store: Store) -> None:  # type: ignore[no-untyped-def]
    first = cli("import", "official", str(CED_2016), "--format", "json", database=store_url(store))
    assert first.exit_code == 0, first.stderr
    [row] = json.loads(first.stdout)
    assert (row["status"], row["kind"], row["vintage"], row["facts_stored"]) == ("stored", "official_ced", "2017-04-13", 1232)
    again = cli("import", "official", str(CED_2016), database=store_url(store))
    assert again.exit_code == 0
    assert "already imported" in again.stdout and "nothing changed" in again.stderr


def test_a_refused_file_exits_1_and_says_the_others_were_stored(cli, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken.ods"
    broken.write_bytes(CED_2016.read_bytes()[:5000])
    result = cli("import", "official", str(broken), str(CENSUS), database=store_url(store))
    assert result.exit_code == 1
    assert "broken.ods: refused:" in result.stderr and "damaged or truncated" in result.stderr
    assert "1 of 2 file(s) refused, nothing of them was stored; 1 other file(s) were stored." in result.stderr
    assert store.table_counts()["fact"] == 301


def test_import_needs_something_to_import(cli, store: Store) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "official", database=store_url(store))
    assert result.exit_code == 2
    assert "--bundled" in result.stderr
