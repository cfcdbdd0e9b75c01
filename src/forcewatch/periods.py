"""Financial years, the period every police statistic in England and Wales is counted over, and
the dates people type (``YYYY-MM-DD``) at the command line and in web forms.

A financial year runs from 1 April to 31 March and is written ``2018-19``. People also write
``2018/19`` and ``2018-2019``; :func:`financial_year` reads all three and gives the one spelling
forcewatch stores and prints. One home for the rule, used by the monitoring scopes, the
assessment's periods, the register's checks and coverage, and the importers.

>>> financial_year("2018/2019"), financial_year_bounds("2018-19")
('2018-19', (datetime.date(2018, 4, 1), datetime.date(2019, 3, 31)))
>>> financial_year_of(date(2019, 3, 31)), financial_year_starting(2019)
('2018-19', '2019-20')
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from .errors import UsageError

__all__ = ["add_months", "financial_year", "financial_year_bounds", "financial_year_of", "financial_year_starting",
           "months_of", "quarter_bounds", "read_date", "read_optional_date"]

_WRITTEN = re.compile(r"(\d{4})[-/](\d{2}|\d{4})")
_QUARTER = re.compile(r"(\d{4})-?Q([1-4])", re.IGNORECASE)


def financial_year(text: str, *, what: str = "year") -> str:
    """``2018-19``, ``2018/19`` or ``2018-2019`` -> ``2018-19``; anything else is refused (UsageError),
    naming ``what`` was given (``year``, ``period`` ...)."""
    match = _WRITTEN.fullmatch(str(text).strip())
    if not match:
        raise UsageError(f"{what} {text!r} is not a financial year", hint="write it like 2018-19")
    start, end = int(match.group(1)), match.group(2)
    if (end if len(end) == 4 else f"{(start + 1) // 100 * 100 + int(end)}") != str(start + 1):
        raise UsageError(f"{what} {text!r} is not a financial year: it does not span two consecutive years",
                         hint="write it like 2018-19")
    return financial_year_starting(start)


def financial_year_starting(start: int) -> str:
    """The financial year beginning on 1 April of ``start``: 2018 -> ``2018-19``."""
    return f"{start}-{(start + 1) % 100:02d}"


def financial_year_bounds(text: str, *, what: str = "year") -> tuple[date, date]:
    """First and last day of a financial year: ``2018-19`` -> (2018-04-01, 2019-03-31)."""
    start = int(financial_year(text, what=what)[:4])
    return date(start, 4, 1), date(start + 1, 3, 31)


def financial_year_of(day: date) -> str:
    """The financial year containing ``day``: 31 March 2019 -> ``2018-19``."""
    return financial_year_starting(day.year if day.month >= 4 else day.year - 1)


def read_date(value: str | date, name: str) -> date:
    """A date given by a person, ``YYYY-MM-DD`` (a date passes through); UsageError naming ``name``
    (the option or field) otherwise."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise UsageError(f"{name} {value!r} is not a date", hint="write it as YYYY-MM-DD") from None


def read_optional_date(value: str | date | None, name: str) -> date | None:
    """:func:`read_date`, with nothing given (``None``, or an empty form field) as ``None``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return read_date(value, name)


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, on the month's last day when the day does not exist
    there (a six-month time limit, a twelve-month Taser authorisation).

    >>> add_months(date(2024, 8, 31), 6), add_months(date(2019, 2, 20), -12)
    (datetime.date(2025, 2, 28), datetime.date(2018, 2, 20))
    """
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_of(start: date, end: date) -> list[str]:
    """Every month from ``start`` to ``end``, inclusive, as ``YYYY-MM``."""
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def quarter_bounds(text: str) -> tuple[str, date, date]:
    """A calendar quarter as the Home Office writes it (``2019-Q1``: January to March 2019): its
    spelling, first and last day. UsageError otherwise.

    >>> quarter_bounds("2019q2")
    ('2019-Q2', datetime.date(2019, 4, 1), datetime.date(2019, 6, 30))
    """
    match = _QUARTER.fullmatch(str(text).strip())
    if not match:
        raise UsageError(f"quarter {text!r} is not a calendar quarter", hint="write it like 2019-Q1 (January to March)")
    year, number = int(match.group(1)), int(match.group(2))
    first = date(year, 3 * number - 2, 1)
    last_month = 3 * number
    return f"{year}-Q{number}", first, date(year, last_month, calendar.monthrange(year, last_month)[1])
