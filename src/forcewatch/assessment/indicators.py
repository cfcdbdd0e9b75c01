"""The core indicators (threat-risk-assessment.md section 4), computed from the frozen inputs.

Each indicator the method lists is reported with its definition, its values, the inputs it was
computed from and its denominator, or as "not available" with the reason (forcewatch holds no
crime, call-handling, response-time or cost data yet). Nothing here reads the database: it is a
pure function of the snapshot contents and the coverage result, so ``verify`` re-runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..method import CoverageResult, MethodConfig

__all__ = ["INDICATOR_TITLES", "compute_indicators"]

INDICATOR_TITLES: dict[str, str] = {
    "assaults_on_officers": "Assaults on officers",
    "violent_weapon_crime": "Violent and weapon-enabled crime",
    "weapon_incidents": "Incidents involving weapons (demand events) by hour and area",
    "taser_requests": "Taser authorisations and requests for a Taser officer",
    "response_times": "Response times; time for a Taser-capable officer to arrive",
    "sto_coverage": "Taser-trained officer (STO) coverage",
    "abstraction_training": "Abstraction, training throughput, requalification and failure",
    "taser_outcomes": "Taser use by level",
    "disproportionality": "Disproportionality of Taser use",
    "cost": "Cost",
}

_NOT_HELD = {
    "violent_weapon_crime": "forcewatch holds no recorded-crime data yet (knife and firearms offences)",
    "taser_requests": "forcewatch holds no call-handling or Taser authorisation data yet",
    "response_times": "forcewatch holds no call-handling or response-time data yet",
    "abstraction_training": "needs the Taser-trained officer register (training, requalification); the method's "
    "abstraction rate is a judgement in the log",
    "cost": "forcewatch holds no cost data; devices, cartridges and training hours are not recorded",
}


def _per_1000(count: float | None, officers: float | None) -> float | None:
    if count is None or not officers:
        return None
    return count / officers * 1000


def _officers(c: Mapping[str, Any]) -> float | None:
    return (c.get("workforce") or {}).get("officers_fte")


def _assaults(c: Mapping[str, Any], cov: CoverageResult) -> dict[str, Any] | None:
    officers = _officers(c)
    assaults = c.get("assaults")
    if assaults:
        total = sum(m.get("assaults", 0) for m in assaults.get("monthly", []))
        return {
            "values": {
                "assaults": total,
                "with_injury": sum(m.get("with_injury", 0) for m in assaults.get("monthly", [])),
                "with_weapon": sum(m.get("with_weapon", 0) for m in assaults.get("monthly", [])),
                "per_1000_officers": _per_1000(total, officers),
            },
            "sources": ["assaults", "workforce"],
            "denominator": "police officers (FTE)",
            "definition": "assaults on officers recorded in the period; rate per 1,000 officers (FTE)",
        }
    records = c.get("records_use_of_force")
    if not records:
        return None
    n = records.get("officer_assaulted_by_subject", 0)
    return {
        "values": {
            "reports_officer_assaulted": n,
            "reports_officer_injured": records.get("officer_injured", 0),
            "per_1000_officers": _per_1000(n, officers),
        },
        "sources": ["records_use_of_force", "workforce"],
        "denominator": "police officers (FTE)",
        "definition": "use-of-force reports where the officer was assaulted by the subject, or injured; "
        "a partial measure until assaults on officers are recorded in forcewatch",
    }


def _weapons(c: Mapping[str, Any], cov: CoverageResult) -> dict[str, Any] | None:
    demand = c.get("demand") or {}
    rows = demand.get("rows") or []
    records = c.get("records_use_of_force") or {}
    return {
        "values": {
            "demand_events": sum(r["events"] for r in rows),
            "by_area_and_block": [
                {"area": r["area"], "block": r["block"], "events": r["events"]} for r in rows
            ],
            "reports_with_weapon_impact_factor": records.get("weapon_impact_factor"),
        },
        "sources": ["demand", "records_use_of_force"],
        "denominator": "hours observed per block",
        "definition": demand.get("definition", "demand events as defined by the method"),
    }


def _coverage(c: Mapping[str, Any], cov: CoverageResult) -> dict[str, Any] | None:
    areas = [
        {
            "area": a.area,
            "on_duty_needed": a.on_duty.as_dict(),
            "required": a.required.as_dict(),
            "current": a.decision.current,
        }
        for a in (*cov.areas, cov.total)
    ]
    officers = _officers(c)
    current = cov.total.decision.current
    return {
        "values": {
            "by_area": areas,
            "share_of_officers_trained": None if current is None or not officers else current / officers,
        },
        "sources": ["demand", "current_headcount", "workforce"],
        "denominator": "police officers (FTE)",
        "definition": "trained Taser officers now against the headcount the coverage model requires",
    }


def _outcomes(c: Mapping[str, Any], cov: CoverageResult) -> dict[str, Any] | None:
    published = c.get("published_use_of_force") or {}
    records = c.get("records_use_of_force") or {}
    if not published and not records:
        return None
    levels = published.get("ced_by_level") or {}
    officers = _officers(c)
    ced = levels.get("ced")
    return {
        "values": {
            "published_ced_by_level": levels,
            "published_ced_per_1000_officers": _per_1000(ced, officers),
            "published_discharge_share": (levels.get("ced_discharge") / ced) if ced else None,
            "records_ced_reports": records.get("ced_reports"),
            "records_ced_by_class": records.get("ced_by_class"),
            "records_ced_reports_with_level": records.get("ced_reports_with_level"),
        },
        "sources": ["published_use_of_force", "records_use_of_force", "workforce"],
        "denominator": "police officers (FTE) for the rate; reports with CED for the discharge share",
        "definition": "Taser (CED) use by highest level (published) and reports recording each level (records)",
    }


def _disproportionality(c: Mapping[str, Any], cov: CoverageResult) -> dict[str, Any] | None:
    return {
        "values": {"see": "community impact: disproportionality figures"},
        "sources": ["records_use_of_force", "published_use_of_force", "population"],
        "denominator": "Census 2011 residents; use-of-force reports",
        "definition": "rate ratios against the reference group, with caveats (community impact section)",
    }


_COMPUTE: dict[str, Callable[[Mapping[str, Any], CoverageResult], dict[str, Any] | None]] = {
    "assaults_on_officers": _assaults,
    "weapon_incidents": _weapons,
    "sto_coverage": _coverage,
    "taser_outcomes": _outcomes,
    "disproportionality": _disproportionality,
}


def compute_indicators(
    contents: Mapping[str, Any], method: MethodConfig, coverage: CoverageResult
) -> dict[str, Any]:
    """Every indicator the method lists, computed or explicitly "not available" with the reason."""
    out: list[dict[str, Any]] = []
    for key in method.indicators:
        fn = _COMPUTE.get(key)
        found = fn(contents, coverage) if fn else None
        if found is None:
            reason = _NOT_HELD.get(key, "the inputs it needs are not in this assessment")
            out.append(
                {
                    "key": key,
                    "title": INDICATOR_TITLES.get(key, key),
                    "status": "not available",
                    "reason": reason,
                    "values": {},
                    "sources": [],
                    "denominator": None,
                    "definition": None,
                }
            )
        else:
            out.append(
                {
                    "key": key,
                    "title": INDICATOR_TITLES.get(key, key),
                    "status": "computed",
                    "reason": None,
                    **found,
                }
            )
    return {"indicators": out, "method": method.summary()}
