"""Reading a national-form file in the Metropolitan Police open-data layout (CSV or XLSX).

The result is a frame of values *as written*, one string column per form field (named as in
:mod:`forcewatch.form`), plus ``_row``: the row number a person sees in a spreadsheet (the header
is row 1, the first report row 2). Columns are found by header name, never by position:

- headers are matched case- and space-insensitively, with the aliases of the domain note
  (``Possesion``, ``Tactic Effective 20``, ``CED2 ArCED2``);
- the layout is recognised against the exact ordered FY20-21 list (271 columns) and otherwise
  described by its difference from it (the 269- and ~275-column vintages are known only by
  count, so they are described, not assumed);
- unknown columns are tolerated and reported as warnings; a missing required column
  (:data:`forcewatch.form.REQUIRED_FIELDS`) refuses the file; other missing columns are read as
  "not recorded" and reported as one warning;
- CSV is read as UTF-8 (with or without BOM) when it is valid UTF-8, else as Windows-1252 (cp1252),
  the encoding of the MPS exports; XLSX (and the other workbooks python-calamine reads) through its
  typed cells, which are written back as the text the CSV would hold.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import polars as pl

from ..form import FY20_HEADERS, REQUIRED_FIELDS, Field, field_for_header
from ..problems import ProblemLog

__all__ = ["RawForm", "read_national_form", "looks_like_workbook"]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class RawForm:
    """A file's reports as written, with what was learnt reading it."""

    frame: pl.DataFrame
    headers: dict[str, str]
    encoding: str
    layout: str
    log: ProblemLog


def looks_like_workbook(data: bytes, filename: str) -> bool:
    """XLSX/ODS are zip files, XLS an OLE file; anything else is read as CSV."""
    return data[:4] in (_ZIP_MAGIC, _OLE_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods"))


def _decode(data: bytes) -> tuple[bytes, str]:
    """UTF-8 bytes for Polars, and the encoding the file was in."""
    if data.startswith(b"\xef\xbb\xbf"):
        data, bom = data[3:], True
    else:
        bom = False
    if data.isascii():
        return data, "utf-8 (with BOM)" if bom else "utf-8 (plain ASCII)"
    try:
        data.decode("utf-8")
        return data, "utf-8 (with BOM)" if bom else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252").encode("utf-8"), "cp1252"
    except UnicodeDecodeError as exc:
        raise ValueError(f"byte {exc.start:,} is neither UTF-8 nor Windows-1252 (cp1252) text") from None


def _layout(headers: list[str]) -> str:
    if tuple(headers) == FY20_HEADERS:
        return "FY20-21 layout (271 columns, published order)"
    known = set(FY20_HEADERS)
    missing = [h for h in FY20_HEADERS if h not in headers]
    extra = [h for h in headers if h not in known]
    if not missing and not extra:
        return "FY20-21 columns (271) in another order"
    text = f"national form, {len(headers)} columns"
    if missing:
        text += f"; {len(missing)} of the FY20-21 columns absent"
    if extra:
        text += f"; {len(extra)} columns beyond FY20-21 ({', '.join(extra[:3])}{' ...' if len(extra) > 3 else ''})"
    return text


def _map_headers(headers: list[str], log: ProblemLog) -> dict[int, Field]:
    """Position -> field for every recognised header; problems for the rest."""
    mapped: dict[int, Field] = {}
    seen: dict[str, int] = {}
    for i, header in enumerate(headers):
        f = field_for_header(header)
        if f is None:
            if header.strip():
                log.add("warning", f"unknown column {header!r} ignored (not part of the national form)",
                        expected="a national-form header such as 'IncidentDate'")
            continue
        if f.name in seen:
            log.add("error", f"columns {headers[seen[f.name]]!r} and {header!r} both mean {f.header!r}",
                    expected="each form field once")
            continue
        seen[f.name] = i
        mapped[i] = f
        log.headers[f.name] = header
    names = {f.name for f in mapped.values()}
    for required in REQUIRED_FIELDS:
        if required not in names:
            header = next(h for h in FY20_HEADERS if field_for_header(h).name == required)  # type: ignore[union-attr]
            log.add("error", f"required column {header!r} is missing", expected=f"a column headed {header!r}")
    absent = [h for h in FY20_HEADERS if field_for_header(h).name not in names  # type: ignore[union-attr]
              and field_for_header(h).name not in REQUIRED_FIELDS]  # type: ignore[union-attr]
    if absent:
        log.add("warning", f"{len(absent)} national-form columns are absent and read as not recorded: "
                + ", ".join(repr(h) for h in absent[:8]) + (" ..." if len(absent) > 8 else ""))
    return mapped


def _first_record(text_head: str) -> list[str]:
    """The header row (a bare CR ends a line too); raises ``csv.Error`` for a header no CSV reader can split."""
    return next(csv.reader(io.StringIO(text_head, newline=None)), [])


def _ragged_row(data: bytes, width: int) -> tuple[int, int] | None:
    """(row number, field count) of the first row whose field count differs from the header's."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=None))
    try:
        for number, record in enumerate(reader, start=1):
            if record and len(record) != width:
                return number, len(record)
    except csv.Error:
        return None
    return None


def _read_csv(data: bytes, log: ProblemLog) -> tuple[pl.DataFrame, list[str], str]:
    try:
        data, encoding = _decode(data)
    except ValueError as exc:
        log.add("error", f"the file is not text: {exc}", expected="CSV in UTF-8 or Windows-1252, or an XLSX workbook")
        return pl.DataFrame(), [], "unknown"
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):  # old Mac line ends: Polars splits on LF only
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        log.add("repair", "bare carriage returns (CR) read as line ends", expected="lines ending in CR LF or LF")
    head = data[: 1 << 20].decode("utf-8", errors="ignore")
    try:
        headers = _first_record(head)
    except csv.Error as exc:
        log.add("error", f"the header row cannot be read as CSV ({exc})", row=1,
                expected="comma-separated column names on the first line")
        return pl.DataFrame(), [], encoding
    mapped = _map_headers(headers, log)
    if log.errors or not mapped:
        return pl.DataFrame(), headers, encoding
    positions = sorted(mapped)
    try:
        frame = pl.read_csv(
            data, has_header=True, infer_schema=False, columns=positions,
            new_columns=[f"c{i}" for i in range(len(headers))], raise_if_empty=False,
        )
    except pl.exceptions.PolarsError:
        bad = _ragged_row(data, len(headers))
        if bad:
            log.add("error", f"this row has {bad[1]} fields but the header has {len(headers)}", row=bad[0],
                    expected=f"{len(headers)} comma-separated fields (quote values that contain commas)")
        else:
            log.add("error", "the file cannot be read as CSV", expected="comma-separated values with a header row")
        return pl.DataFrame(), headers, encoding
    frame = frame.rename({f"c{i}": mapped[i].name for i in positions})
    return frame, headers, encoding


def _cell_text(value: Any, kind: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        if kind == "time":
            return value.strftime("%H:%M:%S")
        if kind == "date" and value.time() == time(0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if isinstance(value, float):
        if kind == "time" and 0 <= value < 1:
            seconds = round(value * 86400)
            return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _read_workbook(data: bytes, log: ProblemLog) -> tuple[pl.DataFrame, list[str], str]:
    from python_calamine import CalamineWorkbook

    from .zip_safety import zip_problem

    unsafe = zip_problem(data)
    if unsafe:
        log.add("error", f"the workbook cannot be read: {unsafe}", expected="an XLSX workbook")
        return pl.DataFrame(), [], "xlsx"
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types
        log.add("error", f"the workbook cannot be read: {exc}", expected="an XLSX workbook")
        return pl.DataFrame(), [], "xlsx"
    if not rows:
        log.add("error", "the workbook's first sheet is empty", expected="a header row and one row per report")
        return pl.DataFrame(), [], "xlsx"
    log.sheet = book.sheet_names[0] if book.sheet_names else None
    headers = ["" if h is None else str(h) for h in rows[0]]
    mapped = _map_headers(headers, log)
    if log.errors:
        return pl.DataFrame(), headers, "xlsx"
    body = rows[1:]
    columns = {
        f.name: [_cell_text(r[i] if i < len(r) else None, f.kind) for r in body] for i, f in mapped.items()
    }
    return pl.DataFrame(columns, schema={n: pl.String for n in columns}), headers, "xlsx"


def read_national_form(data: bytes, filename: str) -> RawForm:
    """Read a national-form file's bytes; problems go to the returned log (nothing is raised)."""
    log = ProblemLog(filename)
    if looks_like_workbook(data, filename):
        frame, headers, encoding = _read_workbook(data, log)
    else:
        frame, headers, encoding = _read_csv(data, log)
    if frame.width:
        frame = frame.with_row_index("_row", offset=2).with_columns(pl.col("_row").cast(pl.Int64))
        blank = pl.all_horizontal([pl.col(c).is_null() for c in frame.columns if c != "_row"])  # a line of commas
        frame = frame.filter(~blank)
    return RawForm(frame, dict(log.headers), encoding, _layout(headers) if headers else "unknown", log)
