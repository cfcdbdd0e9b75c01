"""``forcewatch assess ...``: the shapes of its output and its exit codes, a whole walk through the workflow."""

from __future__ import annotations

import pytest

from forcewatch.store import Store

from .assessment_data import people, worked_example_method
from .conftest import store_url

pytestmark = pytest.mark.usefixtures("fast_passwords")


def test_the_whole_workflow_from_the_command_line(cli, store: Store, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    people(store)
    monkeypatch.setenv("FORCEWATCH_SIGNING_KEY_DIR", str(tmp_path / "keys"))
    db = store_url(store)
    method = tmp_path / "method.yaml"
    method.write_text(worked_example_method().canonical_json())  # JSON is YAML
    demand = tmp_path / "demand.csv"
    demand.write_text("area,block,events,hours\nforce,00-24,438,730\n")

    def run(*args: str, code: int = 0) -> dict:  # type: ignore[type-arg]
        result = cli("assess", *args, "--format", "json", database=db)
        assert result.exit_code == code, result.stderr
        return result.json() if code == 0 else {"stderr": result.stderr}

    created = run(
        "create",
        "--force",
        "Avon and Somerset",
        "--year",
        "2018-19",
        "--config",
        str(method),
        "--demand",
        str(demand),
        "--current-headcount",
        "40",
        "--as",
        "avon.force_analyst",
    )
    assert {"id", "force", "period", "version", "state", "decision", "requirement", "manifest_sha256"} <= set(
        created
    )
    assert (created["state"], created["version"], created["requirement"]) == (
        "draft",
        1,
        "40 to 54, central 54",
    )
    aid = str(created["id"])
    for field in ("demand_event", "service_level.beta", "staffing.abstraction", "staffing.buffer"):
        judged = run(
            "judge",
            aid,
            "--stage",
            "assessment",
            "--kind",
            "confirmation",
            "--field",
            field,
            "--rationale",
            "confirmed",
            "--as",
            "avon.force_analyst",
        )
        assert judged["author"] == "avon.force_analyst" and judged["kind"] == "confirmation"
    score = run(
        "judge",
        aid,
        "--stage",
        "assessment",
        "--kind",
        "score",
        "--field",
        "threat",
        "--rationale",
        "3.1",
        "--value",
        '{"harm": {"physical": 3, "psychological": 2, "financial": 1, "community": 2}, '
        '"vulnerability": 1.5, "scope": 1.0, "likelihood": 3, "org_position": 3, "confidence": "medium"}',
        "--evidence",
        "strategic assessment 2018",
        "--as",
        "avon.force_analyst",
    )
    assert score["value"]["vulnerability"] == "1.5" and score["evidence"] == ["strategic assessment 2018"]
    run("community", aid, "--kind", "consultation", "--summary", "IAG", "--held-on", "2019-02-01")
    run("community", aid, "--kind", "eia_cia", "--summary", "EIA", "--outcome", "adjust")
    informed = run(
        "inform",
        aid,
        "--party",
        "pcc",
        "--name",
        "Office of the PCC",
        "--on",
        "2019-02-10",
        "--how",
        "briefing",
    )
    assert informed["author"] == "system" and informed["party_title"] == "Police and crime commissioner"
    assert "--as USERNAME" in run("assure", aid, code=2)["stderr"]
    assert run("assure", aid, "--as", "avon.assurer")["to_state"] == "assured"
    approved = run("approve", aid, "--as", "avon.chief_officer", "--note", "funded")
    assert approved["decision_text"].endswith("Note: funded") and len(approved["signature"]) == 128
    assert run("publish", aid, "--as", "avon.chief_officer")["to_state"] == "published"
    shown = run("show", aid)
    assert shown["assessment"]["state"] == "published" and shown["decision"]["threat"]["priority"] == "20.25"
    assert [s["stage"] for s in shown["judgements"]] == ["assessment"] * 5
    assert run("verify", aid)["ok"] is True
    listed = run("list")
    assert [(a["id"], a["state"]) for a in listed] == [(created["id"], "published")]
    assert "published" in cli("assess", "show", aid, database=db).stdout


def test_refusals_exit_1_and_wrong_usage_exits_2(cli, store: Store) -> None:  # type: ignore[no-untyped-def]
    people(store)
    db = store_url(store)
    missing = cli("assess", "create", "--force", "Avon and Somerset", "--year", "2018-19", database=db)
    assert missing.exit_code == 2 and "no demand data" in missing.stderr
    assert cli("assess", "show", "99", database=db).exit_code == 1
    assert (
        cli("assess", "create", "--force", "Avon and Somerset", "--year", "2018", database=db).exit_code == 2
    )
    assert cli("assess", "verify", database=db).exit_code == 2
