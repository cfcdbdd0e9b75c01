"""Census 2011 population by police force area and ethnic group (ONS, usual residents, KS201EW).

The file is the nomis layout of table KS201EW ("Ethnic Group: White; measures: Value" ...)
aggregated from local authorities to police force areas, one row per police force area.

Keys: table ``population``, year ``2011``, ``dimension = ethnicity``, ``measure = population``,
categories with the Home Office ethnicity keys ``white``, ``mixed``, ``asian``, ``black``,
``other``, the total ``all``, and ``chinese`` separately. Census "Asian/Asian British" includes
Chinese, which matches the Home Office grouping from 2019-20 (``vocab.ETHNICITY_MAPPINGS
["eth_2019"]``); for 2017-18 and 2018-19 rates subtract ``chinese`` from ``asian``. The census
sub-groups (Indian, Pakistani, Irish ...) are recognised and not stored, except Chinese.

Vintage: ONS first published KS201EW on 11 December 2012 (2011 Census Key Statistics for England
and Wales); the file carries no date, so that date is the vintage. A local-authority file in the
same layout is recognised and refused: forcewatch stores population by police force area.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import Problem
from .axes import AreaAxis, Axis, Coords
from .layout import TableContext, TableSpec, read_table
from .publication import Publication, TableRead
from .spreadsheet import Workbook, normalise

__all__ = ["KIND", "SPEC", "recognise", "read"]

KIND = "population"
PUBLISHER = "Office for National Statistics"
VINTAGE = "2012-12-11"
TITLE = "Census 2011: usual residents by ethnic group (KS201EW), by police force area"

_GROUPS = {
    "all categories ethnic group": "all", "all usual residents": "all",
    "white": "white", "mixed": "mixed", "mixed multiple ethnic group": "mixed", "mixed multiple ethnic groups": "mixed",
    "asian": "asian", "asian asian british": "asian", "black": "black",
    "black african caribbean black british": "black", "other": "other", "other ethnic group": "other",
    "asian asian british chinese": "chinese", "chinese": "chinese",
}
_SUBGROUPS = re.compile(r"^(white|mixed multiple ethnic group|asian asian british|"
                        r"black african caribbean black british|other ethnic group) .+$")


class CensusEthnicityAxis(Axis):
    """Census ethnic-group column headings: "Ethnic Group: Asian/Asian British: Chinese; measures: Value"."""

    expects = "a census ethnic group ('Ethnic Group: White; measures: Value' ...)"

    def label(self, value: Any, state: dict[str, Any]) -> Coords | None:
        if not isinstance(value, str):
            return None
        text = re.sub(r"^\s*ethnic group\s*:\s*", "", value, flags=re.IGNORECASE)
        text = re.sub(r";\s*measures\s*:\s*value\s*$", "", text, flags=re.IGNORECASE)
        n = normalise(text)
        if n in _GROUPS:
            return {"dims": {"ethnicity": _GROUPS[n]}}
        if _SUBGROUPS.match(n):
            return {"skip": "census sub-group"}
        return None


SPEC = TableSpec(
    key="population", title="", rows=(AreaAxis(),), columns=CensusEthnicityAxis(), dimensions=("ethnicity",),
    measure="population", defaults={"year": "2011"}, area=None,
)


def _header(book: Workbook) -> list[str]:
    rows = book.sheets[0].rows if book.sheets else []
    return [normalise(v) for v in rows[0]] if rows else []


def recognise(book: Workbook) -> bool:
    header = _header(book)
    return book.format == "csv" and sum(h.startswith("ethnic group") for h in header) >= 5


def read(book: Workbook) -> Publication:
    pub = Publication(KIND, PUBLISHER, TITLE, VINTAGE, "2011")
    header = _header(book)
    if "geography code" in header or not any(h in AreaAxis.headings for h in header):
        pub.errors.append(Problem(
            "this census table is by local authority (a 'geography code' column), not by police force area",
            file=book.filename, sheet=book.sheets[0].name, row=1,
            expected="one row per police force area under a 'PFA16NM' (police force area) column"))
        return pub
    sheet = book.sheets[0]
    facts, problems = read_table(sheet, SPEC, -1, TableContext(book.filename, TITLE, "", "2011"))
    pub.facts, pub.errors = facts, problems
    pub.tables.append(TableRead(sheet.name, "", TITLE, SPEC.key, len(facts)))
    return pub
