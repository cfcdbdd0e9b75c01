"""Financial years and typed dates: one reading of ``2018-19`` and ``YYYY-MM-DD`` everywhere."""

from __future__ import annotations

from datetime import date

import pytest

from forcewatch.assessment import normalise_period
from forcewatch.errors import UsageError
from forcewatch.monitoring.scope import Scope
from forcewatch.periods import (
    financial_year,
    financial_year_bounds,
    financial_year_of,
    read_date,
    read_optional_date,
)


@pytest.mark.parametrize("written", ["2018-19", "2018/19", "2018-2019", " 2018/2019 "])
def test_every_usual_spelling_of_a_financial_year_reads_as_one(written: str) -> None:
    assert financial_year(written) == normalise_period(written) == "2018-19"
    assert financial_year_bounds(written) == (date(2018, 4, 1), date(2019, 3, 31))
    assert Scope.of(year=written).label == "2018-19"


@pytest.mark.parametrize("written", ["2018", "2018-20", "18-19", "2018-2020", "Q1 2018"])
def test_anything_else_is_refused_naming_what_was_given(written: str) -> None:
    with pytest.raises(UsageError, match=f"year {written!r} is not a financial year"):
        financial_year(written)
    with pytest.raises(UsageError, match=f"period {written!r} is not a financial year"):
        normalise_period(written)


def test_the_year_of_a_day_turns_on_1_april() -> None:
    assert [financial_year_of(d) for d in (date(2019, 3, 31), date(2019, 4, 1), date(2099, 12, 31))] == [
        "2018-19", "2019-20", "2099-00"]
    assert financial_year("2099-00") == "2099-00"


def test_a_typed_date_is_read_or_refused_naming_the_option() -> None:
    assert read_date("2019-02-20", "--on") == date(2019, 2, 20) == read_date(date(2019, 2, 20), "--on")
    assert read_optional_date("", "from") is None and read_optional_date(None, "from") is None
    with pytest.raises(UsageError, match="--on '20/02/2019' is not a date"):
        read_date("20/02/2019", "--on")
