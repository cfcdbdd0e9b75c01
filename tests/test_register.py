"""The register on a date and over time: counts, lapses, series, headcount, scoping and audit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from forcewatch import audit, register
from forcewatch.access import SYSTEM, Role
from forcewatch.errors import NotFound, PermissionDenied, UsageError
from forcewatch.method import BlockDemand, CoverageInputs
from forcewatch.register_import import import_register
from forcewatch.store import Store

from .register_data import AVON, KEY, WMIDS, analyst, device, officer, posting, pseudonym, training, write_register

ROWS = [
    # A1: response officer, trained 2017-03-01, requalified 2018-02-20 -> valid to 2019-02-19, then nothing
    posting("A1", "2016-01-01"), training("A1", "2017-03-01"),
    training("A1", "2018-02-20", course="Requalification"),
    # B2: neighbourhood officer in Bath, trained, failed a requalification on 2018-09-01
    posting("B2", "2015-06-01", team="Bath NPT", area="Bath", role="Neighbourhood"),
    training("B2", "2017-10-01"), training("B2", "2018-09-01", course="Requalification", result="Fail"),
    # C3: never trained; left on 2019-01-01
    posting("C3", "2014-01-01"), {"StaffId": "C3", "Event": "Left", "Date": "2019-01-01"},
    # D4: trained with an expiry the export states
    posting("D4", "2017-01-01"), training("D4", "2018-06-01", expires="2018-11-30"),
    device("A1", "2017-03-02", "X1"),
]


@pytest.fixture
def held(store: Store, tmp_path: Path) -> Store:
    import_register(store, analyst(), write_register(tmp_path / "hr.csv", ROWS), AVON, settings=KEY)
    return store


def _total(store: Store, day: str, by: tuple[str, ...] = ("team",)) -> dict[str, object]:
    return register.count_on(store, analyst(), AVON, date.fromisoformat(day), by).total


def test_a_requalification_is_in_date_to_its_last_valid_day_and_lapsed_the_day_after(held: Store) -> None:
    # A1 requalified on 2018-02-20: valid for 12 months, to 2019-02-19 inclusive
    on_expiry = _total(held, "2019-02-19")
    after = _total(held, "2019-02-20")
    assert (on_expiry["in_date"], on_expiry["lapsed"], on_expiry["failed"]) == (1, 1, 1)  # A1; D4; B2
    assert (after["in_date"], after["lapsed"], after["failed"]) == (0, 2, 1)


def test_counts_on_a_date_add_up_and_say_why_officers_are_not_in_date(held: Store) -> None:
    t = _total(held, "2018-10-01")
    assert t == {**t, "officers": 4, "trained": 3, "in_date": 2, "lapsed": 0, "failed": 1, "withdrawn": 0,
                 "never_trained": 1, "in_date_not_eligible": 0, "eligible_in_date": 2}
    assert t["trained"] == t["in_date"] + t["lapsed"] + t["failed"] + t["withdrawn"]
    assert t["officers"] == t["trained"] + t["never_trained"]
    assert t["share_in_date"] == 0.5


def test_a_stated_expiry_wins_over_the_policy(held: Store) -> None:
    assert _total(held, "2018-11-30")["in_date"] == 2  # A1 and D4
    assert _total(held, "2018-12-01")["in_date"] == 1  # D4's stated expiry passed


def test_an_officer_who_left_is_not_counted_from_the_day_they_left(held: Store) -> None:
    assert _total(held, "2018-12-31")["officers"] == 4
    assert _total(held, "2019-01-01")["officers"] == 3


def test_counts_by_team_and_the_share_of_response_officers(held: Store) -> None:
    counts = register.count_on(held, analyst(), AVON, date(2018, 10, 1), ("team",))
    teams = {g["team"]: (g["officers"], g["in_date"]) for g in counts.groups}
    assert teams == {"Bath NPT": (1, 0), "Bristol Response A": (3, 2)}
    assert (counts.total["response_officers"], counts.total["response_in_date"]) == (3, 2)
    assert counts.rows()[-1]["team"] == "all"
    by_area_status = register.count_on(held, analyst(), AVON, date(2018, 10, 1), ("area", "status")).groups
    assert [(g["area"], g["status"], g["officers"]) for g in by_area_status] == [("Bath", "officer", 1),
                                                                               ("Bristol", "officer", 3)]


def test_firearms_authorisations_are_counted_the_same_way(store: Store, tmp_path: Path) -> None:
    rows = [posting("F1", "2015-01-01", team="Armed Response 1", role="Armed response"),
            training("F1", "2016-05-01", skill="AFO"), training("F1", "2016-09-01", skill="ARV"),
            training("F1", "2017-04-20", skill="AFO", course="Requalification")]
    import_register(store, analyst(), write_register(tmp_path / "hr.csv", rows), AVON, settings=KEY)
    on = date(2017, 10, 1)
    afo = register.count_on(store, analyst(), AVON, on, ("role",), skill="afo")
    arv = register.count_on(store, analyst(), AVON, on, ("role",), skill="arv")
    ced = register.count_on(store, analyst(), AVON, on, ("role",), skill="ced")
    assert (afo.total["in_date"], arv.total["lapsed"], ced.total["never_trained"]) == (1, 1, 1)
    assert afo.groups[0]["role"] == "armed_response"


def test_an_unknown_grouping_or_skill_is_refused(held: Store) -> None:
    with pytest.raises(UsageError, match="cannot count by 'shoe_size'"):
        register.count_on(held, analyst(), AVON, date(2018, 10, 1), ("shoe_size",))
    with pytest.raises(UsageError, match="unknown skill"):
        register.count_on(held, analyst(), AVON, date(2018, 10, 1), skill="tazer")


def test_the_series_gives_counts_throughput_failures_and_lapses_per_period(held: Store) -> None:
    found = register.series(held, analyst(), AVON, date(2018, 3, 31), date(2019, 3, 31), every="quarter")
    points = {p["on"].isoformat(): p for p in found["points"]}
    assert list(points) == ["2018-03-31", "2018-06-30", "2018-09-30", "2018-12-31", "2019-03-31"]
    assert points["2018-03-31"]["requalification_passes"] == 1  # A1's, in the quarter to 31 March
    assert points["2018-06-30"]["initial_passes"] == 1  # D4
    sep = points["2018-09-30"]
    assert (sep["requalification_fails"], sep["failure_rate"], sep["in_date"]) == (1, 1.0, 2)
    dec = points["2018-12-31"]
    assert (dec["lapses"], dec["in_date_at_start"], dec["lapse_rate"]) == (1, 2, 0.5)  # D4 lapsed 1 December
    assert points["2019-03-31"]["lapses"] == 1  # A1 lapsed 20 February


def test_current_headcount_is_what_the_coverage_model_takes(held: Store) -> None:
    current = register.current_headcount(held, AVON, date(2018, 10, 1), by="area", principal=analyst())
    assert current == {"Bristol": 2}
    demand = (BlockDemand("Bristol", "00-08", 3, 2920), BlockDemand("Bath", "00-08", 1, 2920))
    assert CoverageInputs(demand, current=current).current_for("Bristol") == 2
    assert register.current_headcount(held, AVON, date(2018, 10, 1), by="team", principal=analyst()) == {
        "Bristol Response A": 2}


def test_another_forces_analyst_cannot_read_the_register(held: Store) -> None:
    outsider = analyst(WMIDS)
    for call in (lambda: register.count_on(held, outsider, AVON, date(2018, 10, 1)),
                 lambda: register.series(held, outsider, AVON, date(2018, 1, 1), date(2018, 6, 1)),
                 lambda: register.list_officers(held, outsider, AVON, date(2018, 10, 1)),
                 lambda: register.officer_history(held, outsider, AVON, pseudonym("A1")),
                 lambda: register.current_headcount(held, AVON, date(2018, 10, 1), principal=outsider)):
        with pytest.raises(PermissionDenied, match="only their own force"):
            call()


def test_roles_without_the_register_are_refused(held: Store) -> None:
    for role in (Role.pcc, Role.assurer, Role.scrutiny_panel):
        with pytest.raises(PermissionDenied):
            register.count_on(held, analyst(role=role), AVON, date(2018, 10, 1))
    with pytest.raises(PermissionDenied, match="never allows"):
        register.count_on(held, SYSTEM, AVON, date(2018, 10, 1))


def test_an_officer_sees_only_their_own_entry_and_a_supervisor_their_team(held: Store) -> None:
    me = officer("A1")
    assert [o["officer_pseudonym"] for o in register.list_officers(held, me, AVON, date(2018, 10, 1))] == [
        pseudonym("A1")]
    assert register.officer_history(held, me, AVON, pseudonym("A1"))["officer_pseudonym"] == pseudonym("A1")
    with pytest.raises(PermissionDenied):
        register.officer_history(held, me, AVON, pseudonym("D4"))
    with pytest.raises(PermissionDenied):
        register.count_on(held, me, AVON, date(2018, 10, 1))
    sergeant = officer("S9", team="Bath NPT", role=Role.supervisor)
    seen = {o["officer_pseudonym"] for o in register.list_officers(held, sergeant, AVON, date(2018, 10, 1))}
    assert seen == {pseudonym("B2")}


def test_an_unknown_pseudonym_is_not_found_for_those_who_may_read_the_force(held: Store) -> None:
    with pytest.raises(NotFound):
        register.officer_history(held, analyst(), AVON, "0" * 32)
    with pytest.raises(PermissionDenied):  # an officer learns nothing about other pseudonyms
        register.officer_history(held, officer("A1"), AVON, "0" * 32)


def test_an_officers_history_has_every_event_their_states_and_policy_findings(held: Store) -> None:
    found = register.officer_history(held, analyst(), AVON, pseudonym("A1"), on_date=date(2018, 10, 1))
    assert [e["kind"] for e in found["events"]] == ["posting", "training", "device_issued", "training"]
    assert found["authorisations"]["ced"]["state"] == "in_date"
    assert found["authorisations"]["ced"]["expires_on"] == date(2019, 2, 19)
    assert found["findings"] == []
    assert "StaffId" not in str(found) and "A1" not in {str(v) for e in found["events"] for v in e.values()}


def test_every_read_is_in_the_audit_log(held: Store) -> None:
    register.count_on(held, analyst(), AVON, date(2018, 10, 1))
    register.officer_history(held, analyst(), AVON, pseudonym("A1"))
    entries = audit.events(held, principal=SYSTEM, event_type="record.read")
    kinds = [(e.subject_type, e.actor) for e in entries]
    assert ("register_counts", f"{Role.force_analyst}-{AVON}") in kinds
    assert ("register_officer", f"{Role.force_analyst}-{AVON}") in kinds
