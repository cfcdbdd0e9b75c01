"""The national picture from the published statistics: use of force and Taser by year and by force.

Everything here is computed from :func:`forcewatch.official.facts` (the newest publication of
each figure) and says where it came from:

- *incidents*: use-of-force incidents (officer reports), ``incidents_by_force``;
- *CED*: Taser use, ``ced_by_force`` tactic ``ced``: reports (``incidents``) from April 2017, and
  the earlier calendar-year series of *uses*, which the Home Office says is not comparable;
- *per 1,000 officers*: divided by police officers, full-time equivalent, at 31 March of the
  financial year (``workforce`` ``officers_fte`` as at ``YYYY-03-31``), the snapshot nearest the
  year's end. Rates are given for financial years only, and only where that snapshot is loaded.
"""

from __future__ import annotations

import re
from typing import Any

from . import forces
from .errors import NotFound, UsageError
from .official import Fact, facts
from .store import Store
from .suppression import SuppressionRule, area_groups, suppress_rows, suppressed_cells

__all__ = ["national_series", "force_table", "force_series", "officer_snapshot"]

_EW = forces.ENGLAND_AND_WALES.code


def officer_snapshot(year: str) -> str | None:
    """The workforce snapshot used for a financial year's rates: ``2018-19`` -> ``2019-03-31``."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", year)
    return f"{int(m.group(1)) + 1}-03-31" if m else None


def _per_1000(count: float | None, officers: float | None) -> float | None:
    if count is None or not officers:
        return None
    return round(1000 * count / officers, 1)


def _officers(store: Store, area_code: str | None = None) -> dict[tuple[str, str], Fact]:
    rows = facts(store, table="workforce", measure="officers_fte", force=area_code)
    return {(f.category, f.area_code): f for f in rows if f.dimension == "as_at"}


def national_series(store: Store) -> dict[str, Any]:
    """England and Wales by year: incidents, CED use, officers and rates per 1,000 officers."""
    incidents = {f.year: f for f in facts(store, table="incidents_by_force", force=_EW, measure="incidents")}
    ced = {f.year: f for f in facts(store, table="ced_by_force", force=_EW, tactic="ced")}
    officers = _officers(store, _EW)
    rows = []
    for year in sorted(set(incidents) | set(ced), key=_year_order):
        snapshot = officer_snapshot(year)
        staff = officers.get((snapshot, _EW)) if snapshot else None
        inc, taser = incidents.get(year), ced.get(year)
        rows.append({
            "year": year, "period": _period_kind(year),
            "incidents": inc.value if inc else None,
            "ced": taser.value if taser else None, "ced_measure": taser.measure if taser else None,
            "officers_fte": round(staff.value, 1) if staff and staff.value is not None else None,
            "officers_as_at": snapshot if staff else None,
            "incidents_per_1000_officers": _per_1000(inc.value if inc else None, staff.value if staff else None),
            "ced_per_1000_officers": _per_1000(taser.value if taser else None, staff.value if staff else None),
            "vintages": ", ".join(sorted({f.vintage for f in (inc, taser, staff) if f})),
        })
    return {
        "area_code": _EW, "area": forces.ENGLAND_AND_WALES.name, "rows": rows,
        "years": [r["year"] for r in rows if r["period"] == "financial year" and r["incidents"] is not None],
        "notes": [
            "Incidents are officer reports: one officer's use of force on one person.",
            "CED (Taser) use from April 2017 counts reports, once at the highest level used; the calendar-year "
            "series to 2016 counts uses. The Home Office says the two series are not comparable.",
            "Rates per 1,000 officers use police officers (full-time equivalent) at 31 March of the financial year.",
            "The figures reflect current recording, not all force used; rises are largely better recording.",
        ],
    }


def force_table(store: Store, year: str, *, rule: SuppressionRule | None = None) -> dict[str, Any]:
    """Every force (and region and England and Wales) for one financial year, with rates.

    ``rule`` applies small-number suppression (public pages) to the counts and their rates.
    """
    if not re.fullmatch(r"\d{4}-\d{2}", year):
        raise UsageError(f"year {year!r} is not a financial year", hint="for example 2018-19")
    incidents = {f.area_code: f for f in facts(store, table="incidents_by_force", year=year, measure="incidents")}
    if not incidents:
        raise NotFound(f"no use-of-force incidents by force are loaded for {year}",
                       hint="import the Home Office use-of-force tables: forcewatch import official --bundled")
    ced = {f.area_code: f for f in facts(store, table="ced_by_force", year=year, tactic="ced")}
    discharge = {f.area_code: f for f in facts(store, table="ced_by_force", year=year, tactic="ced_discharge")}
    snapshot = officer_snapshot(year)
    officers = {code: f for (day, code), f in _officers(store).items() if day == snapshot}
    rows = []
    for area in _reading_order():
        inc = incidents.get(area.code)
        if inc is None and area.code not in ced:
            continue
        taser, staff, fired = ced.get(area.code), officers.get(area.code), discharge.get(area.code)
        rows.append({
            "area_code": area.code, "area": area.name, "kind": area.kind,
            "region": forces.get(area.region_code).name if area.region_code else "",
            "incidents": inc.value if inc else None, "ced": taser.value if taser else None,
            "ced_discharge": fired.value if fired else None,
            "officers_fte": round(staff.value, 1) if staff and staff.value is not None else None,
            "incidents_per_1000_officers": _per_1000(inc.value if inc else None, staff.value if staff else None),
            "ced_per_1000_officers": _per_1000(taser.value if taser else None, staff.value if staff else None),
        })
    vintages = sorted({f.vintage for d in (incidents, ced, officers) for f in d.values()})
    if rule is not None:
        groups = area_groups(str(r["area_code"]) for r in rows)
        for column, rate in (("incidents", "incidents_per_1000_officers"), ("ced", "ced_per_1000_officers"),
                             ("ced_discharge", None)):
            rows = suppress_rows(rows, lambda r: r["area_code"], column, groups, rule, blank=(rate,) if rate else (),
                                 note=None)
    return {"year": year, "officers_as_at": snapshot if officers else None, "vintages": vintages, "rows": rows,
            "years": national_series(store)["years"], "suppression": rule.as_dict() if rule else None}


#: CED levels in the published tables and what they add up to (secondary suppression groups)
CED_LEVELS: dict[str, list[str]] = {
    "ced": ["ced_non_discharge", "ced_discharge", "ced_not_stated"],
    "ced_non_discharge": ["ced_drawn", "ced_aimed", "ced_red_dot", "ced_arced"],
    "ced_discharge": ["ced_drive_stun", "ced_angled_drive_stun", "ced_fired"],
}


def force_series(store: Store, force: str, *, rule: SuppressionRule | None = None) -> dict[str, Any]:
    """One force by year from the published statistics: incidents, Taser (CED) use and its levels, and
    rates per 1,000 officers (FTE at 31 March). ``rule`` suppresses small counts (public pages)."""
    from .vocab import TACTICS

    area = forces.resolve(force, "force")
    incidents = {f.year: f for f in facts(store, table="incidents_by_force", force=area.code, measure="incidents")}
    ced_facts = [f for f in facts(store, table="ced_by_force", force=area.code) if f.tactic.startswith("ced")]
    officers = _officers(store, area.code)
    labels = {t.key: t.label for t in TACTICS}
    rows, levels = [], []
    for year in sorted(set(incidents) | {f.year for f in ced_facts}, key=_year_order):
        inc = incidents.get(year)
        by_level = {f.tactic: f for f in ced_facts if f.year == year}
        taser = by_level.get("ced")
        snapshot = officer_snapshot(year)
        staff = officers.get((snapshot, area.code)) if snapshot else None
        values: dict[str, float | None] = {k: f.value for k, f in by_level.items()}
        hidden = suppressed_cells(values, list(CED_LEVELS.items()), rule) if rule else set()
        for key, f in sorted(by_level.items(), key=lambda kv: list(labels).index(kv[0]) if kv[0] in labels else 99):
            levels.append({"year": year, "tactic": key, "level": labels.get(key, key), "measure": f.measure,
                           "value": None if key in hidden else f.value, "suppressed": key in hidden,
                           "vintage": f.vintage})
        ced_value = None if "ced" in hidden else (taser.value if taser else None)
        inc_value = inc.value if inc else None
        if rule is not None and rule.hides(inc_value):
            inc_value = None
        rows.append({
            "area_code": area.code, "area": area.name, "year": year, "period": _period_kind(year),
            "incidents": inc_value, "ced": ced_value, "ced_measure": taser.measure if taser else None,
            "officers_fte": round(staff.value, 1) if staff and staff.value is not None else None,
            "incidents_per_1000_officers": _per_1000(inc_value, staff.value if staff else None)
            if _period_kind(year) == "financial year" else None,
            "ced_per_1000_officers": _per_1000(ced_value, staff.value if staff else None)
            if _period_kind(year) == "financial year" and taser and taser.measure == "incidents" else None,
            "vintages": ", ".join(sorted({f.vintage for f in (inc, taser) if f is not None})),
        })
    return {"area_code": area.code, "area": area.name, "rows": rows, "levels": levels,
            "suppression": rule.as_dict() if rule else None}


def _reading_order() -> list[forces.Area]:
    """England and Wales, then each region followed by its forces (alphabetical), then BTP."""
    out = [forces.ENGLAND_AND_WALES]
    for region in forces.regions():
        out += [region, *sorted(forces.forces_in(region.code), key=lambda a: a.name)]
    return [*out, forces.BTP]


def _period_kind(year: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}", year):
        return "financial year"
    if re.fullmatch(r"\d{4}", year):
        return "calendar year"
    return "quarter"


def _year_order(year: str) -> tuple[int, int]:
    m = re.match(r"(\d{4})(?:-(Q)?(\d{1,2}))?", year)
    if not m:
        return (0, 0)
    start = int(m.group(1))
    return (start, 1 if m.group(2) else (2 if m.group(3) else 0))
