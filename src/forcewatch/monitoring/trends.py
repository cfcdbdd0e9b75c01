"""Monthly series from records with change detection: ``forcewatch trends``.

For one area and tactic (CED by default), the reports involving the tactic in each month, with:

- the **trend**: a Poisson GLM with month-of-year terms (when 24 months or more), giving the rate
  ratio per year and its 95% interval (offset: all use-of-force reports that month when
  ``exposure="reports"``, so the trend is in the tactic's share of uses of force);
- **change points** by PELT with a Poisson cost and the stated penalty (2·ln n by default: the
  answer depends on it, so it is reported);
- a **CUSUM** for a rise of ``shift`` (default 1.5, a 50% rise) above the in-control level, taken
  as the mean of the first 12 months (or all months when fewer), with decision interval ``h``;
  an alarm prompts an early review, it is not a finding.

Months with no reports at all are kept as zeros between the first and last month held.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from ..access import Principal
from ..errors import NotFound, UsageError
from ..periods import financial_year_of
from ..stats.trend import ChangePoints, Cusum, Trend, annual_trend, pelt, poisson_cusum
from ..store import Store
from ..vocab import DEFAULT_HIERARCHY
from ..vocab import tactic as tactic_term
from .counting import counting_mask, pattern_counts
from .loader import load_reports
from .scope import Scope

__all__ = ["TrendResult", "trends", "monthly_series"]


@dataclass(frozen=True)
class TrendResult:
    """The monthly series and what the three methods say about it."""

    area_code: str
    area: str
    tactic: str
    exposure: str
    months: tuple[dict[str, Any], ...]
    years: tuple[dict[str, Any], ...]
    trend: Trend | None
    change_points: ChangePoints
    cusum: Cusum | None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {"area_code": self.area_code, "area": self.area, "tactic": self.tactic, "exposure": self.exposure,
                "months": list(self.months), "years": list(self.years),
                "trend": None if self.trend is None else {k: v for k, v in self.trend.as_dict().items() if k != "fit"},
                "change_points": self.change_points.as_dict(), "cusum": None if self.cusum is None else self.cusum.as_dict(),
                "notes": list(self.notes)}


def monthly_series(frame: pl.DataFrame, tactic: str, profile: str = DEFAULT_HIERARCHY) -> pl.DataFrame:
    """Per month (``YYYY-MM``): reports involving ``tactic`` (``count``) and all reports (``reports``)."""
    frame = frame.with_columns(counting_mask(profile), pl.col("incident_date").dt.strftime("%Y-%m").alias("month"))
    grouped = frame.group_by("month", "counted").agg(pl.len().alias("n"))
    keys = (tactic, "all") if tactic != "all" else ("all",)
    wide = pattern_counts(grouped, ["month"], ["n"], keys, ("incidents",)).pivot("tactic", index="month", values="value")
    return wide.select("month", pl.col(tactic).alias("count"), pl.col("all").alias("reports")).sort("month")


def _fill_months(series: pl.DataFrame) -> pl.DataFrame:
    first, last = str(series.get_column("month").min()), str(series.get_column("month").max())
    start = date(int(first[:4]), int(first[5:]), 1)
    end = date(int(last[:4]), int(last[5:]), 1)
    months = pl.date_range(start, end, interval="1mo", eager=True).dt.strftime("%Y-%m").alias("month")
    return pl.DataFrame(months).join(series, on="month", how="left").fill_null(0)


def trends(store: Store, *, tactic: str = "ced", force: str | None = None, year: str | None = None,
           start: date | str | None = None, end: date | str | None = None, exposure: str = "none",
           penalty: float | None = None, shift: float = 1.5, h: float = 5.0, principal: Principal | None = None,
           profile: str = DEFAULT_HIERARCHY) -> TrendResult:
    """Monthly counts of ``tactic`` in an area over a year or a date range, with trend, PELT and CUSUM."""
    tactic_term(tactic)
    if exposure not in ("none", "reports"):
        raise UsageError(f"exposure {exposure!r} is not known", hint="none (counts) or reports (share of reports)")
    scope = Scope.of(force=force, year=year, start=start, end=end)
    frame = load_reports(store, scope, principal=principal).reports
    if frame.is_empty():
        raise NotFound(f"no reports are held for {scope.area} from {scope.start} to {scope.end}")
    series = _fill_months(monthly_series(frame, tactic, profile))
    months = series.get_column("month").to_list()
    counts = [float(c) for c in series.get_column("count").to_list()]
    reports = [float(r) for r in series.get_column("reports").to_list()]
    offset = reports if exposure == "reports" else None
    notes = []
    usable = offset is None or all(r > 0 for r in reports)
    trend = None
    if len(months) >= 3 and usable and sum(counts) > 0:
        trend = annual_trend(months, counts, offset, seasonal=len(months) >= 24)
        if trend.note:
            notes.append(trend.note)
    elif not usable:
        notes.append("a month with no reports at all: no trend with the reports offset")
    else:
        notes.append("fewer than 3 months or no events: no trend fitted")
    changes = pelt(counts, offset if usable else None, penalty=penalty)
    baseline = counts[:12]
    mu0 = (sum(baseline) / sum(reports[:12]) if offset else sum(baseline) / len(baseline)) if baseline else 0.0
    cusum = poisson_cusum(counts, mu0, shift, h, exposure=offset, periods=months) if mu0 > 0 else None
    notes.append(f"CUSUM: in-control level = mean of the first {len(baseline)} months; shift {shift:g}; h = {h:g}")
    notes.append(f"PELT penalty {changes.penalty:.3g} per change ({changes.penalty_rule}); results depend on it")
    segment_rate = {}
    for segment in changes.segments:
        for i in range(segment.start, segment.end):
            segment_rate[i] = segment.rate
    alarms = set(cusum.alarms) if cusum else set()
    rows = tuple({"month": m, "count": int(c), "reports": int(r), "segment_rate": segment_rate.get(i),
                  "change_point": i in changes.change_points, "cusum": cusum.statistic[i] if cusum else None,
                  "alarm": i in alarms} for i, (m, c, r) in enumerate(zip(months, counts, reports)))
    yearly = (series.with_columns(pl.col("month").map_elements(_fy, return_dtype=pl.String).alias("year"))
              .group_by("year").agg(pl.col("count").sum(), pl.col("reports").sum()).sort("year"))
    return TrendResult(scope.area_code, scope.area, tactic, exposure, rows, tuple(yearly.to_dicts()), trend, changes,
                       cusum, tuple(notes))


def _fy(month: str) -> str:
    """The financial year of a month written ``YYYY-MM``."""
    return financial_year_of(date(int(month[:4]), int(month[5:]), 1))
