"""Drafting an assessment: record judgements, community impact and who was informed.

Each record is appended (never changed), the assessment is re-run while it is a draft or assured
(so the run manifest lists the record's hash), and an audit event is written in the same
transaction. Who may do what (``forcewatch.access.POLICY``): a force analyst drafts
(``assessment.draft``); community and informed records may also be made by the chief officer's
office (``assessment.approve``). Creating a version is :mod:`.creation`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert

from .. import audit
from ..access import Principal
from ..errors import Conflict, UsageError
from ..stats.canonical import canonical_json
from ..store import Store
from ..store.tables.assessment import assessment_community, assessment_informed
from . import ledger
from .community import CommunityRecord, InformedRecord, record_hash
from .creation import require_any
from .events import AssessmentRecorded
from .judgements import Judgement
from .model import APPROVED, ASSURED, COMMUNITY_KINDS, DRAFT, PARTIES, PUBLISHED, Assessment, iso_moment, now

__all__ = ["EIA_OUTCOMES", "record_community", "record_informed", "record_judgement"]

#: EIA/CIA outcomes (Equality and Human Rights Commission guidance)
EIA_OUTCOMES = ("no major change", "adjust", "continue with mitigations", "stop")


def _editable(item: Assessment, states: tuple[str, ...], what: str) -> None:
    if item.state not in states:
        raise Conflict(
            f"assessment {item.id} is {item.state}: {what} only while it is {' or '.join(states)}",
            hint="create a new version (forcewatch assess create ... --reason) to change it",
        )


def _recorded(
    conn: Connection,
    item: Assessment,
    principal: Principal,
    record_type: str,
    record_id: int,
    sha: str,
    rerun: bool,
) -> None:
    run = (
        ledger.new_run(conn, item, actor=principal.username, reason=f"{record_type} {record_id}")
        if rerun
        else None
    )
    audit.append(
        conn,
        AssessmentRecorded(
            force_code=item.force_code,
            subject_id=str(item.id),
            record_type=record_type,
            record_id=record_id,
            sha256=sha,
            run_no=run.run_no if run else None,
            manifest_sha256=run.manifest_sha256 if run else None,
        ),
        actor=principal,
    )


def record_judgement(
    store: Store,
    principal: Principal,
    assessment_id: int,
    *,
    stage: str,
    kind: str,
    field: str,
    value: Any,
    rationale: str,
    evidence: Sequence[str] = (),
) -> Judgement:
    """Add a judgement to a draft's log (NDM stage, field, value, rationale, evidence), then re-run."""
    with store.write() as conn:
        item = ledger.load(conn, assessment_id)
        require_any(principal, ("assessment.draft",), item.force_code)
        _editable(item, (DRAFT,), "judgements can be added")
        config, _ = ledger.method_of(conn, item.method_sha256)
        judgement = ledger.insert_judgement(
            conn, item, config, author=principal.username, author_role=str(principal.role), stage=stage,
            kind=kind, field=field, value=value, rationale=rationale, evidence=evidence,
        )
        _recorded(conn, item, principal, "judgement", judgement.id, judgement.sha256, rerun=True)
    return judgement


def record_community(
    store: Store,
    principal: Principal,
    assessment_id: int,
    *,
    kind: str,
    summary: str,
    outcome: str | None = None,
    held_on: date | None = None,
    evidence: Sequence[str] = (),
) -> CommunityRecord:
    """Record a consultation held, a mitigation, the EIA/CIA outcome or a caveat (draft or assured)."""
    if kind not in COMMUNITY_KINDS:
        raise UsageError(f"kind {kind!r} is not a community impact record", hint=", ".join(COMMUNITY_KINDS))
    if not summary.strip():
        raise UsageError("a community impact record needs a summary")
    if kind == "eia_cia" and outcome not in EIA_OUTCOMES:
        raise UsageError("an EIA/CIA record needs its outcome", hint="one of: " + "; ".join(EIA_OUTCOMES))
    if kind == "consultation" and held_on is None:
        raise UsageError("a consultation record needs the date it was held")
    with store.write() as conn:
        item = ledger.load(conn, assessment_id)
        require_any(principal, ("assessment.draft", "assessment.approve"), item.force_code)
        _editable(item, (DRAFT, ASSURED), "community impact can be recorded")
        recorded_at = now()
        content = {
            "assessment_id": item.id,
            "kind": kind,
            "summary": summary.strip(),
            "outcome": outcome,
            "held_on": held_on,
            "evidence": [str(e) for e in evidence if str(e).strip()],
            "author": principal.username,
            "author_role": str(principal.role),
            "recorded_at": recorded_at,
        }
        sha = record_hash(
            {
                **content,
                "held_on": held_on.isoformat() if held_on else None,
                "recorded_at": iso_moment(recorded_at),
            }
        )
        new_id = conn.execute(
            insert(assessment_community),
            {**content, "evidence": canonical_json(content["evidence"]), "sha256": sha},
        ).inserted_primary_key[0]  # type: ignore[index]
        _recorded(conn, item, principal, "community", new_id, sha, rerun=True)
        record = ledger.community(conn, item.id)[-1]
    return record


def record_informed(
    store: Store,
    principal: Principal,
    assessment_id: int,
    *,
    party: str,
    party_name: str,
    informed_on: date,
    how: str,
    note: str = "",
) -> InformedRecord:
    """Record that a party (PCC, scrutiny panel, community group) was informed, when and how."""
    if party not in PARTIES:
        raise UsageError(f"party {party!r} is not known", hint=", ".join(PARTIES))
    if not party_name.strip() or not how.strip():
        raise UsageError("say who was informed (the office, panel or group) and how (meeting, letter ...)")
    if informed_on > now().date():
        raise UsageError(f"informed on {informed_on} is in the future", hint="record it once it has happened")
    with store.write() as conn:
        item = ledger.load(conn, assessment_id)
        require_any(principal, ("assessment.draft", "assessment.approve"), item.force_code)
        _editable(item, (DRAFT, ASSURED, APPROVED, PUBLISHED), "who was informed can be recorded")
        recorded_at = now()
        content = {
            "assessment_id": item.id,
            "party": party,
            "party_name": party_name.strip()[:200],
            "informed_on": informed_on,
            "how": how.strip()[:200],
            "note": note.strip(),
            "author": principal.username,
            "author_role": str(principal.role),
            "recorded_at": recorded_at,
        }
        sha = record_hash(
            {
                **content,
                "informed_on": informed_on.isoformat(),
                "recorded_at": iso_moment(recorded_at),
            }
        )
        new_id = conn.execute(insert(assessment_informed), {**content, "sha256": sha}).inserted_primary_key[0]  # type: ignore[index]
        _recorded(conn, item, principal, "informed", new_id, sha, rerun=item.state in (DRAFT, ASSURED))
        record = ledger.informed(conn, item.id)[-1]
    return record
