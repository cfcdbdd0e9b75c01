"""The Taser recording-quality scorecard, per force and month: ``forcewatch quality``.

Each rule has a stable key, a plain-language definition, a numerator (reports that fail it) and a
denominator (reports it applies to); the scorecard gives both and the rate, per force and month.
Rules live in a registry (:func:`rules`): another module adds its own with :func:`register`
without editing this file, and declares the module in the ``forcewatch.quality_rules``
entry-point group (``pyproject.toml``: a function that registers its rules, called by :func:`rules`). A rule
is either an expression over the loader's frame, or a source of :class:`Finding` rows (the
Taser-trained officer register's cross-checks, :mod:`forcewatch.register_quality`, e.g. "CED used
by an officer whose requalification had lapsed"), counted against the reports its ``applies``
selects. A source shared by several rules is asked once per scorecard; a rule with ``coverage``
has rows only for the forces the source could check; the finding rows themselves are shown only
to readers with every action in ``finding_access`` for the finding's force. docs/monitoring.md
lists every rule; the scorecard page renders the definitions from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import entry_points
from typing import Any, Callable, Collection, Iterable

import polars as pl

from ..access import Principal, allows
from ..ced import LEVEL_BITS
from ..findings import Finding
from ..masks import QUALITY_FLAGS
from ..store import Store
from .loader import load_reports
from .scope import Scope

__all__ = ["ENTRY_POINT_GROUP", "Finding", "QualityRule", "RULES", "register", "rules", "Scorecard", "scorecard",
           "QUALITY_COLUMNS"]

QUALITY_COLUMNS = ("force_code", "month", "rule", "kind", "numerator", "denominator", "rate")
SEVERITIES = ("error", "warning", "info")


FindingSource = Callable[[Store, Scope], Iterable[Finding]]
#: the forces of a scope a finding source can check (e.g. those keeping their register in forcewatch)
Coverage = Callable[[Store, Scope], Collection[str]]
ENTRY_POINT_GROUP = "forcewatch.quality_rules"


@dataclass(frozen=True)
class QualityRule:
    """A recording-quality rule: failures (numerator) among the reports it applies to (denominator)."""

    key: str
    kind: str  # completeness | consistency | cross-check
    title: str
    definition: str
    numerator: str
    denominator: str
    applies: pl.Expr = field(compare=False)
    fails: pl.Expr | None = field(default=None, compare=False)
    findings: FindingSource | None = field(default=None, compare=False)
    severity: str = "warning"
    coverage: Coverage | None = field(default=None, compare=False)
    finding_access: tuple[str, ...] = ("report.read",)

    def describe(self) -> dict[str, str]:
        return {"key": self.key, "kind": self.kind, "title": self.title, "definition": self.definition,
                "numerator": self.numerator, "denominator": self.denominator, "severity": self.severity}


#: every rule, by key, in the order shown
RULES: dict[str, QualityRule] = {}


_CONTRIBUTORS: list[Callable[[], object]] | None = None


def rules() -> dict[str, QualityRule]:
    """Every rule, in the order shown: this module's, then those contributed through the
    ``forcewatch.quality_rules`` entry-point group (each names a function that registers its rules;
    the functions are loaded once and asked on every call, so the registry is always complete)."""
    global _CONTRIBUTORS
    if _CONTRIBUTORS is None:
        _CONTRIBUTORS = [ep.load() for ep in entry_points(group=ENTRY_POINT_GROUP)]
    for contribute in _CONTRIBUTORS:
        contribute()
    return RULES


def register(rule: QualityRule) -> QualityRule:
    """Add a rule to the scorecard (a key may be registered once)."""
    if (rule.fails is None) == (rule.findings is None):
        raise ValueError(f"rule {rule.key!r} needs exactly one of fails (an expression) or findings (a source)")
    if rule.key in RULES and RULES[rule.key] != rule:
        raise ValueError(f"a quality rule {rule.key!r} is already registered")
    RULES[rule.key] = rule
    return rule


_CED = pl.col("ced")
_FIRED = (pl.col("ced_levels_mask") & LEVEL_BITS["fired"]) != 0
_INJURY = 1 << QUALITY_FLAGS.index("injury_contradiction")
_CED_REPORTS = "reports involving CED (Taser)"

for _rule in (
    QualityRule("ced_level_recorded", "completeness", "CED level recorded",
                "A report involving CED records at least one level (drawn, aimed, red-dot, arced, drive stun, angled "
                "drive stun, fired) in its tactics or device blocks.", "CED reports with no level recorded", _CED_REPORTS,
                _CED, pl.col("ced_levels_mask") == 0),
    QualityRule("ced_serial_recorded", "completeness", "Device serial number recorded",
                "A report involving CED records the device serial number.", "CED reports with no serial number",
                _CED_REPORTS, _CED, ~pl.col("ced_serial_recorded")),
    QualityRule("ced_cartridge_when_fired", "completeness", "Cartridge recorded when fired",
                "When a device block records Fired, it records the cartridge number.",
                "CED reports with a fired block and no cartridge number", "CED reports with a fired device block",
                _CED & (pl.col("fired_blocks") > 0), pl.col("fired_no_cartridge") > 0),
    QualityRule("ced_cycles_when_fired", "completeness", "Cycles recorded when fired",
                "When a device block records Fired, it records the total number of cycles.",
                "CED reports with a fired block and no number of cycles", "CED reports with a fired device block",
                _CED & (pl.col("fired_blocks") > 0), pl.col("fired_no_cycles") > 0),
    QualityRule("person_details_recorded", "completeness", "Person's details recorded",
                "A report involving CED records the person's perceived age band, gender and ethnicity.",
                "CED reports with age, gender or ethnicity not recorded", _CED_REPORTS, _CED,
                pl.any_horizontal([pl.col(c) == "not_reported" for c in ("age", "gender", "ethnicity")])),
    QualityRule("ced_used_without_level", "consistency", "CED used but no level",
                "A report answering 'CED Used = Yes' records the level of use.",
                "reports with CED Used = Yes and no level", "reports with CED Used = Yes",
                pl.col("ced_used").fill_null(False), pl.col("ced_levels_mask") == 0, severity="error"),
    QualityRule("ced_fired_without_cartridge", "consistency", "Fired without a cartridge",
                "A report whose CED use reached Fired has a device block with a cartridge number: Fired in the "
                "tactics with no fired device block, or a fired block without a cartridge, is inconsistent.",
                "CED reports at Fired with no cartridge number on a fired block", "CED reports at Fired",
                _CED & _FIRED, (pl.col("fired_blocks") == 0) | (pl.col("fired_no_cartridge") > 0), severity="error"),
    QualityRule("ced_by_untrained_officer", "consistency", "CED used by an officer recorded as not trained",
                "A report involving CED does not record its officer as not CED trained (TrainedCED = No).",
                "CED reports whose officer answered TrainedCED = No", _CED_REPORTS, _CED,
                pl.col("trained_ced") == False, severity="error"),  # noqa: E712
    QualityRule("injury_contradiction", "consistency", "Contradictory injury answers",
                "An officer or person recorded as not injured has no injury level.",
                "reports with 'not injured' and an injury level", "all reports", pl.lit(True),
                (pl.col("quality_flags") & _INJURY) != 0),
    QualityRule("ced_under_11", "consistency", "CED use on a child under 11",
                "CED recorded on a person perceived to be under 11 is checked (the Home Office found such records "
                "were coding errors, including CED used on animals).", "CED reports with age under 11", _CED_REPORTS,
                _CED, pl.col("age") == "under_11", severity="error"),
):
    register(_rule)


@dataclass(frozen=True)
class Scorecard:
    """Rows per force, month and rule, and the rules' definitions."""

    scope: dict[str, Any]
    rows: tuple[dict[str, Any], ...]
    rules: tuple[dict[str, str], ...]
    findings: tuple[Finding, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"scope": self.scope, "rules": list(self.rules), "rows": list(self.rows),
                "findings": [f.as_dict() for f in self.findings]}


def _may_see(principal: Principal | None, rule: QualityRule, finding: Finding) -> bool:
    return principal is None or all(allows(principal, a, force_code=finding.force_code) for a in rule.finding_access)


def scorecard(store: Store, *, force: str, year: str | None = None, start: date | str | None = None,
              end: date | str | None = None, principal: Principal | None = None) -> Scorecard:
    """The scorecard of one force (or region or England and Wales) over a year or a date range."""
    scope = Scope.of(force=force, year=year, start=start, end=end)
    frame = load_reports(store, scope, principal=principal).reports.with_columns(
        pl.col("incident_date").dt.strftime("%Y-%m").alias("month"))
    every = rules()
    asked: dict[int, list[Finding]] = {}
    covered: dict[int, set[str]] = {}
    findings: list[Finding] = []
    aggs = []
    for rule in every.values():
        aggs.append(rule.applies.fill_null(False).sum().alias(f"{rule.key}:d"))
        if rule.fails is not None:
            aggs.append((rule.applies.fill_null(False) & rule.fails.fill_null(False)).sum().alias(f"{rule.key}:n"))
        else:
            assert rule.findings is not None
            if id(rule.findings) not in asked:
                asked[id(rule.findings)] = list(rule.findings(store, scope))
            found = [f for f in asked[id(rule.findings)] if f.rule == rule.key]
            findings += [f for f in found if _may_see(principal, rule, f)]
            ids = pl.Series(sorted({f.report_id for f in found}), dtype=pl.Int64)
            aggs.append((rule.applies.fill_null(False) & pl.col("report_id").is_in(ids.implode())).sum()
                        .alias(f"{rule.key}:n"))
        if rule.coverage is not None and id(rule.coverage) not in covered:
            covered[id(rule.coverage)] = set(rule.coverage(store, scope))
    wide = frame.group_by("force_code", "month").agg(aggs).sort("force_code", "month")
    rows = []
    for record in wide.iter_rows(named=True):
        for rule in every.values():
            if rule.coverage is not None and record["force_code"] not in covered[id(rule.coverage)]:
                continue
            n, d = int(record[f"{rule.key}:n"]), int(record[f"{rule.key}:d"])
            rows.append({"force_code": record["force_code"], "month": record["month"], "rule": rule.key,
                         "kind": rule.kind, "numerator": n, "denominator": d, "rate": n / d if d else None})
    return Scorecard(scope.as_dict(), tuple(rows), tuple(r.describe() for r in every.values()), tuple(findings))
