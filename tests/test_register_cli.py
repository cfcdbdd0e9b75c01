"""``forcewatch register ...``: JSON documents on stdout, exit codes, refusals naming the cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from forcewatch.store import Store

from .conftest import store_url
from .form_rows import row, write_csv
from .register_data import AVON, KEY, posting, pseudonym, training, write_register

CED = {"Tactic 1": "CED (Taser) Drawn", "CED Used": "Yes", "CED Drawn": "Yes", "TrainedCED": "Yes", "CarryingCED": "Yes"}
ROWS = [posting("A1", "2016-01-01"), training("A1", "2017-03-01"), training("A1", "2018-02-20", course="Requalification"),
        posting("B2", "2016-01-01", team="Bath NPT", area="Bath"), training("B2", "2018-06-01")]


@pytest.fixture
def loaded(cli, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FORCEWATCH_PSEUDONYM_KEY", KEY.officer_pseudonym_key)
    result = cli("register", "import", str(write_register(tmp_path / "hr.csv", ROWS)), "--force", "Avon and Somerset",
                 "--format", "json", database=store_url(store))
    assert result.exit_code == 0, result.stderr
    assert result.json()["events_stored"] == 5
    return lambda *args: cli(*args, database=store_url(store))


def test_register_count_answers_as_one_json_document(loaded) -> None:  # type: ignore[no-untyped-def]
    result = loaded("register", "count", "--force", AVON, "--on", "2019-02-20", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = result.json()
    assert (doc["force_code"], doc["on"], doc["by"]) == (AVON, "2019-02-20", ["team"])
    assert (doc["total"]["in_date"], doc["total"]["lapsed"]) == (1, 1)
    assert {g["team"]: g["in_date"] for g in doc["groups"]} == {"Bath NPT": 1, "Bristol Response A": 0}
    by_status = loaded("register", "count", "--force", "Avon and Somerset", "--on", "2019-02-20", "--by", "status",
                       "--format", "csv")
    assert by_status.stdout.splitlines()[1].startswith("officer,2,2,1,1,")


def test_register_series_check_officer_and_policy(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    series = loaded("register", "series", "--force", AVON, "--from", "2018-01-31", "--to", "2019-01-31", "--every",
                    "quarter", "--format", "json").json()
    assert [p["on"] for p in series["points"]] == ["2018-01-31", "2018-04-30", "2018-07-31", "2018-10-31", "2019-01-31"]
    history = loaded("register", "officer", pseudonym("A1"), "--force", AVON, "--format", "json").json()
    assert [e["kind"] for e in history["events"]] == ["posting", "training", "training"]
    policy = loaded("register", "policy", "show", "--force", AVON, "--on", "2019-02-01", "--format", "json").json()
    assert policy["rules"]["ced"]["eligible"] == ["officer", "student_officer"]
    assert loaded("register", "check", "--force", AVON, "--format", "json").json()["findings"] == []


def test_a_bad_file_exits_1_with_every_problem_and_stores_nothing(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = write_register(tmp_path / "bad.csv", [{**posting("Z9", "2018-01-01"), "Status": "Volunteer"}])
    result = loaded("register", "import", str(bad), "--force", AVON, "--format", "json")
    assert result.exit_code == 1
    doc = result.json()
    assert doc["refused"] is True
    assert doc["problems"][0] | {"message": ""} == {"severity": "error", "file": "bad.csv", "sheet": None, "row": 2,
                                                     "column": "Status", "value": "Volunteer", "expected": None,
                                                     "message": ""}
    assert "nothing was stored" in result.stderr
    assert loaded("register", "count", "--force", AVON, "--on", "2018-02-01", "--format", "json").json()["total"][
        "officers"] == 2


def test_wrong_usage_exits_2(loaded) -> None:  # type: ignore[no-untyped-def]
    assert loaded("register", "count", "--force", AVON, "--on", "01/02/2019").exit_code == 2
    assert loaded("register", "count", "--force", "Avon and Somerest", "--on", "2019-02-01").exit_code == 2
    assert loaded("register", "series", "--force", AVON, "--from", "2019-01-01", "--to", "2018-01-01").exit_code == 2


def test_register_coverage_shows_current_required_and_difference(loaded, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from forcewatch.recording import import_records

    reports = [row(ReportId=f"R{i}", OfficerId="B2", IncidentDate=f"2018-07-{i + 1:02d}",
                   IncidentTime=f"{i:02d}:00:00", **CED) for i in range(24)]
    import_records(store, write_csv(tmp_path / "uof.csv", reports), AVON, settings=KEY)
    result = loaded("register", "coverage", "--force", AVON, "--year", "2018-19", "--format", "json")
    assert result.exit_code == 0, result.stderr
    [bath] = result.json()["areas"]
    assert bath["area"] == "Bath" and bath["current"] == 1
    assert bath["difference"] == {k: v - 1 for k, v in bath["required"].items()}
    table = loaded("register", "coverage", "--force", AVON, "--year", "2018-19", "--format", "csv")
    assert table.stdout.splitlines()[0] == ("area,current,required_low,required_central,required_high,difference_low,"
                                            "difference_central,difference_high,decision")
