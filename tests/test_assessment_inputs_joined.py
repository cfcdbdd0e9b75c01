"""The register and the assault records feed the assessment through the provider registry.

Through the assessment (not the register alone): the current trained headcount comes from the
register by default, keyed by the demand areas; the assessment, its JSON and both packs show
current, required (an interval) and the difference per area and in total; a headcount given in
its place needs a reason and is logged as a judgement; altering the stored register snapshot
makes verify name it. Assaults on officers come from the stored assault records, by month, and
the indicator gives the rate per 1,000 officers from the workforce snapshot.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forcewatch import assessment as A
from forcewatch.access import SYSTEM, Principal
from forcewatch.accounts import get_user
from forcewatch.assault_snapshot import assaults_snapshot
from forcewatch.assessment import ledger
from forcewatch.assessment.rendering import render_html
from forcewatch.assessment.snapshots import SnapshotRequest, given
from forcewatch.assessment.views import show_assessment
from forcewatch.errors import UsageError
from forcewatch.method import load_method
from forcewatch.register_import import import_register
from forcewatch.register_snapshot import current_headcount_snapshot, place_by_demand_area
from forcewatch.store import Store
from forcewatch.suppression import SUPPRESSED

from .assault_fixtures import record
from .assessment_data import AVON, WMIDS, as_an_attacker, import_force_records, people, settings
from .register_data import KEY, posting, training, write_register
from .test_assessment_web import app_for, log_in

pytestmark = pytest.mark.usefixtures("fast_passwords")
AS_AT = dt.date(2019, 3, 31)
#: three serving officers in date on 31 March 2019 (Bristol 2, Bath 1), one lapsed, one never trained
REGISTER = [
    posting("A1", "2016-01-01", team="Bristol Response A", area="Bristol"), training("A1", "2018-06-01"),
    posting("A2", "2016-01-01", team="Bristol Response B", area="Bristol"), training("A2", "2018-09-01"),
    posting("B1", "2016-01-01", team="Bath Response A", area="Bath"), training("B1", "2018-10-01"),
    posting("B2", "2016-01-01", team="Bath Response A", area="Bath"), training("B2", "2017-01-10"),
    posting("B3", "2016-01-01", team="Bath Neighbourhood", area="Bath"),
]


@pytest.fixture
def avon(store: Store, tmp_path: Path) -> Store:
    """Avon and Somerset with 2018-19 records (no borough: one demand area) and a register."""
    import_force_records(store, tmp_path)
    import_register(store, people(store)["force_analyst"], write_register(tmp_path / "hr.csv", REGISTER), AVON,
                    settings=KEY, today=dt.date(2019, 4, 1))
    return store


def _analyst(store: Store) -> Principal:
    return get_user(store, actor=SYSTEM, username="avon.force_analyst").principal()


def test_the_register_gives_the_headcount_keyed_by_the_demand_areas() -> None:
    assert place_by_demand_area({"Bristol": 2, "Bath": 1}, ["whole force"]) == {"whole force": {"Bath": 1,
                                                                                               "Bristol": 2}}
    assert place_by_demand_area({}, ["whole force"]) == {"whole force": 0}
    assert place_by_demand_area({"Bristol": 2, "bath ": 1, "Yeovil": 4}, ["Bath", "Bristol", "Frome"]) == {
        "Bristol": 2, "Bath": 1, "Yeovil": 4}  # Frome gets no guessed zero; Yeovil has no demand
    assert place_by_demand_area({"Bristol": 2}, []) == {"Bristol": 2}  # demand given: the register's names


def test_an_assessment_uses_the_register_and_shows_current_required_and_the_difference(
    avon: Store, tmp_path: Path
) -> None:
    analyst = _analyst(avon)
    item = A.create_assessment(avon, analyst, force=AVON, period="2018-19", as_at=AS_AT)
    view = show_assessment(avon, analyst, item.id)
    [snapshot] = [i for i in view["inputs"] if i["input_key"] == "current_headcount"]
    assert snapshot["provider"] == "forcewatch.register_snapshot:current_headcount_snapshot"
    assert snapshot["as_at"] == "2019-03-31" and snapshot["quality"]["officers"] == 3
    with avon.read() as conn:
        content = {s.input_key: s.content() for s in ledger.snapshots(conn, item.id)}["current_headcount"]
    assert content["by_area"] == {"whole force": {"Bath": 1, "Bristol": 2}}
    headcount = view["headcount"]
    [area] = headcount["areas"]
    for row in (area, headcount["total"]):
        assert row["current"] == 3
        assert set(row["required"]) == set(row["difference"]) == {"low", "central", "high"}
        assert row["difference"] == {k: v - 3 for k, v in row["required"].items()}
        assert row["required"]["low"] <= row["required"]["central"] <= row["required"]["high"]
    assert area["area"] == "whole force" and headcount["total"]["area"] == "all"
    assert headcount["current_from"]["provider"] == snapshot["provider"]
    assert view["decision"]["model"]["current"] == 3 and view["decision"]["notes"] == []
    public = A.public_summary(avon, item.id, principal=analyst, settings=settings(tmp_path))
    assert public["headcount"] == headcount  # capability figures: not suppressed
    central = headcount["total"]["difference"]["central"]
    for data in (A.restricted_pack(avon, item.id, principal=analyst), public):
        html = render_html(data)
        assert "current, required and the difference" in html and f"{central:+d}" in html
    client = app_for(avon, tmp_path)
    log_in(client, "avon.force_analyst")
    assert client.get(f"/assessments/{item.id}.json").json()["headcount"] == headcount
    page = client.get(f"/assessments/{item.id}").text
    assert 'id="headcount"' in page and f"{central:+d}" in page and "whole force" in page


def test_a_headcount_given_in_place_of_the_registers_needs_a_reason_and_is_logged(avon: Store) -> None:
    analyst = _analyst(avon)
    with pytest.raises(UsageError, match="needs the reason"):
        A.create_assessment(avon, analyst, force=AVON, period="2018-19", as_at=AS_AT, current="30")
    item = A.create_assessment(avon, analyst, force=AVON, period="2018-19", as_at=AS_AT, current="30",
                               current_reason="two officers passed their course on 1 April")
    view = show_assessment(avon, analyst, item.id)
    [judged] = view["judgements"]
    assert (judged["stage"], judged["kind"], judged["field"], judged["author"]) == (
        "information", "judgement", "current_headcount", "avon.force_analyst")
    assert judged["value"]["given"] == {"whole force": 30}
    assert judged["value"]["in_place_of"]["by_area"] == {"whole force": {"Bath": 1, "Bristol": 2}}
    assert judged["rationale"] == "two officers passed their course on 1 April"
    assert view["headcount"]["total"]["current"] == 30 and view["headcount"]["current_from"]["provider"] == "given"
    assert view["verification"]["ok"], view["verification"]
    assert A.verify_assessment(avon, item.id).ok


def test_altering_the_stored_register_snapshot_makes_verify_name_it(avon: Store) -> None:
    item = A.create_assessment(avon, _analyst(avon), force=AVON, period="2018-19", as_at=AS_AT)
    assert A.verify_assessment(avon, item.id).ok
    as_an_attacker(avon, "assessment_snapshot", "UPDATE assessment_snapshot SET content = "
                   "replace(content, '\"Bristol\":2', '\"Bristol\":20') WHERE input_key = 'current_headcount'")
    result = A.verify_assessment(avon, item.id)
    assert not result.ok and result.broken is not None
    assert result.broken.link == "input current_headcount"
    assert "no longer hashes to its SHA-256" in result.broken.message


def test_a_force_without_a_register_gets_no_register_snapshot(avon: Store) -> None:
    request = SnapshotRequest(WMIDS, "2018-19", load_method("ced_reports_stra"), AS_AT)
    assert current_headcount_snapshot(avon, request) is None


def test_assaults_on_officers_feed_indicator_1_with_a_rate_per_1000_officers(avon: Store, tmp_path: Path) -> None:
    for i, (day, injury, weapon, role) in enumerate([
        ("2018-04-03", "minor", "bladed", "constable"), ("2018-04-20", "none", "none", "constable"),
        ("2018-05-09", "hospital", "<none>", "special_constable"), ("2018-06-30", "none", "none", "pcso"),
        ("2019-04-02", "minor", "none", "constable"),  # the next year: not counted
    ]):
        record(avon, CrimeRef=f"CR/{i}", VictimStaffId=f"V{i}", OffenceDate=day, InjuryLevel=injury, Weapon=weapon,
               VictimRole=role, Offence="s89_assault_constable" if "constable" in role else "common_assault")
    request = SnapshotRequest(AVON, "2018-19", load_method("ced_reports_stra"), AS_AT)
    snapshot = assaults_snapshot(avon, request)
    assert snapshot is not None and snapshot.schema_version == "assaults/1"
    monthly = snapshot.content["monthly"]
    assert [m["month"] for m in monthly] == [f"2018-{m:02d}" for m in range(4, 13)] + ["2019-01", "2019-02",
                                                                                        "2019-03"]
    assert monthly[:3] == [{"month": "2018-04", "assaults": 2, "with_injury": 1, "with_weapon": 1},
                           {"month": "2018-05", "assaults": 1, "with_injury": 1, "with_weapon": 0},
                           {"month": "2018-06", "assaults": 0, "with_injury": 0, "with_weapon": 0}]
    assert snapshot.content["assaults_on_other_victims"] == 1
    assert assaults_snapshot(avon, SnapshotRequest(WMIDS, "2018-19", request.method, AS_AT)) is None

    workforce = given("workforce", {"area_code": AVON, "as_at": "2019-03-31", "officers_fte": 2500,
                                    "officers_headcount": 2600}, source="test workforce", schema_version="workforce/1")
    analyst = _analyst(avon)
    item = A.create_assessment(avon, analyst, force=AVON, period="2018-19", as_at=AS_AT,
                               given={"workforce": workforce})
    view = show_assessment(avon, analyst, item.id)
    [indicator] = [i for i in view["indicators"] if i["key"] == "assaults_on_officers"]
    assert indicator["status"] == "computed" and indicator["sources"] == ["assaults", "workforce"]
    assert indicator["values"] == {"assaults": 3, "with_injury": 2, "with_weapon": 1,
                                   "per_1000_officers": pytest.approx(1.2)}
    html = render_html(A.restricted_pack(avon, item.id, principal=analyst))
    assert "Assaults on officers" in html and "per 1000 officers: 1.2" in html
    public = A.public_summary(avon, item.id, principal=analyst, settings=settings(tmp_path))
    assert public["kpis"]["assaults_on_officers"] == {
        "assaults": SUPPRESSED, "with_injury": SUPPRESSED, "with_weapon": SUPPRESSED,
        "per_1000_officers": SUPPRESSED, "definition": indicator["definition"]}
    assert "Assaults on police officers" in render_html(public)


def test_the_demo_publishes_avon_with_the_demo_registers_headcount(store: Store, tmp_path: Path) -> None:
    from forcewatch.assessment.walkthrough import demo_assessments
    from forcewatch.demo import DEMO_STEPS
    from forcewatch.demo_register import seed_demo_register
    from forcewatch.settings import Settings

    titles = [step.title for step in DEMO_STEPS]
    assert titles.index(next(t for t in titles if "register" in t)) < titles.index(
        next(t for t in titles if "assessments" in t))
    cfg = Settings(demo=True, signing_key_dir=str(tmp_path / "keys"), pseudonym_key="k" * 40)
    people(store)
    people(store, WMIDS, "wmids")
    import_force_records(store, tmp_path, AVON, reports=60, ced_every=2)
    import_force_records(store, tmp_path, WMIDS, reports=60, ced_every=3, seed=2)
    seed_demo_register(store, cfg)  # requalifications up to today, the day the assessment is as at
    demo_assessments(store, cfg)
    view = show_assessment(store, SYSTEM, 1)
    assert (view["assessment"]["force_code"], view["assessment"]["state"]) == (AVON, "published")
    headcount = view["headcount"]
    assert headcount["current_from"]["provider"] == "forcewatch.register_snapshot:current_headcount_snapshot"
    assert headcount["total"]["current"] > 0 and headcount["total"]["difference"] is not None
    assert A.verify_assessment(store, 1).ok


def test_the_web_form_takes_a_headcount_in_the_registers_place_only_with_a_reason(avon: Store, tmp_path: Path) -> None:
    client = app_for(avon, tmp_path)
    token = log_in(client, "avon.force_analyst")
    form = {"period": "2018-19", "method": "ced_reports_stra", "current_headcount": "12", "csrf_token": token}
    refused = client.post("/assessments", data=form, headers={"accept": "application/json"})
    assert refused.status_code == 400 and "needs the reason" in refused.json()["error"]["message"]
    made = client.post("/assessments", data={**form, "headcount_reason": "the register is a week behind"},
                       headers={"accept": "application/json"})
    assert made.status_code == 200, made.text
    view = client.get(f"/assessments/{made.json()['id']}.json").json()
    assert view["headcount"]["total"]["current"] == 12
    assert [j["rationale"] for j in view["judgements"]] == ["the register is a week behind"]
