"""Input snapshots: the provider registry, the official and records providers, given inputs, the demo."""

from __future__ import annotations

import datetime as dt

import pytest

from forcewatch import assessment as A
from forcewatch.assessment import ledger, snapshots
from forcewatch.assessment.given_inputs import parse_headcount, read_demand_csv
from forcewatch.assessment.inputs_official import population, published_use_of_force, workforce
from forcewatch.assessment.snapshots import SnapshotData, SnapshotRequest, register_provider
from forcewatch.assessment.verify import verify_assessment
from forcewatch.assessment.walkthrough import demo_assessments
from forcewatch.errors import InputRefused, UsageError
from forcewatch.method import load_method
from forcewatch.settings import Settings
from forcewatch.store import Store

from .assessment_data import (
    AVON,
    WMIDS,
    demand_5_1,
    import_force_records,
    people,
    worked_example_method,
)

pytestmark = pytest.mark.usefixtures("fast_passwords")
REQUEST = SnapshotRequest(AVON, "2018-19", load_method("ced_reports_stra"), dt.date(2026, 1, 1))


def test_the_official_providers_freeze_the_published_figures(official_store: Store) -> None:
    published = published_use_of_force(official_store, REQUEST)
    assert published is not None and published.schema_version == "published_use_of_force/1"
    assert published.content["incidents"] == 8739 and published.content["ced_by_level"]["ced"] == 733
    assert published.content["ethnicity_times_reported"]["ced"]["white"] > 0
    assert published.as_at == dt.date(2019, 12, 19)
    officers = workforce(official_store, REQUEST)
    assert officers is not None and officers.content["as_at"] == "2019-03-31"
    assert officers.content["officers_fte"] == 2676.09 and officers.content["officers_headcount"] == 2765
    census = population(official_store, REQUEST)
    assert census is not None and census.content["by_ethnicity"]["white"] == 1491970
    assert (
        published_use_of_force(
            official_store, SnapshotRequest(AVON, "2030-31", REQUEST.method, REQUEST.as_at)
        )
        is None
    )


def test_a_registered_provider_contributes_its_input(store: Store) -> None:
    calls = []

    @register_provider("test_assaults", description="assaults on officers, for the test")
    def assaults(store_: Store, request: SnapshotRequest) -> SnapshotData | None:
        calls.append(request.period)
        return SnapshotData(
            {"monthly": [{"month": "2018-04", "assaults": 12, "with_injury": 3, "with_weapon": 1}]},
            source="test",
            query={},
            schema_version="assaults/1",
            rows=1,
        )

    try:
        assert "test_assaults" in snapshots.providers()
        team = people(store)
        item = A.create_assessment(
            store,
            team["force_analyst"],
            force=AVON,
            period="2018-19",
            method=worked_example_method(),
            given=demand_5_1(),
        )
        with store.read() as conn:
            frozen = {s.input_key: s for s in ledger.snapshots(conn, item.id)}
        assert calls == ["2018-19"]
        assert frozen["test_assaults"].provider.endswith("assaults") and frozen["test_assaults"].rows == 1
        assert frozen["demand"].provider == "given" and frozen["demand"].source == "worked example 5.1"
    finally:
        snapshots._REGISTRY.pop("test_assaults")


def test_given_inputs_are_read_and_refused_with_every_problem(tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "demand.csv"
    good.write_text("area,block,events,hours\nnorth,00-08,10,2920\nsouth,00-08,4,2920\n")
    data = read_demand_csv(good)
    assert data.content["rows"][0] == {"area": "north", "block": "00-08", "events": 10, "hours": "2920"}
    assert "SHA-256" in data.source
    bad = tmp_path / "bad.csv"
    bad.write_text("area,block,events,hours\nnorth,00-08,ten,0\n")
    with pytest.raises(InputRefused) as refused:
        read_demand_csv(bad)
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "events"), (2, "hours")]
    assert parse_headcount("40") == {"": 40} and parse_headcount("north=3, south=4") == {
        "north": 3,
        "south": 4,
    }
    with pytest.raises(UsageError):
        parse_headcount("lots")


def test_the_demo_walks_avon_to_published_and_leaves_west_midlands_in_draft(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cfg = Settings(demo=True, signing_key_dir=str(tmp_path / "keys"), pseudonym_key="k" * 40)
    assert demo_assessments(store, cfg).startswith("skipped: no stored use-of-force records")
    people(store)
    people(store, WMIDS, "wmids")
    import_force_records(store, tmp_path, AVON, reports=60, ced_every=2)
    import_force_records(store, tmp_path, WMIDS, reports=60, ced_every=3, seed=2)
    summary = demo_assessments(store, cfg)
    assert summary == (
        "Avon and Somerset 2018-19 published (assessment 1); West Midlands 2018-19 in draft (assessment 2)"
    )
    assert [v.ok for v in (verify_assessment(store, 1), verify_assessment(store, 2))] == [True, True]
    with store.read() as conn:
        assert (ledger.load(conn, 1).state, ledger.load(conn, 2).state) == ("published", "draft")
    assert demo_assessments(store, cfg) == "skipped: assessments already exist (demo --keep)"
