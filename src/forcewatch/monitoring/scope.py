"""What a monitoring figure covers: an area (force, region or England and Wales) and a period.

A period is a financial year (``2018-19``: 1 April 2018 to 31 March 2019) or any date range
(``--from 2018-04-01 --to 2018-06-30``). Figures are labelled with the period in the ``year``
column: the financial year, or the range as an ISO 8601 interval ``2018-04-01/2018-06-30`` (an
extension of the interface's forms). England and Wales means the 43 territorial forces; British
Transport Police is its own area.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from .. import forces
from ..errors import UsageError
from ..periods import financial_year_bounds, financial_year_of, read_date

__all__ = ["Scope", "area_forces"]



def area_forces(area: forces.Area) -> tuple[str, ...]:
    """The forces whose figures add up to ``area`` (the 43 territorial forces for England and Wales)."""
    if area.kind == "force":
        return (area.code,)
    if area.kind == "region":
        return tuple(a.code for a in forces.forces_in(area.code))
    return tuple(a.code for a in forces.forces())


@dataclass(frozen=True)
class Scope:
    """An area and an inclusive date range, with the label its figures carry."""

    area_code: str
    start: date
    end: date
    label: str

    @classmethod
    def of(cls, *, force: str | None = None, year: str | None = None, start: date | str | None = None,
           end: date | str | None = None) -> "Scope":
        """A scope from user input: a force, region or England and Wales (default), and a year or dates."""
        area = forces.resolve(force) if force else forces.ENGLAND_AND_WALES
        if year and (start or end):
            raise UsageError("give either a financial year or a date range, not both")
        if year:
            first, last = financial_year_bounds(year)
            return cls(area.code, first, last, financial_year_of(first))
        if not (start and end):
            raise UsageError("a period is needed", hint="--year 2018-19, or --from 2018-04-01 --to 2018-06-30")
        first, last = read_date(start, "--from"), read_date(end, "--to")
        if last < first:
            raise UsageError(f"the period ends ({last}) before it starts ({first})")
        whole_year = first.month == 4 and first.day == 1 and last == date(first.year + 1, 3, 31)
        return cls(area.code, first, last, financial_year_of(first) if whole_year else f"{first}/{last}")

    @property
    def area(self) -> str:
        return forces.get(self.area_code).name

    @property
    def kind(self) -> str:
        return forces.get(self.area_code).kind

    @property
    def forces(self) -> tuple[str, ...]:
        """The forces whose records make up this area."""
        return area_forces(forces.get(self.area_code))

    @property
    def financial_years(self) -> tuple[str, ...]:
        """The financial years the period lies in (used to narrow the read)."""
        first = int(financial_year_of(self.start)[:4])
        last = int(financial_year_of(self.end)[:4])
        return tuple(f"{y}-{(y + 1) % 100:02d}" for y in range(first, last + 1))

    @property
    def is_financial_year(self) -> bool:
        return re.fullmatch(r"\d{4}-\d{2}", self.label) is not None

    def filter(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Rows of a loader frame inside this scope."""
        return frame.filter(pl.col("force_code").is_in(list(self.forces)),
                            pl.col("incident_date").is_between(self.start, self.end))

    def with_area(self, area_code: str) -> "Scope":
        return Scope(area_code, self.start, self.end, self.label)

    def as_dict(self) -> dict[str, Any]:
        return {"area_code": self.area_code, "area": self.area, "from": self.start.isoformat(),
                "to": self.end.isoformat(), "year": self.label}
