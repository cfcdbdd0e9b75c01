"""The worked examples of threat-risk-assessment.md, reproduced through the assessment (not the bare engine)."""

from __future__ import annotations

import hashlib
import json

import pytest

from forcewatch import assessment as A
from forcewatch.assessment import ledger
from forcewatch.store import Store

from .assessment_data import (
    AVON,
    THREAT_3_1,
    confirm_and_score,
    demand_5_1,
    import_force_records,
    people,
    worked_example,
    worked_example_method,
)

pytestmark = pytest.mark.usefixtures("fast_passwords")


def current(store: Store, assessment_id: int) -> ledger.RunRecord:
    with store.read() as conn:
        return ledger.current_run(conn, assessment_id)


def step(run: ledger.RunRecord, name: str) -> dict:  # type: ignore[type-arg]
    return next(s for s in run.output("trace")["steps"] if s["name"] == name)


def test_examples_5_1_to_5_8_and_3_1_give_40_to_54_central_54_and_an_increase(store: Store) -> None:
    team = people(store)
    item = worked_example(store, team["force_analyst"], current=40)
    confirm_and_score(store, team["force_analyst"], item.id)
    run = current(store, item.id)
    rate = step(run, "rate[force/00-24]")["outputs"]
    assert (round(rate["rate"], 3), round(rate["low"], 3), round(rate["high"], 3)) == (
        0.6,
        0.545,
        0.659,
    )  # 5.1
    chance = step(run, "chance_in_shift[force/00-24]")["outputs"]
    assert round(chance["central"], 3) == 0.992  # 5.2
    erlang = step(run, "erlang_b[force/00-24]")["outputs"]
    table = erlang["central"]["table"]
    assert [round(b, 4) for b in table[1:5]] == [0.4737, 0.1757, 0.0501, 0.0111]  # 5.3
    assert (erlang["low"]["units"], erlang["central"]["units"], erlang["high"]["units"]) == (
        3,
        4,
        4,
    )  # 5.4-5.6
    headcount = step(run, "headcount[force]")["outputs"]
    assert (headcount["central"]["exact"], headcount["central"]["required"]) == ("160/3", 54)  # 5.7
    assert (headcount["low"]["exact"], headcount["low"]["required"]) == ("40", 40)  # 5.8
    decision = run.output("decision")
    assert decision["model"]["recommendation"] == "40 to 54, central 54"
    assert decision["threat"]["priority"] == "20.25" and decision["threat"]["confidence"] == "medium"  # 3.1
    assert decision["threat"]["harm_total"] == "4.5" and decision["threat"]["risk"] == "13.5"
    assert decision["final"] == {
        "decision": "increase",
        "required_headcount": 54,
        "statement": "Increase the number of Taser-trained officers by 14, to 54 (requirement 40 to 54, central 54; "
        "40 trained now).",
    }
    assert run.manifest()["outputs"]["trace"] == hashlib.sha256(run.texts["trace"].encode()).hexdigest()


def test_no_increase_is_an_explicit_outcome_when_enough_officers_are_trained(store: Store) -> None:
    team = people(store)
    item = worked_example(store, team["force_analyst"], current=60)
    confirm_and_score(store, team["force_analyst"], item.id)
    final = current(store, item.id).output("decision")["final"]
    assert final["decision"] == "no increase"
    assert final["statement"].startswith(
        "No increase: the requirement is 40 to 54, central 54; 60 trained now."
    )


def test_a_priority_below_the_threshold_gives_no_increase_despite_a_shortfall(store: Store) -> None:
    team = people(store)
    item = worked_example(store, team["force_analyst"], current=40)
    confirm_and_score(store, team["force_analyst"], item.id, threat={**THREAT_3_1, "likelihood": 1})
    decision = current(store, item.id).output("decision")
    assert decision["threat"]["priority"] == "6.75"
    assert decision["final"]["decision"] == "no increase"
    assert "priority 6.75 is below the threshold 12" in decision["model"]["reasons"]


def test_without_scores_the_decision_is_not_decided_and_says_what_is_missing(store: Store) -> None:
    team = people(store)
    item = worked_example(store, team["force_analyst"], current=40)
    A.record_judgement(
        store,
        team["force_analyst"],
        item.id,
        stage="assessment",
        kind="score",
        field="threat.likelihood",
        value=3,
        rationale="rising",
    )
    decision = current(store, item.id).output("decision")
    assert decision["final"]["decision"] == "not decided"
    assert (
        "threat.harm.physical" in decision["missing_scores"]
        and "threat.likelihood" not in decision["missing_scores"]
    )


def test_scores_given_one_by_one_make_the_same_priority_as_the_whole_threat(store: Store) -> None:
    team = people(store)
    item = worked_example(store, team["force_analyst"])
    for field, value in [
        *((f"threat.harm.{k}", v) for k, v in THREAT_3_1["harm"].items()),
        *((f"threat.{k}", v) for k, v in THREAT_3_1.items() if k != "harm"),
    ]:
        A.record_judgement(
            store,
            team["force_analyst"],
            item.id,
            stage="assessment",
            kind="score",
            field=field,
            value=value,
            rationale="scored by the analyst",
        )
    assert current(store, item.id).output("decision")["priority"] == "20.25"


def test_example_5_9_a_buffer_of_ten_percent_gives_59(store: Store) -> None:
    team = people(store)
    method = worked_example_method(**{"  buffer: 0 ": "  buffer: 0.10 "})
    item = A.create_assessment(
        store,
        team["force_analyst"],
        force=AVON,
        period="2018-19",
        method=method,
        given=demand_5_1(),
        current={"": 40},
    )
    assert current(store, item.id).output("decision")["model"]["recommendation"] == "44 to 59, central 59"


def test_a_monte_carlo_interval_is_seeded_recorded_and_repeatable(store: Store) -> None:
    team = people(store)
    method = worked_example_method(
        **{"  method: demand_ci ": "  method: monte_carlo ", "  draws: 10000 ": "  draws: 400 "}
    )
    runs = []
    for n in range(2):
        item = A.create_assessment(
            store,
            team["force_analyst"],
            force=AVON,
            period="2018-19",
            method=method,
            given=demand_5_1(),
            current={"": 40},
            revision_reason=None if n == 0 else "again",
        )
        runs.append(current(store, item.id))
    assert runs[0].texts == runs[1].texts  # same seed, same inputs: the same bytes
    manifest = runs[0].manifest()
    assert manifest["seed"] == 20160101 and manifest["interval"] == "monte_carlo"
    assert manifest["runtime"]["numpy"] and manifest["runtime"]["python"]
    assert step(runs[0], "monte_carlo")["outputs"]["draws"] == 400


def test_records_give_demand_by_area_and_hour_block_with_the_hours_of_the_period(
    store: Store, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    team = people(store)
    import_force_records(store, tmp_path, AVON, reports=90, ced_every=3)
    item = A.create_assessment(store, team["force_analyst"], force="Avon and Somerset", period="2018-19")
    with store.read() as conn:
        frozen = {s.input_key: s for s in ledger.snapshots(conn, item.id)}
    demand = frozen["demand"].content()
    assert [(r["area"], r["block"], r["hours"]) for r in demand["rows"]] == [
        ("whole force", "00-08", 2920),
        ("whole force", "08-16", 2920),
        ("whole force", "16-24", 2920),
    ]
    assert sum(r["events"] for r in demand["rows"]) == 30  # every third of 90 reports, one incident each
    assert demand["unit"] == "incident" and demand["filter"] == {
        "source": "use_of_force_reports",
        "where": {"ced": [True]},
    }
    records = frozen["records_use_of_force"]
    assert records.content()["reports"] == 90 and records.content()["ced_reports"] == 30
    assert (
        records.quality["completeness_time"] == 1
        and 0 <= records.quality["ethnicity_not_recorded_share"] <= 1
    )
    assert json.loads(frozen["demand"].text) == demand and len(frozen["demand"].sha256) == 64
