"""Home Office "Police use of force statistics, England and Wales": the data tables (ODS or XLSX).

One :class:`~.layout.TableSpec` per table *type*, recognised by its title, never by its number
(numbers move: Table 14 was a CED bridging table in 2017-18 and tactics by force and age in
2018-19). Each spec names the axes of the table, so rows and columns may come in any order.

Table keys and measures (see ``docs/official-statistics.md``):

- ``tactics``: tactic rows; the column "Number of times tactic reported" is ``times_reported``,
  "Number of incidents involving tactic" is ``incidents``. The 2017-18 Table 1 has one column
  headed "Total" under the title "Number of times tactics were used": stored as what the heading
  says, ``times_reported`` (its group rows are the sums of their sub-tactics, which is that
  meaning; its notes add that each tactic is counted once per incident). "Total number of
  incidents" rows, labelled or not, are ``tactic = all``, ``measure = incidents``.
- ``age``, ``gender``, ``ethnicity``, ``health`` (disability, later "health condition"),
  ``reason``, ``impact_factor``, ``outcome``, ``location``: tactics by one dimension,
  ``times_reported``; the total column is category ``all``.
- ``force_age`` ... ``force_health``: the same by police force.
- ``officer_injury``: dimension ``injured/intentional/injury_level`` with compound categories
  such as ``yes/no/minor``; ``subject_injury``: ``injured/injury_level``; totals are ``all``;
  measure ``incidents``.
- ``incidents_by_force``: ``tactic = all``, ``measure = incidents``.
- ``ced_by_force``: the CED tactic keys by force; ``incidents`` for a financial year, ``uses``
  for the calendar-year Taser series (the 2016 revisions table) and the January to March 2017
  bridge (year ``2017-Q1``).
"""

from __future__ import annotations

import re

from ..errors import Problem
from .axes import (
    AreaAxis,
    CategoryAxis,
    Coords,
    MeasureAxis,
    RegionAxis,
    TacticAxis,
    TacticGroupAxis,
    YearAxis,
)
from .layout import TableContext, TableSpec
from .publication import Publication, find_release_period, find_title, find_vintage, read_tables
from .spreadsheet import Workbook, normalise

__all__ = ["KIND", "SPECS", "recognise", "read", "ced_measure"]

KIND = "official_uof"
PUBLISHER = "Home Office"

_TITLE = r"police use of force statistics"
_TACTICS = r"^(?:number of times tactics? (?:were|was) (?:used|reported)|tactics (?:used|reported))"
_PERSON = r"(?:of (?:the )?)?(?:subject|person involved|people involved|persons? involved)"
_DIMS = {"age": r"age", "gender": r"gender|sex", "ethnicity": r"ethnicity|ethnic group",
         "health": r"disability|health condition|disability or health condition"}
_TOTAL_COLUMNS = {"total incidents per tactic": None, "total": None, "number of times tactic reported": "times_reported",
                  "number of times tactics were used": "times_reported", "total tactics": None}


def ced_measure(coords: Coords, ctx: TableContext) -> Coords:
    """CED counts: ``incidents`` for a financial year (use-of-force era), else ``uses`` (Taser series)."""
    year = coords.get("year") or ""
    if not coords.get("measure"):
        coords["measure"] = "incidents" if re.fullmatch(r"\d{4}-\d{2}", year) else "uses"
    return coords


def _tactic_rows() -> tuple[TacticGroupAxis, TacticAxis]:
    return TacticGroupAxis(), TacticAxis()


def _cross(key: str, pattern: str, dimension: str, *, by_force: bool = False) -> TableSpec:
    rows = (AreaAxis(), *_tactic_rows()) if by_force else _tactic_rows()
    where = r" by police force and officer perceived " if by_force else r" by (?:officer )?(?:perceived )?"
    return TableSpec(
        key=key, title=_TACTICS + where + rf"(?:{pattern})(?: {_PERSON})?$", rows=rows,
        columns=CategoryAxis(dimension, totals=_TOTAL_COLUMNS), dimensions=(dimension,), measure="times_reported",
        area=None if by_force else "K04000001", unlabelled_incidents_row=True,
    )


SPECS: list[TableSpec] = [
    TableSpec(
        key="tactics", title=_TACTICS + r"(?: and (?:the )?total number of (?:incidents|reports).*)?$", rows=_tactic_rows(),
        columns=MeasureAxis({"total": None, "number of times tactic reported": "times_reported",
                             "number of incidents involving tactic": "incidents",
                             "number of reports involving tactic": "incidents", "total incidents": None}),
        measure="times_reported",
    ),
    *(_cross(d, p, d) for d, p in _DIMS.items()),
    _cross("reason", r"reason for (?:using )?force", "reason"),
    _cross("impact_factor", r"impact factors?", "impact_factor"),
    _cross("outcome", r"(?:incident )?outcomes?", "outcome"),
    _cross("location", r"(?:incident )?locations?", "location"),
    *(_cross(f"force_{d}", p, d, by_force=True) for d, p in _DIMS.items()),
    TableSpec(
        key="officer_injury", title=r"^injuries to (?:police )?officers$",
        rows=(CategoryAxis("injured", headings=("officer injured as a result of incident",
                                                "officer injured as a result of the incident", "officer injured"),
                           fill_down=True, totals={"total incidents": None, "total": None}),
              CategoryAxis("intentional", headings=("intentional assault",))),
        columns=CategoryAxis("injury_level", totals={"total incidents": None, "total": None}),
        dimensions=("injured", "intentional", "injury_level"), measure="incidents",
    ),
    TableSpec(
        key="subject_injury", title=rf"^injuries to (?:subjects|{_PERSON}|people)$",
        rows=(CategoryAxis("injured", headings=("subject injured as a result of officer use of force",
                                                "person involved injured as a result of officer use of force",
                                                "subject injured", "person injured"),
                           totals={"total incidents": None, "total": None}),),
        columns=CategoryAxis("injury_level", totals={"total incidents": None, "total": None}),
        dimensions=("injured", "injury_level"), measure="incidents",
    ),
    TableSpec(
        key="incidents_by_force", title=r"^(?:use of force )?(?:incidents|reports) by (?:police )?force$",
        rows=(RegionAxis(), AreaAxis()), columns=MeasureAxis({"total": None, "incidents": None, "reports": None}),
        measure="incidents", defaults={"tactic": "all"}, area=None,
    ),
    TableSpec(
        key="ced_by_force", title=r"^use of (?:ced|conducted energy devices?|taser) by type and (?:police )?force",
        rows=(YearAxis(), RegionAxis(), AreaAxis()),
        columns=TacticAxis("ced", extra={"total": "ced"}), area=None, finish=ced_measure,
    ),
]


def recognise(book: Workbook) -> bool:
    """True for a use-of-force data-tables workbook (its cover, or a tactics table title)."""
    if book.format == "csv":
        return False
    if find_title(book, _TITLE):
        return True
    return any(re.search(_TACTICS, normalise(t)) for s in book.sheets for _r, _c, t in s.texts(3))


def read(book: Workbook) -> Publication:
    """Read every table; errors refuse the file, warnings are reported."""
    title = find_title(book, _TITLE) or "Police use of force statistics, England and Wales"
    vintage = find_vintage(book)
    period = find_release_period(book)
    pub = Publication(KIND, PUBLISHER, title, vintage.isoformat() if vintage else "", period or "")
    if vintage is None:
        pub.errors.append(Problem("cannot find the publication date", file=book.filename,
                                  expected="'Published: 19 December 2019' on the cover or a 'Last updated' column"))
    if period is None:
        pub.errors.append(Problem("cannot find the period the publication covers", file=book.filename,
                                  expected="a title such as 'April 2018 - March 2019' on the cover or contents"))
        return pub
    return read_tables(book, SPECS, pub, front_matter=_TITLE)
