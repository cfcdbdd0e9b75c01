"""Deaths during or following police contact, England and Wales, by year: the IOPC's statistics.

Computed from :func:`forcewatch.official.facts` (the newest publication of each figure) over the
five ``iopc_deaths_*`` tables (:mod:`forcewatch.importers.iopc_deaths`): one row per financial
year with the deaths (``fatalities``) in each category and their total, and the incidents where
the IOPC publishes them. Only England and Wales totals are shown, as published by the IOPC; no
breakdown by force or by person, so nothing here can point to an individual.

The IOPC's caveat travels with every output: a death during or following police contact does
not mean that the police caused or contributed to it.
"""

from __future__ import annotations

from typing import Any

from . import forces
from .importers.iopc_deaths import CATEGORIES
from .official import facts
from .store import Store

__all__ = ["deaths_series", "CATEGORY_NAMES", "CAVEAT", "SOURCE"]

_EW = forces.ENGLAND_AND_WALES.code
#: category key -> the IOPC's name for it
CATEGORY_NAMES = {
    "road_traffic": "Road traffic fatalities",
    "shootings": "Fatal police shootings",
    "custody": "Deaths in or following police custody",
    "apparent_suicides": "Apparent suicides following police custody",
    "other_contact": "Other deaths following police contact",
}
CAVEAT = ("A death during or following police contact does not mean that the police caused or contributed to "
          "it: these statistics count deaths in each of the IOPC's categories, whatever their cause.")
SOURCE = ("Independent Office for Police Conduct, Deaths during or following police contact: statistics for "
          "England and Wales, time-series tables. Contains public sector information licensed under the Open "
          "Government Licence v3.0.")


def deaths_series(store: Store) -> dict[str, Any]:
    """England and Wales by financial year: deaths in each IOPC category, their total, and incidents."""
    by_year: dict[str, dict[str, Any]] = {}
    vintages: dict[str, set[str]] = {}
    for category, (table, _pattern) in CATEGORIES.items():
        for f in facts(store, table=table, force=_EW, dimension=""):
            if f.measure not in ("fatalities", "incidents") or f.category:
                continue
            row = by_year.setdefault(f.year, {"year": f.year})
            row[f"{category}_{f.measure}"] = f.value
            if f.note == "revised":
                row.setdefault("revised", []).append(f"{category}_{f.measure}")
            vintages.setdefault(f.year, set()).add(f.vintage)
    rows = []
    for year in sorted(by_year):  # financial years, 2004-05 ...: text order is time order
        row = by_year[year]
        deaths = [row.get(f"{c}_fatalities") for c in CATEGORIES]
        out = {"year": year, **{f"{c}_fatalities": row.get(f"{c}_fatalities") for c in CATEGORIES},
               "total_fatalities": sum(d for d in deaths if d is not None) if all(d is not None for d in deaths) else None,
               **{f"{c}_incidents": row.get(f"{c}_incidents") for c in CATEGORIES},
               "revised": ", ".join(row.get("revised", [])), "vintages": ", ".join(sorted(vintages[year]))}
        rows.append(out)
    return {
        "area_code": _EW, "area": forces.ENGLAND_AND_WALES.name, "rows": rows, "categories": CATEGORY_NAMES,
        "source": SOURCE, "caveat": CAVEAT,
        "notes": [
            CAVEAT,
            "Other deaths following police contact count, since 2010/11, only deaths the IOPC investigated "
            "independently; the IOPC's greater capacity from 2015/16 raised the number it reports.",
            "One incident can cause several deaths (road traffic, shootings); fatalities count people.",
            "The total adds the five categories as published; each is the newest version of the figure "
            "(the 2019/20 release revised 2018/19 custody deaths from 16 to 17).",
        ],
    }
