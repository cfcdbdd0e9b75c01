"""The register's web pages and their JSON and CSV twins: scoping, the chart, the correction form."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from forcewatch import accounts, api_tokens
from forcewatch.access import SYSTEM
from forcewatch.recording import import_records
from forcewatch.register_import import import_register
from forcewatch.store import Store
from forcewatch.web import create_app

from .form_rows import row, write_csv
from .register_data import AVON, KEY, WMIDS, analyst, posting, pseudonym, training, write_register

pytestmark = pytest.mark.usefixtures("fast_passwords")

GOOD = "kettle orbit lantern"
SETTINGS = KEY.model_copy(update={"demo": True, "secure_cookies": False})
CED = {"Tactic 1": "CED (Taser) Drawn", "CED Used": "Yes", "CED Drawn": "Yes", "TrainedCED": "Yes", "CarryingCED": "Yes"}


@pytest.fixture
def app(store: Store, tmp_path: Path):  # type: ignore[no-untyped-def]
    rows = [posting("A1", "2016-01-01"), training("A1", "2017-03-01"), training("A1", "2018-02-20", course="Requalification"),
            posting("B2", "2016-01-01", team="Bath NPT", area="Bath", role="Neighbourhood"), training("B2", "2018-06-01")]
    import_register(store, analyst(), write_register(tmp_path / "hr.csv", rows), AVON, settings=KEY)
    import_records(store, write_csv(tmp_path / "uof.csv", [row(ReportId="R1", OfficerId="A1", IncidentDate="2019-02-20",
                                                              **CED)]), AVON, settings=KEY)
    for username, role, force, team, staff in (("avon.analyst", "force_analyst", AVON, None, None),
                                               ("wmids.analyst", "force_analyst", WMIDS, None, None),
                                               ("avon.pcc", "pcc", AVON, None, None),
                                               ("avon.officer", "officer", AVON, "Bristol Response A", "A1"),
                                               ("avon.chief", "chief_officer", AVON, None, None)):
        accounts.create_user(store, actor=SYSTEM, username=username, password=GOOD, role=role, force=force, team=team,
                             staff_id=staff, settings=KEY)
    return create_app(SETTINGS, store=store)


def client_for(app, username: str) -> TestClient:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
    response = client.post("/login", data={"username": username, "password": GOOD, "csrf_token": token, "next": "/"},
                           follow_redirects=False)
    assert response.status_code == 303
    return client


def test_the_register_page_counts_with_a_chart_a_table_and_twins(app) -> None:  # type: ignore[no-untyped-def]
    client = client_for(app, "avon.analyst")
    page = client.get("/register?on=2018-10-01")
    assert page.status_code == 200
    assert '<svg' in page.text and 'role="img"' in page.text and "<title id=" in page.text and "<desc id=" in page.text
    assert "<caption>Officers by team on 2018-10-01</caption>" in page.text
    assert "<script" not in page.text
    doc = client.get("/register.json?on=2018-10-01").json()
    assert doc["force_code"] == AVON and doc["total"]["in_date"] == 2 and len(doc["series"]) == 9
    csv_lines = client.get("/register.csv?on=2018-10-01&by=area").text.splitlines()
    assert csv_lines[0].startswith("area,officers,trained,in_date,lapsed")
    assert csv_lines[1:] == ["Bath,1,1,1,0,0,0,0,0,1,1.0", "Bristol,1,1,1,0,0,0,0,0,1,1.0", "all,2,2,2,0,0,0,0,0,2,1.0"]
    assert 'href="/register"' in client.get("/").text  # the nav link


def test_the_cross_check_page_flags_the_lapsed_officer(app) -> None:  # type: ignore[no-untyped-def]
    client = client_for(app, "avon.chief")
    doc = client.get("/register/checks.json?year=2018-19").json()
    assert [f["rule"] for f in doc["findings"]] == ["ced_lapsed"]
    assert client.get("/register/checks.csv?year=2018-19").text.splitlines()[0] == (
        "report_id,force_code,incident_date,rule,severity,explanation")
    assert "ced lapsed" in client.get("/register/checks?year=2018-19").text


def test_another_forces_analyst_sees_only_their_own_force(app) -> None:  # type: ignore[no-untyped-def]
    client = client_for(app, "wmids.analyst")
    assert client.get("/register.json?on=2018-10-01").json()["total"]["officers"] == 0  # West Midlands: empty
    assert client.get(f"/register/officers/{pseudonym('A1')}.json").status_code == 404
    assert client.get("/register/officers.json?on=2018-10-01").json()["officers"] == []
    assert client.get("/register/checks.json").json()["findings"] == []


def test_roles_without_the_register_are_refused(app) -> None:  # type: ignore[no-untyped-def]
    pcc = client_for(app, "avon.pcc")
    response = pcc.get("/register.json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert 'href="/register"' not in pcc.get("/").text
    assert TestClient(app).get("/register.json").status_code == 401


def test_an_officer_sees_their_own_history_only(app) -> None:  # type: ignore[no-untyped-def]
    client = client_for(app, "avon.officer")
    mine = client.get(f"/register/officers/{pseudonym('A1')}.json")
    assert mine.status_code == 200 and mine.json()["officer_pseudonym"] == pseudonym("A1")
    assert client.get(f"/register/officers/{pseudonym('B2')}.json").status_code == 403
    assert client.get("/register.json").status_code == 403
    assert [o["officer_pseudonym"] for o in client.get("/register/officers.json").json()["officers"]] == [pseudonym("A1")]
    page = client.get(f"/register/officers/{pseudonym('A1')}")
    assert "Correct or retract" not in page.text and 'href="/register/officers/' in page.text


def _event(client: TestClient, kind: str = "training") -> dict:  # type: ignore[type-arg]
    events = client.get(f"/register/officers/{pseudonym('A1')}.json").json()["events"]
    return [e for e in events if e["kind"] == kind and e["state"] == "current"][-1]


def test_the_correction_form_saves_shows_field_errors_and_conflicts(app) -> None:  # type: ignore[no-untyped-def]
    client = client_for(app, "avon.analyst")
    page = client.get(f"/register/officers/{pseudonym('A1')}")
    assert "Correct or retract" in page.text and page.text.count('name="csrf_token"') >= 3
    assert '<label for="add-date">Date</label>' in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    event = _event(client)
    url = f"/register/officers/{pseudonym('A1')}/events/{event['id']}/correct"
    form = {"csrf_token": token, "version": str(event["version"]), "date": "2018-02-21", "skill": "ced",
            "course": "requalification", "result": "pass", "reason": "data_entry_error"}
    saved = client.post(url, data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("?saved=corrected")
    assert _event(client)["event_date"] == "2018-02-21"
    stale = client.post(url, data={**form, "date": "2018-02-22"})
    assert stale.status_code == 409
    assert "Someone else changed this first: nothing was saved" in stale.text and 'role="alert"' in stale.text
    newest = _event(client)
    bad = client.post(f"/register/officers/{pseudonym('A1')}/events/{newest['id']}/correct",
                      data={**form, "version": str(newest["version"]), "result": "maybe"})
    assert bad.status_code == 422
    field = f"correct-{newest['id']}-result"
    assert f'id="{field}-error-1">unknown result' in bad.text and f'aria-describedby="{field}-error-1"' in bad.text
    assert 'aria-invalid="true"' in bad.text
    no_token = client.post(url, data={k: v for k, v in form.items() if k != "csrf_token"})
    assert no_token.status_code == 403


def test_scripts_correct_with_an_api_token_and_get_json_errors(app, store: Store) -> None:  # type: ignore[no-untyped-def]
    token, _ = api_tokens.create_token(store, actor=SYSTEM, username="avon.analyst", name="script")
    client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    event = _event(client)
    url = f"/register/officers/{pseudonym('A1')}/events/{event['id']}/correct"
    refused = client.post(url, data={"version": str(event["version"]), "date": "not a date"},
                          headers={"accept": "application/json"})
    assert refused.status_code == 422 and refused.json()["error"]["details"]["problems"][0]["column"] == "date"
    retracted = client.post(f"/register/officers/{pseudonym('A1')}/events/{event['id']}/retract",
                            data={"version": str(event["version"]), "reason": "duplicate"},
                            headers={"accept": "application/json"})
    assert retracted.status_code == 200 and retracted.json()["event"]["state"] == "retracted"


def test_the_coverage_page_shows_current_required_and_difference(app) -> None:  # type: ignore[no-untyped-def]
    client = client_for(app, "avon.analyst")
    doc = client.get("/register/coverage.json").json()
    assert doc["year"] == "2018-19"
    total = doc["result"]["total"]
    assert total["difference"]["central"] == total["required"]["central"] - total["current"]
    assert "Difference (central)" in client.get("/register/coverage").text
    assert client.get("/register/coverage.csv").text.splitlines()[0].startswith("area,current,required_low")
