"""The command line: formats, exit codes, one error mapping."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from forcewatch.store import Store

from .conftest import store_url


def test_forces_list_as_json_is_one_document(cli, store: Store) -> None:  # type: ignore[no-untyped-def]
    result = cli("forces", "list", "--format", "json", database=store_url(store))
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 55
    assert rows[0] == {"code": "K04000001", "name": "England and Wales", "kind": "country", "region_code": "", "region": ""}


def test_forces_list_as_csv_has_a_header(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("forces", "list", "--kind", "force", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 44
    assert {"code", "name", "kind", "region_code", "region"} == set(rows[0])


def test_forces_list_as_a_table_is_for_people(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("forces", "list", "--kind", "region")
    assert result.exit_code == 0
    assert "Yorkshire and the Humber" in result.stdout


def test_resolve_an_unknown_force_exits_2_with_suggestions_on_stderr(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("forces", "resolve", "Avon and Somerest", "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Avon and Somerset" in result.stderr


def test_resolve_known_spellings(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("forces", "resolve", "Dyfed Powys", "*Total England and Wales", "--format", "json")
    assert [r["code"] for r in result.json()] == ["W15000004", "K04000001"]


def test_wrong_usage_exits_2(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("forces", "list", "--format", "yaml").exit_code == 2
    assert cli("no-such-command").exit_code == 2


def test_vocab_hierarchy_json(cli) -> None:  # type: ignore[no-untyped-def]
    doc = cli("vocab", "hierarchy", "listing_2015", "--format", "json").json()
    assert doc["order_high_to_low"][0] == "fired"
    assert doc["available"] == ["listing_2015", "mps_ho_table"]


def test_db_status_reports_the_schema(cli, store: Store) -> None:  # type: ignore[no-untyped-def]
    doc = cli("db", "status", "--format", "json", database=store_url(store)).json()
    assert doc["revision"] == doc["head"] == Store.head_revision()
    assert doc["rows"]["area"] == 55


def test_the_installed_command_runs() -> None:
    result = subprocess.run([sys.executable, "-m", "forcewatch", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("forcewatch ")
