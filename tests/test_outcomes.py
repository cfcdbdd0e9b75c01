"""The outcome trail: append-only in the database, corrections as new events, four layers, derived status,
the attrition funnel, the six-month alert and the dated reference data behind them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select, update

from forcewatch import assault_reference as ref
from forcewatch import assaults, attrition, audit, time_limits
from forcewatch.access import SYSTEM
from forcewatch.errors import Conflict, InputRefused, NotFound, PermissionDenied
from forcewatch.outcomes import derived_status
from forcewatch.store import Store
from forcewatch.store.tables.assaults import cjs_outcome_event

from .assault_fixtures import AVON, AVON_ANALYST, NATIONAL, WMIDS_ANALYST, event, record


def test_the_database_refuses_to_update_or_delete_an_outcome_event(store: Store) -> None:
    assault_id = record(store)
    event_id = event(store, assault_id, "arrest", "2024-03-01")
    with pytest.raises(Exception, match="append-only"):
        with store.write() as conn:
            conn.execute(update(cjs_outcome_event).where(cjs_outcome_event.c.id == event_id).values(note="changed"))
    with pytest.raises(Exception, match="append-only"):
        with store.write() as conn:
            conn.execute(delete(cjs_outcome_event).where(cjs_outcome_event.c.id == event_id))
    with store.read() as conn:
        assert conn.execute(select(cjs_outcome_event.c.note)).scalars().all() == [None]


def test_a_correction_is_a_new_event_and_the_corrected_one_stays_in_the_trail(store: Store) -> None:
    assault_id = record(store)
    wrong = event(store, assault_id, "ho_outcome", "2024-04-01", ho_outcome="8")
    right = event(store, assault_id, "ho_outcome", "2024-04-01", ho_outcome="3", corrects_event_id=wrong)
    trail = assaults.get_assault(store, AVON_ANALYST, assault_id)["outcomes"]
    assert [(e["id"], e["ho_outcome"], e["superseded"], e["superseded_by"]) for e in trail] == [
        (wrong, "8", True, right), (right, "3", False, None)]
    withdrawn = event(store, assault_id, "entered_in_error", "2024-04-02", corrects_event_id=right)
    record_ = assaults.get_assault(store, AVON_ANALYST, assault_id)
    assert [e["superseded"] for e in record_["outcomes"]] == [True, True, True]
    assert record_["status"] == "open_investigation" and withdrawn > right
    kinds = [e.event_type for e in audit.events(store, principal=SYSTEM, limit=50)]
    assert kinds.count("assault.outcome_appended") == 3


def test_the_same_event_entered_twice_is_a_conflict(store: Store) -> None:
    assault_id = record(store)
    event(store, assault_id, "charge", "2024-03-10", charged_offences="ew_common_assault")
    with pytest.raises(Conflict):
        event(store, assault_id, "charge", "2024-03-10", charged_offences="ew_common_assault")


def test_an_event_is_checked_against_its_type_and_the_offence_date(store: Store) -> None:
    assault_id = record(store)
    with pytest.raises(InputRefused) as refused:
        event(store, assault_id, "charge", "2024-02-01", ho_outcome="1")
    # each problem names the field as the input named it (a missing one by its CSV header)
    assert sorted((p.column, p.message) for p in refused.value.problems) == [
        ("ChargedOffences", "a charge event needs ChargedOffences"),
        ("event_date", "EventDate is before the offence"),
        ("ho_outcome", "HoOutcome does not belong to a charge event"),
    ]
    with pytest.raises(InputRefused, match="not added"):
        event(store, assault_id, "ho_outcome", "2024-03-05", ho_outcome="99")


def test_the_four_layers_stay_separate_and_the_status_is_derived_from_them(store: Store) -> None:
    assault_id = record(store)
    steps = [("arrest", {}), ("charge", {"charged_offences": "ew_common_assault", "charge_route": "police_charge"}),
             ("ho_outcome", {"ho_outcome": "1"}), ("plea", {"plea": "guilty", "court": "magistrates"}),
             ("cps_finalised", {"cps_finalisation": "guilty_plea"}),
             ("sentence", {"sentence_disposal": "immediate_custody", "custody_days": 56, "s67_stated": "yes"})]
    statuses = []
    for day, (kind, fields) in enumerate(steps, start=2):
        event(store, assault_id, kind, f"2024-03-{day:02d}", **fields)
        statuses.append(assaults.get_assault(store, AVON_ANALYST, assault_id)["status"])
    assert statuses == ["open_investigation", "charged_awaiting_court", "charged_awaiting_court",
                        "charged_awaiting_court", "convicted_awaiting_sentence", "convicted_and_sentenced"]
    trail = assaults.get_assault(store, AVON_ANALYST, assault_id)["outcomes"]
    assert [e["layer"] for e in trail] == ["investigation", "charging", "crime_outcome", "court", "charging", "sentence"]
    # derived from the offence and its date (2024: after the 2022 Act raised the maximum to 2 years)
    assert trail[1]["statutory_max"]["ew_common_assault"]["indictment"] == "24 months"


def test_statutory_maxima_come_from_the_dated_reference_table() -> None:
    before = ref.statutory_maximum("ew_common_assault", date(2021, 5, 1))
    after = ref.statutory_maximum("ew_common_assault", date(2024, 5, 1))
    assert (before["indictment"], before["summary_months"], before["unverified"]) == ("12 months", 6, False)
    assert after["indictment"] == "24 months"
    assert after["summary_months"] == 6 and after["unverified"] is True  # the general limit on that date (unverified)
    assert ref.statutory_maximum("ew_common_assault", date(2018, 1, 1)) is None  # not yet an offence


@pytest.mark.parametrize("events, status", [
    ([], "open_investigation"),
    ([("cps_referral", {})], "awaiting_charge_decision"),
    ([("ho_outcome", {"ho_outcome": "18"})], "closed_no_suspect"),
    ([("oocd", {}), ("ho_outcome", {"ho_outcome": "8"})], "out_of_court_disposal"),
    ([("ho_outcome", {"ho_outcome": "16"})], "nfa"),
    ([("charge", {"charged_offences": "ew_common_assault"}), ("discontinuance", {})], "unsuccessful_prosecution"),
    ([("charge", {"charged_offences": "ew_common_assault"}), ("verdict", {"verdict": "acquitted"})],
     "unsuccessful_prosecution"),
])
def test_derived_status(events: list, status: str) -> None:
    trail = [{"id": i, "event_type": kind, "superseded": False, "ho_outcome": None, "verdict": None,
              "cps_finalisation": None, "sentence_disposal": None, "suspect_pseudonym": None,
              "event_date": date(2024, 1, 1), **fields} for i, (kind, fields) in enumerate(events)]
    assert derived_status(trail) == status


def _funnel_fixture(store: Store) -> None:
    """Five assaults in March 2024, one in 2023 (outside the period), each reaching a different stage."""
    a = [record(store, CrimeRef=f"F/{i}", OffenceDate="2024-03-01") for i in range(5)]
    record(store, CrimeRef="OLD", OffenceDate="2023-01-01")
    event(store, a[0], "ho_outcome", "2024-03-20", ho_outcome="18")                      # recorded only
    event(store, a[1], "arrest", "2024-03-01")                                          # suspect identified
    event(store, a[1], "ho_outcome", "2024-04-01", ho_outcome="16")
    event(store, a[2], "charge", "2024-03-11", charged_offences="ew_common_assault")     # charged, then acquitted
    event(store, a[2], "verdict", "2024-06-01", verdict="acquitted")
    event(store, a[3], "charge", "2024-03-21", charged_offences="ew_common_assault")     # convicted, sentenced
    event(store, a[3], "sentence", "2024-05-01", sentence_disposal="fine")
    event(store, a[4], "cps_finalised", "2024-05-01", cps_finalisation="guilty_plea")   # no charge entered: still counts
    event(store, a[4], "sentence", "2024-06-01", sentence_disposal="immediate_custody", custody_days=28)


def test_the_attrition_funnel_counts_each_stage_and_everything_after_it(store: Store) -> None:
    _funnel_fixture(store)
    funnel = attrition.attrition_funnel(store, AVON_ANALYST, date_from=date(2024, 3, 1), date_to=date(2024, 3, 31))
    (row,) = funnel["rows"]
    assert {k: row[k] for k in ("recorded", "suspect_identified", "charged", "convicted", "sentenced", "custody",
                                "outcome_16", "open")} == {
        "recorded": 5, "suspect_identified": 4, "charged": 3, "convicted": 2, "sentenced": 2, "custody": 1,
        "outcome_16": 1, "open": 0}
    assert row["pct_charged"] == 60.0 and row["median_days_to_charge"] == 15.0
    assert {s["disposal"]: s["count"] for s in funnel["sentence_types"]} == {"fine": 1, "immediate_custody": 1}


def test_the_public_funnel_suppresses_small_counts_and_says_so(store: Store) -> None:
    _funnel_fixture(store)
    funnel = attrition.attrition_funnel(store, SYSTEM, date_from=date(2024, 3, 1), date_to=date(2024, 3, 31),
                                        public=True)
    (row,) = funnel["rows"]
    assert row["recorded"] is None and row["charged"] is None and row["open"] == 0
    assert row["pct_charged"] is None and row["median_days_to_charge"] is None
    assert "1 to 5 are suppressed" in funnel["suppression"]
    assert all(s["count"] is None and s["suppressed"] for s in funnel["sentence_types"])


def test_unsuppressed_figures_need_the_right_to_read_them(store: Store) -> None:
    _funnel_fixture(store)
    with pytest.raises(PermissionDenied):
        attrition.attrition_funnel(store, WMIDS_ANALYST, force=AVON, date_from=date(2024, 1, 1),
                                   date_to=date(2024, 12, 31))
    own = attrition.attrition_funnel(store, WMIDS_ANALYST, date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
    assert [(r["force"], r["recorded"]) for r in own["rows"]] == [("West Midlands", 0)]  # their own force only
    national = attrition.attrition_funnel(store, NATIONAL, date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
    assert national["rows"][0]["recorded"] == 5


@pytest.mark.parametrize("offence", ["s89_assault_constable", "common_assault"])
def test_a_summary_only_offence_is_alerted_as_the_six_month_limit_nears_and_after_it(store: Store,
                                                                                   offence: str) -> None:
    assault_id = record(store, Offence=offence, OffenceDate="2024-01-31")
    record(store, CrimeRef="EW", Offence="ew_common_assault", OffenceDate="2024-01-31")  # either way: never alerted

    def state(as_of: date) -> list:
        found = time_limits.time_limit_alerts(store, AVON_ANALYST, as_of=as_of, within_days=30)["alerts"]
        return [(a["id"], a["state"], a["days_left"]) for a in found]

    assert state(date(2024, 6, 30)) == []                             # 31 days before the limit
    assert state(date(2024, 7, 1)) == [(assault_id, "due", 30)]
    assert state(date(2024, 7, 31)) == [(assault_id, "due", 0)]        # the deadline itself
    assert state(date(2024, 8, 1)) == [(assault_id, "expired", -1)]
    event(store, assault_id, "charge", "2024-07-30", charged_offences=offence)
    assert state(date(2024, 8, 1)) == []
    assert assaults.get_assault(store, AVON_ANALYST, assault_id, as_of=date(2024, 8, 1))["time_limit"]["state"] == "met"


def test_the_either_way_offence_has_no_time_limit_and_is_never_alerted(store: Store) -> None:
    assault_id = record(store, Offence="ew_common_assault", OffenceDate="2024-01-31")
    for as_of in (date(2024, 7, 1), date(2024, 7, 31), date(2025, 6, 1)):
        assert time_limits.time_limit_alerts(store, AVON_ANALYST, as_of=as_of)["alerts"] == []
    limit = assaults.get_assault(store, AVON_ANALYST, assault_id, as_of=date(2024, 8, 1))["time_limit"]
    assert limit["state"] == "none" and "either way" in limit["basis"]


def test_a_closed_case_is_not_alerted(store: Store) -> None:
    assault_id = record(store, Offence="s89_assault_constable", OffenceDate="2024-01-31")
    event(store, assault_id, "ho_outcome", "2024-03-01", ho_outcome="18")
    assert time_limits.time_limit_alerts(store, AVON_ANALYST, as_of=date(2024, 7, 20))["alerts"] == []


def test_alerts_are_scoped_like_the_records(store: Store) -> None:
    record(store, Offence="s89_assault_constable", OffenceDate="2024-01-31")
    assert time_limits.time_limit_alerts(store, WMIDS_ANALYST, as_of=date(2024, 7, 20))["alerts"] == []
    with pytest.raises(PermissionDenied):
        time_limits.time_limit_alerts(store, WMIDS_ANALYST, force=AVON, as_of=date(2024, 7, 20))


def test_another_forces_analyst_cannot_add_an_event(store: Store) -> None:
    assault_id = record(store)
    with pytest.raises(NotFound):
        event(store, assault_id, "arrest", "2024-03-01", who=WMIDS_ANALYST)


def test_every_unverified_reference_item_is_marked() -> None:
    document = ref.reference().as_dict()
    offences = {o["key"]: o for o in document["offences"]}
    assert offences["s89_assault_constable"]["unverified"] is True
    assert offences["ew_common_assault"]["unverified"] is False
    outcomes17 = next(o for o in document["ho_outcome_types"] if o["code"] == "17")
    assert outcomes17["unverified"] is False
    assert all(o["unverified"] for o in document["ho_outcome_types"] if o["code"] != "17")
    assert all(s["unverified"] for s in document["sentence_disposals"])
    assert all(g["unverified"] for g in document["magistrates_general_limit"])
    assert document["time_limits"]["summary"]["unverified"] is True
