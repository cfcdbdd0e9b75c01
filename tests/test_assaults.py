"""Assault records: one per officer per crime, checked by one set of rules, read and written under the policy."""

from __future__ import annotations

from datetime import date

import pytest

from forcewatch import assaults, audit
from forcewatch.access import SYSTEM, Role
from forcewatch.assault_fields import check_assault
from forcewatch.errors import Conflict, InputRefused, NotFound, PermissionDenied
from forcewatch.settings import Settings
from forcewatch.store import Store

from .assault_fixtures import (
    AVON,
    AVON_ANALYST,
    AVON_OFFICER,
    AVON_SUPERVISOR,
    NATIONAL,
    REVIEW_TEAM,
    SETTINGS,
    WMIDS,
    WMIDS_ANALYST,
    assault_values,
    principal,
    pseudonym,
    record,
)


def test_an_assault_is_stored_with_its_derived_fields_and_the_victim_only_as_a_pseudonym(store: Store) -> None:
    assault_id = record(store, Methods="spit; punch", ExposureRisk="yes", UseOfForceReportRefs="UOF-1; UOF-2")
    found = assaults.get_assault(store, AVON_ANALYST, assault_id, as_of=date(2024, 4, 1))
    assert {k: found[k] for k in ("force_code", "crime_ref", "victim_pseudonym", "team", "offence", "ho_class",
                                  "spit_or_bite", "taser_carried", "single_crewed", "methods", "status", "simulated")} == {
        "force_code": AVON, "crime_ref": "CR/1", "victim_pseudonym": pseudonym(AVON, "AB1"), "team": "T1",
        "offence": "ew_common_assault", "ho_class": "104", "spit_or_bite": True, "taser_carried": True,
        "single_crewed": True, "methods": ["punch", "spit"], "status": "open_investigation", "simulated": False}
    assert [u["report_ref"] for u in found["use_of_force_refs"]] == ["UOF-1", "UOF-2"]
    assert "AB1" not in str(found)


def test_the_home_office_class_depends_on_the_offence_and_the_victim() -> None:
    def ho_class(**kw: str) -> str:
        checked = check_assault(assault_values(**kw), today=date(2025, 1, 1))
        assert checked.ok, checked.problems
        return checked.assault["ho_class"]

    assert ho_class(Offence="ew_abh", InjuryLevel="medical") == "8S"
    assert ho_class(Offence="ew_abh", InjuryLevel="medical", VictimRole="pcso") == "EW"
    assert ho_class(Offence="s89_assault_constable") == "104"


def test_problems_name_the_field_the_value_and_what_was_expected() -> None:
    checked = check_assault(assault_values(OffenceDate="2018-01-01", VictimRole="pcso", Offence="s89_assault_constable",
                                           InjuryLevel="bruised", TaserCarried="no", Methods="spit; lick"),
                            file="f.csv", row=7, today=date(2025, 1, 1))
    found = sorted((p.column, p.message, p.value) for p in checked.problems)
    assert found == [
        ("InjuryLevel", "InjuryLevel cannot be read", "bruised"),
        ("Methods", "Methods cannot be read", "spit; lick"),
        ("Offence", "Police Act 1996 s.89 protects constables only", "s89_assault_constable"),
        ("TaserCarried", "TaserCarried is No but EquipmentCarried includes Taser", "no"),
    ]
    assert all(p.file == "f.csv" and p.row == 7 for p in checked.problems)
    early = check_assault(assault_values(OffenceDate="2018-11-12"), today=date(2025, 1, 1))
    assert [p.message for p in early.problems] == [
        "Assaults on Emergency Workers (Offences) Act 2018 s.1 was not in force on the offence date"]


def test_one_record_per_officer_per_crime(store: Store) -> None:
    record(store)
    with pytest.raises(Conflict, match="already recorded"):
        record(store)
    record(store, VictimStaffId="AB2")  # another officer assaulted in the same crime


def test_an_officer_records_an_assault_on_themselves_without_a_staff_id(store: Store) -> None:
    assault_id = record(store, who=AVON_OFFICER, VictimStaffId="<none>", VictimTeam="<none>")
    found = assaults.get_assault(store, AVON_OFFICER, assault_id)
    assert found["victim_pseudonym"] == AVON_OFFICER.officer_pseudonym and found["team"] == "T1"
    with pytest.raises(PermissionDenied):  # an officer records only assaults on themselves
        record(store, who=AVON_OFFICER, CrimeRef="CR/2", VictimStaffId="XY9")


def test_reads_are_scoped_to_the_readers_force_team_or_self(store: Store) -> None:
    own = record(store, CrimeRef="A")
    team = record(store, CrimeRef="B", VictimStaffId="ZZ1")
    other_team = record(store, CrimeRef="C", VictimStaffId="ZZ2", VictimTeam="T2")
    west = record(store, who=WMIDS_ANALYST, CrimeRef="W")
    seen = {who.username: sorted(a["crime_ref"] for a in assaults.list_assaults(store, who))
            for who in (AVON_OFFICER, AVON_SUPERVISOR, AVON_ANALYST, WMIDS_ANALYST, NATIONAL)}
    assert seen == {"officer-E23000036": ["A"], "supervisor-E23000036": ["A", "B"],
                    "force_analyst-E23000036": ["A", "B", "C"], "force_analyst-E23000014": ["W"],
                    "national_analyst-national": ["A", "B", "C", "W"]}
    for who, allowed in ((AVON_OFFICER, {own}), (AVON_SUPERVISOR, {own, team}), (WMIDS_ANALYST, {west})):
        for assault_id in (own, team, other_team, west):
            if assault_id in allowed:
                assaults.get_assault(store, who, assault_id)
            else:
                with pytest.raises(NotFound):
                    assaults.get_assault(store, who, assault_id)


def test_an_analyst_cannot_ask_for_another_forces_assaults(store: Store) -> None:
    record(store)
    with pytest.raises(PermissionDenied, match="West Midlands|Avon"):
        assaults.list_assaults(store, WMIDS_ANALYST, force=AVON)


def test_roles_without_the_right_are_refused_outright(store: Store) -> None:
    assault_id = record(store)
    for role in (Role.pcc, Role.assurer, Role.scrutiny_panel):
        with pytest.raises(PermissionDenied):
            assaults.list_assaults(store, principal(role, AVON))
    for who in (REVIEW_TEAM, SYSTEM):
        with pytest.raises(PermissionDenied):
            assaults.get_assault(store, who, assault_id)


def test_welfare_is_seen_only_by_the_officer_their_supervisors_and_the_forces_analysts(store: Store) -> None:
    assault_id = record(store, FirstWelfareContactDate="2024-03-02", AbsenceDays=3, VpsOffered="yes")
    for who in (AVON_OFFICER, AVON_SUPERVISOR, AVON_ANALYST):
        assert assaults.get_assault(store, who, assault_id)["welfare"]["absence_days"] == 3
    national = assaults.get_assault(store, NATIONAL, assault_id)
    assert national["welfare"] is None and national["welfare_visible"] is False
    assert assaults.record_welfare(store, AVON_SUPERVISOR, assault_id, {"absence_days": "5"}) == 2
    with pytest.raises(PermissionDenied):
        assaults.record_welfare(store, AVON_OFFICER, assault_id, {"absence_days": "6"})
    with pytest.raises(InputRefused) as refused:
        assaults.record_welfare(store, AVON_ANALYST, assault_id, {"first_welfare_contact_date": "2024-02-01"})
    assert refused.value.problems[0].column == "FirstWelfareContactDate"


def test_every_read_and_write_is_in_the_audit_log_without_the_victim_or_the_circumstances(store: Store) -> None:
    assault_id = record(store, Circumstances="Detail about PC Smith", FirstWelfareContactDate="2024-03-02")
    assaults.get_assault(store, AVON_ANALYST, assault_id)
    assaults.list_assaults(store, NATIONAL)
    entries = list(reversed(audit.events(store, principal=SYSTEM, limit=20)))
    assert [(e.event_type, e.subject_type, e.actor) for e in entries] == [
        ("assault.welfare_recorded", "officer_assault", AVON_ANALYST.username),
        ("assault.recorded", "officer_assault", AVON_ANALYST.username),
        ("record.read", "officer_assault", AVON_ANALYST.username),
        ("record.read", "officer_assault", NATIONAL.username),
    ]
    assert entries[1].payload == {"change": "created", "offence": "ew_common_assault", "ho_class": "104",
                                  "source": "form", "version": 1}
    text = str([e.as_dict() for e in entries])
    assert "Smith" not in text and pseudonym(AVON, "AB1") not in text and "AB1" not in text
    assert audit.verify(store).ok


def test_a_supervisor_records_for_their_own_team_only(store: Store) -> None:
    record(store, who=AVON_SUPERVISOR, VictimStaffId="N1", VictimTeam="T1")
    with pytest.raises(PermissionDenied):
        record(store, who=AVON_SUPERVISOR, CrimeRef="CR/2", VictimStaffId="N2", VictimTeam="T9")
    with pytest.raises(PermissionDenied):
        assaults.record_assault(store, principal(Role.supervisor, WMIDS, team="T1", staff_id="S"),
                                assault_values(CrimeRef="CR/3"), force=AVON, settings=SETTINGS)


def test_the_pseudonym_key_decides_the_pseudonym(store: Store) -> None:
    first = assaults.record_assault(store, AVON_ANALYST, assault_values(), settings=SETTINGS)
    other = Settings(demo=False, pseudonym_key="q" * 40)
    second = assaults.record_assault(store, AVON_ANALYST, assault_values(), settings=other)  # another "officer"
    pseudonyms = {assaults.get_assault(store, AVON_ANALYST, i)["victim_pseudonym"] for i in (first, second)}
    assert len(pseudonyms) == 2
