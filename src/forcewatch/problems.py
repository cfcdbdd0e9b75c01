"""Collecting the problems found in one input, in a size a person can read.

Errors are listed cell by cell (file, row, column as written, value, what was expected), at most
:data:`CELLS_PER_PROBLEM` cells for the same column, value and reason, then one entry counting the
rest. Repairs and warnings are listed once per column, value and reason with the number of rows and
the first row, because a file can hold the same repair in every one of 400,000 rows.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from .errors import Problem

__all__ = ["ProblemLog", "CELLS_PER_PROBLEM"]

CELLS_PER_PROBLEM = 100
SEVERITY_ORDER = {"error": 0, "warning": 1, "repair": 2}


def _rows_text(rows: Sequence[int], count: int) -> str:
    if count == 1:
        return ""
    shown = ", ".join(f"{r:,}" for r in rows[:3])
    more = f" and {count - 3:,} more" if count > 3 else ""
    return f" (in {count:,} rows: {shown}{more})"


class ProblemLog:
    """The problems of one input (a file or a form), in the order found."""

    def __init__(self, file: str | None = None, headers: Mapping[str, str] | None = None) -> None:
        self.file = file
        self.sheet: str | None = None
        self.headers = dict(headers or {})
        self.problems: list[Problem] = []

    def column(self, field: str | None) -> str | None:
        """The column header as written in the file (the field name if the input had no header)."""
        if field is None:
            return None
        return self.headers.get(field, field)

    def add(self, severity: str, message: str, *, field: str | None = None, row: int | None = None,
            value: Any = None, expected: str | None = None) -> None:
        self.problems.append(Problem(message, file=self.file, sheet=self.sheet, row=row, column=self.column(field),
                                     value=value, expected=expected or None, severity=severity))

    def value_problem(self, severity: str, message: str, field: str, value: Any, expected: str,
                      rows: Sequence[int], count: int) -> None:
        """One reason found in ``count`` rows (``rows`` lists the first of them, in file order)."""
        rows = sorted(rows)
        if severity == "error":
            for row in rows[:CELLS_PER_PROBLEM]:
                self.add("error", message, field=field, row=row, value=value, expected=expected)
            if count > CELLS_PER_PROBLEM:
                self.add("error", f"the same problem in {count - CELLS_PER_PROBLEM:,} more rows", field=field,
                         row=rows[CELLS_PER_PROBLEM] if len(rows) > CELLS_PER_PROBLEM else None,
                         value=value, expected=expected)
            return
        self.add(severity, message + _rows_text(rows, count), field=field, row=rows[0] if rows else None,
                 value=value, expected=expected)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)

    def sorted(self) -> list[Problem]:
        """Errors first, then warnings, then repairs; each in row order."""
        return sorted(self.problems, key=lambda p: (SEVERITY_ORDER.get(p.severity, 3), p.row or 0))
