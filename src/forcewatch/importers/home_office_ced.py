"""Home Office "Police use of conducted energy devices (Taser)": the calendar-year tables to 2016.

Before April 2017 the Home Office published Taser use separately, by calendar year, counting
*uses*. forcewatch stores them in ``ced_by_force`` with ``measure = uses`` and the calendar year
(``2016``); the use-of-force era counts *incidents* (reports) by financial year, and the Home
Office says the two series are not comparable, so they never share a measure.

Tables: use by type for England and Wales across years (``2011`` ... ``2016``), and use by type,
force and region for one year (including revised figures for the year before, marked ``R``:
stored with ``note = revised``). "Proportion of TASER use" columns are derived and not stored;
the appendix (the year Taser was first issued) is recognised and not stored.
"""

from __future__ import annotations

from ..errors import Problem
from .axes import AreaAxis, TacticAxis, YearAxis
from .home_office_uof import ced_measure
from .layout import TableSpec
from .publication import Publication, find_release_period, find_title, find_vintage, read_tables
from .spreadsheet import Workbook

__all__ = ["KIND", "SPECS", "recognise", "read"]

KIND = "official_ced"
PUBLISHER = "Home Office"
_TITLE = r"(?:taser|conducted energy device)"
_WHAT = r"^(?:revised )?police use of (?:taser(?: x26)?(?: conducted energy devices?)?|ced|conducted energy devices?)"

SPECS: list[TableSpec] = [
    TableSpec(
        key="ced_by_force", title=_WHAT + r" by type england and wales \d{4} to \d{4}$",
        rows=(TacticAxis("ced", extra={"total": "ced"}),), columns=YearAxis(), measure="uses",
    ),
    TableSpec(
        key="ced_by_force", title=_WHAT + r" by type (?:and )?police force(?: and region)?",
        rows=(AreaAxis(),), columns=TacticAxis("ced", extra={"total": "ced"}), area=None, finish=ced_measure,
    ),
]


def recognise(book: Workbook) -> bool:
    return (book.format != "csv" and find_title(book, r"police use of " + _TITLE) is not None
            and find_title(book, r"police use of force statistics") is None)


def read(book: Workbook) -> Publication:
    title = find_title(book, r"statistics.*" + _TITLE + "|" + _TITLE + r".*statistics") or find_title(book, _TITLE) or ""
    vintage = find_vintage(book)
    pub = Publication(KIND, PUBLISHER, title, vintage.isoformat() if vintage else "", find_release_period(book) or "")
    if vintage is None:
        pub.errors.append(Problem("cannot find the publication date", file=book.filename,
                                  expected="a 'Last updated' column in the index sheet"))
        return pub
    return read_tables(book, SPECS, pub, front_matter=r"^index$", skip_titles=(r"first issued",))
