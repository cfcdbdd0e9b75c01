"""The register's cross-checks in the recording-quality scorecard: a report by an officer whose Taser
requalification had lapsed on the incident date appears for that force and month, at the command
line and on the web page's JSON twin; the finding rows go only to readers of reports and register."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from forcewatch import accounts
from forcewatch.access import SYSTEM
from forcewatch.monitoring.quality import rules, scorecard
from forcewatch.recording import import_records
from forcewatch.register_checks import RULES as CHECKS
from forcewatch.register_import import import_register
from forcewatch.settings import Settings
from forcewatch.store import Store
from forcewatch.web import create_app

from .conftest import store_url
from .form_rows import row, write_csv
from .register_data import AVON, KEY, analyst, posting, training, write_register

pytestmark = pytest.mark.usefixtures("fast_passwords")
SETTINGS = Settings(demo=True, secure_cookies=False, pseudonym_key=KEY.pseudonym_key)
PASSWORD = "kettle orbit lantern"
CED = {"Tactic 1": "CED (Taser) Drawn", "CED Used": "Yes", "CED Drawn": "Yes", "TrainedCED": "Yes", "CarryingCED": "Yes"}
#: A1 passed on 2018-02-20 (valid to 2019-02-19) and used a CED on 2019-02-20: lapsed that day
REGISTER = [posting("A1", "2016-01-01"), training("A1", "2018-02-20"),
            posting("B2", "2016-01-01"), training("B2", "2018-06-01")]


@pytest.fixture
def lapsed(store: Store, tmp_path: Path) -> Store:
    import_register(store, analyst(), write_register(tmp_path / "hr.csv", REGISTER), AVON, settings=KEY)
    reports = [row(ReportId="R1", OfficerId="A1", IncidentDate="2019-02-20", **CED),
               row(ReportId="R2", OfficerId="B2", IncidentDate="2019-02-21", **CED),
               row(ReportId="R3", OfficerId="B2", IncidentDate="2019-01-10", **CED)]
    import_records(store, write_csv(tmp_path / "uof.csv", reports), AVON, settings=KEY)
    for username, role in (("avon.analyst", "force_analyst"), ("avon.pcc", "pcc")):
        accounts.create_user(store, actor=SYSTEM, username=username, password=PASSWORD, role=role, force=AVON)
    return store


def _cells(rows: list[dict[str, object]], rule: str) -> dict[object, tuple[object, object]]:
    return {r["month"]: (r["numerator"], r["denominator"]) for r in rows if r["rule"] == rule}


def test_every_register_check_is_a_scorecard_rule_with_its_definition() -> None:
    for key, (severity, _) in CHECKS.items():
        rule = rules()[key]
        assert rule.kind == "cross-check" and rule.severity == severity and rule.definition and rule.numerator


def test_a_lapsed_officers_ced_use_is_counted_for_its_force_and_month_at_the_command_line(lapsed: Store, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("quality", "--force", AVON, "--year", "2018-19", "--format", "json", database=store_url(lapsed))
    assert result.exit_code == 0, result.stderr
    assert _cells(result.json(), "ced_lapsed") == {"2019-01": (0, 1), "2019-02": (1, 2)}
    assert {r["force_code"] for r in result.json() if r["rule"] == "ced_lapsed"} == {AVON}
    shown = cli("quality", "--force", AVON, "--year", "2018-19", "--rules", "--format", "json",
                database=store_url(lapsed))
    lapsed_rule = next(r for r in shown.json() if r["key"] == "ced_lapsed")
    assert lapsed_rule["title"] == "CED by an officer whose requalification had lapsed"


def test_forces_without_a_register_are_not_checked(lapsed: Store, tmp_path: Path) -> None:
    import_records(lapsed, write_csv(tmp_path / "kent.csv", [row(ReportId="K1", OfficerId="K1", **CED)]), "Kent",
                   settings=KEY)
    card = scorecard(lapsed, force="England and Wales", year="2018-19")
    assert {r["force_code"] for r in card.rows if r["rule"] == "ced_lapsed"} == {AVON}
    assert {r["force_code"] for r in card.rows if r["rule"] == "ced_level_recorded"} == {AVON, "E23000032"}


def _client(store: Store, username: str) -> TestClient:
    client = TestClient(create_app(SETTINGS, store=store))
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
    response = client.post("/login", data={"username": username, "password": PASSWORD, "next": "/",
                                           "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    return client


def test_the_web_scorecard_shows_it_with_its_definition_and_the_rows_only_to_those_who_may_read_them(
        lapsed: Store) -> None:
    doc = _client(lapsed, "avon.analyst").get("/monitoring/quality.json?year=2018-19").json()
    assert _cells(doc["rows"], "ced_lapsed") == {"2019-01": (0, 1), "2019-02": (1, 2)}
    [finding] = [f for f in doc["findings"] if f["rule"] == "ced_lapsed"]
    assert finding["incident_date"] == "2019-02-20" and "lapsed: last pass 2018-02-20, valid to 2019-02-19" in \
        finding["explanation"]
    assert any(r["key"] == "ced_lapsed" and "requalified" in r["definition"] for r in doc["rules"])
    page = _client(lapsed, "avon.analyst").get("/monitoring/quality?year=2018-19").text
    assert "CED by an officer whose requalification had lapsed" in page and 'id="rule-ced_lapsed"' in page
    pcc = _client(lapsed, "avon.pcc").get("/monitoring/quality.json?year=2018-19").json()
    assert _cells(pcc["rows"], "ced_lapsed") == _cells(doc["rows"], "ced_lapsed")
    assert pcc["findings"] == []  # counts yes; report ids, pseudonyms and training dates no
