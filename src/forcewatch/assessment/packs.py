"""Two-tier publication: the restricted full pack and the public summary, each as HTML and PDF.

- **Restricted** (marked OFFICIAL-SENSITIVE; ``assessment.read_restricted``): everything in
  :func:`forcewatch.assessment.views.show_assessment`, with the run manifest and the full
  calculation trace as appendices.
- **Public** (:func:`public_summary`; the force's readers at any state, everyone once published):
  the method statement, the decision and its rationale, current, required and the difference in
  trained officers, the EIA/CIA summary, engagement and who was informed, the monitoring KPIs
  (demand, Taser use by level, assaults on officers, disproportionality), the sign-off dates and
  how to verify, under the one small-number rule (:mod:`forcewatch.suppression`): every count from
  1 to ``FORCEWATCH_SUPPRESSION_THRESHOLD`` (default 5), every rate, interval and ratio built on
  one, and the next smallest figure where CED levels add up to their total or assaults with injury
  or a weapon nest within all assaults, is shown as "suppressed", and the rule is stated. No
  person-level data: counts only, roles not names.

This module builds the two tiers' data; :mod:`.rendering` turns either into HTML or PDF.
"""

from __future__ import annotations

from typing import Any

from ..access import SYSTEM, Principal
from ..errors import NotFound
from ..settings import Settings
from ..store import Store
from ..suppression import (
    SUPPRESSED,
    SuppressionRule,
    nested_groups,
    rule_from_settings,
    suppressed_cells,
)
from ..vocab import tactic_children
from . import ledger
from .model import COMMUNITY_KINDS, PARTIES
from .views import headcount, show_assessment
from .visibility import may_read_public_tier
from .workflow import signatures

__all__ = ["TIERS", "public_summary", "restricted_pack"]

TIERS = ("restricted", "public")


#: the published CED figures that add up: each total and its parts (Home Office Table 13)
_CED_GROUPS = [(parent, [t.key for t in tactic_children(parent)]) for parent in ("ced", "ced_non_discharge",
                                                                                  "ced_discharge")]


def _levels(levels: dict[str, Any], rule: SuppressionRule) -> dict[str, Any]:
    """CED use by level with primary and secondary suppression (levels add up to the CED total)."""
    hidden = suppressed_cells(levels, _CED_GROUPS, rule)
    return {k: SUPPRESSED if k in hidden else v for k, v in levels.items()}


def _assaults(indicators: list[dict[str, Any]], rule: SuppressionRule) -> dict[str, Any] | None:
    """Assaults on officers (indicator 1) when recorded in forcewatch: the counts nest in the total."""
    found = next((i for i in indicators if i["key"] == "assaults_on_officers" and "assaults" in i["sources"]), None)
    if found is None:
        return None
    v = found["values"]
    values, groups = nested_groups({k: v[k] for k in ("assaults", "with_injury")}, ["assaults", "with_injury"])
    weapon, more = nested_groups({k: v[k] for k in ("assaults", "with_weapon")}, ["assaults", "with_weapon"])
    hidden = suppressed_cells({**values, **weapon}, groups + more, rule)
    shown = {k: SUPPRESSED if k in hidden else v[k] for k in ("assaults", "with_injury", "with_weapon")}
    rate = SUPPRESSED if "assaults" in hidden else v["per_1000_officers"]
    return {**shown, "per_1000_officers": rate, "definition": found["definition"]}


def _kpis(run: ledger.RunRecord, rule: SuppressionRule) -> dict[str, Any]:
    decision, indicators = run.output("decision"), run.output("indicators")["indicators"]
    blocks = []
    for b in decision["coverage"]["blocks"]:
        small = rule.hides(b["events"])
        blocks.append(
            {
                "area": b["area"],
                "block": b["block"],
                "events": SUPPRESSED if small else b["events"],
                **{k: SUPPRESSED if small else b[k] for k in ("rate", "rate_low", "rate_high")},
            }
        )
    outcomes = next(
        (i for i in indicators if i["key"] == "taser_outcomes" and i["status"] == "computed"), None
    )
    levels = _levels(dict((outcomes or {}).get("values", {}).get("published_ced_by_level") or {}), rule)
    rate = (outcomes or {}).get("values", {}).get("published_ced_per_1000_officers")
    disparity = []
    for row in run.output("community_figures")["rows"]:
        small = rule.hides(row["group_count"]) or rule.hides(row["reference_count"])
        disparity.append(
            {
                "group": row["group"],
                "reference_group": row["reference_group"],
                "benchmark": row["benchmark"],
                "source": row["source"],
                "group_count": SUPPRESSED if rule.hides(row["group_count"]) else row["group_count"],
                "reference_count": SUPPRESSED if rule.hides(row["reference_count"]) else row["reference_count"],
                **{k: SUPPRESSED if small else row[k] for k in ("rate_ratio", "ci_low", "ci_high")},
                "note": row["note"],
            }
        )
    return {
        "demand_by_block": blocks,
        "published_ced_by_level": levels,
        "published_ced_per_1000_officers": SUPPRESSED if levels.get("ced") == SUPPRESSED else rate,
        "disparity": disparity,
        "demand_blocks_suppressed": sum(1 for b in blocks if b["events"] == SUPPRESSED),
        "assaults_on_officers": _assaults(indicators, rule),
    }


def public_summary(
    store: Store, assessment_id: int, *, principal: Principal = SYSTEM, settings: Settings | None = None
) -> dict[str, Any]:
    """The public tier: suppressed, no person-level data (see the module docstring)."""
    rule = rule_from_settings(settings)
    with store.read() as conn:
        item = ledger.load(conn, assessment_id)
        if not may_read_public_tier(conn, principal, item):
            raise NotFound(f"no published assessment {assessment_id}")
        run = ledger.current_run(conn, item.id)
        config, _ = ledger.method_of(conn, item.method_sha256)
        decision = run.output("decision")
        community = ledger.community(conn, item.id)
        informed = ledger.informed(conn, item.id)
        signed = signatures(conn, item.id)
        kpis = _kpis(run, rule)
        inputs = [snapshot.summary() for snapshot in ledger.snapshots(conn, item.id)]
    by_kind = {k: [c for c in community if c.kind == k] for k in COMMUNITY_KINDS}
    model = decision["model"]
    return {
        "tier": "public",
        "marking": "OFFICIAL (public summary)",
        "assessment": {
            "id": item.id,
            "force": item.force_name,
            "force_code": item.force_code,
            "period": item.period,
            "version": item.version,
            "state": item.state,
            "title": item.title,
            "superseded_by_id": item.superseded_by_id,
        },
        "method_statement": {
            "name": config.info.name,
            "version": config.info.version,
            "sha256": config.sha256,
            "approver": config.info.approver,
            "status": config.info.status,
            "description": config.info.description,
            "demand_event": config.demand_event.text,
            "service_level_beta": str(config.beta),
            "crewing": config.crewing,
            "commitment_hours": str(config.commitment_hours),
            "teams": str(config.staffing.teams),
            "abstraction": str(config.staffing.abstraction),
            "buffer": str(config.staffing.buffer),
            "interval": config.interval.method,
            "decision_rule": {k: str(v) for k, v in config.decision.as_dict().items()},
        },
        "decision": {
            "decision": decision["final"]["decision"],
            "statement": decision["final"]["statement"],
            "recommendation": model["recommendation"],
            "reasons": model["reasons"],
            "priority": decision["priority"],
            "override": [
                {"field": o["field"], "value": o["value"], "rationale": o["rationale"]}
                for o in decision["override"] or []
            ],
            "flags": [
                {k: f[k] for k in ("group", "benchmark", "source", "explained")} for f in decision["flags"]
            ],
        },
        "eia_cia": [{"outcome": c.outcome, "summary": c.summary} for c in by_kind["eia_cia"]],
        "consultation": [
            {"held_on": c.held_on.isoformat() if c.held_on else None, "summary": c.summary}
            for c in by_kind["consultation"]
        ],
        "mitigations": [c.summary for c in by_kind["mitigation"]],
        "caveats": [c.summary for c in by_kind["caveat"]],
        "informed": [
            {
                "party": PARTIES[i.party],
                "party_name": i.party_name,
                "informed_on": i.informed_on.isoformat(),
                "how": i.how,
            }
            for i in informed
        ],
        "kpis": kpis,
        "sign_off": [
            {
                "state": s.to_state,
                "role": s.actor_role.replace("_", " "),
                "date": s.signed_at.date().isoformat(),
            }
            for s in signed
        ],
        "headcount": _public_headcount(headcount(decision, inputs)),
        "suppression": {"threshold": rule.threshold, "statement": rule.statement()},
        "verification": {
            "manifest_sha256": run.manifest_sha256,
            "how": f"forcewatch assess verify {item.id} re-runs the assessment from its stored inputs "
            "and checks every hash, signature and audit link",
        },
    }


def _public_headcount(figures: dict[str, Any]) -> dict[str, Any]:
    """Where the current headcount came from, by role: a figure given names its analyst's account,
    which the public tier does not show (the restricted pack and the judgement log do)."""
    source = figures.get("current_from")
    if source and source.get("provider") == "given":
        figures["current_from"] = {**source, "source": "given by the force's analyst (see the judgement log)"}
    return figures


def restricted_pack(store: Store, assessment_id: int, *, principal: Principal = SYSTEM) -> dict[str, Any]:
    """The restricted tier: the full assessment (an audited read), marked OFFICIAL-SENSITIVE."""
    return {
        "tier": "restricted",
        "marking": "OFFICIAL-SENSITIVE",
        **show_assessment(store, principal, assessment_id),
    }
