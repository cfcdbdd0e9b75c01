"""Inputs given explicitly rather than read from the store: a demand extract, a current headcount.

A force with call-handling (THRIVE) data exports its demand events by area and hour block; a
force without the Taser-trained officer register in forcewatch states its current headcount.
Each becomes a snapshot like any other (canonical JSON, SHA-256), saying who gave it and from
which file (with the file's own SHA-256).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import InputRefused, Problem, UsageError
from .snapshots import SnapshotData, given

__all__ = ["DEMAND_COLUMNS", "current_headcount", "demand_table", "parse_headcount", "read_demand_csv"]

DEMAND_COLUMNS = ("area", "block", "events", "hours")


def demand_table(rows: Sequence[Mapping[str, Any]], *, source: str, definition: str = "") -> SnapshotData:
    """A demand snapshot from rows of (area, block, events, hours)."""
    table = [
        {
            "area": str(r["area"]),
            "block": str(r["block"]),
            "events": int(r["events"]),
            "hours": str(r["hours"]),
        }
        for r in rows
    ]
    if not table:
        raise UsageError("a demand table needs at least one row (area, block, events, hours)")
    content = {
        "definition": definition or "given: see the judgement log's demand_event confirmation",
        "unit": "as given",
        "rows": sorted(table, key=lambda r: (r["area"], r["block"])),
    }
    return given(
        "demand",
        content,
        source=source,
        schema_version="demand/1",
        quality={"events": sum(r["events"] for r in table)},
    )


def read_demand_csv(path: str | Path) -> SnapshotData:
    """Read a demand extract: a CSV with columns area, block, events, hours (every problem named)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    missing = [c for c in DEMAND_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputRefused(
            f"{path.name}: the demand extract needs the columns {', '.join(DEMAND_COLUMNS)}",
            [Problem(f"column {c!r} is missing", file=path.name) for c in missing],
        )
    rows, problems = [], []
    for number, row in enumerate(reader, start=2):
        for column in ("events", "hours"):
            text = (row.get(column) or "").strip()
            ok = (
                text.isdigit()
                if column == "events"
                else text.replace(".", "", 1).isdigit() and float(text) > 0
            )
            if not ok:
                problems.append(
                    Problem(
                        "not a number of the right kind",
                        file=path.name,
                        row=number,
                        column=column,
                        value=text,
                        expected="a whole number" if column == "events" else "a positive number of hours",
                    )
                )
        rows.append(row)
    if problems:
        raise InputRefused(f"{path.name}: the demand extract was refused", problems)
    sha = hashlib.sha256(data).hexdigest()
    return demand_table(rows, source=f"demand extract given as file {path.name} (SHA-256 {sha})")


def parse_headcount(text: str) -> dict[str, int]:
    """``40`` (the whole force) or ``Bristol=20,Bath=12`` -> {area: trained officers}."""
    text = text.strip()
    if text.isdigit():
        return {"": int(text)}
    found: dict[str, int] = {}
    for part in text.split(","):
        area, sep, number = part.partition("=")
        if not sep or not number.strip().isdigit() or not area.strip():
            raise UsageError(
                f"current headcount {text!r} is not understood",
                hint="give a number (the whole force) or AREA=N,AREA=N",
            )
        found[area.strip()] = int(number)
    return found


def current_headcount(
    by_area: Mapping[str, int | Mapping[str, int]], *, source: str, demand_areas: list[str] | None = None
) -> SnapshotData:
    """A current-headcount snapshot. An area key of ``""`` means the whole force: it is given to the
    single demand area, or refused when there are several."""
    mapping = dict(by_area)
    if "" in mapping:
        if demand_areas is None or len(demand_areas) != 1:
            raise UsageError(
                "a single current headcount needs exactly one demand area",
                hint="give AREA=N for each area: " + ", ".join(demand_areas or []),
            )
        mapping[demand_areas[0]] = mapping.pop("")
    return given(
        "current_headcount",
        {"by_area": mapping},
        source=source,
        schema_version="current_headcount/1",
        quality={"areas": len(mapping)},
        rows=len(mapping),
    )
