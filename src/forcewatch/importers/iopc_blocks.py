"""Reading the IOPC time-series tables: several titled tables per sheet, years as rows or columns.

:func:`split_sheet` finds each table by its title row ("Table 1.4 Gender by financial year ...")
and gives it the category of death named by the nearest heading above it; :func:`read_block`
reads one table by its headings and labels: figures (numbers, or numbers with a footnote mark
such as ``3^`` or ``15~``), the label column to their left, and the headings above them. Years
(``2004/05``, ``04/05``, ``15/16*``) may label the rows or the columns; "Total" on the years' axis
is the total across years (checked, not stored), on the other axis the total across categories
(``all``) or, in the tables by authority, England and Wales. Blank rows and notes are ignored
wherever they are; a heading or label that is not recognised refuses the file, naming the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from .. import forces
from ..errors import Problem
from .layout import ParsedFact, table_title
from .spreadsheet import MARKERS, Sheet, column_letter, find_period, normalise

__all__ = ["TableKind", "Block", "split_sheet", "read_block"]


@dataclass(frozen=True)
class TableKind:
    """A type of IOPC table, by the wording of its title."""

    title: str
    dimension: str
    #: published wording (normalised) of the dimension's categories -> category key
    labels: dict[str, str] = field(default_factory=dict)
    by_authority: bool = False


@dataclass
class Block:
    """One titled table inside a sheet: rows ``start`` (its title) to ``end`` (exclusive)."""

    sheet: Sheet
    start: int
    end: int
    number: str
    title: str
    table: str
    kind: TableKind


_MEASURES = {"fatalities": "fatalities", "number of fatalities": "fatalities", "deaths": "fatalities",
             "number of deaths": "fatalities", "incidents": "incidents", "number of incidents": "incidents"}
#: headings over a block of columns or over the labels: they name no figure
_CAPTIONS = {"financial year", "year", "number", "gender", "sex", "age group", "age", "ethnic group", "ethnicity",
             "rti type", "type", "appropriate authority", "force", "police force", "authority"}
_TOTAL = re.compile(r"^total(?: number of)?(?: (fatalities|incidents|deaths))?$")
_FIGURE = re.compile(r"^\s*(\d[\d,]*(?:\.\d+)?)\s*([~*^\"\u201c\u201d]+)?\s*$")
_REVISED_MARK = "~"


def _figure(value: Any) -> tuple[float | None, str] | str | None:
    """``(value, note)`` for a figure, ``"~"`` for a lone revision mark, ``None`` for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value), ""
    text = str(value).strip()
    if text == _REVISED_MARK:
        return _REVISED_MARK
    if text.lower() in MARKERS:
        return None, MARKERS[text.lower()]
    m = _FIGURE.match(text)
    if not m:
        return None
    mark = m.group(2) or ""
    note = "revised" if _REVISED_MARK in mark else (f"footnote {mark}" if mark else "")
    return float(m.group(1).replace(",", "")), note


def _error(sheet: Sheet, file: str, r: int, c: int, message: str, expected: str = "") -> Problem:
    return Problem(f"{sheet.address(r, c)}: {message}", file=file, sheet=sheet.name, row=r + 1,
                   column=column_letter(c), value=sheet.cell(r, c), expected=expected or None)


def split_sheet(sheet: Sheet, file: str, kinds: list[TableKind],
                categories: dict[str, tuple[str, str]]) -> tuple[list[Block], list[Problem]]:
    """The titled tables of one sheet, each with its table key; problems for titles not understood."""
    if not any(isinstance(_figure(v), tuple) for row in sheet.rows for v in row):
        return [], []  # a list of tables or notes, not a table
    marks: list[tuple[int, int, str, str]] = []  # row, column, "table"/"section", text
    for r, row in enumerate(sheet.rows):
        texts = [(c, v.strip()) for c, v in enumerate(row) if isinstance(v, str) and v.strip()]
        if not texts or any(isinstance(_figure(v), tuple) for v in row):
            continue
        c, text = texts[0]
        if table_title(text)[0]:
            marks.append((r, c, "table", text))
        elif any(re.search(pattern, normalise(text)) for _key, pattern in categories.values()):
            marks.append((r, c, "section", text))
    blocks, problems = [], []
    table: str | None = None
    for i, (r, c, what, text) in enumerate(marks):
        if what == "section":
            table = next(key for key, pattern in categories.values() if re.search(pattern, normalise(text)))
            continue
        end = marks[i + 1][0] if i + 1 < len(marks) else sheet.height
        number, rest = table_title(text)
        kind = next((k for k in kinds if re.search(k.title, normalise(rest))), None)
        if kind is None:
            problems.append(Problem(
                f"{sheet.address(r, c)}: table {text[:90]!r} is not a table forcewatch knows; it was not imported",
                file=file, sheet=sheet.name, row=r + 1, column=column_letter(c), severity="warning",
                expected="a table listed in docs/official-statistics.md"))
        elif table is None:
            problems.append(_error(sheet, file, r, c, f"cannot tell which deaths table {number} counts",
                                   "a heading above it such as 'Deaths in or following police custody'"))
        else:
            blocks.append(Block(sheet, r, end, number, " ".join(rest.split()), table, kind))
    return blocks, problems


class _Refusal(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def read_block(block: Block, file: str, area: Callable[[Any], dict[str, str] | None]) -> tuple[list[ParsedFact], list[Problem]]:
    """Every figure of one table, and warnings where its totals across years do not add up."""
    try:
        return _read(block, file, area)
    except _Refusal as refusal:
        return [], [refusal.problem]


def _read(block: Block, file: str, area: Callable[[Any], dict[str, str] | None]) -> tuple[list[ParsedFact], list[Problem]]:
    sheet, kind = block.sheet, block.kind
    rows = range(block.start + 1, block.end)
    figures: dict[tuple[int, int], tuple[float | None, str]] = {}
    marks: set[tuple[int, int]] = set()
    for r in rows:
        for c, v in enumerate(sheet.rows[r]):
            got = _figure(v)
            if got == _REVISED_MARK:
                marks.add((r, c))
            elif isinstance(got, tuple):
                figures[(r, c)] = got

    def fail(r: int, c: int, message: str, expected: str = "") -> _Refusal:
        return _Refusal(_error(sheet, file, r, c, message, expected))

    if not figures:
        raise fail(block.start, 0, f"table {block.number} holds no figures", "rows of figures under headings")
    data_rows = sorted({r for r, _ in figures})
    value_cols = sorted({c for _, c in figures})
    first, last = value_cols[0], value_cols[-1]
    labels = sorted({c for r in data_rows for c, v in enumerate(sheet.rows[r])
                     if c < first and isinstance(v, str) and v.strip()})
    for r in data_rows:
        for c in range(first, last + 1):
            v = sheet.cell(r, c)
            if (r, c) not in figures and (r, c) not in marks and isinstance(v, str) and v.strip():
                raise fail(r, c, f"{v.strip()!r} is not a figure", "a number, or a number with a footnote mark")
    if len(labels) > 1:
        raise fail(data_rows[0], labels[1], "this column of labels is not one forcewatch recognises",
                   "one column of labels left of the figures")
    label_col = labels[0] if labels else None
    headers = [r for r in rows if r < data_rows[0]]
    expects = _expects(kind)

    def coords(value: Any, r: int, c: int, what: str) -> dict[str, Any]:
        got = _coords(value, kind, area)
        if got is None:
            raise fail(r, c, f"{what} {str(value).strip()!r} is not recognised", expects)
        return got

    if label_col is not None:
        for r in headers:  # a text alone on its row, with no heading over the figures, is a note
            v = sheet.cell(r, label_col)
            headed = any(sheet.cell(r, c) not in ("", None) for c in value_cols)
            if headed and isinstance(v, str) and v.strip() and normalise(v) not in _CAPTIONS:
                raise fail(r, label_col, f"heading {v.strip()!r} is not recognised",
                           "a heading such as 'Financial year', 'Gender' or 'Appropriate authority'")
    col_coords: dict[int, dict[str, Any]] = {}
    for c in value_cols:
        merged: dict[str, Any] = {}
        for r in headers:
            v = sheet.cell(r, c)
            if v in ("", None):
                continue
            merged = _merge(merged, coords(v, r, c, "heading"), lambda: fail(r, c, "the column has two headings "
                                                                                "that disagree", expects))
        if not merged:
            raise fail(data_rows[0], c, "this column holds figures under no heading forcewatch recognises", expects)
        col_coords[c] = merged
    row_coords: dict[int, dict[str, Any]] = {}
    for r in data_rows:
        v = sheet.cell(r, label_col) if label_col is not None else ""
        if v in ("", None):
            raise fail(r, label_col if label_col is not None else first, "this row holds figures but no label",
                       "a label in the first column")
        row_coords[r] = coords(v, r, label_col, "label")  # type: ignore[arg-type]
    years_in_rows = any("year" in x for x in row_coords.values())
    if not years_in_rows and not any("year" in x for x in col_coords.values()):
        raise fail(block.start, 0, f"table {block.number} names no financial years", "years such as 2018/19")
    facts: list[ParsedFact] = []
    totals: list[tuple[int, int, float]] = []
    stored: dict[tuple[int, int], float] = {}
    seen: dict[tuple[str, ...], str] = {}
    for (r, c), (value, note) in sorted(figures.items()):
        if c not in col_coords or r not in row_coords:
            continue
        row, col = row_coords[r], col_coords[c]
        over_years = (row if years_in_rows else col).get("total")
        if over_years:
            if value is not None:
                totals.append((r, c, value))
            continue
        x = _merge(dict(row), col, lambda: fail(r, c, "the row's label and the column's heading disagree", expects))
        if (r, c + 1) in marks and not note:
            note = "revised"
        fact = _fact(block, x, value, note, sheet.address(r, c), lambda m: fail(r, c, m, expects))
        if fact.key in seen:
            raise fail(r, c, f"this figure has the same keys as {seen[fact.key]}", "each figure labelled once")
        seen[fact.key] = fact.cell
        facts.append(fact)
        if value is not None:
            stored[(r, c)] = value
    return facts, _check_years(block, file, stored, totals, years_in_rows)


def _merge(a: dict[str, Any], b: dict[str, Any], refuse: Callable[[], Exception]) -> dict[str, Any]:
    for k, v in b.items():
        if k in a and a[k] != v:
            raise refuse()
    return {**a, **b}


def _measure_of_title(title: str) -> str | None:
    n = normalise(title)
    found = {m for word, m in (("incident", "incidents"), ("fatalit", "fatalities")) if word in n}
    return found.pop() if len(found) == 1 else None


def _fact(block: Block, x: dict[str, Any], value: float | None, note: str, cell: str,
          refuse: Callable[[str], Exception]) -> ParsedFact:
    kind = block.kind
    measure = x.get("measure") or _measure_of_title(block.title) or ("fatalities" if kind.dimension else None)
    if not measure:
        raise refuse("cannot tell whether this figure counts fatalities or incidents")
    if "year" not in x:
        raise refuse("cannot tell which financial year this figure is for")
    area, dimension, category = x.get("area_code", forces.ENGLAND_AND_WALES.code), kind.dimension, ""
    if kind.dimension:
        category = "all" if x.get("total") else x.get("category", "")
        if not category:
            raise refuse(f"cannot tell which {kind.dimension.replace('_', ' ')} this figure is for")
    elif x.get("dimension"):
        dimension, category = x["dimension"], x["category"]
    return ParsedFact(year=x["year"], table=block.table, area_code=area, tactic="", dimension=dimension,
                      category=category, measure=measure, value=value, note=note, cell=cell,
                      table_number=block.number, table_title=block.title)


def _coords(value: Any, kind: TableKind, area: Callable[[Any], dict[str, str] | None]) -> dict[str, Any] | None:
    """Fields for one heading or label: year, total, measure, category or area; ``{}`` for a caption."""
    n = normalise(value)
    if not n or n in _CAPTIONS:
        return {}
    if not isinstance(value, float):
        year = find_period(value)
        if year and re.fullmatch(r"\d{4}-\d{2}", year):
            return {"year": year}
    m = _TOTAL.match(n)
    if m:
        return {"total": True, **({"measure": _MEASURES[m.group(1)]} if m.group(1) else {})}
    if n in _MEASURES:
        return {"measure": _MEASURES[n]}
    if kind.dimension and n in kind.labels:
        return {"category": kind.labels[n]}
    if kind.by_authority:
        return area(value)
    return None


def _expects(kind: TableKind) -> str:
    if kind.by_authority:
        return "a financial year, 'Total', or a police force or other appropriate authority"
    if kind.dimension:
        names = sorted(set(kind.labels.values()))
        return f"a financial year, 'Total', or a {kind.dimension.replace('_', ' ')} ({', '.join(names)})"
    return "a financial year, 'Total', 'Number of fatalities' or 'Number of incidents'"


def _check_years(block: Block, file: str, stored: dict[tuple[int, int], float], totals: list[tuple[int, int, float]],
                 years_in_rows: bool) -> list[Problem]:
    """Each "Total" across years = the sum of that row's (or column's) years."""
    out = []
    for r, c, total in totals:
        parts = sorted((k, v) for k, v in stored.items() if (k[1] == c if years_in_rows else k[0] == r))
        expected = sum(v for _, v in parts)
        if parts and abs(expected - total) > 0.5:
            span = f"{block.sheet.address(*parts[0][0])} to {block.sheet.address(*parts[-1][0])}"
            out.append(Problem(f"{block.sheet.address(r, c)} = {total:g} but the sum of the years = {expected:g} "
                               f"(difference {total - expected:g}; {span}) [{block.table}, table {block.number}]",
                               file=file, sheet=block.sheet.name, row=r + 1, column=column_letter(c),
                               expected=f"{expected:g}", severity="warning"))
    return out
