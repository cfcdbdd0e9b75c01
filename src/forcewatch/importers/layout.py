"""Reading one published table by its headings and labels, into one fact per published cell.

A :class:`TableSpec` says what a *type* of table holds (its key, how its title reads, which axes
label its rows and which its columns), never where things are. :func:`read_table` then finds,
in whatever layout a year uses:

- *data rows*: rows with a figure (or a marker such as ``..``) in them;
- *value columns*: columns holding those figures, each named by the heading(s) above it, which
  must mean something on the spec's column axis (a category, a CED level, a date ...), be a
  known caption, or be a derived column forcewatch does not store (changes, percentages);
- *label columns*: the other columns, each read by the row axis its heading names (or, without
  a heading, by the spec's axes in order);
- ``R`` columns beside figures and ``(R)`` after labels: the figure was revised.

Blank rows, notes and footers are ignored wherever they are. A heading or label that is not
recognised is an error naming its cell and text: the file is refused, nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from .. import forces, vocab
from ..errors import Problem
from .axes import Axis, Coords, YearAxis
from .spreadsheet import (
    MARKERS,
    Sheet,
    classify,
    find_period,
    has_revision_suffix,
    is_revision_marker,
    normalise,
    parse_number,
)

__all__ = ["TableSpec", "TableContext", "ParsedFact", "read_table", "table_title"]

#: headings that describe a block of columns rather than name one ("Perceived age", "Headcount")
COMMON_CAPTIONS = (
    r"^source\b.*", r"^notes?$", r"^contents$", r"^england and wales$", r"^full time equivalents?$", r"^headcount$",
    r"^fte$", r"^as at$", r"^perceived .*", r".*total number of incidents involving .*", r".*injury level$",
    r"^reason for (using )?force$", r"^impact factors?$", r"^(incident )?outcomes?$", r"^(incident )?locations?$",
    r"^ethnic group$", r"^financial year$", r"^incidents$", r"^fatalities$",
)
#: headings of columns derived from others (changes, percentages): recognised and not stored
DERIVED = re.compile(r"^(number|change in .*|numeric change.*|change between.*|proportion of .*|percentage.*|rate.*)$")


@dataclass(frozen=True)
class TableSpec:
    """What one type of published table holds, independent of its layout in any year."""

    key: str
    #: regular expression matched against the normalised title, without its "Table N" prefix
    title: str
    rows: tuple[Axis, ...]
    columns: Axis
    dimensions: tuple[str, ...] = ()
    measure: str = ""
    #: fields every figure of the table shares unless a label says otherwise
    defaults: dict[str, str] = field(default_factory=dict)
    #: the area of a table whose rows name none (national tables)
    area: str | None = forces.ENGLAND_AND_WALES.code
    captions: tuple[str, ...] = ()
    #: final adjustment of a figure's fields (measure from the title, the CED measure rule ...)
    finish: Callable[[Coords, "TableContext"], Coords] | None = None
    #: an unlabelled row of figures under a caption "(Total number of incidents involving ...)"
    unlabelled_incidents_row: bool = False


@dataclass
class TableContext:
    """Where a table is and what surrounds it: for messages and for defaults."""

    file: str
    title: str = ""
    number: str = ""
    #: the period the whole publication covers, used when the table's title names none
    release_period: str | None = None
    #: every heading above the figures, normalised and joined (for units such as "headcount")
    headings: str = ""

    @property
    def period(self) -> str | None:
        if not hasattr(self, "_period"):
            self._period = find_period(self.title) or self.release_period
        return self._period


@dataclass(frozen=True)
class ParsedFact:
    """One published figure with its keys and its cell."""

    year: str
    table: str
    area_code: str
    tactic: str
    dimension: str
    category: str
    measure: str
    value: float | None
    note: str
    cell: str
    table_number: str
    table_title: str

    @property
    def key(self) -> tuple[str, ...]:
        return (self.table, self.year, self.area_code, self.tactic, self.dimension, self.category, self.measure)


def table_title(text: str) -> tuple[str, str]:
    """``("13", "Use of CED by type and police force")`` from ``Table 13. Use of CED ...``."""
    m = re.match(r"^\s*(?:table|appendix)\s+([0-9]+(?:\.[0-9]+)?[a-z]?)\s*[.:\-]?\s*(.*)$", text, re.IGNORECASE | re.DOTALL)
    return (m.group(1), m.group(2).strip()) if m else ("", text.strip())


class _Refusal(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _problem(ctx: TableContext, sheet: Sheet, r: int, c: int, message: str, expected: str = "") -> _Refusal:
    from .spreadsheet import column_letter

    return _Refusal(Problem(f"{sheet.address(r, c)}: {message}", file=ctx.file, sheet=sheet.name, row=r + 1,
                            column=column_letter(c), value=sheet.cell(r, c), expected=expected or None))


def read_table(sheet: Sheet, spec: TableSpec, title_row: int, ctx: TableContext) -> tuple[list[ParsedFact], list[Problem]]:
    """Every figure of one table; errors (refusing the file) are returned as problems."""
    try:
        return _read(sheet, spec, title_row, ctx), []
    except _Refusal as refusal:
        return [], [refusal.problem]


def _is_year_heading_row(sheet: Sheet, r: int) -> bool:
    numbers = [parse_number(v) for v in sheet.rows[r] if classify(v) == "number"]
    return len(numbers) >= 2 and all(n is not None and n.is_integer() and 1990 <= n <= 2100 for n in numbers)


def _read(sheet: Sheet, spec: TableSpec, title_row: int, ctx: TableContext) -> list[ParsedFact]:
    first = title_row + 1
    kinds = [[classify(v) for v in row] for row in sheet.rows]
    heading_rows = {r for r in range(first, sheet.height)
                    if isinstance(spec.columns, YearAxis) and _is_year_heading_row(sheet, r)}
    data_rows = [r for r in range(first, sheet.height) if r not in heading_rows
                 and any(k in ("number", "marker") for k in kinds[r])]
    if not data_rows:
        raise _problem(ctx, sheet, max(title_row, 0), 0, "the table holds no figures", "rows of figures under headings")
    header_zone = [r for r in range(first, data_rows[-1]) if r not in set(data_rows)]
    marker_cols: set[int] = set()
    value_cols: list[int] = []
    for c in range(sheet.width):
        cells = [sheet.cell(r, c) for r in data_rows if c < len(kinds[r]) and kinds[r][c] in ("number", "marker")]
        if cells and all(is_revision_marker(v) for v in cells):
            marker_cols.add(c)
        elif cells:
            value_cols.append(c)
    ctx.headings = " | ".join(normalise(v) for r in header_zone for v in sheet.rows[r] if isinstance(v, str) and v.strip())
    state: dict[str, Any] = {}
    captions = [re.compile(p) for p in (*COMMON_CAPTIONS, *spec.captions)]
    column_coords = {c: coords for c in value_cols
                     if (coords := _column(sheet, spec, ctx, c, header_zone, data_rows, captions, state)) is not None}
    label_cols = _label_columns(sheet, spec, ctx, kinds, data_rows, header_zone, set(value_cols) | marker_cols)
    for c, axis in label_cols:
        axis.prepare([sheet.cell(r, c) for r in data_rows], state)
    unlabelled_ok = spec.unlabelled_incidents_row and any(
        "total number of incidents involving" in normalise(v) for r in range(first, data_rows[0] + 1)
        for v in sheet.rows[r] if isinstance(v, str))
    facts: list[ParsedFact] = []
    seen: dict[tuple[str, ...], str] = {}
    carried: dict[int, Any] = {}
    for r in data_rows:
        row = _row(sheet, ctx, r, label_cols, state, carried)
        if row is None:
            continue
        row_coords, revised_row = row
        if not row_coords and not any(sheet.cell(r, c) not in ("", None) for c, _ in label_cols):
            if not (unlabelled_ok and r < data_rows[-1]):
                raise _problem(ctx, sheet, r, value_cols[0], "this row holds figures but no label",
                               "a label in the first column")
            row_coords = {"tactic": "all", "measure": "incidents"}
        for c, col_coords in column_coords.items():
            revised = revised_row or (c + 1 in marker_cols and is_revision_marker(sheet.cell(r, c + 1)))
            fact = _fact(sheet, spec, ctx, r, c, row_coords, col_coords, revised)
            if fact is None:
                continue
            if fact.key in seen:
                raise _problem(ctx, sheet, r, c, f"this figure has the same keys as {seen[fact.key]}",
                               "each figure labelled once")
            seen[fact.key] = fact.cell
            facts.append(fact)
    return facts


def _column(sheet: Sheet, spec: TableSpec, ctx: TableContext, c: int, header_zone: list[int], data_rows: list[int],
            captions: list[re.Pattern[str]], state: dict[str, Any]) -> Coords | None:
    """What a value column holds, from its headings; ``None`` for a derived column not stored."""
    coords: list[Coords] = []
    derived = False
    for r in header_zone:
        value = sheet.cell(r, c)
        if classify(value) == "empty":
            continue
        got = spec.columns.header(value, state)
        n = normalise(value) if isinstance(value, str) else ""
        if got is not None and "skip" in got:
            derived = True
        elif got is not None:
            coords.append(got)
        elif (isinstance(value, str) and value.strip() == "%") or DERIVED.match(n):
            derived = True
        elif n and any(p.match(n) for p in captions):
            continue
        elif r > data_rows[0]:
            raise _problem(ctx, sheet, r, c, f"{str(value).strip()!r} is not a figure, nor a heading forcewatch "
                           "recognises", f"a number, a marker such as .., or {spec.columns.expects}")
        else:
            raise _problem(ctx, sheet, r, c, f"heading {str(value).strip()!r} is not recognised", spec.columns.expects)
    if len({repr(sorted(x.items())) for x in coords}) > 1:
        raise _problem(ctx, sheet, header_zone[0], c, "the column has two different headings", spec.columns.expects)
    if coords:
        return coords[0]
    if derived:
        return None
    raise _problem(ctx, sheet, data_rows[0], c, "this column holds figures under no heading forcewatch recognises",
                   spec.columns.expects)


def _row(sheet: Sheet, ctx: TableContext, r: int, label_cols: list[tuple[int, Axis]], state: dict[str, Any],
         carried: dict[int, Any]) -> tuple[Coords, bool] | None:
    """A data row's fields from its labels, and whether a label marks it revised; ``None`` to skip it."""
    coords: Coords = {}
    revised = False
    for c, axis in label_cols:
        value = sheet.cell(r, c)
        if classify(value) == "empty":
            if not axis.fill_down or c not in carried:
                continue
            value = carried[c]
        elif axis.fill_down:
            carried[c] = value
        got = axis.label(value, state)
        if got is None:
            raise _problem(ctx, sheet, r, c, f"label {str(value).strip()!r} is not recognised", axis.expects)
        if "skip" in got:
            return None
        revised = revised or has_revision_suffix(value)
        coords = _merge(coords, got)
    return coords, revised


def _label_columns(sheet: Sheet, spec: TableSpec, ctx: TableContext, kinds: list[list[str]], data_rows: list[int],
                   header_zone: list[int], taken: set[int]) -> list[tuple[int, Axis]]:
    """Label columns, left to right, with the axis their heading names (else the spec's next one)."""
    cols = sorted({c for r in data_rows for c, k in enumerate(kinds[r]) if k in ("text", "date") and c not in taken})
    named: dict[int, Axis] = {}
    for r in header_zone:
        for c, value in enumerate(sheet.rows[r]):
            if c in taken or not isinstance(value, str):
                continue
            axis = next((a for a in spec.rows if a.is_heading(value)), None)
            if axis is not None and c not in named:
                named[c] = axis
    cols = sorted(set(cols) | set(named))
    unused = [a for a in spec.rows if a not in named.values()]
    out: list[tuple[int, Axis]] = []
    for c in cols:
        if c in named:
            out.append((c, named[c]))
        elif unused:
            out.append((c, unused.pop(0)))
        else:
            r = next(r for r in data_rows if kinds[r][c:c + 1] in (["text"], ["date"]))
            raise _problem(ctx, sheet, r, c, "this column of labels is not one forcewatch recognises",
                           "labels under a known heading")
    return out


def _merge(a: Coords, b: Coords) -> Coords:
    out = {**a, **{k: v for k, v in b.items() if k != "dims"}}
    if "dims" in a or "dims" in b:
        out["dims"] = {**a.get("dims", {}), **b.get("dims", {})}
    return out


def _fact(sheet: Sheet, spec: TableSpec, ctx: TableContext, r: int, c: int, row: Coords, col: Coords,
          revised: bool) -> ParsedFact | None:
    raw = sheet.cell(r, c)
    kind = classify(raw)
    if kind == "empty":
        return None
    note = ""
    if kind == "number":
        value = parse_number(raw)
    elif kind == "marker" and not is_revision_marker(raw):
        value, note = None, MARKERS.get(str(raw).strip().lower(), "not available")
    else:
        raise _problem(ctx, sheet, r, c, f"{str(raw).strip()!r} is not a figure", "a number or a marker such as ..")
    coords = _merge(_merge(dict(spec.defaults), col), row)  # the row's measure (incidents rows) wins
    coords.setdefault("measure", spec.measure)
    coords.setdefault("year", ctx.period)
    if spec.finish:
        try:
            coords = spec.finish(coords, ctx)
        except ValueError as exc:
            raise _problem(ctx, sheet, r, c, str(exc)) from None
    if not coords.get("year") or coords["year"] == "*":
        raise _problem(ctx, sheet, r, c, "cannot tell which year this figure is for",
                       "a year in the title, a year column or a year heading")
    area = coords.get("area_code") or spec.area
    if not area:
        raise _problem(ctx, sheet, r, c, "cannot tell which area this figure is for", "a force or region label")
    dims = coords.get("dims", {})
    names = spec.dimensions or tuple(dims)
    dimension = "/".join(names)
    category = "/".join(dims.get(d, vocab.TOTAL_CATEGORY) for d in names)
    if revised and not note:
        note = "revised"
    return ParsedFact(
        year=coords["year"], table=spec.key, area_code=area, tactic=coords.get("tactic", ""), dimension=dimension,
        category=category, measure=coords["measure"], value=value, note=note, cell=sheet.address(r, c),
        table_number=ctx.number, table_title=ctx.title,
    )
