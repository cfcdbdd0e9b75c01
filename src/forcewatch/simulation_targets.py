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
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Callable, Mapping

from . import forces
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


def _shares(rows: list[Any]) -> dict[str, float]:
    counts = {r.category: float(r.value) for r in rows if r.value is not None and r.category}
    total = sum(counts.values())
    return {k: v / total for k, v in counts.items()} if total else {}


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


def targets_from_facts(facts_fn: FactsFn, year: str, force: str | None = None) -> SimulationTargets:
    """Targets for ``year`` and one force (or every force) from the published figures.

    ``facts_fn`` is ``functools.partial(forcewatch.official.facts, store)`` or any function with
    its keyword arguments returning objects with the ``Fact`` fields.
    """
    wanted = forces.resolve(force, "force").code if force else None
    by_force = [r for r in facts_fn(year=year, table="incidents_by_force", tactic="all", measure="incidents")
                if r.value is not None and r.area_code in _FORCE_CODES]
    if not by_force:
        raise UsageError(f"there are no published figures for {year} in this database",
                         hint="run `forcewatch import official --bundled` first (or import the year's tables)")
    reports = {r.area_code: _round(r.value) for r in by_force}
    if wanted and wanted not in reports:
        raise UsageError(f"the publications for {year} give no report count for {forces.get(wanted).name}")
    ced: dict[str, dict[str, int]] = {}
    for r in facts_fn(year=year, table="ced_by_force", measure="incidents"):
        level = r.tactic.removeprefix("ced_")
        if r.value is not None and level in CED_TARGET_LEVELS and r.area_code in reports:
            ced.setdefault(r.area_code, {})[level] = _round(r.value)
    assumptions: list[str] = []
    national = [r for r in facts_fn(year=year, table="tactics", measure="incidents") if r.area_code == "K04000001"]
    if not national:
        national = [r for r in facts_fn(year=year, table="tactics", measure="times_reported") if r.area_code == "K04000001"]
        if national:
            assumptions.append("tactic counts are the published 'times reported' (this year has no 'reports involving')")
    tactic_totals = {r.tactic: _round(r.value) for r in national
                     if r.value is not None and (r.tactic in SIMULATED_TACTICS or r.tactic == "not_reported")}
    all_reports = sum(reports.values())
    shares = {d: _shares([r for r in facts_fn(year=year, table=d, tactic="all", measure="incidents")
                          if r.area_code == "K04000001"]) for d in _SINGLE}
    tick_rates = {d: {r.category: float(r.value) / all_reports
                      for r in facts_fn(year=year, table=d, tactic="all", measure="incidents")
                      if r.area_code == "K04000001" and r.value is not None and r.category}
                  for d in _MULTI}
    codes = [wanted] if wanted else sorted(reports)
    per_force_tactics = {k: _largest_remainder(v, {c: reports[c] for c in reports}) for k, v in tactic_totals.items()}
    built = []
    for code in codes:
        own = {d: _shares([r for r in facts_fn(year=year, table=f"force_{d}", force=code, tactic="all",
                                                 measure="incidents")]) for d in _SINGLE} if wanted else {}
        built.append(ForceTargets(code, reports[code], ced.get(code, {}),
                                  {k: v[code] for k, v in per_force_tactics.items()},
                                  {d: s for d, s in own.items() if s}))
    if not wanted:
        assumptions.append("national tactic counts are split between forces in proportion to their reports")
    else:
        assumptions.append("tactic counts are the national ones in proportion to this force's reports")
    assumptions.append("conduct, duty, crewing, injuries and medical help follow fixed shares stated in simulate.py, "
                       "not published figures")
    targets = SimulationTargets(year, f"official statistics for {year}", tuple(built), shares, tick_rates,
                                tuple(assumptions))
    targets.check()
    return targets


def published_facts(store: Any) -> FactsFn:
    """``forcewatch.official.facts`` bound to ``store``, or a clear refusal when it is unavailable."""
    try:
        from .official import facts  # type: ignore[attr-defined]  # arrives with the official statistics
    except ImportError:
        raise UsageError("there are no published figures in this database to simulate from",
                         hint="run `forcewatch import official --bundled` first") from None
    return partial(facts, store)
