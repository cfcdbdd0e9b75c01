"""Review submissions stored: the author seen only by the review team, consent, moderation, confirmed areas,
and the report by area with its assault and outcome figures."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pytest

from forcewatch import audit, learning
from forcewatch.access import PUBLIC, SYSTEM, Role
from forcewatch.errors import Conflict, InputRefused, NotFound, PermissionDenied
from forcewatch.review import store as review_store
from forcewatch.review.report import area_report
from forcewatch.store import Store

from .assault_fixtures import (
    AVON,
    AVON_ANALYST,
    AVON_CHIEF,
    AVON_OFFICER,
    NATIONAL,
    REVIEW_TEAM,
    SETTINGS,
    WMIDS,
    WMIDS_ANALYST,
    event,
    principal,
    record,
)

AUTHOR = principal(Role.officer, AVON, team="T1", staff_id="AB1", user_id=None, name="pc.author")
TEXT = "I was single crewed again and Sgt Dave Morgan #4521 never checked on me. Ring 07700 900123."


def _author(store: Store) -> Any:
    """A real account, so the author can be looked up (review team) and own their submission."""
    from forcewatch import accounts
    from forcewatch.access import SYSTEM as ADMIN

    account = accounts.create_user(store, actor=ADMIN, username="pc.author", password="kettle orbit lantern",
                                   role="officer", force=AVON, team="T1", staff_id="AB1", settings=SETTINGS)
    return account.principal()


def _submit(store: Store, who: Any, text: str = TEXT, when: datetime | None = None, **overrides: Any) -> int:
    values = {"free_text": text, "consent_scope": "national_review", "role_band": "constable",
              "ratings": {"deployment": "2"}, **overrides}
    return review_store.submit(store, who, values, settings=SETTINGS, submitted_at=when)


def _approve(store: Store, submission_id: int, areas: list[str] | None = None) -> None:
    review_store.redact_submission(store, REVIEW_TEAM, submission_id)
    review_store.confirm_areas(store, REVIEW_TEAM, submission_id, areas or ["deployment"])
    review_store.moderate_submission(store, REVIEW_TEAM, submission_id, "approved")


pytestmark = pytest.mark.usefixtures("fast_passwords")


def test_the_classifier_suggests_areas_when_a_submission_is_received(store: Store) -> None:
    submission_id = _submit(store, _author(store))
    found = review_store.get_submission(store, REVIEW_TEAM, submission_id)
    assert found["moderation_status"] == "received" and found["suggested_areas"][0] == "deployment"
    assert set(found["suggested_scores"]) == {"training", "equipment", "deployment", "investigation_aftercare",
                                              "criminal_justice"}
    assert found["confirmed_areas"] is None and found["areas"] == found["suggested_areas"]


def test_only_the_review_team_sees_the_author(store: Store) -> None:
    submission_id = _submit(store, _author(store))
    _approve(store, submission_id)
    team_view = review_store.get_submission(store, REVIEW_TEAM, submission_id)
    assert team_view["author"] == "pc.author" and team_view["free_text"] == TEXT
    assert team_view["respondent_pseudonym"]
    for reader in (AVON_ANALYST,):
        view = review_store.get_submission(store, reader, submission_id)
        assert not {"author", "free_text", "respondent_pseudonym", "moderated_by", "confirmed_by"} & set(view)
        assert "pc.author" not in str(view) and "Morgan" not in str(view)
        listed = review_store.list_submissions(store, reader)
        assert [s["id"] for s in listed] == [submission_id] and "pc.author" not in str(listed)
    for reader in (NATIONAL, AVON_CHIEF, AVON_OFFICER, WMIDS_ANALYST):
        with pytest.raises((PermissionDenied, NotFound)):
            review_store.get_submission(store, reader, submission_id)
    shown = audit.events(store, principal=SYSTEM, event_type="review.author_read")
    assert [(e.actor, e.subject_id) for e in shown] == [(REVIEW_TEAM.username, str(submission_id))]


def test_an_anonymous_submission_keeps_no_author_and_cannot_be_changed_later(store: Store) -> None:
    author = _author(store)
    submission_id = _submit(store, author, anonymous=True)
    view = review_store.get_submission(store, REVIEW_TEAM, submission_id)
    assert view["author"] is None and view["respondent_pseudonym"] is None
    assert review_store.my_submissions(store, author) == []
    with pytest.raises(NotFound, match="of yours"):
        review_store.change_consent(store, author, submission_id, "internal_force_only")


def test_a_force_analyst_sees_approved_submissions_only_redacted(store: Store) -> None:
    waiting = _submit(store, AUTHOR)
    approved = _submit(store, AUTHOR, text="Spit guards ran out on nights again.")
    _approve(store, approved, ["equipment"])
    assert [s["id"] for s in review_store.list_submissions(store, AVON_ANALYST)] == [approved]
    with pytest.raises(NotFound):
        review_store.get_submission(store, AVON_ANALYST, waiting)


def test_approval_needs_redaction_and_confirmed_areas(store: Store) -> None:
    submission_id = _submit(store, AUTHOR)
    with pytest.raises(Conflict):
        review_store.moderate_submission(store, REVIEW_TEAM, submission_id, "approved")
    findings = review_store.redact_submission(store, REVIEW_TEAM, submission_id)
    assert findings == {"name": 1, "collar_number": 1, "phone": 1}
    with pytest.raises(InputRefused, match="not approved"):
        review_store.moderate_submission(store, REVIEW_TEAM, submission_id, "approved")
    review_store.confirm_areas(store, REVIEW_TEAM, submission_id, ["deployment", "investigation_aftercare"])
    review_store.moderate_submission(store, REVIEW_TEAM, submission_id, "approved")
    view = review_store.get_submission(store, REVIEW_TEAM, submission_id)
    assert view["redacted_text"] == ("I was single crewed again and Sgt [NAME] #[COLLAR NUMBER] never checked on me. "
                                     "Ring [PHONE].")
    assert (view["confirmed_areas"], view["confirmed_by"]) == (["deployment", "investigation_aftercare"],
                                                               REVIEW_TEAM.username)
    confirmed = audit.events(store, principal=SYSTEM, event_type="review.areas_confirmed")[0].payload
    assert confirmed == {"suggested": view["suggested_areas"], "confirmed": ["deployment", "investigation_aftercare"],
                         "changed": set(view["suggested_areas"]) != {"deployment", "investigation_aftercare"}}
    with pytest.raises(PermissionDenied):
        review_store.moderate_submission(store, AVON_ANALYST, submission_id, "rejected")


def test_the_author_changes_their_consent_and_it_is_an_audit_event(store: Store) -> None:
    author = _author(store)
    submission_id = _submit(store, author)
    review_store.change_consent(store, author, submission_id, "publish_anonymised_quotes")
    assert review_store.my_submissions(store, author)[0]["consent_scope"] == "publish_anonymised_quotes"
    with pytest.raises(NotFound):
        review_store.change_consent(store, AVON_ANALYST, submission_id, "internal_force_only")
    changes = [e.payload["to_scope"] for e in audit.events(store, principal=SYSTEM, event_type="consent.changed")]
    assert changes == ["publish_anonymised_quotes", "national_review"]


def test_a_submission_is_checked_whole(store: Store) -> None:
    with pytest.raises(InputRefused) as refused:
        review_store.submit(store, AUTHOR, {"free_text": " ", "consent_scope": "everyone", "role_band": "chief",
                                            "ratings": {"training": "9"}}, settings=SETTINGS)
    assert sorted(p.column for p in refused.value.problems) == ["consent_scope", "free_text", "ratings", "role_band"]
    with pytest.raises(PermissionDenied):
        _submit(store, principal(Role.pcc, AVON))


WHEN = datetime(2024, 6, 1, 12, tzinfo=timezone.utc)


def _report_fixture(store: Store) -> dict[str, int]:
    """Avon: two approved deployment submissions (one may be quoted publicly), one waiting, one force-only;
    four assaults, one single crewed and charged. West Midlands: one approved submission."""
    ids = {
        "public": _submit(store, AUTHOR, consent_scope="publish_anonymised_quotes", when=WHEN),
        "national": _submit(store, AUTHOR, text="Single crewed on nights with no backup for twenty minutes.",
                            when=WHEN, ratings={"deployment": "4"}),
        "waiting": _submit(store, AUTHOR, text="Nobody from welfare called me after I was assaulted.", when=WHEN),
        "force_only": _submit(store, AUTHOR, consent_scope="internal_force_only", when=WHEN),
        "west": _submit(store, principal(Role.officer, WMIDS, team="W", staff_id="W1"), when=WHEN),
    }
    for key in ("public", "national", "force_only", "west"):
        _approve(store, ids[key])
    charged = record(store, OffenceDate="2024-05-01", SingleCrewed="yes")
    event(store, charged, "charge", "2024-05-20", charged_offences="ew_common_assault")
    for n in range(3):
        record(store, CrimeRef=f"N/{n}", OffenceDate="2024-05-02", SingleCrewed="no")
    return ids


def _area(report: dict[str, Any], key: str) -> dict[str, Any]:
    return next(a for a in report["areas"] if a["key"] == key)


def test_the_area_report_counts_quotes_and_sets_assault_figures_beside_them(store: Store) -> None:
    _report_fixture(store)
    report = area_report(store, REVIEW_TEAM, date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
    assert report["audience"] == "national_network" and report["submissions"] == 4  # not the force-only one
    deployment = _area(report, "deployment")
    # three approved and confirmed (the waiting one speaks to aftercare; the force-only one is not national)
    assert (deployment["submissions"], deployment["confirmed"], deployment["mean_rating"]) == (3, 3, 2.67)
    # approved and consented for the national review, highest classifier score first
    assert sorted(q["text"][:20] for q in deployment["quotes"]) == ["I was single crewed ", "I was single crewed ",
                                                                    "Single crewed on nig"]
    assert {q["who"] for q in deployment["quotes"]} == {"police officer"}
    assert {q["where"] for q in deployment["quotes"]} == {"South West", "West Midlands"}
    assert all("Morgan" not in q["text"] and "07700" not in q["text"] for q in deployment["quotes"])
    assert deployment["figures"] == [{"label": "Officer single crewed", "count": 1, "base": 4, "of": "of assaults",
                                      "pct": 25.0, "suppressed": False}]
    justice = _area(report, "criminal_justice")["figures"]
    assert [(f["label"], f["count"], f["base"]) for f in justice][:2] == [("Charged or summonsed", 1, 4),
                                                                         ("Convicted", 0, 4)]
    assert [f["count"] for f in report["funnel"]] == [4, 1, 1, 0, 0, 0]
    assert report["classifier"]["held_out"]["test_size"] == 72 and report["classifier"]["reviewed"] == 3


def test_a_force_sees_its_own_force_only_with_every_consent(store: Store) -> None:
    _report_fixture(store)
    report = area_report(store, AVON_ANALYST, date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
    assert report["audience"] == "force" and report["forces"] == [AVON] and report["submissions"] == 4
    assert {q["where"] for q in _area(report, "deployment")["quotes"]} == {"Avon and Somerset"}
    with pytest.raises(PermissionDenied):
        area_report(store, WMIDS_ANALYST, force=AVON, date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))


def test_the_public_report_suppresses_small_counts_and_quotes_only_what_may_be_published(store: Store) -> None:
    _report_fixture(store)
    report = area_report(store, PUBLIC, date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), public=True)
    deployment = _area(report, "deployment")
    assert report["submissions"] is None and deployment["submissions"] is None and deployment["mean_rating"] is None
    assert all(f["suppressed"] and f["count"] is None for f in deployment["figures"])
    assert [f["count"] for f in report["funnel"]] == [None, None, None, 0, 0, 0]
    assert [q["text"][:20] for q in deployment["quotes"]] == ["I was single crewed "]  # the publishable one only
    assert report["by_status"] is None and "1 to 5 are suppressed" in report["suppression"]


def test_an_unapproved_or_unconsented_submission_is_never_quoted(store: Store) -> None:
    _report_fixture(store)
    for who, public in ((REVIEW_TEAM, False), (NATIONAL, False), (PUBLIC, True)):
        report = area_report(store, who, date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), public=public)
        quotes = [q["text"] for a in report["areas"] for q in a["quotes"]]
        assert not any("welfare called" in q for q in quotes)  # still waiting for moderation
        assert len([q for q in quotes if q.startswith("I was single crewed")]) <= (1 if public else 2)


def test_learning_is_counted_by_area_for_the_audience(store: Store) -> None:
    learning_id = learning.write_learning(store, AVON_ANALYST, {
        "title": "Crewing", "period": "2024-05", "area_tags": ["deployment"], "theme": "single_crewing",
        "what_happened": "a", "what_helped": "b", "what_to_change": "c", "consent_scope": "national_review"})
    learning.redact_learning(store, AVON_ANALYST, learning_id)
    learning.set_sharing_level(store, AVON_ANALYST, learning_id, "national_network")
    learning.moderate_learning(store, AVON_CHIEF, learning_id, "approved")
    national = area_report(store, NATIONAL, date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
    public = area_report(store, PUBLIC, date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), public=True)
    assert _area(national, "deployment")["learning_items"] == 1
    assert _area(public, "deployment")["learning_items"] == 0
