"""Shared test data for the assessment tests: users of every role, a worked-example method and
records files, and helpers to walk an assessment through its workflow."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from forcewatch import accounts
from forcewatch import assessment as A
from forcewatch.access import SYSTEM, Principal
from forcewatch.assessment.given_inputs import demand_table
from forcewatch.method.config import MethodConfig
from forcewatch.method.document import load_yaml_text
from forcewatch.recording import import_records
from forcewatch.settings import Settings
from forcewatch.store import Store

from .conftest import DATA
from .form_rows import row, write_csv

AVON, WMIDS = "E23000036", "E23000014"
PASSWORD = "kettle orbit lantern"
PLACEHOLDERS = ("demand_event", "service_level.beta", "staffing.abstraction", "staffing.buffer")
#: threat-risk-assessment.md worked example 3.1
THREAT_3_1 = {
    "harm": {"physical": 3, "psychological": 2, "financial": 1, "community": 2},
    "vulnerability": "1.5",
    "scope": "1.0",
    "likelihood": 3,
    "org_position": 3,
    "confidence": "medium",
}


def worked_example_method(**changes: str) -> MethodConfig:
    """The default method with one 24-hour block and ρ = 0: the setting of worked examples 5.1 to 5.8."""
    text_ = (DATA.parent / "profiles" / "method" / "default_stra.yaml").read_text()
    text_ = text_.replace(
        """  - {key: "00-08", start: 0, end: 8}
  - {key: "08-16", start: 8, end: 16}
  - {key: "16-24", start: 16, end: 24}""",
        """  - {key: "00-24", start: 0, end: 24}""",
    )
    text_ = text_.replace("  buffer: 0.10 ", "  buffer: 0 ").replace(
        "name: forcewatch-default-stra", "name: worked-example-5"
    )
    for old, new in changes.items():
        assert old in text_, old
        text_ = text_.replace(old, new)
    return MethodConfig.from_mapping(load_yaml_text(text_))


def demand_5_1() -> dict[str, Any]:
    """Worked example 5.1: 438 events in 730 hours, one area, one 24-hour block."""
    return {
        "demand": demand_table(
            [{"area": "force", "block": "00-24", "events": 438, "hours": 730}], source="worked example 5.1"
        )
    }


def people(store: Store, force: str = AVON, prefix: str = "avon") -> dict[str, Principal]:
    """One account per assessment role for a force, by role."""
    found = {}
    for role in ("force_analyst", "assurer", "chief_officer", "pcc", "scrutiny_panel"):
        account = accounts.create_user(
            store,
            actor=SYSTEM,
            username=f"{prefix}.{role}",
            password=PASSWORD,
            role=role,
            force=force,
            display_name=f"{prefix} {role}",
        )
        found[role] = account.principal()
    return found


def settings(tmp_path: Path) -> Settings:
    return Settings(signing_key_dir=str(tmp_path / "keys"), pseudonym_key="k" * 40, suppression_threshold=5)


def worked_example(store: Store, analyst: Principal, *, current: int = 40, **kwargs: Any) -> A.Assessment:
    return A.create_assessment(
        store,
        analyst,
        force=AVON,
        period="2018-19",
        method=worked_example_method(),
        given=demand_5_1(),
        current={"": current},
        **kwargs,
    )


def confirm_and_score(
    store: Store, analyst: Principal, assessment_id: int, threat: dict[str, Any] = THREAT_3_1
) -> None:
    for field in PLACEHOLDERS:
        A.record_judgement(
            store,
            analyst,
            assessment_id,
            stage="assessment",
            kind="confirmation",
            field=field,
            value=None,
            rationale="confirmed for the test",
        )
    A.record_judgement(
        store,
        analyst,
        assessment_id,
        stage="assessment",
        kind="score",
        field="threat",
        value=threat,
        rationale="worked example 3.1",
    )


def engage(store: Store, who: Principal, assessment_id: int) -> None:
    """What approval needs: a consultation, the EIA/CIA outcome and the PCC informed."""
    A.record_community(
        store,
        who,
        assessment_id,
        kind="consultation",
        summary="independent advisory group",
        held_on=dt.date(2019, 2, 1),
    )
    A.record_community(
        store,
        who,
        assessment_id,
        kind="eia_cia",
        summary="EIA completed",
        outcome="continue with mitigations",
    )
    A.record_informed(
        store,
        who,
        assessment_id,
        party="pcc",
        party_name="Office of the PCC",
        informed_on=dt.date(2019, 2, 10),
        how="briefing",
    )


def published(store: Store, team: dict[str, Principal], cfg: Settings, **kwargs: Any) -> A.Assessment:
    """The worked example walked to published."""
    item = worked_example(store, team["force_analyst"], **kwargs)
    confirm_and_score(store, team["force_analyst"], item.id)
    engage(store, team["force_analyst"], item.id)
    A.assure(store, team["assurer"], item.id, settings=cfg)
    A.approve(store, team["chief_officer"], item.id, settings=cfg)
    A.publish(store, team["chief_officer"], item.id, settings=cfg)
    return item


def records_file(path: Path, force: str, *, reports: int = 120, ced_every: int = 4, seed: int = 1) -> Path:
    """A national-form file of a force's 2018-19 reports: every ``ced_every``-th with a Taser red-dot,
    spread over hours and ethnicities (Simulated, so no officer identifiers are needed)."""
    rng = random.Random(seed)
    rows = []
    groups = ["White"] * 6 + ["Black", "Asian (or Asian British)", "Mixed", "Other"]
    for i in range(reports):
        day = dt.date(2018, 4, 1) + dt.timedelta(days=rng.randrange(365))
        ced = i % ced_every == 0
        fields = {
            "Force": force,
            "IncidentId": f"I{i}",
            "PersonId": "P1",
            "ReportId": f"R{i}",
            "Simulated": "Yes",
            "IncidentDate": day.isoformat(),
            "IncidentTime": f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:00",
            "Borough": "",
            "SubjectEthnicity": rng.choice(groups),
        }
        if ced:
            fields.update(
                {
                    "Tactic 2": "CED (Taser) Red-Dotted",
                    "Effective 2": "Yes",
                    "CED Used": "Yes",
                    "CED Red-Dotted": "Yes",
                }
            )
        rows.append(row(**fields))
    return write_csv(path, rows)


def import_force_records(store: Store, tmp_path: Path, force: str = AVON, **kwargs: Any) -> None:
    import_records(
        store,
        records_file(tmp_path / f"{force}.csv", force, **kwargs),
        force,
        settings=Settings(pseudonym_key="k" * 40),
    )


def as_an_attacker(store: Store, table: str, *statements: str) -> None:
    """Drop a table's append-only triggers (as a database superuser could), then run ``statements``."""
    drop = (
        [f"DROP TRIGGER {table}_no_update_or_delete ON {table}"]
        if store.backend == "postgresql"
        else [f"DROP TRIGGER {table}_no_update", f"DROP TRIGGER {table}_no_delete"]
    )
    with store.write() as conn:
        for statement in (*drop, *statements):
            conn.exec_driver_sql(statement)
