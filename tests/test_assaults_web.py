"""The web pages for assaults, outcomes, learning and the review: scoping through HTML and the JSON and CSV
twins, forms with CSRF and their errors beside the fields, charts, and the author seen only by the review team."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from forcewatch import accounts
from forcewatch.access import SYSTEM
from forcewatch.store import Store
from forcewatch.web import create_app

from .assault_fixtures import AVON, SETTINGS, WMIDS, WMIDS_ANALYST, event, record

pytestmark = pytest.mark.usefixtures("fast_passwords")
PASSWORD = "kettle orbit lantern"
WEB = SETTINGS.model_copy(update={"demo": True, "secure_cookies": False})
ACCOUNTS = {"avon.analyst": ("force_analyst", AVON, None, None), "west.analyst": ("force_analyst", WMIDS, None, None),
            "avon.pc": ("officer", AVON, "T1", "AB1"), "review.lead": ("review_team", None, None, None),
            "nat.analyst": ("national_analyst", None, None, None)}


@pytest.fixture
def app(store: Store) -> Any:
    for name, (role, force, team, staff) in ACCOUNTS.items():
        accounts.create_user(store, actor=SYSTEM, username=name, password=PASSWORD, role=role, force=force, team=team,
                             staff_id=staff, settings=SETTINGS)
    return create_app(WEB, store=store)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field in the page"
    return found.group(1)


def _client(app: Any, username: str | None) -> TestClient:
    client = TestClient(app)
    if username:
        token = _csrf(client.get("/login").text)
        response = client.post("/login", data={"username": username, "password": PASSWORD, "next": "/",
                                               "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 303
    return client


def test_an_analyst_sees_only_their_forces_assaults_in_every_twin(app: Any, store: Store) -> None:
    avon = record(store, CrimeRef="AVON-1")
    west = record(store, CrimeRef="WEST-1", who=WMIDS_ANALYST)
    client = _client(app, "west.analyst")
    assert [a["crime_ref"] for a in client.get("/assaults.json").json()["assaults"]] == ["WEST-1"]
    assert "AVON-1" not in client.get("/assaults.csv").text and "WEST-1" in client.get("/assaults.csv").text
    assert "AVON-1" not in client.get("/assaults").text
    for path in (f"/assaults/{avon}", f"/assaults/{avon}.json"):
        response = client.get(path)
        assert response.status_code == 404 and "AVON-1" not in response.text
    assert client.get(f"/assaults/{avon}.json").json()["error"]["code"] == "not_found"
    assert client.get(f"/assaults/{west}.json").json()["crime_ref"] == "WEST-1"
    assert _client(app, None).get("/assaults.json").status_code == 401
    assert _client(app, "review.lead").get("/assaults.json").status_code == 403


def test_the_entry_form_is_labelled_protected_and_shows_errors_beside_their_fields(app: Any, store: Store) -> None:
    client = _client(app, "avon.analyst")
    page = client.get("/assaults/new").text
    assert '<label for="f-crime_ref">Crime reference' in page and 'name="csrf_token"' in page
    assert "<script" not in page and "style=" not in page
    form = {"crime_ref": "CR/77", "victim_staff_id": "AB9", "victim_role": "constable", "offence": "ew_abh",
            "offence_date": "2024-03-01", "injury_level": "medical", "methods": ["punch", "spit"]}
    assert client.post("/assaults/new", data=form).status_code == 403  # no CSRF token
    bad = client.post("/assaults/new", data={**form, "offence_date": "2024-13-40", "injury_level": "",
                                             "csrf_token": _csrf(page)})
    assert bad.status_code == 422
    assert re.search(r'id="f-offence_date-error">.*OffenceDate cannot be read', bad.text)
    assert 'id="f-offence_date" name="offence_date" type="date" value="2024-13-40" required' in bad.text
    assert 'aria-invalid="true"' in bad.text and '<a href="#f-injury_level">InjuryLevel is empty' in bad.text
    good = client.post("/assaults/new", data={**form, "csrf_token": _csrf(page)}, follow_redirects=False)
    assert good.status_code == 303
    record_page = client.get(good.headers["location"])
    assert "The assault was recorded" in record_page.text and "spitting or biting" in record_page.text
    assert client.get(good.headers["location"].split("?")[0] + ".json").json()["ho_class"] == "8S"


def test_outcome_events_are_added_from_the_record_page(app: Any, store: Store) -> None:
    assault_id = record(store)
    client = _client(app, "avon.analyst")
    page = client.get(f"/assaults/{assault_id}").text
    assert 'action="/assaults/%d/outcomes"' % assault_id in page
    added = client.post(f"/assaults/{assault_id}/outcomes", data={
        "event_type": "charge", "event_date": "2024-03-05", "charged_offences": ["ew_common_assault"],
        "charge_route": "police_charge", "csrf_token": _csrf(page)}, follow_redirects=False)
    assert added.status_code == 303
    trail = client.get(f"/assaults/{assault_id}.json").json()["outcomes"]
    assert [(e["event_type"], e["charged_offences"]) for e in trail] == [("charge", ["ew_common_assault"])]
    refused = client.post(f"/assaults/{assault_id}/outcomes", data={
        "event_type": "verdict", "event_date": "2024-03-06", "csrf_token": _csrf(page)})
    assert refused.status_code == 422 and "a verdict event needs Verdict" in refused.text


def test_the_funnel_page_draws_its_chart_from_the_numbers_of_its_twins(app: Any, store: Store) -> None:
    charged = record(store, CrimeRef="A")
    record(store, CrimeRef="B")
    event(store, charged, "charge", "2024-03-05", charged_offences="ew_common_assault")
    client = _client(app, "avon.analyst")
    query = "?from=2024-01-01&to=2024-12-31"
    html = client.get("/assaults/funnel" + query).text
    assert '<svg' in html and 'role="img"' in html and "Charged or summonsed 1" in html
    rows = client.get("/assaults/funnel.json" + query).json()["rows"]
    assert [(r["force"], r["recorded"], r["charged"]) for r in rows] == [("Avon and Somerset", 2, 1)]
    csv = client.get("/assaults/funnel.csv" + query).text.splitlines()
    assert csv[0].startswith("force_code,force,recorded,suspect_identified,charged") and len(csv) == 2
    assert _client(app, "avon.pc").get("/assaults/funnel.json" + query).status_code == 403


def test_the_public_funnel_needs_no_log_in_and_suppresses_small_counts(app: Any, store: Store) -> None:
    record(store)
    client = _client(app, None)
    data = client.get("/assaults/funnel/public.json?from=2024-01-01&to=2024-12-31").json()
    assert data["rows"][0]["recorded"] is None and "suppressed" in data["suppression"]
    assert "suppressed" in client.get("/assaults/funnel/public?from=2024-01-01&to=2024-12-31").text


def test_the_review_through_the_web_with_the_author_shown_to_the_review_team_only(app: Any, store: Store) -> None:
    officer = _client(app, "avon.pc")
    form_page = officer.get("/review/submit").text
    sent = officer.post("/review/submit", data={
        "free_text": "Single crewed again on nights; PC Sarah Jones waited twenty minutes for backup.",
        "consent_scope": "publish_anonymised_quotes", "role_band": "constable", "rating_deployment": "2",
        "csrf_token": _csrf(form_page)}, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == "/review/mine?submitted=1"
    (mine,) = officer.get("/review/mine.json").json()["submissions"]
    reviewer = _client(app, "review.lead")
    listed = reviewer.get("/review/submissions.json").json()["submissions"]
    assert [(s["id"], s["author"]) for s in listed] == [(mine["id"], "avon.pc")]
    page = reviewer.get(f"/review/submissions/{mine['id']}").text
    assert "avon.pc" in page
    token = _csrf(page)
    for path, data in (("redact", {}), ("areas", {"areas": ["deployment"]}), ("moderate", {"decision": "approved"})):
        done = reviewer.post(f"/review/submissions/{mine['id']}/{path}", data={**data, "csrf_token": token},
                             follow_redirects=False)
        assert done.status_code == 303, done.text
    analyst = _client(app, "avon.analyst")
    for path in ("/review/submissions", "/review/submissions.json", "/review/submissions.csv",
                 f"/review/submissions/{mine['id']}", f"/review/submissions/{mine['id']}.json"):
        response = analyst.get(path)
        assert response.status_code == 200 and "avon.pc" not in response.text and "Sarah" not in response.text
    assert "PC [NAME] waited" in analyst.get(f"/review/submissions/{mine['id']}.json").json()["redacted_text"]
    assert _client(app, "nat.analyst").get("/review/submissions.json").status_code == 403


def test_the_area_report_renders_with_charts_and_a_public_version(app: Any, store: Store) -> None:
    record(store, OffenceDate="2024-03-01")
    html = _client(app, "nat.analyst").get("/review/report?from=2024-01-01&to=2024-12-31").text
    assert "Officer safety training" in html and "Criminal justice response and deterrence" in html
    assert '<svg' in html and "How reliable are the suggested areas" in html and "<script" not in html
    public = _client(app, None).get("/review/report/public.json?from=2024-01-01&to=2024-12-31").json()
    assert public["public"] is True and public["funnel"][0]["count"] is None
    assert _client(app, None).get("/review/report.json").status_code == 401
    assert _client(app, "avon.pc").get("/review/report.json").status_code == 403


def test_learning_is_written_redacted_and_listed_through_the_web(app: Any, store: Store) -> None:
    client = _client(app, "avon.analyst")
    page = client.get("/learning/new").text
    made = client.post("/learning/new", data={
        "title": "Spit guard worked", "period": "2024-05", "area_tags": ["equipment"], "theme": "spitting_blood_borne",
        "what_happened": "DC Amir Khan was spat at.", "what_helped": "A guard.", "what_to_change": "More guards.",
        "consent_scope": "national_review", "csrf_token": _csrf(page)}, follow_redirects=False)
    assert made.status_code == 303
    item_page = client.get(made.headers["location"]).text
    redacted = client.post(made.headers["location"] + "/redact", data={"csrf_token": _csrf(item_page)},
                           follow_redirects=False)
    assert redacted.status_code == 303
    item = client.get(made.headers["location"] + ".json").json()
    assert item["redacted"]["what_happened"] == "DC [NAME] was spat at." and item["moderation_status"] == "redacted"
    assert client.get("/learning.json").json()["shared"] == []  # not approved: not shared, even in the force
    assert _client(app, None).get("/learning.json").json() == {"shared": [], "internal": None}
