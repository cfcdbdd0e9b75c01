"""The figures a publication freezes: a force's quarterly Taser figures and an assessment's public summary.

**Quarterly Taser figures** (``forcewatch publish quarterly --force F --quarter 2019-Q1``): use-of-force
reports and CED use by level for one force and calendar quarter, computed from its stored reports
by :func:`forcewatch.monitoring.records_facts` (the ``incidents_by_force`` and ``ced_by_force``
tables): a report counts once for CED at its highest level (the force's CED hierarchy profile),
and each level's count is of reports. Small numbers are suppressed (primary and secondary, with
the CED levels as nested groups that add up to their parent) before anything is frozen.

**Assessment summary**: the public summary's decision and its coverage blocks (already suppressed
by :func:`forcewatch.assessment.packs.public_summary`), made when the assessment is published.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from . import forces
from .access import SYSTEM, Principal, require
from .monitoring import records_facts
from .periods import quarter_bounds
from .publications import Publication, csv_text, current_of, get_publication, store_publication
from .settings import Settings
from .store import Store
from .suppression import SuppressionRule, nested_groups, rule_from_settings, suppressed_cells
from .vocab import TACTICS

__all__ = ["QUARTERLY_COLUMNS", "LEVELS", "publish_quarterly", "publish_assessment_summary", "recompute_quarterly"]

#: the open data's columns
QUARTERLY_COLUMNS = ["force_code", "force", "quarter", "from", "to", "tactic", "level", "measure", "value", "note"]
#: CED levels and what they add up to (parent: children), as the Home Office tables give them
LEVELS: dict[str, list[str]] = {
    "ced": ["ced_non_discharge", "ced_discharge", "ced_not_stated"],
    "ced_non_discharge": ["ced_drawn", "ced_aimed", "ced_red_dot", "ced_arced"],
    "ced_discharge": ["ced_drive_stun", "ced_angled_drive_stun", "ced_fired"],
}
_ORDER = ["all", "ced", "ced_non_discharge", "ced_drawn", "ced_aimed", "ced_red_dot", "ced_arced", "ced_discharge",
          "ced_drive_stun", "ced_angled_drive_stun", "ced_fired", "ced_not_stated"]
_LABELS = {t.key: t.label for t in TACTICS} | {"all": "Use-of-force reports (any tactic)"}
METHOD = (
    "Counts of use-of-force reports recorded by the force whose incident date falls in the quarter, computed from "
    "its stored reports with the forcewatch counting rules that reproduce the Home Office tables "
    "(incidents_by_force and ced_by_force): each report is counted once; for Taser (CED) a report counts once, "
    "at the highest level of use it records (the CED hierarchy profile named in the source). Non-discharge "
    "(drawn, aimed, red-dot, arced) and discharge (drive stun, angled drive stun, fired) add up to CED use; "
    "a report that does not say how the CED was used is 'CED, not stated'. Figures are frozen when published."
)


def _quarter_rows(store: Store, code: str, quarter: str, rule: SuppressionRule) -> tuple[list[dict[str, Any]], str, bool]:
    label, first, last = quarter_bounds(quarter)
    tables = records_facts(store, force=code, start=first, end=last, tables=["incidents_by_force", "ced_by_force"])
    found = {r["tactic"]: r for r in tables.rows() if r["area_code"] == code and r["measure"] == "incidents"}
    values: dict[Any, float | None] = {k: (found[k]["value"] if k in found else 0.0) for k in _ORDER}
    # CED reports nest within all reports; the levels add up to their parent
    cells, groups = nested_groups(values, ["all", "ced"])
    groups += list(LEVELS.items())
    hidden = suppressed_cells(cells, groups, rule)
    simulated = any("simulated" in (r.get("note") or "") for r in found.values())
    rows = [{"force_code": code, "force": forces.get(code).name, "quarter": label, "from": first.isoformat(),
             "to": last.isoformat(), "tactic": key, "level": _LABELS[key], "measure": "reports",
             "value": None if key in hidden else values[key],
             "note": "; ".join(x for x in ("suppressed" if key in hidden else "", "simulated" if simulated else "") if x)}
            for key in _ORDER]
    source = "; ".join(p.line() for p in tables.provenance)
    return rows, source, simulated


def recompute_quarterly(store: Store, *, force_code: str, quarter: str, threshold: int | None = None) -> list[dict[str, str]]:
    """The quarterly figures today's records give, as text (to compare with a frozen publication)."""
    rule = SuppressionRule(threshold) if threshold is not None else rule_from_settings()
    rows, _, _ = _quarter_rows(store, force_code, quarter, rule)
    return list(csv.DictReader(io.StringIO(csv_text(QUARTERLY_COLUMNS, rows))))


def publish_quarterly(store: Store, principal: Principal, *, force: str, quarter: str,
                      settings: Settings | None = None) -> Publication:
    """Compute, suppress, freeze and publish a force's quarterly Taser figures; supersedes the force's
    earlier publication for the same quarter, if any. Needs ``publication.write`` for the force."""
    code = forces.resolve(force, "force").code
    require(principal, "publication.write", force_code=code)
    rule = rule_from_settings(settings)
    label, first, last = quarter_bounds(quarter)
    rows, source, simulated = _quarter_rows(store, code, label, rule)
    name = forces.get(code).name
    reports, ced = (f"{int(r['value']):,}" if r["value"] is not None else "a suppressed number of" for r in rows[:2])
    body = (f"{name} recorded {reports} use-of-force reports between {first.day} {first:%B %Y} and "
            f"{last.day} {last:%B %Y}, {ced.replace(' of', '')} of them involving Taser (CED). "
            "The table gives CED use by level.")
    if simulated:
        body += " These figures are computed from SIMULATED records (demonstration data), not real police records."
    data = {"force_code": code, "force": name, "quarter": label, "from": first, "to": last,
            "figures": rows, "simulated": simulated, "suppression_threshold": rule.threshold}
    with store.write() as conn:
        previous = current_of(conn, kind="quarterly_taser", force_code=code, period=label)
        new_id = store_publication(
            conn, principal, kind="quarterly_taser", force_code=code, period=label,
            title=f"{name}: Taser (CED) use, {label} ({first:%B} to {last:%B %Y})", body=body, method=METHOD,
            source=source, suppression=rule.statement(), data=data, columns=QUARTERLY_COLUMNS, rows=rows,
            supersedes_id=previous)
    return get_publication(store, new_id)


_SUMMARY_COLUMNS = ["area", "block", "events", "rate", "rate_low", "rate_high"]


def publish_assessment_summary(store: Store, principal: Principal, assessment_id: int, *,
                               settings: Settings | None = None) -> Publication:
    """Publish the public summary of an assessment just published through its signed workflow (called by
    :func:`forcewatch.assessment.publish`, which has checked ``assessment.publish``)."""
    from .assessment.packs import public_summary

    summary = public_summary(store, assessment_id, principal=SYSTEM, settings=settings)
    item, decision = summary["assessment"], summary["decision"]
    rule = rule_from_settings(settings)
    blocks = [{k: b.get(k) for k in _SUMMARY_COLUMNS} for b in summary["kpis"]["demand_by_block"]]
    method = summary["method_statement"]
    with store.write() as conn:
        previous = current_of(conn, kind="assessment_summary", force_code=item["force_code"], period=item["period"])
        new_id = store_publication(
            conn, principal, kind="assessment_summary", force_code=item["force_code"], period=item["period"],
            title=f"{item['title']}: public summary", body=f"Decision: {decision['decision']}. {decision['statement']}",
            method=f"{method['name']} {method['version']} (sha256 {method['sha256'][:12]}): {method['description']}",
            source=f"forcewatch assessment {item['id']} version {item['version']}, signed; full public summary at "
                   f"/assessments/{item['id']}/public",
            suppression=rule.statement(), data={"assessment": item, "decision": decision, "kpis": summary["kpis"]},
            columns=_SUMMARY_COLUMNS, rows=blocks, supersedes_id=previous, assessment_id=item["id"])
    return get_publication(store, new_id)
