"""The assessment on the web: who sees what (HTML and JSON twins), forms with CSRF, signed sign-off buttons."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from forcewatch.settings import Settings
from forcewatch.store import Store
from forcewatch.web import create_app

from .assessment_data import (
    PASSWORD,
    WMIDS,
    as_an_attacker,
    confirm_and_score,
    engage,
    people,
    published,
    settings,
    worked_example,
)

pytestmark = pytest.mark.usefixtures("fast_passwords")


def app_for(store: Store, tmp_path) -> TestClient:  # type: ignore[no-untyped-def]
    cfg = Settings(
        demo=True, secure_cookies=False, pseudonym_key="k" * 40, signing_key_dir=str(tmp_path / "keys")
    )
    return TestClient(create_app(cfg, store=store))


def log_in(client: TestClient, username: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
    done = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "next": "/", "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303
    return done.headers.get("x-csrf-token") or client.get("/account").headers["x-csrf-token"]


def test_another_forces_analyst_sees_nothing_of_a_draft(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    team, other = people(store), people(store, WMIDS, "wmids")
    item = worked_example(store, team["force_analyst"])
    client = app_for(store, tmp_path)
    log_in(client, "wmids.force_analyst")
    for path in (
        f"/assessments/{item.id}.json",
        f"/assessments/{item.id}/public.json",
        f"/assessments/{item.id}/verify.json",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/assessments/{item.id}/restricted.json").status_code in (403, 404)
    assert client.get("/assessments.json").json()["assessments"] == []
    assert other  # the other force's people exist; they just cannot see Avon's draft


def test_the_public_sees_only_a_published_summary(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    team = people(store)
    item = published(store, team, settings(tmp_path))
    draft = worked_example(store, team["force_analyst"], revision_reason="new records")
    client = app_for(store, tmp_path)
    listed = client.get("/assessments.json").json()["assessments"]
    assert [(a["id"], a["tier"]) for a in listed] == [(item.id, "public")]
    public = client.get(f"/assessments/{item.id}/public.json")
    assert public.status_code == 200 and public.json()["tier"] == "public"
    assert "Counts from 1 to 5 are suppressed" in client.get(f"/assessments/{item.id}/public").text
    assert client.get(f"/assessments/{item.id}/public.pdf").content.startswith(b"%PDF")
    assert client.get(f"/assessments/{draft.id}/public.json").status_code == 404
    assert client.get(f"/assessments/{item.id}.json").status_code == 401
    to_log_in = client.get(f"/assessments/{item.id}/restricted.pdf", follow_redirects=False)
    assert to_log_in.status_code == 303 and to_log_in.headers["location"].startswith("/login?next=")
    assert client.get(f"/assessments/{item.id}/verify.json").json()["ok"] is True
    assert client.get(f"/assessments/{draft.id}/verify.json").status_code == 404


def test_the_scrutiny_panel_reads_the_public_tier_and_the_pcc_the_restricted_pack(
    store: Store, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    team = people(store)
    item = worked_example(store, team["force_analyst"])
    panel = app_for(store, tmp_path)
    log_in(panel, "avon.scrutiny_panel")
    assert panel.get(f"/assessments/{item.id}/public.json").json()["assessment"]["state"] == "draft"
    refused = panel.get(f"/assessments/{item.id}.json")
    assert refused.status_code == 403 and "/public" in refused.json()["error"]["hint"]
    assert panel.get(f"/assessments/{item.id}/restricted.pdf").status_code == 403
    pcc = app_for(store, tmp_path)
    log_in(pcc, "avon.pcc")
    pack = pcc.get(f"/assessments/{item.id}/restricted.json").json()
    assert pack["marking"] == "OFFICIAL-SENSITIVE" and pack["trace"]["steps"]
    assert pcc.get(f"/assessments/{item.id}/restricted.pdf").content.startswith(b"%PDF")


def test_an_analyst_creates_and_judges_through_forms_with_csrf(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    team = people(store)
    first = worked_example(store, team["force_analyst"])
    client = app_for(store, tmp_path)
    token = log_in(client, "avon.force_analyst")
    page = client.get(f"/assessments/{first.id}")
    assert (
        page.status_code == 200
        and "Add a judgement" in page.text
        and "Appendix C: calculation trace" in page.text
    )
    assert "<script" not in page.text and 'style="' not in page.text.split("<svg")[0]
    judged = client.post(
        f"/assessments/{first.id}/judgements",
        data={
            "stage": "assessment",
            "kind": "confirmation",
            "field": "service_level.beta",
            "value": "",
            "rationale": "the chief officer's service level",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert judged.status_code == 303 and judged.headers["location"].endswith("#judgement-log")
    no_token = client.post(
        f"/assessments/{first.id}/judgements",
        data={"stage": "assessment", "kind": "confirmation", "field": "staffing.buffer", "rationale": "x"},
    )
    assert no_token.status_code == 403
    view = client.get(f"/assessments/{first.id}.json").json()
    assert view["actions"]["unconfirmed"] == ["demand_event", "staffing.abstraction", "staffing.buffer"]
    assert view["judgements"][0]["author"] == "avon.force_analyst"
    refused = client.post(
        "/assessments",
        data={"period": "2018-19", "method": "ced_reports_stra", "csrf_token": token},
        headers={"accept": "application/json"},
    )
    assert refused.status_code == 400 and "already has version 1" in refused.json()["error"]["message"]


def test_sign_off_buttons_need_the_role_the_confirmation_and_csrf(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    team = people(store)
    item = worked_example(store, team["force_analyst"])
    confirm_and_score(store, team["force_analyst"], item.id)
    engage(store, team["force_analyst"], item.id)
    analyst = app_for(store, tmp_path)
    token = log_in(analyst, "avon.force_analyst")
    assert (
        analyst.post(
            f"/assessments/{item.id}/assure", data={"confirm": "yes", "csrf_token": token}
        ).status_code
        == 403
    )
    assurer = app_for(store, tmp_path)
    token = log_in(assurer, "avon.assurer")
    page = assurer.get(f"/assessments/{item.id}").text
    assert 'action="/assessments/%d/assure"' % item.id in page and "Approve and sign" not in page
    unconfirmed = assurer.post(
        f"/assessments/{item.id}/assure", data={"csrf_token": token}, headers={"accept": "application/json"}
    )
    assert unconfirmed.status_code == 400 and "confirmation box" in unconfirmed.json()["error"]["message"]
    signed = assurer.post(
        f"/assessments/{item.id}/assure",
        data={"confirm": "yes", "note": "checked", "csrf_token": token},
        follow_redirects=False,
    )
    assert signed.status_code == 303
    chief = app_for(store, tmp_path)
    token = log_in(chief, "avon.chief_officer")
    for step in ("approve", "publish"):
        done = chief.post(
            f"/assessments/{item.id}/{step}",
            data={"confirm": "yes", "csrf_token": token},
            headers={"accept": "application/json"},
        )
        assert done.status_code == 200 and done.json()["actor"] == "avon.chief_officer"
    again = chief.post(
        f"/assessments/{item.id}/publish",
        data={"confirm": "yes", "csrf_token": token},
        headers={"accept": "application/json"},
    )
    assert again.status_code == 409
    view = chief.get(f"/assessments/{item.id}.json").json()
    assert [s["to_state"] for s in view["signatures"]] == ["assured", "approved", "published"]
    assert view["signatures"][0]["decision_text"].endswith("Note: checked")
    verified = chief.get(f"/assessments/{item.id}/verify")
    assert verified.status_code == 200 and "Every input, method setting, output, signature" in verified.text


def test_the_diff_page_and_its_twin(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    team = people(store)
    first = worked_example(store, team["force_analyst"])
    second = worked_example(store, team["force_analyst"], current=50, revision_reason="more trained")
    client = app_for(store, tmp_path)
    log_in(client, "avon.chief_officer")
    assert client.get(f"/assessments/{first.id}/diff/{second.id}.json").json()["reason"] == "more trained"
    assert "Reason for the revision" in client.get(f"/assessments/{first.id}/diff/{second.id}").text
    assert f"/assessments/{first.id}/diff/{second.id}" in client.get(f"/assessments/{second.id}").text
    assert client.get("/assessments/pack.css").headers["content-type"].startswith("text/css")


def test_the_assessment_page_shows_a_quick_verification(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    team = people(store)
    item = worked_example(store, team["force_analyst"])
    client = app_for(store, tmp_path)
    log_in(client, "avon.pcc")
    assert client.get(f"/assessments/{item.id}.json").json()["verification"]["ok"] is True
    assert "Quick check: every input" in client.get(f"/assessments/{item.id}").text
    as_an_attacker(
        store,
        "assessment_snapshot",
        "UPDATE assessment_snapshot SET rows = 2, content = "
        "replace(content, '438', '437') WHERE input_key = 'demand'",
    )
    page = client.get(f"/assessments/{item.id}").text
    assert "Verification failed: input demand" in page
