"""Home Office "Police workforce, England and Wales" data tables (ODS or XLSX).

Tables of police officers (and other staff groups) by police force area, full-time equivalent
(FTE) or headcount, at each date the table gives, and the national series since 2006.

Keys: table ``workforce``; measure ``<group>_<unit>``: ``officers_fte``, ``officers_headcount``,
and for the other groups ``staff_``, ``pcso_``, ``designated_officers_``,
``staff_and_designated_``, ``special_constables_``, ``police_support_volunteers_``,
``traffic_wardens_``; ``dimension = as_at``, ``category`` = the ISO date of the snapshot
(``2019-03-31``); ``year`` = the financial year containing that date.

Region rows carry no "Total" prefix ("West Midlands " is the region, "West Midlands" the force):
the area axis tells them apart by the table's structure (see :class:`~.axes.AreaAxis`).
"Total 43 forces" is England and Wales. The bare "Total" row adds British Transport Police and
central service secondments to the 43 forces and is not England and Wales, and "Central Service
Secondments" is not an area: both are recognised and not stored. Change columns ("Change in 12
months", "%") are derived and not stored.
"""

from __future__ import annotations

import re

from ..errors import Problem
from .axes import AreaAxis, AsAtAxis, Coords, MeasureAxis
from .layout import TableContext, TableSpec
from .publication import Publication, find_title, find_vintage, read_tables
from .spreadsheet import Workbook, as_date, normalise

__all__ = ["KIND", "SPECS", "recognise", "read"]

KIND = "official_workforce"
PUBLISHER = "Home Office"
_TITLE = r"^police workforce"

#: staff groups as the titles and series columns name them -> measure stem
GROUPS = {
    "police officers": "officers",
    "police staff and designated officers": "staff_and_designated",
    "police staff": "staff",
    "police community support officers": "pcso",
    "designated officers": "designated_officers",
    "special constables": "special_constables",
    "police support volunteers": "police_support_volunteers",
    "traffic wardens": "traffic_wardens",
}
_GROUP_RE = "|".join(GROUPS)
_NOT_AREAS = {
    "Central Service Secondments": "officers seconded to central services are not an area",
    "Total": "the bare 'Total' adds British Transport Police and central secondments to the 43 forces; "
             "England and Wales is 'Total 43 forces'",
}


def _unit(ctx: TableContext) -> str:
    text = normalise(ctx.title) + " | " + ctx.headings
    if re.search(r"\bheadcount\b", text):
        return "headcount"
    if re.search(r"\bfte\b|full time equivalent", text):
        return "fte"
    raise ValueError("cannot tell whether the table counts full-time equivalents or headcount; "
                     "expected '(FTE)', '(headcount)', 'Full-time equivalents' or 'Headcount' in its headings")


def _by_force_measure(coords: Coords, ctx: TableContext) -> Coords:
    group = next(stem for name, stem in GROUPS.items() if normalise(ctx.title).startswith(name))
    coords["measure"] = f"{group}_{_unit(ctx)}"
    return coords


def _series_measure(coords: Coords, ctx: TableContext) -> Coords:
    coords["measure"] = f"{coords['measure']}_{_unit(ctx)}"
    return coords


SPECS: list[TableSpec] = [
    TableSpec(
        key="workforce", title=rf"^(?:{_GROUP_RE})(?: s 38 s 39\d?)?(?: combined)? by police force area",
        rows=(AreaAxis(skip=_NOT_AREAS),), columns=AsAtAxis(), dimensions=("as_at",), area=None,
        finish=_by_force_measure,
    ),
    TableSpec(
        key="workforce", title=r"^police officers police staff .*england and wales",
        rows=(AsAtAxis(),), columns=MeasureAxis(dict(GROUPS)), dimensions=("as_at",), finish=_series_measure,
    ),
]


def recognise(book: Workbook) -> bool:
    return book.format != "csv" and find_title(book, _TITLE) is not None


def read(book: Workbook) -> Publication:
    title = find_title(book, _TITLE) or "Police workforce, England and Wales"
    vintage = find_vintage(book)
    m = re.search(r"(\d{1,2} \w+ \d{4})\s*$", title)
    snapshot = as_date(m.group(1)) if m else None
    pub = Publication(KIND, PUBLISHER, title, vintage.isoformat() if vintage else "",
                      f"as at {snapshot.isoformat()}" if snapshot else "")
    if vintage is None:
        pub.errors.append(Problem("cannot find the publication date", file=book.filename,
                                  expected="a 'Last updated' column in the index sheet"))
        return pub
    return read_tables(book, SPECS, pub, front_matter=_TITLE)
