"""Comparing two versions: inputs, method settings, outputs and judgements, with the reason for revision."""

from __future__ import annotations

import pytest

from forcewatch import assessment as A
from forcewatch.assessment.diff import diff_assessments
from forcewatch.assessment.differences import differences, first_difference
from forcewatch.errors import NotFound, PermissionDenied, UsageError
from forcewatch.store import Store

from .assessment_data import (
    AVON,
    WMIDS,
    confirm_and_score,
    demand_5_1,
    people,
    worked_example,
    worked_example_method,
)
from .conftest import store_url

pytestmark = pytest.mark.usefixtures("fast_passwords")


def test_differences_name_each_leaf_by_its_path() -> None:
    old = {"staffing": {"abstraction": "0.25", "teams": "5"}, "blocks": [1, 2], "gone": 1}
    new = {"staffing": {"abstraction": "0.2", "teams": "5"}, "blocks": [1, 3], "added": True}
    assert differences(old, new) == [
        {"path": "added", "old": "(absent)", "new": True},
        {"path": "blocks[1]", "old": 2, "new": 3},
        {"path": "gone", "old": 1, "new": "(absent)"},
        {"path": "staffing.abstraction", "old": "0.25", "new": "0.2"},
    ]
    assert first_difference(old, old) is None


def test_a_revision_is_compared_input_by_input_setting_by_setting_with_its_reason(store: Store) -> None:
    team = people(store)
    analyst = team["force_analyst"]
    first = worked_example(store, analyst, current=40)
    confirm_and_score(store, analyst, first.id)
    method = worked_example_method(**{"  beta: 0.05": "  beta: 0.1"})
    second = A.create_assessment(
        store,
        analyst,
        force=AVON,
        period="2018-19",
        method=method,
        given=demand_5_1(),
        current={"": 48},
        revision_reason="the chief set a 10% service level",
    )
    A.record_judgement(
        store,
        analyst,
        second.id,
        stage="assessment",
        kind="score",
        field="priority",
        value="15",
        rationale="scored in the force strategic assessment",
    )
    result = diff_assessments(store, first.id, second.id)
    assert result["reason"] == "the chief set a 10% service level" and result["same_force_and_period"]
    assert [(i["input"], i["change"]) for i in result["inputs"]] == [
        ("current_headcount", "changed"),
        ("demand", "same"),
    ]
    assert result["inputs"][0]["differences"] == [{"path": "by_area.force", "old": 40, "new": 48}]
    assert not result["method"]["same"]
    assert {"path": "service_level.beta", "old": "0.05", "new": "0.1"} in result["method"]["settings"]
    assert result["outputs"]["recommendation"] == {
        "old": "40 to 54, central 54",
        "new": "40 to 40, central 40",
    }
    changes = {j["field"]: j["change"] for j in result["judgements"]}
    assert (
        changes["priority"] == "added"
        and changes["threat"] == "removed"
        and changes["service_level.beta"] == "removed"
    )


def test_diff_needs_the_restricted_tier_of_both_and_two_assessments(cli, store: Store) -> None:  # type: ignore[no-untyped-def]
    team, other = people(store), people(store, WMIDS, "wmids")
    first = worked_example(store, team["force_analyst"])
    second = worked_example(store, team["force_analyst"], revision_reason="again")
    with pytest.raises(PermissionDenied):
        diff_assessments(store, first.id, second.id, principal=other["chief_officer"])
    with pytest.raises(PermissionDenied):
        diff_assessments(store, first.id, second.id, principal=team["scrutiny_panel"])
    with pytest.raises(UsageError):
        diff_assessments(store, first.id, first.id)
    with pytest.raises(NotFound):
        diff_assessments(store, first.id, 999)
    shown = cli(
        "assess", "diff", str(first.id), str(second.id), "--format", "json", database=store_url(store)
    )
    assert shown.exit_code == 0 and shown.json()["reason"] == "again"
    table = cli("assess", "diff", str(first.id), str(second.id), database=store_url(store))
    assert "reason" in table.stdout and "requirement" in table.stdout
