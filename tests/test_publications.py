"""Publications on the public site: frozen quarterly Taser figures, statements, assessment summaries."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from forcewatch import audit
from forcewatch.access import SYSTEM, Role, operator
from forcewatch.errors import PermissionDenied
from forcewatch.periods import quarter_bounds
from forcewatch.publication_figures import publish_quarterly
from forcewatch.publications import get_publication, list_publications, publish_statement, verify_publication
from forcewatch.settings import Settings
from forcewatch.store import Store
from forcewatch.store.tables.publications import publication
from forcewatch.web import create_app

from .assessment_data import AVON, PASSWORD, WMIDS, as_an_attacker, import_force_records, people, published, settings
from .conftest import store_url

pytestmark = pytest.mark.usefixtures("fast_passwords")
ANALYST = operator(Role.force_analyst, AVON)


def _values(item) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {r["tactic"]: r["value"] for r in item.rows()}


def test_a_quarter_is_counted_from_records_suppressed_and_frozen_with_its_hash(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import_force_records(store, tmp_path, reports=400, ced_every=4)
    item = publish_quarterly(store, ANALYST, force="Avon and Somerset", quarter="2019q1", settings=Settings())
    assert (item.kind, item.force_code, item.period) == ("quarterly_taser", AVON, "2019-Q1")
    values = _values(item)
    assert int(values["ced"]) == int(values["ced_non_discharge"]) == int(values["ced_red_dot"]) > 5
    assert values["ced_drawn"] == values["ced_discharge"] == "0"  # zero identifies no one: shown
    assert int(values["all"]) > int(values["ced"])
    assert item.csv_sha256 == hashlib.sha256(item.csv.encode()).hexdigest()
    assert "once, at the highest level" in item.method and "counting rules" in item.source
    assert "SIMULATED" in item.body and "Counts from 1 to 5 are suppressed" in item.suppression
    assert verify_publication(store, item.id)["ok"] is True


def test_small_counts_and_the_figure_that_would_give_them_away_are_suppressed(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import_force_records(store, tmp_path, reports=60, ced_every=20)  # about one CED report a quarter
    values = _values(publish_quarterly(store, ANALYST, force=AVON, quarter="2018-Q3"))
    assert values["ced"] == values["ced_red_dot"] == values["ced_non_discharge"] == ""
    assert int(values["all"]) > 5  # reports without CED are not published, so all reports give nothing away


def test_republishing_supersedes_and_never_edits(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import_force_records(store, tmp_path, reports=200)
    first = publish_quarterly(store, ANALYST, force=AVON, quarter="2018-Q4")
    second = publish_quarterly(store, operator(Role.chief_officer, AVON), force=AVON, quarter="2018-Q4")
    assert second.supersedes_id == first.id and get_publication(store, first.id).superseded_by_id == second.id
    assert get_publication(store, first.id).csv == first.csv
    assert [p.id for p in list_publications(store, current_only=True)] == [second.id]
    with pytest.raises(Exception, match="append-only"):
        with store.write() as conn:
            conn.execute(update(publication).where(publication.c.id == first.id).values(title="changed"))
    events = audit.events(store, principal=SYSTEM, event_type="publication.published")
    assert [(e.subject_id, e.payload["supersedes_id"]) for e in events] == [(str(second.id), first.id), (str(first.id), None)]


def test_a_changed_csv_is_caught_by_its_hash(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import_force_records(store, tmp_path, reports=200)
    item = publish_quarterly(store, ANALYST, force=AVON, quarter="2018-Q4")
    as_an_attacker(store, "publication", f"UPDATE publication SET csv = replace(csv, 'reports', 'uses') WHERE id = {item.id}")
    result = verify_publication(store, item.id)
    assert result["ok"] is False and result["checks"][0]["stored"] == item.csv_sha256


def test_only_those_entitled_publish(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for principal in (operator(Role.force_analyst, WMIDS), operator(Role.officer, AVON), operator(Role.pcc, AVON),
                      operator(Role.national_analyst)):
        with pytest.raises(PermissionDenied):
            publish_quarterly(store, principal, force=AVON, quarter="2019-Q1")
    with pytest.raises(PermissionDenied):
        publish_statement(store, ANALYST, title="National", body="not theirs to say")
    national = publish_statement(store, operator(Role.national_analyst), title="National", body="Text")
    assert national.force_code is None and national.force == "England and Wales (national)"
    assert list_publications(store, force="national")[0].id == national.id


def test_publishing_an_assessment_puts_its_summary_on_the_public_list(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    item = published(store, people(store), settings(tmp_path))
    [summary] = list_publications(store, kind="assessment_summary")
    assert (summary.assessment_id, summary.force_code, summary.period) == (item.id, AVON, "2018-19")
    assert summary.body.startswith("Decision: ") and summary.columns == ["area", "block", "events", "rate", "rate_low", "rate_high"]
    assert summary.publisher_role == "chief_officer"


def test_a_quarter_is_a_calendar_quarter() -> None:
    assert quarter_bounds("2019-Q4") == ("2019-Q4", dt.date(2019, 10, 1), dt.date(2019, 12, 31))


def _log_in(client: TestClient, username: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
    done = client.post("/login", data={"username": username, "password": PASSWORD, "next": "/", "csrf_token": token},
                       follow_redirects=False)
    assert done.status_code == 303
    return client.get("/account").headers["x-csrf-token"]


def test_the_public_site_shows_publications_without_an_account(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import_force_records(store, tmp_path, reports=200)
    people(store)
    client = TestClient(create_app(Settings(demo=True, secure_cookies=False, pseudonym_key="k" * 40,
                                            signing_key_dir=str(tmp_path / "keys")), store=store))
    token = _log_in(client, "avon.force_analyst")
    done = client.post("/publications/quarterly", data={"force": AVON, "quarter": "2019-Q1", "csrf_token": token},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/public/publications/")
    refused = client.post("/publications/quarterly", data={"force": WMIDS, "quarter": "2019-Q1", "csrf_token": token})
    assert refused.status_code == 403
    client.post("/logout", data={"csrf_token": token})
    path = done.headers["location"]
    page = client.get(path)
    assert page.status_code == 200 and "Method and counting rule" in page.text and "Log in" in page.text
    shown = client.get(path + ".json").json()
    assert hashlib.sha256(client.get(path + ".csv").content).hexdigest() == shown["csv_sha256"]
    assert "published_by" not in shown  # the publisher appears by role only
    assert client.get("/public.json").json()["publications"][0]["url"] == path
    assert client.get(path + "/verify.json").json()["ok"] is True
    assert client.get(f"/public/forces/{AVON}.json").json()["publications"][0]["url"] == path
    assert client.get("/public/contact.json").json()["contacts"][0]["email"].endswith("@example.org")


def test_the_command_line_publishes_and_lists(store: Store, tmp_path, cli) -> None:  # type: ignore[no-untyped-def]
    import_force_records(store, tmp_path, reports=200)
    url = store_url(store)
    done = cli("publish", "quarterly", "--force", "Avon and Somerset", "--quarter", "2019-Q1", "-f", "json", database=url)
    assert done.exit_code == 0, done.stderr
    assert {r["tactic"] for r in done.json()} >= {"all", "ced", "ced_fired"}
    said = cli("publish", "statement", "--title", "Hello", "--body", "A statement", "-f", "json", database=url)
    assert said.exit_code == 0 and said.json()["force_code"] is None
    listed = cli("publications", "list", "-f", "json", database=url).json()
    assert [r["kind"] for r in listed] == ["statement", "quarterly_taser"]
    assert cli("publications", "verify", str(listed[1]["id"]), database=url).exit_code == 0
