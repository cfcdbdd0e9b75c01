"""Reading published spreadsheets as grids of cells with A1-style addresses.

Every official file forcewatch reads (ODS, XLSX or XLS through python-calamine; CSV through the
standard library) becomes a :class:`Workbook` of :class:`Sheet` grids. Cells keep their real
position, so every problem and every stored figure can name its cell (``Table_13!D5``).

Tables are read by their headings and labels, never by position, so this module also holds the
shared helpers for that: :func:`normalise` (reduce a published label to a comparable key),
:func:`classify` (number, date, marker, text), :func:`parse_number`, and the period and date
parsers that turn "1 April 2017 to 31 March 2018" into the year key ``2017-18``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from ..errors import InputRefused, Problem
from ..periods import financial_year_starting
from .zip_safety import zip_problem

__all__ = [
    "Sheet", "Workbook", "read_workbook", "normalise", "classify", "parse_number", "column_letter",
    "MARKERS", "find_period", "as_date", "is_revision_marker",
]

# --- grids -------------------------------------------------------------------------------


def column_letter(col: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Sheet:
    """One sheet: a rectangular grid of raw cell values, row 0 being the sheet's row 1."""

    name: str
    rows: list[list[Any]]

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def cell(self, row: int, col: int) -> Any:
        if 0 <= row < len(self.rows) and 0 <= col < len(self.rows[row]):
            return self.rows[row][col]
        return ""

    def address(self, row: int, col: int) -> str:
        """``Table_13!D5`` for row 4, column 3 (both 0-based)."""
        return f"{self.name}!{column_letter(col)}{row + 1}"

    def texts(self, max_rows: int | None = None) -> Iterator[tuple[int, int, str]]:
        """Every non-empty text cell (row, column, text), top to bottom."""
        for r, row in enumerate(self.rows[:max_rows]):
            for c, value in enumerate(row):
                if isinstance(value, str) and value.strip():
                    yield r, c, value.strip()


@dataclass
class Workbook:
    """A file read as sheets; ``filename`` is the name used in messages."""

    filename: str
    sheets: list[Sheet]
    format: str


def _refuse(filename: str, message: str, expected: str) -> InputRefused:
    return InputRefused(f"{filename}: {message}", [Problem(message, file=filename, expected=expected)])


def read_workbook(path: str | Path) -> Workbook:
    """Read an ODS, XLSX, XLS or CSV file; a file that cannot be read is refused whole."""
    path = Path(path)
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _refuse(name, f"cannot read the file ({exc.strerror or exc})", "a readable file") from None
    if not data:
        raise _refuse(name, "the file is empty", "an ODS, XLSX or CSV file")
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _read_spreadsheet(name, data)
    return _read_csv(name, data)


def _read_spreadsheet(name: str, data: bytes) -> Workbook:
    from python_calamine import CalamineWorkbook

    fmt = "xls" if data[:4] != b"PK\x03\x04" else ("ods" if b"opendocument.spreadsheet" in data[:200] else "xlsx")
    unsafe = zip_problem(data)
    if unsafe:
        what = "cannot be read:" if "zip bomb" in unsafe else "is damaged or truncated and cannot be read:"
        raise _refuse(name, f"the {fmt.upper()} file {what} {unsafe}", "a complete ODS or XLSX workbook as published")
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [Sheet(sheet_name, book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False))
                  for sheet_name in book.sheet_names]
    except Exception as exc:  # noqa: BLE001 - calamine raises several unrelated types for damaged files
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise _refuse(name, f"the {fmt.upper()} file is damaged or truncated and cannot be read ({reason})",
                      "a complete ODS or XLSX workbook as published") from None
    return Workbook(name, sheets, fmt)


def _read_csv(name: str, data: bytes) -> Workbook:
    if b"\x00" in data[:4096]:
        raise _refuse(name, "the file is neither a spreadsheet nor text", "an ODS, XLSX or CSV file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise _refuse(name, "the text is neither UTF-8 nor Windows-1252", "a CSV file")
    try:
        rows: list[list[Any]] = [list(r) for r in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        raise _refuse(name, f"the CSV cannot be parsed ({exc})", "a comma-separated file") from None
    return Workbook(name, [Sheet(Path(name).stem, rows)], "csv")


# --- labels ------------------------------------------------------------------------------

_FOOTNOTE_DIGITS = re.compile(r"(?<=[a-z)])\d{1,2}$", re.IGNORECASE)
# a footnote glued to a word inside a title: "Police officers1, police staff", "England and Wales2,"
_INNER_FOOTNOTE = re.compile(r"(?<=[a-z]{3})\d{1,2}(?=[,;:)]|\s)")
_TRAILING_SYMBOLS = re.compile(r"[\^*†‡§]+$")
_REVISED = re.compile(r"\s*\(\s*r\s*\)\s*$", re.IGNORECASE)
# note references of the newer accessible tables: "Total [note 3]", "Hampshire [notes 4, 5]"
_NOTE_REFERENCE = re.compile(r"\s*\[\s*notes?\s*[\d, and]+\]", re.IGNORECASE)


def normalise(text: Any) -> str:
    """Reduce a published label to a comparable key.

    Drops a leading ``*``, note references (``[note 3]``), a trailing ``(R)``, footnote digits glued to a word (``CED1``,
    ``Wiltshire2``, ``Police officers1``), trailing ``^``/``*``, letter case, punctuation, line
    breaks and ``&``/``and`` differences. Digits that are part of the label stay (``Under 11``).

    >>> normalise(" *Total Less lethal weapons1")
    'total less lethal weapons'
    >>> normalise("Under 11 \\nyears") , normalise("Size/gender/\\nbuild")
    ('under 11 years', 'size gender build')
    """
    return _normalise(str(text))


_PUNCTUATION = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def _normalise(text: str) -> str:
    s = text.replace("\u00a0", " ").replace("\u2019", "'").replace("\u2018", "'").strip()
    s = s.lstrip("*").strip()
    s = _NOTE_REFERENCE.sub("", s).strip()
    s = _REVISED.sub("", s)
    s = _TRAILING_SYMBOLS.sub("", s).strip()
    s = _FOOTNOTE_DIGITS.sub("", s)
    s = _INNER_FOOTNOTE.sub("", s)
    s = s.lower().replace("&", " and ")
    s = _PUNCTUATION.sub(" ", s)
    return _SPACES.sub(" ", s).strip()


def is_revision_marker(text: Any) -> bool:
    """``R``, ``(R)`` or ``[r]``: the figure beside it was revised."""
    return isinstance(text, str) and text.strip().lower() in {"r", "(r)", "[r]"}


def has_revision_suffix(text: Any) -> bool:
    """A label such as ``Hampshire (R)``: the row's figures were revised."""
    return isinstance(text, str) and bool(_REVISED.search(text.strip()))


#: value cells that carry no number, and the note stored in place of one
MARKERS: dict[str, str] = {
    "..": "not available", "[x]": "not available", "n/a": "not available", "na": "not available",
    "*": "suppressed", "[c]": "suppressed", "x": "suppressed",
    "-": "not applicable", "\u2013": "not applicable", "[z]": "not applicable",
    "[u]": "low reliability",
}

_NUMBER = re.compile(r"^-?[\d,]*\.?\d+$")


def parse_number(value: Any) -> float | None:
    """A number from a numeric cell or from text such as ``12,755``; ``None`` otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        s = value.strip().replace("\u00a0", "")
        if _NUMBER.match(s):
            return float(s.replace(",", ""))
    return None


def classify(value: Any) -> str:
    """``empty``, ``number``, ``date``, ``marker`` (``..``, ``[c]``, ``R`` ...) or ``text``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "empty"
    if isinstance(value, (datetime, date)):
        return "date"
    if parse_number(value) is not None:
        return "number"
    if isinstance(value, str) and (value.strip().lower() in MARKERS or is_revision_marker(value)):
        return "marker"
    if isinstance(value, bool):
        return "text"
    return "text" if isinstance(value, str) else "marker"


# --- periods and dates -------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december)"


def find_period(text: Any) -> str | None:
    """The year key of a period written in a title or label, or ``None``.

    ``2018-19`` (financial year), ``2016`` (calendar year), ``2017-Q1`` (a calendar quarter);
    ``"*"`` when the text names a span of several years (``2011 to 2016``).

    >>> [find_period(t) for t in ("1 April 2017 to 31 March 2018", "Year ending 31 March 2019",
    ...     "2017/18", "January to March 2017", "January to December 2016 revisions", "2011 to 2016")]
    ['2017-18', '2018-19', '2017-18', '2017-Q1', '2016', '*']
    """
    if text is None:
        return None
    if isinstance(text, float) and text.is_integer() and 1990 <= text <= 2100:
        return str(int(text))
    t = normalise(text)
    m = re.search(rf"(?:\d{{1,2}} )?{_MONTH} (\d{{4}}) (?:to )?(?:\d{{1,2}} )?{_MONTH} (\d{{4}})", t)
    if m:
        m1, y1, m2, y2 = _MONTHS[m.group(1)], int(m.group(2)), _MONTHS[m.group(3)], int(m.group(4))
        if m1 == 4 and m2 == 3:
            return financial_year_starting(y1) if y2 == y1 + 1 else "*"
        if m1 == 1 and m2 == 12:
            return str(y1) if y1 == y2 else "*"
        return "*"
    m = re.search(r"year ending (?:\d{1,2} )?march (\d{4})", t)
    if m:
        return financial_year_starting(int(m.group(1)) - 1)
    m = re.search(rf"{_MONTH} to (?:\d{{1,2}} )?{_MONTH} (\d{{4}})", t)
    if m:
        m1, m2, y = _MONTHS[m.group(1)], _MONTHS[m.group(2)], int(m.group(3))
        if m1 == 1 and m2 == 12:
            return str(y)
        if m2 == m1 + 2 and m1 in (1, 4, 7, 10):
            return f"{y}-Q{(m1 + 2) // 3}"
        return "*"
    m = re.search(r"\b(\d{4}) to (\d{4})\b", t)
    if m:
        return "*"
    m = re.fullmatch(r"(?:financial year )?(\d{4}) (\d{2}|\d{4})", t)
    if m:
        start, end = int(m.group(1)), int(m.group(2)) % 100
        return financial_year_starting(start) if end == (start + 1) % 100 else None
    m = re.fullmatch(r"(\d{2}) (\d{2})", t)
    if m and int(m.group(2)) == (int(m.group(1)) + 1) % 100:
        return financial_year_starting(2000 + int(m.group(1)))
    m = re.search(r"(?:^| )(\d{4})$", t)
    if m and 1990 <= int(m.group(1)) <= 2100:
        return m.group(1)
    return None


def as_date(value: Any) -> date | None:
    """A date from a date cell or text such as ``30 September 2019``, ``13/04/2017``, ``2019-03-31``.

    A footnote digit glued to the year (``30 September 20122``) is ignored.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    s = value.strip()
    m = re.fullmatch(r"(?:as at:?\s*)?(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})\d?", s, re.IGNORECASE)
    if m and m.group(2).lower() in _MONTHS:
        return _safe_date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s)
    if m:
        return _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?", s)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
