"""The force dashboard: one force at a glance, for the people of that force (and national roles).

:func:`force_dashboard` gathers, for a force the principal may see (``dashboard.read``: a force's
people see only their own force, the national analyst any), what the principal's role may read:

- the published figures (Home Office statistics: incidents, Taser, per 1,000 officers), for everyone;
- headline figures from the force's records and the monthly Taser trend (``facts.read_records``);
- the recording-quality scorecard's totals (``facts.read_records``);
- the state of its threat and risk assessments (``assessment.read``);
- assaults on officers whose time limit is near or past (``assault.read``): counts only;
- its publications on the public site.

Each part calls the library function of its own page, which checks access and audits the read
again; a part the role may not read is left out (``None``) and named in ``hidden``. Every figure
links to its detailed page.
"""

from __future__ import annotations

from typing import Any

from . import forces
from .access import Principal, can, require, visible_forces
from .errors import NotFound
from .national import force_series
from .publications import list_publications
from .store import Store

__all__ = ["force_dashboard", "dashboard_forces"]


def dashboard_forces(principal: Principal) -> list[dict[str, str]]:
    """The forces whose dashboard the principal may open."""
    visible = visible_forces(principal, "dashboard.read")
    return [{"code": a.code, "name": a.name, "url": f"/forces/{a.code}"} for a in forces.forces() if a.code in visible]


def _records(store: Store, principal: Principal, code: str) -> dict[str, Any] | None:
    from .monitoring.loader import financial_years_held
    from .monitoring.pages import quality_page
    from .monitoring.trends import trends

    held = financial_years_held(store, (code,))
    if not held:
        return {"year": None, "note": "no records are held for this force"}
    year = held[-1]
    series = trends(store, force=code, year=year, principal=principal).as_dict()
    totals = series["years"][-1] if series["years"] else {"count": 0, "reports": 0}
    quality = quality_page(store, principal, force=code, year=year)
    titles = {r["key"]: r["title"] for r in quality.get("rules", [])}
    return {"year": year, "reports": totals["reports"], "ced_reports": totals["count"],
            "months": [{"month": m["month"], "ced_reports": m["count"], "reports": m["reports"]} for m in series["months"]],
            "trend": series["trend"], "alarms": series["cusum"]["alarm_periods"],
            "change_points": series["change_points"]["change_points"],
            "quality": [{**t, "title": titles.get(t["rule"], t["rule"])} for t in quality["totals"]]}


def force_dashboard(store: Store, principal: Principal, force: str) -> dict[str, Any]:
    """Everything on a force's dashboard that the principal may read (see the module docstring)."""
    from .assessment.views import list_assessments
    from .time_limits import time_limit_alerts

    area = forces.resolve(force, "force")
    require(principal, "dashboard.read", force_code=area.code)
    official = force_series(store, area.code)
    latest = next((r for r in reversed(official["rows"]) if r["period"] == "financial year"), None)
    hidden = []
    records = None
    if can(principal, "facts.read_records"):
        try:
            records = _records(store, principal, area.code)
        except NotFound as exc:
            records = {"year": None, "note": exc.message}
    else:
        hidden.append("figures from records and recording quality")
    assessments = None
    if can(principal, "assessment.read"):
        assessments = [{k: a.get(k) for k in ("id", "period", "version", "state", "decision", "tier")}
                       for a in list_assessments(store, principal, force=area.code)]
    else:
        hidden.append("threat and risk assessments")
    alerts = None
    if can(principal, "assault.read"):
        found = time_limit_alerts(store, principal, force=area.code)["alerts"]
        alerts = {"due": sum(a["state"] == "due" for a in found), "expired": sum(a["state"] == "expired" for a in found)}
    else:
        hidden.append("assaults on officers")
    return {"area_code": area.code, "area": area.name, "official_latest": latest, "official": official["rows"],
            "records": records, "assessments": assessments, "assault_alerts": alerts,
            "publications": [p.summary() for p in list_publications(store, force=area.code)[:5]],
            "hidden": hidden}
