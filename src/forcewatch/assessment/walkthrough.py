"""The demo's assessments: Avon and Somerset 2018-19 walked to published, West Midlands 2018-19 in draft.

Built on the simulated records the demo imports (an earlier demo step), the bundled official
statistics, the demo register (the current trained headcount: officers in date and eligible on the
day, from :mod:`forcewatch.register_snapshot`) and the demo assaults (when they fall in the year),
by the demo accounts of each role: the analyst drafts and records judgements, the assurer assures,
the chief officer approves and publishes. Every judgement says it is a demo.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from ..access import Principal
from ..accounts import get_principal
from ..settings import Settings
from ..store import Store
from ..store.tables.assessment import assessment as assessment_table
from ..store.tables.records import officer_report
from ..store.tables.security import user_account
from .creation import create_assessment
from .drafting import record_community, record_informed, record_judgement
from .workflow import approve, assure, publish

__all__ = ["demo_assessments"]

AVON, WMIDS, PERIOD = "E23000036", "E23000014", "2018-19"
_DEMO = "Demo judgement (illustrative, not the force's): "
_THREAT = {
    "harm": {"physical": 3, "psychological": 2, "financial": 1, "community": 2},
    "vulnerability": "1.5",
    "scope": "1.0",
    "likelihood": 3,
    "org_position": 3,
    "confidence": "medium",
}


def _person(store: Store, username: str) -> Principal:
    with store.read() as conn:
        user_id = conn.execute(select(user_account.c.id).where(user_account.c.username == username)).scalar()
    if user_id is None:
        raise LookupError(username)
    return get_principal(store, user_id)


def _has_records(store: Store, force: str) -> bool:
    with store.read() as conn:
        return bool(
            conn.execute(
                select(func.count()).where(
                    officer_report.c.force_code == force, officer_report.c.financial_year == PERIOD
                )
            ).scalar()
        )


def _draft(store: Store, analyst: Principal, force: str) -> Any:
    item = create_assessment(store, analyst, force=force, period=PERIOD)
    for field, why in (
        ("demand_event", "CED-involving incidents are the only demand data held; call data would be better"),
        ("service_level.beta", "5% of demand events may find every Taser unit busy"),
        ("staffing.abstraction", "25% abstraction from the force's duty management figures"),
        ("staffing.buffer", "10% for attrition and requalification failure"),
    ):
        record_judgement(
            store,
            analyst,
            item.id,
            stage="assessment",
            kind="confirmation",
            field=field,
            value=None,
            rationale=_DEMO + why,
        )
    record_judgement(
        store,
        analyst,
        item.id,
        stage="assessment",
        kind="score",
        field="threat",
        value=_THREAT,
        rationale=_DEMO + "weapon-enabled violence against officers rising; vulnerable victims",
        evidence=["demo: strategic assessment 2018, section 4"],
    )
    record_judgement(
        store,
        analyst,
        item.id,
        stage="options",
        kind="judgement",
        field="preferred_option",
        value="uplift for response teams only",
        rationale=_DEMO + "the demand sits with response",
    )
    return item


def demo_assessments(store: Store, settings: Settings) -> str:
    """Build the demo's two assessments (skipped, with the reason, without records or demo accounts)."""
    if not _has_records(store, AVON):
        return "skipped: no stored use-of-force records for Avon and Somerset 2018-19 yet (the records step adds them)"
    with store.read() as conn:
        if conn.execute(select(func.count()).select_from(assessment_table)).scalar():
            return "skipped: assessments already exist (demo --keep)"
    try:
        analyst, assurer, chief = (
            _person(store, f"avon.{r}") for r in ("force_analyst", "assurer", "chief_officer")
        )
    except LookupError as missing:
        return f"skipped: demo account {missing} does not exist"
    avon = _draft(store, analyst, AVON)
    record_community(
        store,
        analyst,
        avon.id,
        kind="consultation",
        held_on=date(2019, 2, 5),
        summary=_DEMO + "independent advisory group and community panel briefed on the draft",
    )
    record_community(
        store,
        analyst,
        avon.id,
        kind="mitigation",
        summary=_DEMO + "body-worn video on every Taser deployment; quarterly disproportionality review",
    )
    record_community(
        store,
        analyst,
        avon.id,
        kind="eia_cia",
        outcome="continue with mitigations",
        summary=_DEMO + "the EIA found potential adverse impact on Black residents; mitigations above",
    )
    record_informed(
        store,
        chief,
        avon.id,
        party="pcc",
        party_name="Office of the Avon and Somerset PCC",
        informed_on=date(2019, 2, 20),
        how="briefing",
    )
    record_informed(
        store,
        chief,
        avon.id,
        party="scrutiny_panel",
        party_name="Independent scrutiny of police powers panel",
        informed_on=date(2019, 2, 27),
        how="panel meeting",
    )
    assure(store, assurer, avon.id, settings=settings, note="demo assurance")
    approve(store, chief, avon.id, settings=settings, note="demo approval")
    publish(store, chief, avon.id, settings=settings)
    summary = f"Avon and Somerset {PERIOD} published (assessment {avon.id})"
    if _has_records(store, WMIDS):
        try:
            wm = _draft(store, _person(store, "wmids.force_analyst"), WMIDS)
            summary += f"; West Midlands {PERIOD} in draft (assessment {wm.id})"
        except LookupError:
            summary += "; West Midlands skipped (no demo analyst)"
    else:
        summary += "; West Midlands skipped (no stored records)"
    return summary
