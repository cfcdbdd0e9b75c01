"""Shared learning: nothing leaves the force unless approved, consented, redacted, coarsened and without its sources."""

from __future__ import annotations

from typing import Any

import pytest

from forcewatch import audit, learning
from forcewatch.access import PUBLIC, SYSTEM, Role
from forcewatch.errors import Conflict, InputRefused, NotFound, PermissionDenied
from forcewatch.store import Store

from .assault_fixtures import (
    AVON_ANALYST,
    AVON_CHIEF,
    AVON_OFFICER,
    NATIONAL,
    REVIEW_TEAM,
    WMIDS,
    WMIDS_ANALYST,
    principal,
    record,
)

GLOUCESTER = principal(Role.force_analyst, "E23000037")  # Gloucestershire: the same region (South West) as Avon


def _item(store: Store, assault_ids: list[int] = (), **overrides: Any) -> int:  # type: ignore[assignment]
    values = {"title": "Spat at by a detained man; PC Amir Khan waited weeks for blood tests", "period": "2024-05",
              "area_tags": ["equipment", "investigation_aftercare"], "theme": "spitting_blood_borne",
              "what_happened": "Sgt Jones #4455 was spat at during a search. Call 07700 900123.",
              "what_helped": "A spit guard at the desk.", "what_to_change": "Same-day blood-borne virus advice.",
              "handling": "OFFICIAL", "consent_scope": "publish_anonymised_quotes", **overrides}
    return learning.write_learning(store, AVON_ANALYST, values, list(assault_ids))


def _share(store: Store, learning_id: int, level: str = "public", approve: bool = True) -> None:
    learning.redact_learning(store, AVON_ANALYST, learning_id)
    learning.set_sharing_level(store, AVON_ANALYST, learning_id, level)
    if approve:
        learning.moderate_learning(store, AVON_CHIEF, learning_id, "approved")


def _seen(store: Store, who: Any) -> list[int]:
    return [i["id"] for i in learning.shared_learning(store, who)]


def test_an_approved_public_item_is_shared_redacted_coarsened_and_without_its_sources(store: Store) -> None:
    assault_id = record(store)
    learning_id = _item(store, [assault_id])
    _share(store, learning_id)
    (shared,) = learning.shared_learning(store, PUBLIC)
    assert shared == {
        "id": learning_id, "quarter": "2024 Q2", "area": "South West", "area_tags": ["equipment", "investigation_aftercare"],
        "theme": "spitting_blood_borne", "title": "Spat at by a detained man; PC [NAME] waited weeks for blood tests",
        "what_happened": "Sgt [NAME] #[COLLAR NUMBER] was spat at during a search. Call [PHONE].",
        "what_helped": "A spit guard at the desk.", "what_to_change": "Same-day blood-borne virus advice.",
        "contributing_factors": [], "target_owner": "force", "action_status": "proposed",
        "evidence_rating": "untested", "handling": "OFFICIAL", "sharing_level": "public", "audience": "public",
        "simulated": False}
    assert "source_assault_ids" not in shared and "force_code" not in shared
    assert learning.get_learning(store, AVON_ANALYST, learning_id)["source_assault_ids"] == [assault_id]


def test_an_unapproved_item_never_leaves_the_force(store: Store) -> None:
    learning_id = _item(store)
    _share(store, learning_id, approve=False)  # redacted and set to public, but not approved
    assert _seen(store, PUBLIC) == [] and _seen(store, NATIONAL) == [] and _seen(store, WMIDS_ANALYST) == []
    learning.moderate_learning(store, AVON_CHIEF, learning_id, "rejected")
    assert _seen(store, PUBLIC) == [] and _seen(store, NATIONAL) == []


def test_consent_decides_the_widest_audience(store: Store) -> None:
    national_only = _item(store, consent_scope="national_review")
    force_only = _item(store, consent_scope="internal_force_only")
    for learning_id in (national_only, force_only):
        _share(store, learning_id)
    assert _seen(store, PUBLIC) == []
    assert _seen(store, NATIONAL) == [national_only] and _seen(store, WMIDS_ANALYST) == [national_only]
    assert sorted(_seen(store, AVON_OFFICER)) == sorted([national_only, force_only])  # own force: any consent


def test_narrowing_consent_withdraws_an_item_at_once_and_is_an_audit_event(store: Store) -> None:
    learning_id = _item(store)
    _share(store, learning_id)
    assert _seen(store, PUBLIC) == [learning_id]
    learning.set_learning_consent(store, AVON_ANALYST, learning_id, "internal_force_only")
    assert _seen(store, PUBLIC) == [] and _seen(store, NATIONAL) == []
    changes = [e.payload for e in audit.events(store, principal=SYSTEM, event_type="consent.changed")]
    assert changes == [{"record_type": "learning_item", "from_scope": "publish_anonymised_quotes",
                        "to_scope": "internal_force_only"},
                       {"record_type": "learning_item", "from_scope": None, "to_scope": "publish_anonymised_quotes"}]


def test_the_sharing_level_limits_the_audience_and_raising_it_needs_approval_again(store: Store) -> None:
    learning_id = _item(store)
    _share(store, learning_id, level="region")
    assert _seen(store, GLOUCESTER) == [learning_id]
    assert _seen(store, WMIDS_ANALYST) == [] and _seen(store, NATIONAL) == [] and _seen(store, PUBLIC) == []
    learning.set_sharing_level(store, AVON_ANALYST, learning_id, "public")
    assert learning.get_learning(store, AVON_ANALYST, learning_id)["moderation_status"] == "redacted"
    assert _seen(store, PUBLIC) == [] and _seen(store, GLOUCESTER) == []
    learning.moderate_learning(store, AVON_CHIEF, learning_id, "approved")
    assert _seen(store, PUBLIC) == [learning_id]
    shared = [e.payload for e in audit.events(store, principal=SYSTEM, event_type="learning.sharing_changed")]
    assert shared == [{"from_level": "region", "to_level": "public", "approval_withdrawn": True},
                      {"from_level": "force", "to_level": "region", "approval_withdrawn": False}]


def test_official_sensitive_material_is_never_published(store: Store) -> None:
    learning_id = _item(store, handling="OFFICIAL-SENSITIVE")
    _share(store, learning_id)
    assert _seen(store, PUBLIC) == [] and _seen(store, NATIONAL) == [learning_id]


def test_moderation_follows_received_redacted_approved(store: Store) -> None:
    learning_id = _item(store)
    with pytest.raises(Conflict, match="received"):
        learning.moderate_learning(store, AVON_CHIEF, learning_id, "approved")
    with pytest.raises(PermissionDenied):
        learning.moderate_learning(store, AVON_ANALYST, learning_id, "approved")  # no one approves their own
    learning.redact_learning(store, AVON_ANALYST, learning_id)
    learning.moderate_learning(store, REVIEW_TEAM, learning_id, "approved")
    kinds = [e.event_type for e in audit.events(store, principal=SYSTEM, subject_type="learning_item")]
    assert kinds == ["learning.moderated", "learning.redacted", "consent.changed", "learning.written"]


def test_a_hand_edited_redaction_is_scanned_again(store: Store) -> None:
    learning_id = _item(store)
    learning.redact_learning(store, AVON_ANALYST, learning_id, {"what_helped": "PC Sarah Jones brought a spit guard."})
    item = learning.get_learning(store, AVON_ANALYST, learning_id)
    assert item["redacted"]["what_helped"] == "PC [NAME] brought a spit guard."


def test_writing_checks_every_answer(store: Store) -> None:
    with pytest.raises(InputRefused) as refused:
        _item(store, area_tags=["morale"], period="May 2024", theme="bad luck", what_helped="")
    assert sorted(p.column for p in refused.value.problems) == ["area_tags", "period", "theme", "what_helped"]


def test_learning_is_written_and_read_within_the_force(store: Store) -> None:
    west_assault = record(store, who=WMIDS_ANALYST, CrimeRef="W")
    with pytest.raises(NotFound):  # sources must be the writer's own force's assaults
        _item(store, [west_assault])
    learning_id = _item(store)
    with pytest.raises(NotFound):
        learning.get_learning(store, WMIDS_ANALYST, learning_id)
    with pytest.raises(PermissionDenied):
        learning.get_learning(store, AVON_OFFICER, learning_id)
    assert [i["id"] for i in learning.list_learning(store, REVIEW_TEAM)] == [learning_id]
    assert learning.list_learning(store, principal(Role.force_analyst, WMIDS)) == []
