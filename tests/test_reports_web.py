"""The recording form and the report pages on the web: accessible form, errors, CSRF, scoping, review."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from forcewatch.store import Store
from forcewatch.web import create_app

from .reporting import PASSWORD, POST, SETTINGS, cast, record

pytestmark = pytest.mark.usefixtures("fast_passwords")


def _field(html: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert found, f"no {name} field in the page"
    return found.group(1)


def _client(store: Store, username: str | None = None) -> TestClient:
    client = TestClient(create_app(SETTINGS, store=store))
    if username:
        login = client.get("/login").text
        done = client.post("/login", data={"username": username, "password": PASSWORD, "next": "/",
                                           "csrf_token": _field(login, "csrf_token")}, follow_redirects=False)
        assert done.status_code == 303, done.text
    return client


def _post_form(client: TestClient, changes: dict[str, list[str]] | None = None, **extra: str):  # type: ignore[no-untyped-def]
    page = client.get("/reports/new").text
    data: dict[str, object] = {**POST, **(changes or {}), "csrf_token": _field(page, "csrf_token"),
                               "submission": _field(page, "submission"), "form_started": _field(page, "form_started"),
                               "tactic_rows": "5", **extra}
    return client.post("/reports/new", data=data, follow_redirects=False)


def test_the_form_asks_every_question_with_labels_and_legends_and_no_script(store: Store) -> None:
    cast(store)
    page = _client(store, "pc.ash").get("/reports/new")
    assert page.status_code == 200 and "<script" not in page.text
    for text in ('<label for="incident_date">Date of the incident</label>', '<input id="incident_date" name="incident_date"',
                 'type="date"', '<legend>Where was force used?</legend>', '<label for="location-10">Dwelling</label>',
                 '<legend>Age band</legend>', '<label for="tactic_1">Tactic 1</label>',
                 '<legend>Was tactic 1 effective?</legend>', '<legend>What did you do with the device?</legend>',
                 '<label for="ced1.cartridge_number">Cartridge Number</label>', '<legend>Probe strikes, front of the body</legend>',
                 '<legend>Were you threatened with any of these?</legend>', '<legend>Outcome of the incident</legend>',
                 '<meta name="viewport"', 'Add more tactic rows'):
        assert text in page.text, text
    assert 'name="tactic_5"' in page.text and 'name="tactic_6"' not in page.text
    assert 'name="force"' not in page.text and 'name="officer' not in page.text  # they come from the account
    spec = _client(store, "pc.ash").get("/reports/new.json").json()
    assert [s["key"] for s in spec["sections"]][:4] == ["when", "person", "officer", "tactics"]


def test_only_people_who_record_reports_get_the_form(store: Store) -> None:
    cast(store)
    assert _client(store).get("/reports/new", follow_redirects=False).headers["location"] == "/login?next=%2Freports%2Fnew"
    assert _client(store, "avon.analyst").get("/reports/new").status_code == 403


def test_a_report_recorded_on_the_form_is_shown_to_its_officer(store: Store) -> None:
    people = cast(store)
    client = _client(store, "pc.ash")
    stored = _post_form(client)
    assert stored.status_code == 303 and re.fullmatch(r"/reports/\d+\?recorded=1", stored.headers["location"])
    page = client.get(stored.headers["location"])
    assert "Your report was stored" in page.text and "Bristol A" in page.text and "SIMULATED" not in page.text
    report = client.get(stored.headers["location"].split("?")[0] + ".json").json()
    assert report["source"] == "form" and report["officer"]["pseudonym"] == people["pc.ash"].officer_pseudonym
    assert report["where"]["location"]["yes"] == ["street_highway", "dwelling"]
    assert [t["tactic"] for t in report["tactics"]] == ["tactical_communication", "irritant_spray_drawn", "ced_red_dot",
                                                       "handcuffing_non_compliant"]
    assert report["ced"]["highest"] == "red_dot" and report["ced"]["class"] == "non_discharge"


@pytest.mark.parametrize(("changes", "control", "first_id", "message"), [
    ({"incident_date": [""]}, "incident_date", "incident_date", "The incident date is empty"),
    ({"incident_date": ["2099-01-01"]}, "incident_date", "incident_date", "is in the future"),
    ({"incident_time": ["25:61"]}, "incident_time", "incident_time", "is not a time of day"),
    ({"tactic_3": ["Zebra"]}, "tactic_3", "tactic_3", "&#39;Zebra&#39; is not a known tactic"),
    ({"ced1.cartridge_number": ["two"]}, "ced1.cartridge_number", "ced1.cartridge_number", "is not a whole number"),
    ({"subject_age": ["ancient"]}, "subject_age", "subject_age-0", "is not a known age band"),
    ({"single_crewed": ["Maybe"]}, "single_crewed", "single_crewed-0", "is not a known Yes/No answer"),
])
def test_each_refused_answer_is_shown_next_to_its_question_and_in_the_summary(
        store: Store, changes: dict[str, list[str]], control: str, first_id: str, message: str) -> None:
    cast(store)
    response = _post_form(_client(store, "pc.ash"), changes)
    assert response.status_code == 422
    html = response.text
    assert "<title>Error: Record a use of force" in html
    summary = html[html.index('class="error-summary"'):html.index("</div>", html.index('class="error-summary"'))]
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary and "autofocus" in summary
    assert re.search(rf'<a href="#{re.escape(first_id)}">[^<]*{re.escape(message)}', summary), summary
    error = re.search(rf'<p class="error-message" id="{re.escape(control)}-error">(.*?)</p>', html, re.S)
    assert error and message in error.group(1)
    described = re.search(rf'aria-describedby="[^"]*{re.escape(control)}-error[^"]*"', html)
    assert described and 'aria-invalid="true"' in html
    assert 'value="Bristol"' in html  # the other answers are kept
    assert store.table_counts()["officer_report"] == 0


def test_more_tactic_rows_without_javascript_keeps_every_answer_and_stores_nothing(store: Store) -> None:
    cast(store)
    response = _post_form(_client(store, "pc.ash"), action="more_tactics")
    assert response.status_code == 200
    assert 'name="tactic_10"' in response.text and 'name="tactic_11"' not in response.text
    assert 'name="tactic_rows" value="10"' in response.text
    assert '<option value="Irritant Spray - PAVA Drawn" selected>' in response.text
    assert store.table_counts()["officer_report"] == 0


def test_the_form_is_refused_without_its_csrf_token(store: Store) -> None:
    cast(store)
    client = _client(store, "pc.ash")
    data = {**POST, "submission": "submission-5000", "tactic_rows": "5"}
    refused = client.post("/reports/new", data=data, follow_redirects=False)
    assert refused.status_code == 403 and "CSRF" in refused.text
    wrong = client.post("/reports/new", data={**data, "csrf_token": "forged"}, follow_redirects=False)
    assert wrong.status_code == 403
    assert store.table_counts()["officer_report"] == 0


def _listed(client: TestClient, path: str = "/reports") -> set[int]:
    return {r["id"] for r in client.get(f"{path}.json").json()["reports"]}


def test_each_role_sees_its_scope_in_html_and_json_and_nothing_of_other_forces(store: Store) -> None:
    people = cast(store)
    ash, birch, cedar = (record(store, people[u], f"submission-6{i}00") for i, u in enumerate(("pc.ash", "pc.birch", "pc.cedar")))
    fir = record(store, people["pc.fir"], "submission-6300")
    expected = {"pc.ash": {ash}, "sgt.dale": {ash, birch}, "avon.analyst": {ash, birch, cedar}, "wm.analyst": {fir},
                "nat.analyst": {ash, birch, cedar, fir}}
    for username, visible in expected.items():
        client = _client(store, username)
        assert _listed(client) == visible, username
        html = client.get("/reports").text
        assert {int(i) for i in re.findall(r'<a href="/reports/(\d+)">', html)} == visible, username
        for report_id in {ash, birch, cedar, fir} - visible:
            for path in (f"/reports/{report_id}", f"/reports/{report_id}.json"):
                hidden = client.get(path)
                assert hidden.status_code == 404, (username, path)
                assert "X1234567" not in hidden.text and "Aggressive" not in hidden.text  # nothing of the report
        for report_id in visible:
            assert client.get(f"/reports/{report_id}.json").json()["id"] == report_id
    assert _listed(_client(store, "sgt.dale"), "/reports/mine") == set()
    assert _client(store, "avon.pcc").get("/reports.json").status_code == 403
    assert _client(store).get("/reports.json").status_code == 401
    csv = _client(store, "avon.analyst").get("/reports.csv")
    assert csv.text.splitlines()[0].startswith("id,incident_date,incident_time,borough,tactics") and len(csv.text.splitlines()) == 4


def test_a_stale_review_is_a_clear_conflict(store: Store) -> None:
    people = cast(store)
    report_id = record(store, people["pc.ash"], "submission-7000")
    dale, elm = _client(store, "sgt.dale"), _client(store, "sgt.elm")
    dale_page, elm_page = dale.get(f"/reports/{report_id}").text, elm.get(f"/reports/{report_id}").text
    assert "Mark as reviewed" in dale_page and _field(dale_page, "version") == "1"
    done = dale.post(f"/reports/{report_id}/review", data={"version": "1", "csrf_token": _field(dale_page, "csrf_token")},
                     follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/reports/{report_id}?reviewed=1"
    late = elm.post(f"/reports/{report_id}/review", data={"version": "1", "csrf_token": _field(elm_page, "csrf_token")})
    assert late.status_code == 409
    assert "The report was not marked reviewed" in late.text and "you saw version 1, it is now version 2" in late.text
    assert "Mark as reviewed" not in late.text and "reviewed " in late.text
    officer = _client(store, "pc.ash")
    assert "Mark as reviewed" not in officer.get(f"/reports/{report_id}").text
    assert officer.post(f"/reports/{report_id}/review", data={"version": "2"}, headers={
        "X-CSRF-Token": officer.get("/reports").headers["x-csrf-token"]}).status_code == 403


def test_the_home_page_says_how_many_reports_are_held_and_how_many_are_simulated(store: Store) -> None:
    people = cast(store)
    record(store, people["pc.ash"], "submission-8000")
    public = _client(store)
    assert public.get("/index.json").json()["records"] == {"reports": 1, "simulated": 0, "from_form": 1}
    assert "1 recorded on the form" in public.get("/").text
