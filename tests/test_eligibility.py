"""Eligibility policies: versioned, dated documents per force over the national default, and the checks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from forcewatch import audit, register
from forcewatch.access import SYSTEM
from forcewatch.eligibility import (
    PolicySet, check_deployment, check_history, load_policy, national_default, read_policy, show_policy,
)
from forcewatch.errors import Conflict, PermissionDenied, UsageError
from forcewatch.register_state import OfficerHistory, RegisterEvent
from forcewatch.store import Store
from forcewatch.register_import import import_register

from .register_data import AVON, KEY, WMIDS, analyst, posting, pseudonym, training, write_register

FORCE_POLICY = """
policy:
  name: avon-taser
  version: 1.0.0
  scope: Avon and Somerset
  status: approved
  approver: ACC Operations
  source: Force Taser policy
skills:
  ced:
    - from: 2016-01-01
      eligible: [officer]
      valid_months: 12
    - from: 2020-01-01
      eligible: [officer, student_officer, special_constable]   # specials carry from 2020
      valid_months: 12
"""


def history(*events: RegisterEvent) -> OfficerHistory:
    return OfficerHistory(1, AVON, "p" * 32, list(events))


def student_posting(day: date) -> RegisterEvent:
    return RegisterEvent(1, 1, "posting", day, status="student_officer", team="T", area="A")


def ced_pass(event_id: int, day: date, course: str = "initial") -> RegisterEvent:
    return RegisterEvent(event_id, 1, "training", day, skill="ced", course=course, result="pass")


NATIONAL = PolicySet(AVON, None, national_default())


def test_the_national_default_is_versioned_and_fingerprinted() -> None:
    doc = national_default()
    assert (doc.name, doc.version, doc.scope) == ("national-default", "1.0.0", "national")
    assert len(doc.sha256) == 64 and doc.sha256 == read_policy(doc.text).sha256
    assert read_policy(doc.text + "\n# a comment changes nothing\n").sha256 == doc.sha256
    assert [p.starts for p in doc.periods["ced"]] == [date(2000, 1, 1), date(2016, 1, 1), date(2019, 2, 1)]


def test_student_officers_are_eligible_from_1_february_2019_and_not_the_day_before() -> None:
    officer = history(student_posting(date(2018, 9, 1)), ced_pass(2, date(2018, 10, 1)))
    before = check_deployment(officer, "ced", date(2019, 1, 31), NATIONAL)
    after = check_deployment(officer, "ced", date(2019, 2, 1), NATIONAL)
    assert before.authorisation.in_date and before.eligible is False and not before.allowed
    assert after.authorisation.in_date and after.eligible is True and after.allowed
    assert after.rule is not None and after.rule.starts == date(2019, 2, 1)


def test_training_a_student_officer_is_checked_against_the_policy_of_its_day() -> None:
    early = history(student_posting(date(2018, 9, 1)), ced_pass(2, date(2019, 1, 31)))
    late = history(student_posting(date(2018, 9, 1)), ced_pass(2, date(2019, 2, 1)))
    [finding] = check_history(early, NATIONAL)
    assert finding.rule == "training_while_ineligible" and finding.severity == "error"
    assert "student_officer is not eligible under national-default 1.0.0 (from 2016-01-01: officer)" in finding.explanation
    assert check_history(late, NATIONAL) == []


def test_other_history_rules() -> None:
    found = check_history(history(ced_pass(2, date(2017, 1, 1), course="requalification"),
                                  RegisterEvent(3, 1, "posting", date(2017, 6, 1), status="officer"),
                                  RegisterEvent(4, 1, "training", date(2017, 7, 1), skill="ced", course="initial",
                                                result="pass", expires_on=date(2019, 1, 1)),
                                  RegisterEvent(5, 1, "device_issued", date(2019, 3, 1), serial="X9")), NATIONAL)
    assert [f.rule for f in found] == ["training_without_posting", "requalification_without_initial",
                                       "expiry_beyond_policy", "device_issued_not_authorised"]


def test_a_pass_is_valid_to_the_day_before_the_same_date_twelve_months_later() -> None:
    assert NATIONAL.expiry_of("ced", date(2018, 2, 20)) == date(2019, 2, 19)
    assert NATIONAL.expiry_of("ced", date(2019, 3, 31)) == date(2020, 3, 30)
    assert NATIONAL.expiry_of("ced", date(1990, 1, 1)) is None  # no policy period covers it


def test_a_force_policy_overrides_the_national_default_where_it_has_a_period() -> None:
    own = PolicySet(AVON, read_policy(FORCE_POLICY), national_default())
    special = history(RegisterEvent(1, 1, "posting", date(2015, 1, 1), status="special_constable"),
                      ced_pass(2, date(2020, 3, 1)))
    assert check_deployment(special, "ced", date(2020, 6, 1), own).allowed
    assert not check_deployment(special, "ced", date(2020, 6, 1), NATIONAL).allowed
    rule, doc = own.rule_on("ced", date(2010, 1, 1)) or (None, None)
    assert doc is not None and doc.name == "national-default"  # before the force's first period
    assert own.rule_on("afo", date(2020, 1, 1))[1].name == "national-default"  # a skill the force did not set


@pytest.mark.parametrize("text, message", [
    (FORCE_POLICY.replace("valid_months: 12\n    - from: 2020", "valid_monthz: 12\n    - from: 2020"),
     "valid_monthz is not a known setting"),
    (FORCE_POLICY.replace("[officer]", "[officer, cadet]"), "unknown status 'cadet'"),
    (FORCE_POLICY.replace("2020-01-01", "2015-01-01"), "must start after 2016-01-01"),
    (FORCE_POLICY.replace("version: 1.0.0", "version: one"), "must be a version like 1.0.0"),
    (FORCE_POLICY.replace("scope: Avon and Somerset", "scope: Avon and Somerest"), "unknown force"),
    ("just text", "must be a YAML mapping"),
])
def test_a_bad_policy_document_is_refused_naming_the_field(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        read_policy(text)


def test_loading_a_force_policy_is_audited_idempotent_and_versioned(store: Store) -> None:
    doc = load_policy(store, analyst(), FORCE_POLICY, AVON)
    assert load_policy(store, analyst(), FORCE_POLICY + "\n# same rules\n", AVON).sha256 == doc.sha256
    with pytest.raises(Conflict, match="version 1.0.0 of 'avon-taser' is already loaded"):
        load_policy(store, analyst(), FORCE_POLICY.replace("valid_months: 12", "valid_months: 6"), AVON)
    shown = show_policy(store, analyst(), AVON, date(2021, 1, 1))
    assert [d["policy"]["name"] for d in shown["documents"]] == ["avon-taser", "national-default"]
    assert shown["rules"]["ced"]["document"]["sha256"] == doc.sha256
    [entry] = audit.events(store, principal=SYSTEM, event_type="register.policy_loaded")
    assert entry.payload["sha256"] == doc.sha256 and entry.force_code == AVON


def test_only_the_forces_analyst_may_load_its_policy(store: Store) -> None:
    with pytest.raises(PermissionDenied):
        load_policy(store, analyst(WMIDS), FORCE_POLICY, AVON)
    with pytest.raises(UsageError, match="scope is 'E23000036', not E23000014"):
        load_policy(store, analyst(WMIDS), FORCE_POLICY, WMIDS)


def test_a_loaded_policy_changes_the_counts_on_the_days_it_covers(store: Store, tmp_path: Path) -> None:
    rows = [posting("S1", "2015-01-01", status="Special constable"), training("S1", "2020-03-01")]
    import_register(store, analyst(), write_register(tmp_path / "hr.csv", rows), AVON, settings=KEY)
    before = register.count_on(store, analyst(), AVON, date(2020, 6, 1)).total
    load_policy(store, analyst(), FORCE_POLICY, AVON)
    after = register.count_on(store, analyst(), AVON, date(2020, 6, 1)).total
    assert (before["in_date"], before["in_date_not_eligible"]) == (1, 1)
    assert (after["in_date"], after["eligible_in_date"]) == (1, 1)
    history_ = register.officer_history(store, analyst(), AVON, pseudonym("S1"))
    assert history_["findings"] == []
