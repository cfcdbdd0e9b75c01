"""Synthetic national-form files whose totals match the published figures: ``forcewatch simulate``.

:func:`simulate_frame` is a pure function of :class:`~forcewatch.simulation_targets.SimulationTargets`
and a seed (the same seed gives a byte-identical file). For every force it writes exactly

- the published number of reports;
- the published number of CED reports at each highest level (``mps_ho_table`` profile) including
  "not stated" (CED Used = Yes with no level), hence the discharge / non-discharge / not-stated
  roll-up; the lower levels on each report are drawn below its highest one, never above;
- the given number of reports involving each tactic (counted once per report) and of reports with
  no tactic;

and draws demographics, reasons, impact factors, outcomes and locations at the given shares. Fields
with no published figure (conduct, duty, crewing, injuries, medical help) follow the fixed shares in
:data:`ASSUMED`. Every row says ``Simulated = Yes`` and carries the id extension columns, so the
file has real incident and person structure: one to three officers' reports per person, one or two
people per incident.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from .form import FIELDS_BY_NAME, FY20_HEADERS
from .form_values import BOROUGHS, CONDUCT, WEAPONS
from .simulation_tactics import EFFECTIVE_SHARE, tactic_columns
from .simulation_targets import ForceTargets, SimulationTargets
from .vocab import DIMENSIONS

__all__ = ["simulate_frame", "write_simulation", "simulate_year", "SimulationResult", "AssignedOfficer", "ASSUMED",
           "SIMULATION_HEADERS"]

SIMULATION_HEADERS = (*FY20_HEADERS, "Force", "IncidentId", "PersonId", "ReportId", "OfficerId", "OfficerTeam",
                      "Simulated")

#: shares used where no figure is published (stated to the user as assumptions)
ASSUMED = {
    "officers_per_person": {1: 0.6, 2: 0.3, 3: 0.1},
    "people_per_incident": {1: 0.85, 2: 0.15},
    "effective": EFFECTIVE_SHARE, "single_crewed": 0.2, "trained_ced": 0.35, "carrying_if_trained": 0.8,
    "assaulted": 0.15, "threatened_with_weapon": 0.1, "staff_injured": 0.08, "staff_injury_severe": 0.05,
    "subject_injured": 0.1, "subject_injury_severe": 0.03, "medical_help": 0.6,
    "main_duty": ("Emergency response", "Neighbourhood", "Custody", "TSG", "ARV", "Dog handler duty"),
}
_FORM_AGE = {"under_11": "0-10", "11_17": "11-17", "18_34": "18-34", "35_49": "35-49", "50_64": "50-64",
             "65_plus": "65 and over", "not_reported": None}
_HEALTH = {"mental": ("No", "Yes"), "physical": ("Yes", "No"), "physical_and_mental": ("Yes", "Yes"),
           "none": ("No", "No"), "not_reported": (None, None)}
_TIMES = np.array([f"{m // 60:02d}:{m % 60:02d}:00" for m in range(0, 1440, 15)], dtype=object)


@dataclass(frozen=True)
class AssignedOfficer:
    """An officer given exactly ``reports`` of a force's simulated reports, in ``team`` (e.g. a demo account).

    ``officer_id`` is written to ``OfficerId`` (the importer pseudonymises it, as accounts do with
    their staff identifier), ``team`` to ``OfficerTeam``; a share of the force's other simulated
    officers are put in the same team, so a supervisor of that team has their reports too.
    """

    force_code: str
    officer_id: str
    team: str
    reports: int


@dataclass(frozen=True)
class SimulationResult:
    """What :func:`write_simulation` wrote."""

    path: str
    year: str
    forces: int
    reports: int
    ced_reports: int
    seed: int
    source: str
    assumptions: tuple[str, ...]
    #: table -> the publication dates of the figures the file reproduces
    vintages: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {**self.__dict__, "assumptions": list(self.assumptions),
                "vintages": {k: list(v) for k, v in self.vintages.items()},
                "note": "SIMULATED: synthetic reports; every row has Simulated = Yes"}


def _label(dimension: str, key: str) -> str | None:
    if key == "not_reported":
        return None
    return next(t.label for t in DIMENSIONS[dimension] if t.key == key)


def _pick(rng: np.random.Generator, shares: dict[str, float], size: int) -> np.ndarray:
    if not shares:
        return np.full(size, "not_reported", dtype=object)
    keys = sorted(shares)
    p = np.array([shares[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=size, p=p / p.sum())]


def _groups(rng: np.random.Generator, sizes: dict[int, float], n: int) -> np.ndarray:
    """Group index of each of ``n`` members, groups of the given size distribution."""
    k = np.array(sorted(sizes))
    drawn = rng.choice(k, size=n, p=np.array([sizes[x] for x in k]) / sum(sizes.values()))
    return np.repeat(np.arange(n), drawn)[:n]


def _yes_no(mask: np.ndarray) -> np.ndarray:
    return np.where(mask, "Yes", "No").astype(object)


def _assign_officers(cols: dict[str, np.ndarray], force_code: str, assigned: list[AssignedOfficer], seed: int) -> None:
    """Teams for every simulated officer, and the assigned officers' reports (a separate random stream,
    so assigning officers changes nothing else in the file)."""
    rng = np.random.default_rng([seed, zlib.crc32(force_code.encode()), 1])
    officer = cols.pop("_officer")
    n = len(officer)
    teams = list(dict.fromkeys(a.team for a in assigned))
    teams += [f"Response Team {i:02d}" for i in range(1, max(int(officer.max(initial=0)) // 20, 1) + 1)]
    cols["OfficerTeam"] = np.array(teams, dtype=object)[officer % len(teams)]
    free = rng.permutation(n)
    for a in assigned:
        rows, free = free[: min(a.reports, len(free))], free[min(a.reports, len(free)):]
        cols["OfficerId"][rows] = a.officer_id
        cols["OfficerTeam"][rows] = a.team


def _force_frame(ft: ForceTargets, targets: SimulationTargets, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng([seed, zlib.crc32(ft.force_code.encode())])
    n = ft.reports
    cols: dict[str, np.ndarray] = {}
    # structure: reports -> people -> incidents
    person = _groups(rng, ASSUMED["officers_per_person"], n)
    n_people = int(person.max()) + 1 if n else 0
    incident_of_person = _groups(rng, ASSUMED["people_per_incident"], n_people)
    incident = incident_of_person[person] if n else person
    n_incidents = int(incident.max()) + 1 if n else 0
    start = int(targets.year[:4])
    days = (date(start + 1, 4, 1) - date(start, 4, 1)).days
    day = rng.integers(0, days, n_incidents)
    order = np.lexsort((np.arange(n), incident, day[incident] if n else incident))
    person, incident = person[order], incident[order]
    fy = targets.year
    cols["IncidentDate"] = (np.datetime64(f"{start}-04-01") + day[incident]).astype(str).astype(object)
    cols["IncidentTime"] = _TIMES[rng.integers(0, len(_TIMES), n_incidents)][incident]
    cols["Borough"] = (np.array(BOROUGHS[:-1], dtype=object)[rng.integers(0, len(BOROUGHS) - 1, n_incidents)][incident]
                       if ft.force_code == "E23000001" else np.full(n, None, dtype=object))
    cols["Force"] = np.full(n, ft.force_code, dtype=object)
    cols["IncidentId"] = np.char.add(f"{ft.force_code}-{fy}-I", incident.astype(str)).astype(object)
    cols["PersonId"] = np.char.add("P", person.astype(str)).astype(object)
    cols["ReportId"] = np.char.add(f"{ft.force_code}-{fy}-R", np.arange(n).astype(str)).astype(object)
    officer = rng.integers(0, max(n // 20, 1), n)
    cols["OfficerId"] = np.char.add(f"{ft.force_code}-O", officer.astype(str)).astype(object)
    cols["_officer"] = officer
    cols["Simulated"] = np.full(n, "Yes", dtype=object)
    # the person as perceived: drawn per person, repeated on each officer's report
    shares = {d: dict(ft.shares.get(d) or targets.shares.get(d) or {}) for d in ("age", "gender", "ethnicity", "health")}
    per_person = {d: _pick(rng, shares[d], n_people) for d in shares}
    cols["SubjectAge"] = np.array([_FORM_AGE[k] for k in per_person["age"]], dtype=object)[person]
    cols["SubjectGender"] = np.array([_label("gender", k) for k in per_person["gender"]], dtype=object)[person]
    cols["SubjectEthnicity"] = np.array([_label("ethnicity", k) for k in per_person["ethnicity"]], dtype=object)[person]
    health = np.array([_HEALTH[k] for k in per_person["health"]], dtype=object).reshape(-1, 2)[person]
    cols["PhysicalDisability"], cols["MentalDisability"] = health[:, 0], health[:, 1]
    cols.update(tactic_columns(rng, ft))
    is_ced = cols.pop("_is_ced")
    # multi-select answers at the published rates
    for dimension, prefix, group in (("reason", "Reason for Force", "reason"), ("impact_factor", "Impact Factor", "impact_factor"),
                                     ("outcome", "Outcome", "outcome"), ("location", "Incident Location", "location")):
        rates = targets.tick_rates.get(dimension, {})
        for f in (x for x in FIELDS_BY_NAME.values() if x.group == group and x.header in FY20_HEADERS):
            cols[f.header] = _yes_no(rng.random(n) < rates.get(f.key, 0.0))
    # fields no publication gives: fixed shares (ASSUMED)
    a = ASSUMED
    cols["PrimaryConduct"] = np.array(list(CONDUCT), dtype=object)[rng.integers(0, len(CONDUCT), n)]
    cols["MainDuty"] = np.array(a["main_duty"], dtype=object)[rng.integers(0, len(a["main_duty"]), n)]
    cols["SingleCrewed"] = _yes_no(rng.random(n) < a["single_crewed"])
    trained = is_ced | (rng.random(n) < a["trained_ced"])
    cols["TrainedCED"] = _yes_no(trained)
    cols["CarryingCED"] = _yes_no(is_ced | (trained & (rng.random(n) < a["carrying_if_trained"])))
    assaulted = rng.random(n) < a["assaulted"]
    cols["AssaultedBySubject"] = _yes_no(assaulted)
    weapons = np.array(list(WEAPONS)[:-1], dtype=object)
    threat = np.full(n, None, dtype=object)
    threatened = rng.random(n) < a["threatened_with_weapon"]
    threat[threatened] = weapons[rng.integers(0, 5, int(threatened.sum()))]
    cols["ThreatenedWithWeapon"] = threat
    assault = np.full(n, None, dtype=object)
    assault[assaulted] = weapons[rng.integers(0, len(weapons), int(assaulted.sum()))]
    cols["AssaultedWithWeapon"] = assault
    injured = rng.random(n) < np.where(assaulted, 0.4, a["staff_injured"])
    cols["StaffInjured"] = np.where(injured, np.where(assaulted, "Yes, I was injured as a result of an assault", "Yes"), "No").astype(object)
    cols["StaffInjuryIntentional"] = np.where(injured, np.where(assaulted, "Yes", "No"), None).astype(object)
    cols["StaffInjuryLevel"] = np.where(injured, np.where(rng.random(n) < a["staff_injury_severe"], "Severe", "Minor"), None).astype(object)
    cols["StaffMedProvided"] = np.where(injured, _yes_no(rng.random(n) < a["medical_help"]), None).astype(object)
    hurt = rng.random(n) < a["subject_injured"]
    cols["SubjectInjured"] = _yes_no(hurt)
    cols["SubjectNatureOfInjury"] = np.where(hurt, np.where(rng.random(n) < a["subject_injury_severe"], "Severe", "Minor"), None).astype(object)
    cols["SubjectMedOffered"] = np.where(hurt, "Yes", None).astype(object)
    cols["SubjectMedProvided"] = np.where(hurt, _yes_no(rng.random(n) < a["medical_help"]), None).astype(object)
    return cols


def simulate_frame(targets: SimulationTargets, seed: int = 0,
                   officers: tuple[AssignedOfficer, ...] = ()) -> pl.DataFrame:
    """The simulated reports as a frame of strings with :data:`SIMULATION_HEADERS` as columns."""
    targets.check()
    frames = []
    for ft in sorted(targets.forces, key=lambda f: f.force_code):
        cols = _force_frame(ft, targets, seed)
        _assign_officers(cols, ft.force_code, [a for a in officers if a.force_code == ft.force_code], seed)
        n = ft.reports
        frames.append(pl.DataFrame([pl.Series(h, cols[h].tolist(), dtype=pl.String) if h in cols
                                    else pl.repeat(None, n, dtype=pl.String, eager=True).alias(h)
                                    for h in SIMULATION_HEADERS]))
    return pl.concat(frames) if frames else pl.DataFrame(schema={h: pl.String for h in SIMULATION_HEADERS})


def write_simulation(targets: SimulationTargets, path: str | Path, seed: int = 0,
                     officers: tuple[AssignedOfficer, ...] = ()) -> SimulationResult:
    """Write the simulated national-form CSV (UTF-8) to ``path``."""
    frame = simulate_frame(targets, seed, officers)
    frame.write_csv(Path(path), null_value="")
    return SimulationResult(str(path), targets.year, len(targets.forces), frame.height,
                            sum(f.ced_reports for f in targets.forces), seed, targets.source, targets.assumptions,
                            dict(targets.vintages))


def simulate_year(store: object, year: str, out: str | Path, *, force: str | None = None, scale: float = 1.0,
                  seed: int = 0, vintage: str = "latest", officers: tuple[AssignedOfficer, ...] = ()) -> SimulationResult:
    """Simulate ``year`` for one force (or every force) at the published figures held in ``store``.

    ``vintage`` is ``latest`` (every figure at its newest publication) or a date (as published on
    or before it); see :func:`forcewatch.simulation_targets.targets_from_facts`.
    """
    from .simulation_targets import published_facts, targets_from_facts

    targets = targets_from_facts(published_facts(store), year, force, vintage=vintage).scaled(scale)
    return write_simulation(targets, out, seed, officers)
