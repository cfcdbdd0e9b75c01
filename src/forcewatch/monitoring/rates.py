"""Rates per 1,000 officers or residents by force, on a funnel plot: ``forcewatch rates``.

:func:`rates` gives the interface rows (``year, area_code, area, tactic, count, base, per, rate,
limit95_low, limit95_high, limit998_low, limit998_high, outside``) from published figures or from
records, with the funnel (Spiegelhalter; 95% and 99.8% limits; the method document's
overdispersion correction, additive random effects by default) fitted on the forces, and the
regions and England and Wales placed on the same funnel. :func:`ced_share` is the second funnel:
the share of use-of-force reports involving CED (a proportion; ``rates(per="reports")`` gives the
same per 1,000 reports for any tactic, in the interface rows). A point outside the limits is a
prompt to look for an explanation (recording, case mix, deployment), never a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import forces
from ..access import Principal
from ..errors import NotFound, UsageError
from ..method import load_method
from ..stats.funnel import Funnel, FunnelUnit, outside, proportion_funnel
from ..stats.rates import AreaCount, rate_table
from ..store import Store
from ..suppression import SuppressionRule, area_groups, suppress_rows
from ..vocab import DEFAULT_HIERARCHY
from .bases import PER, AreaFigures, area_bases, area_counts

__all__ = ["RATE_COLUMNS", "RatesResult", "rates", "ced_share", "READING_RULE"]

RATE_COLUMNS = ("year", "area_code", "area", "tactic", "count", "base", "per", "rate", "limit95_low", "limit95_high",
                "limit998_low", "limit998_high", "outside")
READING_RULE = ("A point outside the limits is a prompt to look for an explanation (recording practice, case mix, "
                "deployment), not a verdict. Beyond 99.8% it should be explained in the judgement log.")


@dataclass(frozen=True)
class RatesResult:
    """Rows with the interface fields, the fitted funnel, where each figure came from, and notes."""

    rows: tuple[dict[str, Any], ...]
    funnel: Funnel
    counts: AreaFigures
    bases: AreaFigures
    notes: tuple[str, ...] = ()
    suppression: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"rows": list(self.rows), "funnel": self.funnel.as_dict(), "counts": self.counts.as_dict(),
                "bases": self.bases.as_dict(), "notes": list(self.notes), "suppression": self.suppression,
                "reading_rule": READING_RULE}


def _split(values: dict[str, float], bases: dict[str, float]) -> tuple[list[AreaCount], list[AreaCount]]:
    territorial = [a for a in forces.forces() if a.code in values and a.code in bases]
    others = [a for a in (*forces.regions(), forces.ENGLAND_AND_WALES) if a.code in values and a.code in bases]
    make = lambda a: AreaCount(a.code, a.name, int(round(values[a.code])), bases[a.code])  # noqa: E731
    return [make(a) for a in territorial], [make(a) for a in others]


def rates(store: Store, *, year: str, tactic: str = "ced", per: str = "officers", source: str = "official",
          principal: Principal | None = None, profile: str = DEFAULT_HIERARCHY,
          rule: SuppressionRule | None = None) -> RatesResult:
    """Rates per 1,000 ``per`` with funnel limits, for every force with a count and a base.

    ``rule`` suppresses small counts (public outputs); ``None`` shows every count.
    """
    if per not in (*PER, "reports"):
        raise UsageError(f"--per {per!r} is not known", hint="officers, population or reports")
    counts = area_counts(store, year=year, tactic=tactic, source=source, principal=principal, profile=profile)
    if per == "reports":
        return _per_reports(store, year, tactic, counts, source, principal, profile, rule)
    bases = area_bases(store, year=year, per=per)
    territorial, others = _split(counts.values, bases.values)
    if not territorial:
        raise NotFound(f"no force has both a {tactic} count and a base for {year}",
                       hint="load the records or the published tables for that year")
    table = rate_table(year, tactic, territorial, others=others, per=1000, **load_method().funnel.funnel_kwargs())
    rows = [r.as_dict() for r in table.rows]
    notes = [f"Counts: {counts.source}.", f"Per 1,000 {'officers' if per == 'officers' else 'residents'}: {bases.source}.",
             f"Funnel: {table.funnel.method}; target {table.funnel.target:.4g} per 1,000 ({table.funnel.target_source}).",
             "Regions and England and Wales are placed on the forces' funnel; they are sums of forces, not fitted."]
    if source == "records" and len(territorial) < len(forces.forces()):
        notes.append(f"Records are held for {len(territorial)} of {len(forces.forces())} forces.")
    suppression: dict[str, Any] = {}
    if rule is not None:
        rows = suppress_rows(rows, lambda r: r["area_code"], "count", area_groups(r["area_code"] for r in rows), rule,
                             blank=("rate",), note=None)
        suppression = rule.as_dict()
    return RatesResult(tuple(rows), table.funnel, counts, bases, tuple(notes), suppression)


def _per_reports(store: Store, year: str, tactic: str, counts: AreaFigures, source: str,
                 principal: Principal | None, profile: str, rule: SuppressionRule | None) -> RatesResult:
    """Reports involving ``tactic`` per 1,000 use-of-force reports, on a proportion (binomial) funnel."""
    bases = area_counts(store, year=year, tactic="all", source=source, principal=principal, profile=profile)
    territorial, others = _split(counts.values, bases.values)
    territorial = [AreaCount(a.area_code, a.area, min(a.count, int(a.base)), a.base) for a in territorial if a.base > 0]
    if not territorial:
        raise NotFound(f"no force has both {tactic} and report counts for {year}")
    funnel = proportion_funnel([FunnelUnit(a.area_code, a.count, a.base) for a in territorial],
                               **load_method().funnel.funnel_kwargs())
    limits = {p.key: p.limits for p in funnel.points}
    rows: list[dict[str, Any]] = []
    for a in (*territorial, *others):
        lim = limits.get(a.area_code) or funnel.limits_at(a.base)
        share = a.count / a.base
        rows.append({"year": year, "area_code": a.area_code, "area": a.area, "tactic": tactic, "count": a.count,
                     "base": a.base, "per": 1000, "rate": 1000 * share, "limit95_low": 1000 * lim.low95,
                     "limit95_high": 1000 * lim.high95, "limit998_low": 1000 * lim.low998,
                     "limit998_high": 1000 * lim.high998, "outside": outside(share, lim)})
    notes = [f"Counts: {counts.source}.", f"Per 1,000 use-of-force reports: {bases.source}.",
             f"Funnel: proportion, {funnel.method}; target {1000 * funnel.target:.4g} per 1,000 reports."]
    suppression: dict[str, Any] = {}
    if rule is not None:
        rows = suppress_rows(rows, lambda r: r["area_code"], "count", area_groups(str(r["area_code"]) for r in rows),
                             rule, blank=("rate",), note=None)
        suppression = rule.as_dict()
    return RatesResult(tuple(rows), funnel, counts, bases, tuple(notes), suppression)


def ced_share(store: Store, *, year: str, source: str = "official", principal: Principal | None = None,
              profile: str = DEFAULT_HIERARCHY) -> dict[str, Any]:
    """The share of use-of-force reports involving CED by force, on a proportion funnel."""
    ced = area_counts(store, year=year, tactic="ced", source=source, principal=principal, profile=profile)
    reports = area_counts(store, year=year, tactic="all", source=source, principal=principal, profile=profile)
    units = [FunnelUnit(a.code, min(ced.values[a.code], reports.values[a.code]), reports.values[a.code])
             for a in forces.forces() if a.code in ced.values and reports.values.get(a.code)]
    if not units:
        raise NotFound(f"no force has both CED and report counts for {year}")
    funnel = proportion_funnel(units, **load_method().funnel.funnel_kwargs())
    names = {a.code: a.name for a in forces.AREAS}
    rows = [{"area_code": p.key, "area": names[p.key], "ced_reports": p.count, "reports": p.base, "share": p.value,
             "limit95_low": p.limits.low95, "limit95_high": p.limits.high95, "limit998_low": p.limits.low998,
             "limit998_high": p.limits.high998, "outside": p.outside} for p in funnel.points]
    notes = (f"CED reports: {ced.source}; all reports: {reports.source}.",
             "Where forces sent CED as summary totals, published CED can include reports absent from the report totals.")
    return {"year": year, "source": source, "rows": rows, "funnel": funnel, "notes": list(notes),
            "reading_rule": READING_RULE}
