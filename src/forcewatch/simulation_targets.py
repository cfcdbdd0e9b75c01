"""What a simulated year must add up to: :class:`SimulationTargets`, and where the numbers come from.

The simulator (:mod:`forcewatch.simulate`) is a pure function of a :class:`SimulationTargets` and a
seed. The targets are plain numbers and proportions that always say their source:

- :func:`targets_from_facts` builds them from the published figures (``forcewatch.official.facts``,
  the tidy statistics of ``docs/interfaces.md``) for one year and one force or every force;
- a benchmark or a test may build them by hand, and must then say so in ``source``.

There is no silent built-in default: without published figures for the year, the adapter refuses
with the command that imports them.

Scaling (``--scale S``): every count at the finest level used (reports per force, CED reports per
force and highest level, national reports per tactic) is multiplied by S and rounded to the nearest
whole number, halves up, separately; totals are the sums of those rounded counts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Callable, Mapping

from . import forces, vocab
from .errors import UsageError

__all__ = ["ForceTargets", "SimulationTargets", "targets_from_facts", "published_facts", "CED_TARGET_LEVELS", "SIMULATED_TACTICS"]

#: the highest-use categories of ``ced_by_force`` (mps_ho_table profile) plus "not stated"
CED_TARGET_LEVELS = ("drawn", "aimed", "red_dot", "arced", "drive_stun", "fired", "angled_drive_stun", "not_stated")
#: tactics the form can record, other than CED (whose counts come from ``ced_by_force``)
SIMULATED_TACTICS = (
    "handcuffing_compliant", "handcuffing_non_compliant", "limb_body_restraint", "ground_restraint", "unarmed_skills",
    "baton_drawn", "baton_used", "irritant_spray_drawn", "irritant_spray_used", "spit_bite_guard", "shield",
    "aep_aimed", "aep_fired", "firearms", "dog_deployed", "dog_bite", "other_improvised", "tactical_communication",
)
_SINGLE = ("age", "gender", "ethnicity", "health")
_MULTI = ("reason", "impact_factor", "outcome", "location")


_FORCE_CODES = frozenset(a.code for a in forces.forces(include_btp=True))


def _round(x: float) -> int:
    return int(math.floor(x + 0.5))


@dataclass(frozen=True)
class ForceTargets:
    """One force's exact counts for the year."""

    force_code: str
    reports: int
    #: CED reports by highest level (mps_ho_table), including "not_stated"
    ced: Mapping[str, int] = field(default_factory=dict)
    #: reports involving each tactic (once per report); "not_reported" = reports with no tactic
    tactics: Mapping[str, int] = field(default_factory=dict)
    #: this force's own shares for age, gender, ethnicity, health (else the national ones are used)
    shares: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    @property
    def ced_reports(self) -> int:
        return sum(self.ced.values())


@dataclass(frozen=True)
class SimulationTargets:
    """Everything the simulator must match (counts, exactly) or follow (shares, on average)."""

    year: str
    #: where the numbers came from, written into the file's source_file summary and the CLI output
    source: str
    forces: tuple[ForceTargets, ...]
    #: single-valued dimensions (age, gender, ethnicity, health): category -> share of reports
    shares: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    #: multi-select dimensions (reason, impact_factor, outcome, location): category -> P(ticked)
    tick_rates: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    #: what was assumed rather than published (shown to the user)
    assumptions: tuple[str, ...] = ()
    #: table -> the publication dates (vintages) of the figures read from it
    vintages: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def reports(self) -> int:
        return sum(f.reports for f in self.forces)

    def scaled(self, scale: float) -> "SimulationTargets":
        """Every count multiplied by ``scale`` and rounded half up, separately (see module docs)."""
        if scale <= 0:
            raise UsageError("--scale must be more than 0", hint="e.g. --scale 0.01 for a quick test file")
        if scale == 1:
            return self
        scaled = tuple(replace(
            f, reports=_round(f.reports * scale), ced={k: _round(v * scale) for k, v in f.ced.items()},
            tactics={k: _round(v * scale) for k, v in f.tactics.items()}) for f in self.forces)
        return replace(self, forces=scaled, source=f"{self.source}, scaled by {scale:g}")

    def check(self) -> None:
        """Refuse targets that no file could meet."""
        for f in self.forces:
            if f.ced_reports > f.reports:
                raise UsageError(f"{f.force_code}: {f.ced_reports:,} CED reports but only {f.reports:,} reports")
            for key, count in f.tactics.items():
                if count > f.reports:
                    raise UsageError(f"{f.force_code}: {count:,} reports with {key} but only {f.reports:,} reports")
            slots = sum(v for k, v in f.tactics.items() if k not in ("not_reported", "tactical_communication"))
            needing = f.reports - f.ced_reports - f.tactics.get("not_reported", 0)
            if f.tactics and slots < needing:
                raise UsageError(f"{f.force_code}: {needing:,} reports need a tactic but the tactic counts add up "
                                 f"to only {slots:,}", hint="give a 'not_reported' count or more tactic counts")


FactsFn = Callable[..., list[Any]]
#: England and Wales, whose rows carry the national figures
NATIONAL = "K04000001"
#: categories that are not a report's answer: the published total and the location groups
_NOT_ANSWERS = frozenset({vocab.TOTAL_CATEGORY, *(k for groups in vocab.CATEGORY_GROUPS.values() for k in groups)})


class _Published:
    """Reads published cells through ``facts_fn`` at one vintage rule, remembering the vintages used.

    ``as_of`` = ``None`` takes the latest publication of every cell (a figure revised by a later
    release is read at its revision); a date takes, for every cell, the newest publication on or
    before that date (so ``2018-12-13`` reproduces the first 2017-18 release).
    """

    def __init__(self, facts_fn: FactsFn, year: str, as_of: str | None) -> None:
        self.facts_fn, self.year, self.as_of = facts_fn, year, as_of
        self.vintages: dict[str, set[str]] = {}

    def __call__(self, table: str, **filters: Any) -> list[Any]:
        rows = self.facts_fn(year=self.year, table=table, vintage="all", **filters)
        newest: dict[tuple[Any, ...], Any] = {}
        for r in rows:
            if self.as_of is not None and r.vintage > self.as_of:
                continue
            cell = (r.area_code, r.tactic, r.dimension, r.category, r.measure)
            if cell not in newest or r.vintage > newest[cell].vintage:
                newest[cell] = r
        chosen = [r for r in newest.values() if r.value is not None]
        if chosen:
            self.vintages.setdefault(table, set()).update(r.vintage for r in chosen)
        return chosen


def _shares(rows: list[Any]) -> dict[str, float]:
    """Category -> share, from the published counts of a single-valued dimension (totals left out)."""
    counts = {r.category: float(r.value) for r in rows if r.category and r.category not in _NOT_ANSWERS}
    total = sum(counts.values())
    return {k: v / total for k, v in counts.items() if v} if total else {}


def _largest_remainder(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split ``total`` in proportion to ``weights`` so the parts add up to ``total`` exactly."""
    w = sum(weights.values())
    if not w:
        return {k: 0 for k in weights}
    raw = {k: total * v / w for k, v in weights.items()}
    parts = {k: int(math.floor(x)) for k, x in raw.items()}
    for k in sorted(raw, key=lambda k: (-(raw[k] - parts[k]), k))[: total - sum(parts.values())]:
        parts[k] += 1
    return parts


def _national_tactics(read: _Published, assumptions: list[str]) -> dict[str, int]:
    """National reports per simulated tactic (and with no tactic), from Table 1.

    2018-19 publishes "number of incidents involving tactic" (``incidents``); 2017-18 only "number
    of times tactics were used" (``times_reported``), which its notes say counted a tactic once per
    report: for the leaf tactics the form records, both are reports involving the tactic.
    """
    wanted = (*SIMULATED_TACTICS, "not_reported")
    for measure in ("incidents", "times_reported"):
        rows = [r for r in read("tactics", measure=measure) if r.area_code == NATIONAL and r.tactic in wanted]
        if rows:
            if measure == "times_reported":
                assumptions.append("national tactic counts are Table 1's 'times tactics were used' (this year "
                                   "publishes no 'reports involving'; its notes count a tactic once per report)")
            return {r.tactic: _round(r.value) for r in rows}
    return {}


def _force_tactics(read: _Published, codes: set[str]) -> dict[str, dict[str, int]]:
    """Each force's reports per simulated tactic, from the by-force tables (2018-19 Tables 14-17).

    Those tables publish ``times_reported`` by tactic and force; their "all categories" column
    (``category = all``) of a leaf tactic counts each report once, as the national Table 1 shows
    (times reported = reports involving for every leaf the form records except irritant spray,
    where a report with CS and PAVA counts twice: a difference of 4 in 2018-19).
    """
    wanted = (*SIMULATED_TACTICS, "not_reported")
    for table in ("force_age", "force_gender", "force_ethnicity", "force_health"):
        rows = read(table, category=vocab.TOTAL_CATEGORY, measure="times_reported")
        found: dict[str, dict[str, int]] = {}
        for r in rows:
            if r.area_code in codes and r.tactic in wanted:
                found.setdefault(r.area_code, {})[r.tactic] = _round(r.value)
        if found:
            return found
    return {}


def targets_from_facts(facts_fn: FactsFn, year: str, force: str | None = None, *,
                       vintage: str = "latest") -> SimulationTargets:
    """Targets for ``year`` and one force (or every force) from the published figures.

    ``facts_fn`` is ``functools.partial(forcewatch.official.facts, store)`` or any function with
    its keyword arguments returning objects with the ``Fact`` fields. ``vintage`` is ``latest``
    (the newest publication of every figure: the 2017-18 CED table as revised in the 2018-19
    release) or a date (each figure as published on or before it).

    Read, per force: reports (``incidents_by_force``, tactic ``all``, measure ``incidents``); CED
    reports at each highest level and not stated (``ced_by_force``, measure ``incidents``);
    reports per tactic from the by-force tables where published (``force_age``, category ``all``),
    else Table 1's national counts split between forces in proportion to their reports; the
    force's age, gender, ethnicity and health shares from the by-force tables where published.
    National: the same shares (``age`` ..., tactic ``all``, measure ``incidents``, the ``all``
    category left out) and the rate at which each reason, impact factor, outcome and location is
    ticked (its count over the published total).
    """
    if vintage != "latest" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", vintage):
        raise UsageError(f"vintage {vintage!r} is not 'latest' or a date", hint="e.g. --vintage 2018-12-13")
    read = _Published(facts_fn, year, None if vintage == "latest" else vintage)
    wanted = forces.resolve(force, "force").code if force else None
    by_force = [r for r in read("incidents_by_force", tactic=vocab.TOTAL_CATEGORY, measure="incidents")
                if r.area_code in _FORCE_CODES]
    if not by_force:
        raise UsageError(f"there are no published figures for {year} in this database"
                         + ("" if vintage == "latest" else f" published on or before {vintage}"),
                         hint="run `forcewatch import official --bundled` first (or import the year's tables)")
    reports = {r.area_code: _round(r.value) for r in by_force}
    if wanted and wanted not in reports:
        raise UsageError(f"the publications for {year} give no report count for {forces.get(wanted).name}")
    ced: dict[str, dict[str, int]] = {}
    for r in read("ced_by_force", measure="incidents"):
        level = r.tactic.removeprefix("ced_")
        if level in CED_TARGET_LEVELS and r.area_code in reports:
            ced.setdefault(r.area_code, {})[level] = _round(r.value)
    assumptions: list[str] = []
    national = _national_tactics(read, assumptions)
    own_tactics = _force_tactics(read, set(reports))
    if own_tactics and set(own_tactics) >= set(reports):
        per_force_tactics = own_tactics
        assumptions.append("reports per tactic are each force's own published counts (by-force tables)")
    else:
        split = {k: _largest_remainder(v, reports) for k, v in national.items()}
        per_force_tactics = {c: {k: v[c] for k, v in split.items()} for c in reports}
        assumptions.append("national tactic counts are split between forces in proportion to their reports "
                           "(this year publishes no tactics by force)")
    totals = {d: [r for r in read(d, tactic=vocab.TOTAL_CATEGORY, measure="incidents") if r.area_code == NATIONAL]
              for d in (*_SINGLE, *_MULTI)}
    shares = {d: _shares(totals[d]) for d in _SINGLE}
    all_reports = sum(reports.values())
    tick_rates: dict[str, dict[str, float]] = {}
    for d in _MULTI:
        base = next((float(r.value) for r in totals[d] if r.category == vocab.TOTAL_CATEGORY), float(all_reports))
        tick_rates[d] = {r.category: min(float(r.value) / base, 1.0) for r in totals[d]
                         if r.category and r.category not in _NOT_ANSWERS and base}
    codes = [wanted] if wanted else sorted(reports)
    own_shares: dict[str, dict[str, dict[str, float]]] = {}
    for d in _SINGLE:
        rows = read(f"force_{d}", tactic=vocab.TOTAL_CATEGORY, measure="times_reported")
        for code in codes:
            s = _shares([r for r in rows if r.area_code == code])
            if s:
                own_shares.setdefault(code, {})[d] = s
    if own_shares:
        assumptions.append("each force's age, gender, ethnicity and health follow its shares of tactics reported "
                           "(the by-force tables publish times reported, not reports)")
    built = tuple(ForceTargets(code, reports[code], ced.get(code, {}), per_force_tactics.get(code, {}),
                               own_shares.get(code, {})) for code in codes)
    assumptions.append("conduct, duty, crewing, injuries and medical help follow fixed shares stated in simulate.py, "
                       "not published figures")
    used = {table: tuple(sorted(v)) for table, v in sorted(read.vintages.items())}
    rule = "the latest publication of each figure" if vintage == "latest" else f"figures as published on or before {vintage}"
    targets = SimulationTargets(year, f"official statistics for {year} ({rule})", built, shares, tick_rates,
                                tuple(assumptions), used)
    targets.check()
    return targets


def published_facts(store: Any) -> FactsFn:
    """``forcewatch.official.facts`` bound to ``store``."""
    from .official import facts

    return partial(facts, store)
