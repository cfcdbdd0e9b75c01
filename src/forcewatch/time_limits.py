"""Alerts for assaults nearing, or past, the six-month time limit for summary-only offences.

An offence triable only summarily (Police Act 1996 s.89; common assault charged summarily) must be
charged, or a summons or postal requisition issued, within 6 months of the offence (Magistrates'
Courts Act 1980 s.127; the detail is marked unverified in the reference data). The either-way
offence of the 2018 Act (s.1) has no such limit and is never alerted. The limit, the basis and the
mode of trial come from the reference data (:mod:`forcewatch.assault_reference`), never from code.

An alert is raised for an assault that is still open (no charge or summons, and not closed by
another outcome) and whose deadline is ``within_days`` away or fewer (``due``), or already passed
(``expired``: the case can now only be closed, usually as outcome 17).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from . import access, audit
from . import assault_reference as ref
from .access import Principal
from .assault_access import assault_filters
from .forces import resolve
from .outcomes import STATUSES, derived_status, outcome_trail, time_limit_status
from .store import Store
from .store.tables.assaults import officer_assault

__all__ = ["time_limit_alerts"]


def time_limit_alerts(store: Store, principal: Principal, *, force: str | None = None, as_of: date | None = None,
                      within_days: int = 30) -> dict[str, Any]:
    """The open summary-only assaults the principal may read whose time limit is near or past, soonest first."""
    as_of = as_of or date.today()
    within_days = max(0, int(within_days))
    summary_only = sorted(k for k, o in ref.reference().offences.items()
                          if ref.reference().time_limits[o.mode_of_trial].get("months") is not None)
    clauses = [*assault_filters(principal, "assault.read"), officer_assault.c.offence.in_(summary_only)]
    code = resolve(force, "force").code if force else None
    if code:
        if code not in access.visible_forces(principal, "assault.read"):
            access.require(principal, "assault.read", force_code=code)
        clauses.append(officer_assault.c.force_code == code)
    t = officer_assault.c
    query = select(t.id, t.force_code, t.crime_ref, t.team, t.offence, t.offence_date, t.ho_class,
                   t.simulated).where(*clauses)
    alerts = []
    with store.write() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
        trails = outcome_trail(conn, [r["id"] for r in rows])
        for r in rows:
            limit = time_limit_status(r, trails[r["id"]], as_of, within_days=within_days)
            if limit["state"] in ("due", "expired"):
                status = derived_status(trails[r["id"]])
                alerts.append({**r, "force": resolve(r["force_code"]).name,
                               "offence_label": ref.offence(r["offence"]).label, "deadline": limit["deadline"],
                               "days_left": limit["days_left"], "state": limit["state"], "status": status,
                               "status_label": STATUSES[status]})
        alerts.sort(key=lambda a: (a["deadline"], a["id"]))
        audit.append(conn, audit.RecordRead(force_code=code or principal.force_code, record_type="officer_assault",
                                            count=len(alerts), query={"alerts": "time_limit", "as_of": str(as_of),
                                                                      "within_days": within_days}),
                     actor=principal)
    rule = ref.reference().time_limits["summary"]
    return {"as_of": as_of, "within_days": within_days, "force_code": code, "alerts": alerts,
            "offences_with_limit": [{"key": k, "label": ref.offence(k).label,
                                     "legislation": ref.offence(k).legislation} for k in summary_only],
            "rule": {"months": rule["months"], "basis": " ".join(rule["basis"].split()),
                     "unverified": bool(rule.get("unverified", True))}}
