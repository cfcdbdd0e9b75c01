"""The demo register: consistent with simulated reports, with the deliberate exceptions the checks must find."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from forcewatch import register
from forcewatch.access import Principal, Role, force_operator
from forcewatch.demo import DEMO_STEPS
from forcewatch.demo_register import seed_demo_register
from forcewatch.pseudonyms import officer_pseudonym
from forcewatch.recording import import_records
from forcewatch.register_checks import check_reports
from forcewatch.settings import Settings
from forcewatch.simulate import write_simulation
from forcewatch.simulation_targets import ForceTargets
from forcewatch.store import Store

from .register_data import AVON, WMIDS
from .test_simulate import TARGETS

DEMO = Settings(demo=True)
TODAY = date(2026, 1, 15)


def _forces(n: int, ced: int) -> tuple[ForceTargets, ...]:
    def one(code: str) -> ForceTargets:
        return ForceTargets(code, n, {"drawn": ced // 2, "red_dot": ced // 4, "fired": ced - ced // 2 - ced // 4},
                            {"handcuffing_compliant": n // 2, "unarmed_skills": n // 2, "not_reported": 2})
    return one(AVON), one(WMIDS)


def test_the_register_step_runs_after_any_records_step() -> None:
    titles = [step.title.lower() for step in DEMO_STEPS]
    at = next(i for i, t in enumerate(titles) if "register" in t)
    assert not any("record" in t for t in titles[at + 1:])


def test_the_demo_register_matches_simulated_reports_and_the_checks_find_its_exceptions(store: Store,
                                                                                        tmp_path: Path) -> None:
    path = tmp_path / "sim.csv"
    write_simulation(replace(TARGETS, forces=_forces(600, 80)), path, seed=3)
    import_records(store, path, settings=DEMO)
    summary = seed_demo_register(store, DEMO, today=TODAY)
    assert "lapsed, special constable, unknown serial, wrong hands" in summary
    for force in (AVON, WMIDS):
        result = check_reports(store, force_operator(force), force, year="2018-19")
        rules = result.by_rule()
        assert {"ced_lapsed", "ced_ineligible", "serial_unknown", "device_wrong_hands"} <= set(rules), rules
        assert "officer_not_in_register" not in rules and "ced_untrained" not in rules
        errors = sum(1 for f in result.findings if f.severity == "error")
        assert errors < result.reports_checked / 10  # mostly trained and in date
        total = register.count_on(store, force_operator(force), force, TODAY - date.resolution).total
        assert 0 < total["in_date"] < total["officers"]


def test_without_reports_the_demo_register_is_still_plausible(store: Store) -> None:
    summary = seed_demo_register(store, DEMO, today=TODAY)
    assert "none (no CED reports stored)" in summary
    total = register.count_on(store, force_operator(AVON), AVON, date(2025, 6, 1), ("area",)).total
    assert total["officers"] > 500 and 0.1 < total["share_in_date"] < 0.6
    mine_ = officer_pseudonym(DEMO.officer_pseudonym_key, AVON, "AVON1001")  # the demo account avon.officer
    me = Principal(user_id=1, username="avon.officer", role=Role.officer, force_code=AVON, team="Bristol Response A",
                   officer_pseudonym=mine_)
    mine = register.officer_history(store, me, AVON, mine_, on_date=date(2025, 6, 1))
    assert mine["posting"]["team"] == "Bristol Response A" and mine["authorisations"]["ced"]["state"] == "in_date"


def test_the_demo_register_is_the_same_on_every_run(store: Store) -> None:
    first = seed_demo_register(store, DEMO, today=TODAY)
    again = seed_demo_register(store, DEMO, today=TODAY)
    assert "0 officers, 0 events" in again and first != again
