"""Sign-off rules: independent assurance, approval preconditions, only legal transitions, supersession,
judgements only while drafting, overrides only with a reason, each transition signed and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from forcewatch import assessment as A
from forcewatch.access import Principal, Role
from forcewatch.assessment import ledger
from forcewatch.assessment.verify import verify_assessment
from forcewatch.assessment.workflow import signatures
from forcewatch.errors import Conflict, PermissionDenied, UsageError
from forcewatch.store import Store
from forcewatch.store.tables.security import audit_event

from .assessment_data import (
    WMIDS,
    confirm_and_score,
    engage,
    people,
    published,
    settings,
    worked_example,
    worked_example_method,
)

pytestmark = pytest.mark.usefixtures("fast_passwords")


def test_the_assurer_must_not_be_anyone_who_drafted_it(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    team = people(store)
    analyst = team["force_analyst"]
    item = worked_example(store, analyst)
    confirm_and_score(store, analyst, item.id)
    moved = Principal(
        user_id=analyst.user_id, username=analyst.username, role=Role.assurer, force_code=analyst.force_code
    )  # the analyst, since moved to the assurer role
    with pytest.raises(PermissionDenied, match="drafted part of assessment .* assurance must be independent"):
        A.assure(store, moved, item.id, settings=settings(tmp_path))
    with pytest.raises(PermissionDenied):
        A.assure(store, analyst, item.id, settings=settings(tmp_path))  # nor can an analyst assure at all
    assert A.assure(store, team["assurer"], item.id, settings=settings(tmp_path)).to_state == "assured"


def test_assurance_needs_every_placeholder_of_the_method_confirmed(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    team = people(store)
    item = worked_example(store, team["force_analyst"])
    A.record_judgement(
        store,
        team["force_analyst"],
        item.id,
        stage="assessment",
        kind="confirmation",
        field="service_level.beta",
        value="0.05",
        rationale="the chief's service level",
    )
    with pytest.raises(
        Conflict, match="does not confirm demand_event, staffing.abstraction, staffing.buffer"
    ):
        A.assure(store, team["assurer"], item.id, settings=settings(tmp_path))


def test_a_confirmation_cannot_change_the_method_and_every_judgement_needs_a_rationale(store: Store) -> None:
    team = people(store)
    item = worked_example(store, team["force_analyst"])
    with pytest.raises(UsageError, match="a confirmation cannot change it"):
        A.record_judgement(
            store,
            team["force_analyst"],
            item.id,
            stage="assessment",
            kind="confirmation",
            field="service_level.beta",
            value="0.1",
            rationale="tighter",
        )
    with pytest.raises(UsageError, match="an override of the model needs a rationale"):
        A.record_judgement(
            store,
            team["force_analyst"],
            item.id,
            stage="options",
            kind="override",
            field="decision",
            value="no increase",
            rationale=" ",
        )
    with pytest.raises(UsageError, match="not on the harm scale"):
        A.record_judgement(
            store,
            team["force_analyst"],
            item.id,
            stage="assessment",
            kind="score",
            field="threat.harm.physical",
            value=7,
            rationale="very high",
        )


def test_an_override_changes_the_final_decision_and_keeps_the_models_beside_it(store: Store) -> None:
    team = people(store)
    item = worked_example(store, team["force_analyst"])
    confirm_and_score(store, team["force_analyst"], item.id)
    A.record_judgement(
        store,
        team["force_analyst"],
        item.id,
        stage="options",
        kind="override",
        field="decision",
        value="no increase",
        rationale="the uplift is funded next year instead",
    )
    with store.read() as conn:
        decision = ledger.current_run(conn, item.id).output("decision")
    assert decision["model"]["decision"] == "increase"
    assert decision["final"]["decision"] == "no increase"
    assert decision["override"][0]["rationale"] == "the uplift is funded next year instead"
    assert "the model's result was increase (40 to 54, central 54)" in decision["final"]["statement"]


def test_approval_needs_the_pcc_informed_engagement_and_the_eia(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    team = people(store)
    item = worked_example(store, team["force_analyst"])
    confirm_and_score(store, team["force_analyst"], item.id)
    A.assure(store, team["assurer"], item.id, settings=settings(tmp_path))
    with pytest.raises(Conflict) as refused:
        A.approve(store, team["chief_officer"], item.id, settings=settings(tmp_path))
    message = str(refused.value)
    assert "police and crime commissioner was informed" in message
    assert "community engagement record" in message and "impact assessment outcome" in message
    engage(store, team["chief_officer"], item.id)  # recorded while assured, by the chief officer's office
    assert (
        A.approve(store, team["chief_officer"], item.id, settings=settings(tmp_path)).to_state == "approved"
    )


def test_only_legal_transitions_by_the_right_role_and_force_are_allowed(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    team, other = people(store), people(store, WMIDS, "wmids")
    cfg = settings(tmp_path)
    item = worked_example(store, team["force_analyst"])
    confirm_and_score(store, team["force_analyst"], item.id)
    engage(store, team["force_analyst"], item.id)
    with pytest.raises(Conflict, match="it can become approved only from assured"):
        A.approve(store, team["chief_officer"], item.id, settings=cfg)
    with pytest.raises(Conflict, match="it can become published only from approved"):
        A.publish(store, team["chief_officer"], item.id, settings=cfg)
    with pytest.raises(PermissionDenied, match="only their own force"):
        A.assure(store, other["assurer"], item.id, settings=cfg)
    A.assure(store, team["assurer"], item.id, settings=cfg)
    with pytest.raises(Conflict):
        A.assure(store, team["assurer"], item.id, settings=cfg)
    with pytest.raises(PermissionDenied):
        A.approve(store, team["assurer"], item.id, settings=cfg)
    with pytest.raises(Conflict, match="judgements can be added only while it is draft"):
        A.record_judgement(
            store,
            team["force_analyst"],
            item.id,
            stage="action",
            kind="judgement",
            field="x",
            value="y",
            rationale="too late",
        )
    nobody = Principal(user_id=None, username="operator", role=Role.chief_officer, force_code=item.force_code)
    with pytest.raises(PermissionDenied, match="not a person's account"):
        A.approve(store, nobody, item.id, settings=cfg)
    with store.read() as conn:
        assert ledger.load(conn, item.id).state == "assured"


def test_each_transition_is_signed_over_the_manifest_and_written_to_the_audit_log(
    store: Store, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    team = people(store)
    item = published(store, team, settings(tmp_path))
    with store.read() as conn:
        signed = signatures(conn, item.id)
        run = ledger.current_run(conn, item.id)
        events = {r.seq: r for r in conn.execute(select(audit_event)).all()}
    assert [(s.from_state, s.to_state, s.actor) for s in signed] == [
        ("draft", "assured", "avon.assurer"),
        ("assured", "approved", "avon.chief_officer"),
        ("approved", "published", "avon.chief_officer"),
    ]
    assert all(s.verifies() for s in signed)
    assert signed[1].manifest_sha256 == signed[2].manifest_sha256 == run.manifest_sha256
    assert signed[1].decision_text.startswith("Approved. Increase the number of Taser-trained officers by 14")
    for s in signed:
        event = events[s.audit_seq]
        assert (event.event_type, event.actor, event.subject_id) == (
            "assessment.transitioned",
            s.actor,
            str(item.id),
        )
    assert (tmp_path / "keys" / "avon.chief_officer.ed25519.pem").stat().st_mode & 0o077 == 0


def test_approving_a_new_version_supersedes_the_old_one_and_keeps_the_link(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    team, cfg = people(store), settings(tmp_path)
    first = published(store, team, cfg)
    with pytest.raises(UsageError, match="already has version 1"):
        worked_example(store, team["force_analyst"], current=50)
    second = worked_example(
        store, team["force_analyst"], current=50, revision_reason="ten more officers trained"
    )
    assert (second.version, second.supersedes_id) == (2, first.id)
    confirm_and_score(store, team["force_analyst"], second.id)
    engage(store, team["force_analyst"], second.id)
    A.assure(store, team["assurer"], second.id, settings=cfg)
    A.approve(store, team["chief_officer"], second.id, settings=cfg)
    with store.read() as conn:
        old, new = ledger.load(conn, first.id), ledger.load(conn, second.id)
        last = signatures(conn, first.id)[-1]
    assert (old.state, old.superseded_by_id, new.state) == ("superseded", second.id, "approved")
    assert (last.from_state, last.to_state, last.actor) == ("published", "superseded", "avon.chief_officer")
    assert f"assessment {second.id}" in last.decision_text
    assert verify_assessment(store, first.id).ok and verify_assessment(store, second.id).ok


def test_informed_records_may_follow_publication_without_changing_what_was_signed(
    store: Store, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    team = people(store)
    item = published(store, team, settings(tmp_path))
    A.record_informed(
        store,
        team["chief_officer"],
        item.id,
        party="community_group",
        party_name="Bristol IAG",
        informed_on=dt.date(2019, 4, 2),
        how="letter",
    )
    with pytest.raises(Conflict):
        A.record_community(store, team["force_analyst"], item.id, kind="mitigation", summary="later")
    assert verify_assessment(store, item.id).ok


def test_a_method_whose_demand_is_call_data_needs_a_demand_extract(store: Store) -> None:
    team = people(store)
    with pytest.raises(UsageError, match="which forcewatch does not hold"):
        A.create_assessment(
            store, team["force_analyst"], force="Avon and Somerset", period="2018-19", method="default_stra"
        )
    with pytest.raises(UsageError, match="no demand data"):
        A.create_assessment(store, team["force_analyst"], force="Avon and Somerset", period="2018-19")
    assert worked_example_method().info.name == "worked-example-5"


def test_outside_demo_mode_signing_needs_a_configured_key_folder(store: Store) -> None:
    from forcewatch.errors import SettingsError
    from forcewatch.settings import Settings

    team = people(store)
    item = worked_example(store, team["force_analyst"])
    confirm_and_score(store, team["force_analyst"], item.id)
    with pytest.raises(SettingsError, match="no folder for signing keys"):
        A.assure(store, team["assurer"], item.id, settings=Settings(pseudonym_key="k" * 40))
    with store.read() as conn:
        assert ledger.load(conn, item.id).state == "draft"
