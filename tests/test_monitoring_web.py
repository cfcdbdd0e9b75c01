"""Monitoring pages: public suppressed views, record-derived pages scoped to the reader, twins, explanations."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from forcewatch import accounts, audit
from forcewatch.access import SYSTEM
from forcewatch.monitoring.explanations import explanations
from forcewatch.recording import import_records
from forcewatch.settings import Settings
from forcewatch.store import Store
from forcewatch.web import create_app

from .form_rows import counting_fixture, write_csv

pytestmark = pytest.mark.usefixtures("fast_passwords")
SETTINGS = Settings(demo=True, secure_cookies=False, pseudonym_key="k" * 40)
GOOD = "kettle orbit lantern"


@pytest.fixture
def public(official_store: Store) -> TestClient:
    return TestClient(create_app(SETTINGS, store=official_store))


@pytest.fixture
def with_records(store: Store, tmp_path: Path) -> Store:
    import_records(store, write_csv(tmp_path / "met.csv", counting_fixture()), "Metropolitan Police", settings=SETTINGS)
    for username, role, force in (("met.analyst", "force_analyst", "Metropolitan Police"),
                                  ("kent.analyst", "force_analyst", "Kent"), ("met.pcc", "pcc", "Metropolitan Police"),
                                  ("nat", "national_analyst", None), ("admin", "administrator", None)):
        accounts.create_user(store, actor=SYSTEM, username=username, password=GOOD, role=role, force=force)
    return store


def _client(store: Store, username: str | None = None) -> TestClient:
    client = TestClient(create_app(SETTINGS, store=store))
    if username:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
        response = client.post("/login", data={"username": username, "password": GOOD, "next": "/", "csrf_token": token},
                               follow_redirects=False)
        assert response.status_code == 303
    return client


def accounts_principal(store: Store, username: str):  # type: ignore[no-untyped-def]
    from forcewatch.access import Principal

    (user,) = [u for u in accounts.list_users(store, actor=SYSTEM) if u.username == username]
    return Principal(user_id=user.id, username=user.username, role=user.role, force_code=user.force_code)


def _no_small_counts(values: list[object]) -> bool:
    return not [v for v in values if isinstance(v, (int, float)) and 1 <= v <= 5]


def test_public_funnel_pages_are_suppressed_and_say_so(public: TestClient) -> None:
    for tactic in ("ced", "ced_drive_stun", "ced_angled_drive_stun"):
        doc = public.get(f"/monitoring/rates.json?year=2018-19&tactic={tactic}").json()
        assert _no_small_counts([r["count"] for r in doc["rows"]]), tactic
        assert doc["suppression"]["threshold"] == 5 and "suppressed" in doc["suppression"]["statement"]
        table = list(csv.DictReader(io.StringIO(public.get(f"/monitoring/rates.csv?year=2018-19&tactic={tactic}").text)))
        assert _no_small_counts([float(r["count"]) for r in table if r["count"]])
        assert [r["area_code"] for r in table] == [r["area_code"] for r in doc["rows"]]
    page = public.get("/monitoring/rates?year=2018-19&tactic=ced")
    assert page.status_code == 200 and page.text.count('role="img"') == 2  # rate funnel and CED-share funnel
    assert "Northamptonshire" in page.text and "beyond 99.8%" in page.text and "not a verdict" in page.text
    assert "<script" not in page.text


def test_public_disparity_shows_caveats_beside_suppressed_figures(public: TestClient) -> None:
    doc = public.get("/monitoring/disparity.json?year=2018-19&area=Kent").json()
    assert _no_small_counts([v for r in doc["rows"] for v in (r["group_count"], r["reference_count"])])
    assert any("suppressed" in r["note"] for r in doc["rows"])
    assert {c["key"] for c in doc["caveats"]} >= {"benchmark", "perceived_ethnicity", "census_ages", "small_counts"}
    page = public.get("/monitoring/disparity?year=2018-19&area=Kent").text
    assert 'aria-label="Caveats"' in page and "Officer-perceived ethnicity" in page and "suppressed" in page


def test_record_derived_pages_need_a_log_in(with_records: Store) -> None:
    client = _client(with_records)
    for path in ("/monitoring/taser", "/monitoring/quality", "/monitoring/reconcile"):
        assert client.get(path + ".json").status_code == 401
        assert client.get(path, follow_redirects=False).status_code == 303
    assert client.get("/monitoring/rates.json?source=records").status_code == 401
    assert client.get("/monitoring/disparity.json?source=records&area=Met").status_code == 401


def test_record_derived_pages_are_scoped_to_the_readers_force(with_records: Store) -> None:
    met = _client(with_records, "met.analyst")
    doc = met.get("/monitoring/taser.json?year=2018-19").json()
    assert doc["area"] == "Metropolitan Police" and doc["ced_reports"] == 1
    assert {r["tactic"]: r["value"] for r in doc["levels"]}["ced_fired"] == 1
    quality = met.get("/monitoring/quality.csv?year=2018-19")
    assert quality.status_code == 200 and {r["force_code"] for r in csv.DictReader(io.StringIO(quality.text))} == {"E23000001"}
    assert "How each rule is defined" in met.get("/monitoring/quality?year=2018-19").text
    for path in ("/monitoring/taser.json?force=Kent", "/monitoring/quality.csv?force=Kent",
                 "/monitoring/reconcile.json?force=England+and+Wales", "/monitoring/rates.json?source=records"):
        assert met.get(path).status_code == 403, path
    kent = _client(with_records, "kent.analyst")
    assert kent.get("/monitoring/taser.json?year=2018-19&force=Met").status_code == 403
    assert kent.get("/monitoring/taser.json?year=2018-19").json()["ced_reports"] == 0
    assert _client(with_records, "met.pcc").get("/monitoring/taser.json?year=2018-19").status_code == 200
    assert _client(with_records, "admin").get("/monitoring/taser.json").status_code == 403
    national = _client(with_records, "nat")
    assert national.get("/monitoring/taser.json?year=2018-19&force=Met").json()["ced_reports"] == 1
    assert national.get("/monitoring/reconcile.json?year=2018-19").status_code == 200


def test_an_outlier_explanation_is_stored_with_author_and_time_as_a_judgement(with_records: Store) -> None:
    met = _client(with_records, "met.analyst")
    page = met.get("/monitoring/taser?year=2018-19").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    form = {"force": "E23000001", "year": "2018-19", "indicator": "rate:ced:officers", "source": "official",
            "outside": "95", "value": "243.0", "text": "Deployment model changed in 2018: more officers carry Taser.",
            "next": "/monitoring/taser?year=2018-19", "csrf_token": token}
    response = met.post("/monitoring/explanations", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/monitoring/taser?year=2018-19"
    (saved,) = met.get("/monitoring/taser.json?year=2018-19").json()["explanations"]
    assert (saved["author"], saved["area"], saved["outside"], saved["value"]) == ("met.analyst", "Metropolitan Police", "95", 243.0)
    assert saved["text"].startswith("Deployment model changed") and saved["created_at"]
    written = [e for e in audit.events(with_records, principal=SYSTEM) if e.event_type == "record.written"]
    assert written[-1].payload["record_type"] == "outlier_explanation" and written[-1].actor == "met.analyst"
    kent = _client(with_records, "kent.analyst")
    assert kent.get("/monitoring/taser.json?year=2018-19").json()["explanations"] == []
    kent_token = re.search(r'name="csrf_token" value="([^"]+)"', kent.get("/monitoring").text)
    refused = kent.post("/monitoring/explanations", data={**form, "csrf_token": kent_token.group(1)},  # type: ignore[union-attr]
                        follow_redirects=False)
    assert refused.status_code == 403
    assert explanations(with_records, SYSTEM) == []  # the administrator reads no judgements
    assert [e.author for e in explanations(with_records, accounts_principal(with_records, "nat"))] == ["met.analyst"]


def test_the_national_picture_by_force_is_suppressed_too(public: TestClient) -> None:
    for year in ("2017-18", "2018-19"):
        doc = public.get(f"/national/forces.json?year={year}").json()
        counts = [r[c] for r in doc["rows"] for c in ("incidents", "ced", "ced_discharge")]
        assert _no_small_counts(counts) and None in counts, year
        assert "suppressed" in doc["suppression"]["statement"]
    city = next(r for r in public.get("/national/forces.json?year=2018-19").json()["rows"] if r["area"] == "City of London")
    assert city["ced_discharge"] is None and city["ced"] == 49  # 3 discharges: hidden; 49 uses: shown
