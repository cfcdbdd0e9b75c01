"""Compare two versions of an assessment: inputs, method, outputs and judgements, with the reason.

Each version is compared as it stands (its current run). Inputs are compared by SHA-256 and, when
they differ, figure by figure; the method setting by setting; the outputs at the decision, the
requirement and every indicator and community figure; the judgement log field by field (the
latest judgement of each field).
"""

from __future__ import annotations

import json
from typing import Any

from ..access import SYSTEM, Principal
from ..errors import UsageError
from ..store import Store
from . import ledger
from .differences import differences
from .judgements import latest
from .visibility import require_restricted

__all__ = ["diff_assessments"]


def _side(conn: Any, principal: Principal, assessment_id: int) -> dict[str, Any]:
    item = ledger.load(conn, assessment_id)
    require_restricted(principal, item)
    run = ledger.current_run(conn, item.id)
    config, _ = ledger.method_of(conn, item.method_sha256)
    return {
        "item": item,
        "run": run,
        "config": config,
        "snapshots": {s.input_key: s for s in ledger.snapshots(conn, item.id)},
        "judgements": latest(ledger.judgements(conn, item.id)),
    }


def _inputs(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        change = (
            "added"
            if a is None
            else "removed"
            if b is None
            else "same"
            if a.sha256 == b.sha256
            else "changed"
        )
        out.append(
            {
                "input": key,
                "change": change,
                "old_sha256": a.sha256 if a else None,
                "new_sha256": b.sha256 if b else None,
                "old_rows": a.rows if a else None,
                "new_rows": b.rows if b else None,
                "differences": differences(a.content(), b.content(), limit=50)
                if a is not None and b is not None and change == "changed"
                else [],
            }
        )
    return out


def _judgements(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    def brief(j: Any) -> dict[str, Any] | None:
        return (
            None
            if j is None
            else {
                "kind": j.kind,
                "stage": j.stage,
                "value": j.value,
                "rationale": j.rationale,
                "author": j.author,
                "made_at": j.as_dict()["made_at"],
            }
        )

    out = []
    for field in sorted(set(old) | set(new)):
        a, b = old.get(field), new.get(field)
        if a is not None and b is not None and a.value == b.value and a.rationale == b.rationale:
            continue
        change = "added" if a is None else "removed" if b is None else "changed"
        out.append({"field": field, "change": change, "old": brief(a), "new": brief(b)})
    return out


def diff_assessments(
    store: Store, old_id: int, new_id: int, *, principal: Principal = SYSTEM
) -> dict[str, Any]:
    """What changed from assessment ``old_id`` to ``new_id`` (both readable at the restricted tier)."""
    if old_id == new_id:
        raise UsageError("compare two different assessments")
    with store.read() as conn:
        a, b = _side(conn, principal, old_id), _side(conn, principal, new_id)
    ia, ib = a["item"], b["item"]
    da, db = a["run"].output("decision"), b["run"].output("decision")
    return {
        "from": {**ia.as_dict(), "manifest_sha256": a["run"].manifest_sha256},
        "to": {**ib.as_dict(), "manifest_sha256": b["run"].manifest_sha256},
        "same_force_and_period": (ia.force_code, ia.period) == (ib.force_code, ib.period),
        "reason": ib.revision_reason
        if ib.supersedes_id == ia.id or ib.version > ia.version
        else ia.revision_reason,
        "inputs": _inputs(a["snapshots"], b["snapshots"]),
        "method": {
            "same": a["config"].sha256 == b["config"].sha256,
            "old": a["config"].summary(),
            "new": b["config"].summary(),
            "settings": differences(_doc(a), _doc(b)),
        },
        "outputs": {
            "decision": {"old": da["final"], "new": db["final"]},
            "recommendation": {"old": da["model"]["recommendation"], "new": db["model"]["recommendation"]},
            "decision_differences": differences(_strip(da), _strip(db), limit=100),
            "indicators": differences(
                a["run"].output("indicators"), b["run"].output("indicators"), limit=100
            ),
            "community_figures": differences(
                a["run"].output("community_figures"), b["run"].output("community_figures"), limit=100
            ),
        },
        "judgements": _judgements(a["judgements"], b["judgements"]),
    }


def _doc(side: dict[str, Any]) -> Any:
    return json.loads(side["config"].canonical_json())


def _strip(decision: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in decision.items() if k != "coverage"} | {
        "areas_required": {a["area"]: a["required"] for a in decision.get("coverage", {}).get("areas", [])}
    }
