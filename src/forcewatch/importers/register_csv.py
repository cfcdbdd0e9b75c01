"""Reading a CSV export of an HR or training system into register events (no database).

One row per event. Columns are found by header name (case, spaces and punctuation ignored, with
the aliases in :data:`COLUMNS`), never by position:

| column | required | holds |
|---|---|---|
| ``StaffId`` | yes | the force's staff identifier: pseudonymised on import, never stored |
| ``Event`` | yes | ``Posting``, ``Left``, ``Training``, ``Withdrawn``, ``Reinstated``, ``Device issued``, ``Device returned`` |
| ``Date`` | yes | the day it happened (``YYYY-MM-DD``; day-first ``DD/MM/YYYY`` is read and reported) |
| ``Status`` | postings | ``Officer``, ``Probationer``, ``Student officer``, ``Special constable``, ``Left`` |
| ``Rank``, ``Role``, ``Team``, ``Area`` | no | the posting's codes (the force's own; spaces tidied) |
| ``Skill`` | training, withdrawn, reinstated | ``Taser`` (CED), ``AFO``, ``ARV``, ``CTSFO`` |
| ``Course`` | training | ``Initial`` or ``Requalification`` |
| ``Result`` | training | ``Pass`` or ``Fail`` |
| ``Expires`` | no | last day a pass is valid (else the policy's validity applies) |
| ``Serial`` | device rows | the CED's serial number |
| ``RecordId`` | no | the system's own id of the row: a later export with a changed row corrects it |
| ``Force`` | no | must be the force imported for |

Every problem names the file, row, column and value: errors refuse the whole file, warnings and
repairs (day-first dates, letter case, a team spelt two ways) are reported and the file stored.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterable, Mapping

from ..forces import try_resolve
from ..problems import ProblemLog
from ..register_vocab import (
    read_code, read_course, read_date, read_kind, read_rank, read_result, read_role, read_serial, read_skill,
    read_status,
)

__all__ = ["COLUMNS", "RegisterRow", "RegisterFile", "read_register_csv", "read_event", "KIND_FIELDS"]

#: field -> accepted headers (compared without case, spaces or punctuation)
COLUMNS: dict[str, tuple[str, ...]] = {
    "staff_id": ("StaffId", "Staff ID", "Staff Number", "Staff No", "Employee ID", "Employee Number", "Payroll Number"),
    "event": ("Event", "Event Type", "Record Type"),
    "date": ("Date", "Event Date", "Effective Date", "Course Date"),
    "status": ("Status", "Officer Status", "Employment Status"),
    "rank": ("Rank",),
    "role": ("Role", "Duty", "Main Duty"),
    "team": ("Team", "Unit", "Shift"),
    "area": ("Area", "Borough", "Division", "District", "Command"),
    "skill": ("Skill", "Authorisation", "Qualification"),
    "course": ("Course", "Course Type"),
    "result": ("Result", "Outcome"),
    "expires": ("Expires", "Expiry", "Expiry Date", "Valid Until"),
    "serial": ("Serial", "Device Serial", "Serial Number", "CED Device Serial No"),
    "record_id": ("RecordId", "Record ID", "Event ID"),
    "force": ("Force",),
}
REQUIRED = ("staff_id", "event", "date")
#: the fields each kind of event needs (beyond staff id, event and date) and may have
KIND_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "posting": (("status",), ("rank", "role", "team", "area")),
    "training": (("skill", "course", "result"), ("expires",)),
    "withdrawn": (("skill",), ()),
    "reinstated": (("skill",), ()),
    "device_issued": (("serial",), ("skill",)),
    "device_returned": (("serial",), ("skill",)),
}
_READERS: dict[str, Callable[[str], tuple[Any, bool]]] = {
    "status": read_status, "rank": read_rank, "role": read_role, "team": read_code, "area": read_code,
    "skill": read_skill, "course": read_course, "result": read_result, "serial": read_serial,
}


def _norm(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


_BY_HEADER = {_norm(h): f for f, hs in COLUMNS.items() for h in hs}


@dataclass(frozen=True)
class RegisterRow:
    """One event as read and normalised (the staff identifier is still in the clear here)."""

    row: int
    staff_id: str
    kind: str
    event_date: date
    record_id: str | None = None
    status: str | None = None
    rank: str | None = None
    role: str | None = None
    team: str | None = None
    area: str | None = None
    skill: str | None = None
    course: str | None = None
    result: str | None = None
    expires_on: date | None = None
    serial: str | None = None


@dataclass
class RegisterFile:
    """A file's events, the headers found, the encoding, and every problem."""

    rows: list[RegisterRow]
    headers: dict[str, str]
    encoding: str
    log: ProblemLog
    fields: dict[str, int] = field(default_factory=dict)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8 (with BOM)"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def read_register_csv(data: bytes, filename: str, *, force_code: str, today: date | None = None,
                      known_codes: Mapping[str, Iterable[str]] | None = None) -> RegisterFile:
    """Read and check every row; ``known_codes`` are team and area spellings the register already holds."""
    log = ProblemLog(filename)
    try:
        text, encoding = _decode(data)
    except UnicodeDecodeError as exc:
        log.add("error", f"byte {exc.start:,} is not UTF-8 text", expected="UTF-8 or Windows-1252 CSV")
        return RegisterFile([], {}, "unknown", log)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        log.add("error", f"the CSV cannot be read ({exc})", expected="a CSV file with one record per row")
        return RegisterFile([], {}, encoding, log)
    reader = iter(rows)
    header_row = next(reader, None)
    if not header_row:
        log.add("error", "the file is empty", expected="a header row naming StaffId, Event and Date")
        return RegisterFile([], {}, encoding, log)
    columns: dict[str, int] = {}
    for i, header in enumerate(header_row):
        name = _BY_HEADER.get(_norm(header))
        if name is None:
            if header.strip():
                log.add("warning", "unknown column, ignored", field=header)
        elif name in columns:
            log.add("error", f"two columns mean {COLUMNS[name][0]}", field=header,
                    expected="one column per field")
        else:
            columns[name] = i
    headers = {f: header_row[i] for f, i in columns.items()}
    log.headers = headers
    for name in REQUIRED:
        if name not in columns:
            log.add("error", f"the required column {COLUMNS[name][0]} is missing", field=COLUMNS[name][0],
                    expected="a column headed " + " or ".join(COLUMNS[name][:3]))
    if log.errors:
        return RegisterFile([], headers, encoding, log, columns)
    spellings: dict[str, dict[str, str]] = {"team": {}, "area": {}}
    for f, values in (known_codes or {}).items():
        for v in values:
            spellings.setdefault(f, {}).setdefault(v.lower(), v)
    rows = []
    notes: dict[tuple[str, str, str, str, str], list[int]] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header_row):
            log.add("error", f"the row has {len(cells)} cells but the header {len(header_row)}", row=number,
                    expected="one cell per column (a comma inside a value needs quotes)")
            continue
        found = _read_row(number, {f: (cells[i] if i < len(cells) else "") for f, i in columns.items()},
                          force_code, today, log, spellings, notes)
        if found is not None:
            rows.append(found)
    for (severity, f, message, value, expected), where in notes.items():
        log.value_problem(severity, message, f, value or None, expected, where[:3], len(where))
    return RegisterFile(rows, headers, encoding, log, columns)


Notes = dict[tuple[str, str, str, str, str], list[int]]


def _read_row(number: int, cells: dict[str, str], force_code: str, today: date | None, log: ProblemLog,
              spellings: dict[str, dict[str, str]], notes: Notes) -> RegisterRow | None:
    """One row: errors go to ``log`` cell by cell; repairs and warnings to ``notes``, counted per value."""
    values: dict[str, Any] = {}
    ok = True

    def note(severity: str, f: str, message: str, value: str = "", expected: str = "") -> None:
        notes.setdefault((severity, f, message, value, expected), []).append(number)

    def bad(f: str, message: str, expected: str = "") -> None:
        nonlocal ok
        ok = False
        log.add("error", message, field=f, row=number, value=cells.get(f), expected=expected)

    staff = cells["staff_id"].strip()
    if not staff:
        bad("staff_id", "StaffId is empty", "the officer's staff identifier")
    force = cells.get("force", "").strip()
    if force:
        area = try_resolve(force, "force")
        if area is None or area.code != force_code:
            bad("force", "this row belongs to another force than the one imported for", force_code)
    try:
        kind, _ = read_kind(cells["event"])
    except ValueError as exc:
        bad("event", str(exc))
        return None
    if _norm(cells["event"]) in ("left", "leaver"):
        if cells.get("status", "").strip() and _norm(cells["status"]) not in ("left", "leaver"):
            bad("status", "an Event of Left needs Status empty or Left")
        cells = {**cells, "status": "Left"}
    try:
        values["event_date"], repaired = read_date(cells["date"], today=today)
        if repaired:
            note("repair", "date", "read as a day-first date (DD/MM/YYYY)", expected="YYYY-MM-DD")
    except ValueError as exc:
        bad("date", str(exc), "YYYY-MM-DD")
    needed, optional = KIND_FIELDS[kind]
    for f in (*needed, *optional):
        raw = cells.get(f, "").strip()
        if not raw:
            if f in needed:
                bad(f, f"a {kind.replace('_', ' ')} row needs {COLUMNS[f][0]}")
            continue
        if f == "expires":
            try:
                values["expires_on"], _ = read_date(raw, future_ok=True)
            except ValueError as exc:
                bad(f, str(exc), "YYYY-MM-DD")
            continue
        try:
            value, repaired = _READERS[f](raw)
        except ValueError as exc:
            bad(f, f"{COLUMNS[f][0]} {exc}" if str(exc).startswith("is ") else str(exc))
            continue
        if f in spellings:
            first = spellings[f].setdefault(value.lower(), value)
            if first != value:
                note("repair", f, f"read as {first!r}, the spelling already used", raw, first)
                value = first
            elif repaired:
                note("repair", f, f"read as {value!r}", raw, value)
        elif repaired and f == "serial":
            note("repair", f, f"read as {value!r}", raw, value)
        values[f] = value
    if values.get("skill") not in (None, "ced") and kind.startswith("device"):
        bad("skill", "devices are recorded for Taser (CED) only")
    for f in ("status", "skill", "course", "result", "serial", "expires", "team", "area", "rank", "role"):
        if f not in needed and f not in optional and cells.get(f, "").strip():
            note("warning", f, f"{COLUMNS[f][0]} is not used on {kind.replace('_', ' ')} rows; ignored")
    expires = values.get("expires_on")
    if expires and "event_date" in values and expires < values["event_date"]:
        bad("expires", "the expiry is before the training date")
    if not ok:
        return None
    return RegisterRow(number, staff, kind, record_id=cells.get("record_id", "").strip() or None, **values)


_KIND_LABELS = {"posting": "Posting", "training": "Training", "withdrawn": "Withdrawn", "reinstated": "Reinstated",
                "device_issued": "Device issued", "device_returned": "Device returned"}


def read_event(kind: str, cells: Mapping[str, str], *, today: date | None = None,
               known_codes: Mapping[str, Iterable[str]] | None = None) -> tuple[RegisterRow | None, ProblemLog]:
    """One event typed into a form (keys are field names: ``date``, ``status``, ``team`` ...), read by the
    import's own rules; the log's problems name the form field."""
    log = ProblemLog(None)
    if kind not in _KIND_LABELS:
        log.add("error", f"unknown event kind {kind!r}", field="kind", value=kind, expected=", ".join(_KIND_LABELS))
        return None, log
    spellings: dict[str, dict[str, str]] = {"team": {}, "area": {}}
    for f, values in (known_codes or {}).items():
        for v in values:
            spellings.setdefault(f, {}).setdefault(v.lower(), v)
    notes: Notes = {}
    filled = {f: str(cells.get(f) or "") for f in COLUMNS if f not in ("force", "record_id")}
    filled.update(staff_id="(form)", event=_KIND_LABELS[kind])
    row = _read_row(0, filled, "", today, log, spellings, notes)
    log.problems = [p if p.row != 0 else type(p)(**{**p.__dict__, "row": None}) for p in log.problems]
    return row, log
