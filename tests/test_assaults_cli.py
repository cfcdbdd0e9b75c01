"""``forcewatch assaults ...`` and ``forcewatch review submissions|report``: thin shells with one output format each."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from forcewatch.assault_demo import seed_assaults_demo
from forcewatch.demo import DEMO_STEPS
from forcewatch.settings import Settings
from forcewatch.store import Store

from .conftest import store_url

CSV = ("CrimeRef,VictimStaffId,VictimTeam,VictimRole,Offence,OffenceDate,InjuryLevel\n"
       "CR/1,AB1,T1,constable,s89_assault_constable,2024-01-31,none\n"
       "CR/2,AB2,T1,constable,ew_common_assault,2024-01-31,none\n")


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCEWATCH_PSEUDONYM_KEY", "k" * 40)


def test_import_then_list_funnel_alerts_and_add_an_outcome(cli, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = store_url(store)
    (tmp_path / "a.csv").write_text(CSV)
    imported = cli("assaults", "import", str(tmp_path / "a.csv"), "--force", "Avon and Somerset", "--format", "json",
                   database=url)
    assert imported.exit_code == 0, imported.stderr
    assert (imported.json()["created"], imported.json()["force_code"]) == (2, "E23000036")
    again = cli("assaults", "import", str(tmp_path / "a.csv"), "--force", "E23000036", "--format", "json", database=url)
    assert again.json()["already_imported"] is True
    listed = cli("assaults", "list", "--force", "E23000036", "--format", "csv", database=url)
    assert listed.stdout.splitlines()[0].startswith("id,force,crime_ref") and len(listed.stdout.splitlines()) == 3
    alerts = cli("assaults", "alerts", "--force", "Avon and Somerset", "--as-of", "2024-07-15", "--format", "json",
                 database=url).json()
    assert [(a["crime_ref"], a["state"], a["days_left"]) for a in alerts["alerts"]] == [("CR/1", "due", 16)]
    assault_id = str(alerts["alerts"][0]["id"])
    added = cli("assaults", "outcome", "add", assault_id, "--force", "Avon and Somerset", "--type", "charge",
                "--date", "2024-07-20", "--set", "ChargedOffences=s89_assault_constable", "--format", "json",
                database=url)
    assert added.exit_code == 0, added.stderr
    funnel = cli("assaults", "funnel", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "json", database=url)
    assert [(r["force"], r["recorded"], r["charged"]) for r in funnel.json()["rows"]] == [("Avon and Somerset", 2, 1)]
    public = cli("assaults", "funnel", "--from", "2024-01-01", "--to", "2024-12-31", "--public", "--format", "csv",
                 database=url)
    assert ",,," in public.stdout.splitlines()[1] and "suppressed" in public.stderr


def test_a_bad_file_exits_1_naming_each_problem_and_prints_nothing_on_stdout(cli, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "bad.csv").write_text(CSV.replace("2024-01-31,none\n", "31/31/2024,none\n", 1))
    result = cli("assaults", "import", str(tmp_path / "bad.csv"), "--force", "Avon and Somerset", "--format", "json",
                 database=store_url(store))
    assert result.exit_code == 1 and result.stdout == ""
    assert "bad.csv, row 2, column 'OffenceDate'" in result.stderr and "nothing was stored" in result.stderr


def test_the_reference_data_shows_what_is_unverified(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("assaults", "reference", "--table", "offences", "--format", "json")
    offences = {o["key"]: o for o in result.json()}
    assert offences["s89_assault_constable"]["unverified"] is True and offences["ew_common_assault"]["mode_of_trial"] == \
        "either_way"
    assert cli("assaults", "reference", "--table", "nonsense").exit_code == 2


def test_the_demo_seeds_every_layer_and_the_review(cli, store: Store, fast_passwords: None) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(demo=True, pseudonym_key="k" * 40)
    next(s for s in DEMO_STEPS if "accounts" in s.title).run(store, settings)
    today = date(2025, 6, 30)
    summary = seed_assaults_demo(store, settings, today=today, seed=3, scale=0.15)
    assert "SIMULATED" in summary
    url = store_url(store)
    funnel = cli("assaults", "funnel", "--from", str(today - timedelta(days=366)), "--to", str(today),
                 "--format", "json", database=url).json()
    total = funnel["rows"][-1]
    assert funnel["simulated"] and total["recorded"] > 50 and total["custody"] > 0 and total["outcome_16"] > 0
    listed = cli("assaults", "list", "--format", "json", database=url).json()
    assert {"out_of_court_disposal", "convicted_and_sentenced", "unsuccessful_prosecution", "nfa"} <= \
        {a["status"] for a in listed}
    alerts = cli("assaults", "alerts", "--force", "Avon and Somerset", "--as-of", str(today), "--format", "json",
                 database=url).json()["alerts"]
    alerts += cli("assaults", "alerts", "--force", "West Midlands", "--as-of", str(today), "--format", "json",
                  database=url).json()["alerts"]
    assert alerts and {a["offence"] for a in alerts} <= {"s89_assault_constable", "common_assault"}
    submissions = cli("review", "submissions", "--format", "json", database=url).json()
    assert {s["moderation_status"] for s in submissions} >= {"received", "approved"}
    report = cli("review", "report", "--from", str(today - timedelta(days=366)), "--to", str(today), "--format", "json",
                 database=url).json()
    assert all(a["submissions"] for a in report["areas"]) and report["classifier"]["reviewed"] > 0
