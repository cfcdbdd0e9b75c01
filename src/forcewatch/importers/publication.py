"""A publication read whole: its identity (title, publication date, period) and its tables' figures.

Each publication family (:mod:`.home_office_uof`, :mod:`.home_office_workforce`, ...) lists the
:class:`~.layout.TableSpec` of every table type it knows; :func:`read_tables` finds each sheet's
title, picks the spec whose title pattern matches, and reads it. A sheet whose title no spec
knows is reported as a warning ("not imported"), never silently dropped. The same figure printed
in two tables of one publication is stored once; if the two printings differ, that is a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from ..errors import Problem
from .layout import ParsedFact, TableContext, TableSpec, read_table, table_title
from .spreadsheet import Sheet, Workbook, as_date, find_period, normalise

__all__ = ["Publication", "TableRead", "read_tables", "keep_once", "find_vintage", "front_texts", "find_title", "sheet_title"]


@dataclass
class TableRead:
    """What one sheet gave: for the import report."""

    sheet: str
    number: str
    title: str
    table: str
    facts: int


@dataclass
class Publication:
    """One publication, read and checked, ready to store."""

    kind: str
    publisher: str
    title: str
    vintage: str
    period: str
    facts: list[ParsedFact] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    tables: list[TableRead] = field(default_factory=list)


def front_texts(book: Workbook, sheets: int = 3, rows: int = 40) -> list[tuple[Sheet, int, int, str]]:
    """Text cells of the first sheets (cover, contents, index), where titles and dates are."""
    return [(s, r, c, t) for s in book.sheets[:sheets] for r, c, t in s.texts(rows)]


def find_title(book: Workbook, pattern: str) -> str | None:
    """The first front-matter text matching ``pattern`` (normalised), as published."""
    rx = re.compile(pattern)
    for _sheet, _r, _c, text in front_texts(book):
        if rx.search(normalise(text)):
            return " ".join(text.split())
    return None


def find_vintage(book: Workbook) -> date | None:
    """The publication date: "Published: 13 December 2018", else the latest "Last updated" date."""
    for sheet, r, c, text in front_texts(book):
        m = re.match(r"^\s*(?:published|publication date|date of publication|release date)\s*:?\s*(.+)$",
                     text, re.IGNORECASE)
        if m and as_date(m.group(1).strip()):
            return as_date(m.group(1).strip())
        if normalise(text) in ("published", "publication date", "release date"):
            found = as_date(sheet.cell(r, c + 1)) or as_date(sheet.cell(r + 1, c))
            if found:
                return found
    dates: list[date] = []
    for sheet, r, c, text in front_texts(book):
        if normalise(text) == "last updated":
            dates += [d for d in (as_date(sheet.cell(rr, c)) for rr in range(r + 1, sheet.height)) if d]
    return max(dates) if dates else None


def find_release_period(book: Workbook) -> str | None:
    """The single period the publication covers (``2018-19``), from its front matter."""
    for _sheet, _r, _c, text in front_texts(book, rows=12):
        period = find_period(text)
        if period and period != "*":
            return period
    return None


def sheet_title(sheet: Sheet, rows: int = 12) -> tuple[int, str] | None:
    """The row and text of a sheet's title: its first text cell."""
    for r, _c, text in sheet.texts(rows):
        return r, " ".join(text.split())
    return None


def _front_matter(sheet: Sheet, first_text: str, front: re.Pattern[str] | None) -> bool:
    """Cover, contents, index and notes sheets: they list the tables, they are not tables."""
    name = normalise(sheet.name)
    return name in ("cover sheet", "cover", "contents", "index", "notes", "introduction") or bool(
        front and front.search(normalise(first_text)))


def _spec_title(sheet: Sheet, specs: list[TableSpec], rows: int = 12) -> tuple[int, str] | None:
    """The first text near the top of a sheet that a spec recognises as a title (a "Contents" link or
    a note may come before the title)."""
    for r, _c, text in sheet.texts(rows):
        title = " ".join(text.split())
        if _match_spec(title, specs):
            return r, title
    return None


def _match_spec(title: str, specs: Iterable[TableSpec]) -> TableSpec | None:
    _number, rest = table_title(title)
    n = normalise(rest)
    for spec in specs:
        if re.search(spec.title, n):
            return spec
    return None


def read_tables(book: Workbook, specs: list[TableSpec], pub: Publication, *, front_matter: str = "",
                skip_titles: tuple[str, ...] = ()) -> Publication:
    """Read every sheet of ``book`` with the spec its title matches, into ``pub``."""
    seen: dict[tuple[str, ...], ParsedFact] = {}
    front = re.compile(front_matter) if front_matter else None
    skip = [re.compile(p) for p in skip_titles]
    for sheet in book.sheets:
        first = sheet_title(sheet)
        if first is None or _front_matter(sheet, first[1], front):
            continue
        row, title = _spec_title(sheet, specs) or first
        number, rest = table_title(title)
        spec = _match_spec(title, specs)
        if spec is None:
            if any(p.search(normalise(rest)) for p in skip):
                pub.tables.append(TableRead(sheet.name, number, rest, "", 0))
                continue
            pub.warnings.append(Problem(
                f"sheet {sheet.name!r} ({title[:90]!r}) is not a table forcewatch knows; it was not imported",
                file=book.filename, sheet=sheet.name, row=row + 1, column="A", severity="warning",
                expected="a table listed in docs/official-statistics.md"))
            continue
        ctx = TableContext(book.filename, rest, number, pub.period if pub.period and pub.period != "*" else None)
        facts, problems = read_table(sheet, spec, row, ctx)
        pub.errors += problems
        kept = keep_once(pub, seen, facts, book.filename, sheet.name)
        pub.tables.append(TableRead(sheet.name, number, rest, spec.key, kept))
    return pub


def keep_once(pub: Publication, seen: dict[tuple[str, ...], ParsedFact], facts: list[ParsedFact], file: str,
              sheet: str) -> int:
    """Add ``facts`` to ``pub`` unless printed before (``seen``); a second printing that differs is a warning.

    Returns how many were new.
    """
    kept = 0
    for fact in facts:
        earlier = seen.get(fact.key)
        if earlier is None:
            seen[fact.key] = fact
            pub.facts.append(fact)
            kept += 1
        elif not _same(earlier.value, fact.value):
            pub.warnings.append(Problem(
                f"the publication prints one figure twice with different values: {earlier.cell} = "
                f"{_fmt(earlier.value)} and {fact.cell} = {_fmt(fact.value)} ({fact.table}, {fact.year}, "
                f"{fact.area_code}, {fact.tactic or '-'}, {fact.category or '-'}, {fact.measure}); "
                f"forcewatch stores {earlier.cell}", file=file, sheet=sheet, severity="warning"))
    return kept


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < 1e-6


def _fmt(value: Any) -> str:
    if value is None:
        return "(none)"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
