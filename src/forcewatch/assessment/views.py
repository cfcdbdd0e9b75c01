"""Reading assessments: the list a person may see, and one assessment in full, by NDM stage.

- :func:`list_assessments`: the principal's forces' assessments (``assessment.read``) and every
  force's published ones (public information);
- :func:`show_assessment`: the restricted, full view (``assessment.read_restricted``): inputs and
  their quality, indicators, the threat score, the coverage results and decision, the judgement
  log, community impact, who was informed, signatures and runs, the manifest, the calculation
  trace, the other versions, and a quick verification (everything but re-hashing the whole audit
  log). Each read is an audit event.

The public tier is :func:`forcewatch.assessment.packs.public_summary`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from .. import audit
from ..access import ALL, SYSTEM, Principal, allows, visible_forces
from ..errors import NotFound
from ..method import headcount_comparison
from ..store import Store
from . import ledger
from .judgements import unconfirmed
from .model import (
    APPROVED,
    ASSURED,
    DRAFT,
    NDM_STAGES,
    SUPERSEDED,
    Assessment,
    iso_moment,
)
from .verify import verify_assessment
from .visibility import may_read_public_tier, require_restricted, was_published
from .workflow import approval_blockers, drafters, signatures

__all__ = ["headcount", "list_assessments", "show_assessment"]


def headcount(decision: Mapping[str, Any], inputs: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Current, required (low, central, high) and the difference required - current, per area and for
    the force, from a run's decision (:func:`forcewatch.method.headcount_comparison`), and where the
    current headcount came from (the register's snapshot, a figure given, or nothing)."""
    cov = decision["coverage"]
    source = next((i for i in inputs if i["input_key"] == "current_headcount"), None)
    return {
        "areas": [headcount_comparison(a) for a in cov["areas"]],
        "total": headcount_comparison(cov["total"]),
        "current_from": None
        if source is None
        else {k: source[k] for k in ("provider", "source", "as_at", "extracted_at", "sha256")},
    }


def _summary(conn: Connection, item: Assessment) -> dict[str, Any]:
    decision = ledger.current_run(conn, item.id).output("decision")
    return {
        **item.as_dict(),
        "decision": decision["final"]["decision"],
        "recommendation": decision["model"]["recommendation"],
        "statement": decision["final"]["statement"],
    }


def list_assessments(store: Store, principal: Principal, *, force: str | None = None) -> list[dict[str, Any]]:
    """Assessments the principal may see (at least their public summary), newest first."""
    with store.read() as conn:
        visible = None if principal == SYSTEM else visible_forces(principal, "assessment.read")
        rows = []
        for item in ledger.assessments_of(conn, [force] if force else None):
            own = visible is None or visible is ALL or item.force_code in visible
            if own or was_published(conn, item):
                row = {
                    **_summary(conn, item),
                    "tier": "restricted"
                    if own
                    and (
                        principal == SYSTEM
                        or allows(principal, "assessment.read_restricted", force_code=item.force_code)
                    )
                    else "public",
                }
                if row["tier"] == "public":  # the analyst's account name is not part of the public summary
                    row.pop("created_by", None)
                rows.append(row)
    return rows


def _actions(conn: Connection, principal: Principal, item: Assessment) -> dict[str, Any]:
    def can(action: str) -> bool:
        return principal != SYSTEM and allows(principal, action, force_code=item.force_code) is not None

    config, _ = ledger.method_of(conn, item.method_sha256)
    return {
        "draft": can("assessment.draft") and item.state == DRAFT,
        "record_community": (can("assessment.draft") or can("assessment.approve"))
        and item.state in (DRAFT, ASSURED),
        "record_informed": (can("assessment.draft") or can("assessment.approve"))
        and item.state != SUPERSEDED,
        "assure": can("assessment.assure")
        and item.state == DRAFT
        and principal.username not in drafters(conn, item),
        "approve": can("assessment.approve") and item.state == ASSURED,
        "publish": can("assessment.publish") and item.state == APPROVED,
        "unconfirmed": unconfirmed(config, ledger.judgements(conn, item.id)),
        "approval_needs": approval_blockers(conn, item) if item.state in (DRAFT, ASSURED) else [],
    }


def show_assessment(store: Store, principal: Principal, assessment_id: int) -> dict[str, Any]:
    """One assessment in full (restricted tier), by National Decision Model stage; an audited read."""
    with store.write() as conn:
        item = ledger.load(conn, assessment_id)
        try:
            require_restricted(principal, item)
        except PermissionError:
            if not may_read_public_tier(conn, principal, item):
                raise NotFound(f"no assessment {assessment_id}") from None
            raise
        run = ledger.current_run(conn, item.id)
        config, _ = ledger.method_of(conn, item.method_sha256)
        judgements = [j.as_dict() for j in ledger.judgements(conn, item.id)]
        decision = run.output("decision")
        inputs = [s.summary() for s in ledger.snapshots(conn, item.id)]
        view = {
            "assessment": item.as_dict(),
            "method": {
                **config.summary(),
                "status": config.info.status,
                "description": config.info.description,
                "demand_event": config.demand_event.text,
                "beta": str(config.beta),
                "crewing": config.crewing,
                "commitment_hours": str(config.commitment_hours),
                "staffing": {k: str(v) for k, v in config.staffing.as_dict().items()},
                "interval": config.interval.method,
                "decision_rule": json.loads(json.dumps(config.decision.as_dict(), default=str)),
                "judgements_required": list(config.judgements_required),
            },
            "actions": _actions(conn, principal, item),
            "stages": {
                key: {"title": title, "judgements": [j for j in judgements if j["stage"] == key]}
                for key, title in NDM_STAGES.items()
            },
            "inputs": inputs,
            "headcount": headcount(decision, inputs),
            "indicators": run.output("indicators")["indicators"],
            "decision": decision,
            "community_figures": run.output("community_figures"),
            "community": [c.as_dict() for c in ledger.community(conn, item.id)],
            "informed": [i.as_dict() for i in ledger.informed(conn, item.id)],
            "judgements": judgements,
            "signatures": [s.as_dict() for s in signatures(conn, item.id)],
            "runs": [
                {
                    "run_no": r.run_no,
                    "created_at": iso_moment(r.created_at),
                    "created_by": r.created_by,
                    "reason": r.reason,
                    "manifest_sha256": r.manifest_sha256,
                }
                for r in ledger.runs(conn, item.id)
            ],
            "manifest": run.manifest(),
            "manifest_sha256": run.manifest_sha256,
            "trace": run.output("trace"),
        }
        audit.append(
            conn,
            audit.RecordRead(
                force_code=item.force_code, subject_id=str(item.id), record_type="assessment_restricted"
            ),
            actor=principal,
        )
    view["versions"] = [
        {k: r[k] for k in ("id", "version", "state", "decision", "recommendation")}
        for r in list_assessments(store, principal, force=item.force_code)
        if r["period"] == item.period and r["id"] != item.id
    ]
    view["verification"] = verify_assessment(store, item.id, principal=principal, audit_chain=False).as_dict()
    return view
