"""Importers: one module per published format, and the reader they share.

- :mod:`.spreadsheet`: ODS/XLSX/CSV as grids with A1 addresses; label normalisation; periods.
- :mod:`.axes`, :mod:`.layout`: reading a table by its headings and labels from a spec.
- :mod:`.publication`: a whole publication (title, vintage, period) and its tables.
- :mod:`.arithmetic`: checking a publication's own sums (warnings, never refusals).
- one module per publication family: :mod:`.home_office_uof`, :mod:`.home_office_workforce`,
  :mod:`.home_office_ced`, :mod:`.census_population`, :mod:`.iopc_deaths` (with :mod:`.iopc_blocks`).

:func:`read_publication` reads any of them, detecting which from the content, not the name.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputRefused, Problem
from . import arithmetic, census_population, home_office_ced, home_office_uof, home_office_workforce, iopc_deaths
from .publication import Publication
from .spreadsheet import read_workbook

__all__ = ["FAMILIES", "read_publication", "Publication"]

#: every publication family forcewatch reads, by the ``source_file.kind`` it stores
FAMILIES = {m.KIND: m for m in (home_office_uof, home_office_workforce, home_office_ced, census_population,
                               iopc_deaths)}

_EXPECTED = ("Home Office use-of-force data tables, Home Office police workforce tables, the 2011-2016 "
             "Taser (CED) tables, census 2011 population by police force area and ethnic group, or the IOPC deaths "
             "during or following police contact time-series tables")


def read_publication(path: str | Path) -> Publication:
    """Read, recognise and check one file; raises :class:`InputRefused` if it cannot be stored whole."""
    book = read_workbook(path)
    families = [m for m in FAMILIES.values() if m.recognise(book)]
    if not families:
        raise InputRefused(
            f"{book.filename}: not a publication forcewatch recognises",
            [Problem("no cover, index or heading of a known publication was found", file=book.filename,
                     expected=_EXPECTED)],
            hint="see docs/official-statistics.md for the publications forcewatch reads",
        )
    pub = families[0].read(book)
    if pub.errors:
        raise InputRefused(f"{book.filename}: refused, {len(pub.errors)} problem(s); nothing was stored", pub.errors)
    if not pub.facts:
        raise InputRefused(f"{book.filename}: no figures found; nothing was stored",
                           [Problem("no table of figures was recognised", file=book.filename, expected=_EXPECTED)])
    pub.warnings += arithmetic.check(pub, book.filename)
    return pub
