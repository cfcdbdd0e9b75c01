"""Rendering rows as a table (for people), CSV or JSON (for programs).

JSON output is one JSON document on stdout and nothing else; messages for people go to stderr.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Iterable, Mapping, Sequence

from rich.console import Console
from rich.table import Table

from ..errors import InputRefused, Problem

__all__ = ["OutputFormat", "PROBLEMS_SHOWN", "render_rows", "render_document", "render_import", "refusal_as_json",
           "stderr"]

#: problems an import prints for people (every one is in the JSON output)
PROBLEMS_SHOWN = 50

stderr = Console(stderr=True, highlight=False)


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if hasattr(value, "as_dict"):
        return value.as_dict()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(document: Any) -> str:
    return json.dumps(document, default=_json_default, ensure_ascii=False, indent=1)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() and abs(value) >= 1000 else f"{value:g}"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1000:
        return f"{value:,}"
    return str(value)


def render_rows(
    rows: Iterable[Mapping[str, Any]],
    fmt: OutputFormat | str,
    columns: Sequence[str] | None = None,
    *,
    title: str | None = None,
    out: Any = None,
) -> None:
    """Write rows (dicts) in the chosen format; ``columns`` fixes the order and the CSV header."""
    out = out or sys.stdout
    rows = list(rows)
    if columns is None:
        columns = list(rows[0].keys()) if rows else []
    fmt = OutputFormat(fmt)
    if fmt is OutputFormat.json:
        out.write(to_json([{c: row.get(c) for c in columns} for row in rows]) + "\n")
    elif fmt is OutputFormat.csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    else:
        table = Table(title=title, show_lines=False, header_style="bold")
        for c in columns:
            numeric = any(isinstance(r.get(c), (int, float)) and not isinstance(r.get(c), bool) for r in rows[:50])
            table.add_column(c, justify="right" if numeric else "left", overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in columns))
        Console(file=out, highlight=False, width=max(100, Console().width)).print(table)
        if not rows:
            stderr.print("[dim](no rows)[/dim]")


def render_document(document: Mapping[str, Any], fmt: OutputFormat | str, *, out: Any = None) -> None:
    """Write one object: JSON as is; table and CSV as key/value rows."""
    out = out or sys.stdout
    fmt = OutputFormat(fmt)
    if fmt is OutputFormat.json:
        out.write(to_json(document) + "\n")
        return
    rows = [
        {"field": k, "value": v if not isinstance(v, (dict, list)) else to_json(v).replace("\n", "")}
        for k, v in document.items()
    ]
    render_rows(rows, fmt, ["field", "value"], out=out)


def render_import(summary: Mapping[str, Any], problems: Sequence[Problem], fmt: OutputFormat | str) -> None:
    """An import's report: for programs (``json``) the summary with every problem; for people the
    summary, then the first :data:`PROBLEMS_SHOWN` problems on stderr."""
    if OutputFormat(fmt) is OutputFormat.json:
        render_document({**summary, "problems": [p.as_dict() for p in problems]}, fmt)
        return
    render_document(summary, fmt)
    for problem in problems[:PROBLEMS_SHOWN]:
        stderr.print(f"  {problem.severity}: {problem}", markup=False, soft_wrap=True)
    if len(problems) > PROBLEMS_SHOWN:
        stderr.print(f"  ... and {len(problems) - PROBLEMS_SHOWN:,} more (all of them with --format json)",
                     markup=False)


@contextmanager
def refusal_as_json(fmt: OutputFormat | str) -> Iterator[None]:
    """A refused input (:class:`InputRefused`), also as one JSON document on stdout with ``--format
    json`` (every problem, for programs); the error then goes on to the usual handler (exit 1)."""
    try:
        yield
    except InputRefused as exc:
        if OutputFormat(fmt) is OutputFormat.json:
            render_document({"refused": True, "message": exc.message, **exc.details()}, fmt)
        raise
