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
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from .form import FIELDS_BY_NAME, FY20_HEADERS
from .form_values import BOROUGHS, CONDUCT, FORM_TACTICS, WEAPONS
from .simulation_targets import CED_TARGET_LEVELS, ForceTargets, SimulationTargets
from .vocab import DIMENSIONS, ced_hierarchy

__all__ = ["simulate_frame", "write_simulation", "simulate_year", "SimulationResult", "ASSUMED", "SIMULATION_HEADERS"]

SIMULATION_HEADERS = (*FY20_HEADERS, "Force", "IncidentId", "PersonId", "ReportId", "OfficerId", "Simulated")

#: shares used where no figure is published (stated to the user as assumptions)
ASSUMED = {
    "officers_per_person": {1: 0.6, 2: 0.3, 3: 0.1},
    "people_per_incident": {1: 0.85, 2: 0.15},
    "effective": 0.8, "single_crewed": 0.2, "trained_ced": 0.35, "carrying_if_trained": 0.8,
    "assaulted": 0.15, "threatened_with_weapon": 0.1, "staff_injured": 0.08, "staff_injury_severe": 0.05,
    "subject_injured": 0.1, "subject_injury_severe": 0.03, "medical_help": 0.6,
    "main_duty": ("Emergency response", "Neighbourhood", "Custody", "TSG", "ARV", "Dog handler duty"),
}
_LABEL = {ho: label for label, (_, ho) in reversed(FORM_TACTICS.items())}
_LABEL["irritant_spray_drawn"], _LABEL["irritant_spray_used"] = "Irritant Spray - PAVA Drawn", "Irritant Spray - PAVA Used"
_CED_LABEL = {level: _LABEL[f"ced_{level}"] for level in ("drawn", "aimed", "red_dot", "arced", "drive_stun", "fired",
                                                          "angled_drive_stun")}
_FORM_AGE = {"under_11": "0-10", "11_17": "11-17", "18_34": "18-34", "35_49": "35-49", "50_64": "50-64",
             "65_plus": "65 and over", "not_reported": None}
_HEALTH = {"mental": ("No", "Yes"), "physical": ("Yes", "No"), "physical_and_mental": ("Yes", "Yes"),
           "none": ("No", "No"), "not_reported": (None, None)}
_TIMES = np.array([f"{m // 60:02d}:{m % 60:02d}:00" for m in range(0, 1440, 15)], dtype=object)


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

    def as_dict(self) -> dict[str, object]:
        return {**self.__dict__, "assumptions": list(self.assumptions),
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


def _ced_masks(rng: np.random.Generator, highest: np.ndarray) -> dict[str, np.ndarray]:
    """Levels recorded on each CED report: its highest level plus some lower non-discharge ones."""
    order = ced_hierarchy("mps_ho_table").order_high_to_low
    rank = {lvl: len(order) - i for i, lvl in enumerate(order)}
    top = np.array([rank.get(h, 0) for h in highest])
    levels = {}
    for level, p in (("drawn", 0.95), ("aimed", 0.5), ("red_dot", 0.6), ("arced", 0.05), ("drive_stun", 0.0),
                     ("fired", 0.0), ("angled_drive_stun", 0.0)):
        levels[level] = (highest == level) | ((top > rank[level]) & (rng.random(len(highest)) < p))
    return levels


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
    cols["OfficerId"] = np.char.add(f"{ft.force_code}-O", rng.integers(0, max(n // 20, 1), n).astype(str)).astype(object)
    cols["Simulated"] = np.full(n, "Yes", dtype=object)
    # the person as perceived: drawn per person, repeated on each officer's report
    shares = {d: dict(ft.shares.get(d) or targets.shares.get(d) or {}) for d in ("age", "gender", "ethnicity", "health")}
    per_person = {d: _pick(rng, shares[d], n_people) for d in shares}
    cols["SubjectAge"] = np.array([_FORM_AGE[k] for k in per_person["age"]], dtype=object)[person]
    cols["SubjectGender"] = np.array([_label("gender", k) for k in per_person["gender"]], dtype=object)[person]
    cols["SubjectEthnicity"] = np.array([_label("ethnicity", k) for k in per_person["ethnicity"]], dtype=object)[person]
    health = np.array([_HEALTH[k] for k in per_person["health"]], dtype=object).reshape(-1, 2)[person]
    cols["PhysicalDisability"], cols["MentalDisability"] = health[:, 0], health[:, 1]
    # CED: exactly the published reports at each highest level
    ced_counts = [ft.ced.get(level, 0) for level in CED_TARGET_LEVELS]
    ced_rows = rng.permutation(n)[: sum(ced_counts)]
    highest = rng.permutation(np.repeat(np.array(CED_TARGET_LEVELS, dtype=object), ced_counts))
    levels = _ced_masks(rng, highest)
    is_ced = np.zeros(n, bool)
    is_ced[ced_rows] = True
    stated = highest != "not_stated"
    tactic_rows: list[np.ndarray] = []
    tactic_keys: list[np.ndarray] = []
    for rank, level in enumerate(("drawn", "aimed", "red_dot", "arced", "drive_stun", "fired", "angled_drive_stun")):
        rows = ced_rows[levels[level]]
        tactic_rows.append(rows)
        tactic_keys.append(np.full(len(rows), 100 + rank))
    # other tactics: exact reports per tactic, every report outside "not reported" gets at least one
    keys = [k for k in ft.tactics if k not in ("not_reported", "tactical_communication") and ft.tactics[k] > 0]
    counts = np.array([ft.tactics[k] for k in keys], dtype=int)
    others = np.flatnonzero(~is_ced)
    rng.shuffle(others)
    not_reported = others[: min(ft.tactics.get("not_reported", 0), len(others))]
    needs = others[len(not_reported):]
    has = np.zeros((n, len(keys)), bool)
    slots = rng.permutation(np.repeat(np.arange(len(keys)), counts))
    covered = min(len(slots), len(needs))
    has[needs[:covered], slots[:covered]] = True
    eligible = np.ones(n, bool)
    eligible[not_reported] = False
    for j, key in enumerate(keys):
        candidates = np.flatnonzero(eligible & ~has[:, j])
        extra = min(max(counts[j] - int(has[:, j].sum()), 0), len(candidates))
        has[rng.choice(candidates, extra, replace=False), j] = True
    for j in range(len(keys)):
        rows = np.flatnonzero(has[:, j])
        tactic_rows.append(rows)
        tactic_keys.append(np.full(len(rows), j + 1))
    talked = ft.tactics.get("tactical_communication", 0)
    if talked:
        candidates = np.flatnonzero(has.any(axis=1) | is_ced)
        rows = rng.choice(candidates, min(talked, len(candidates)), replace=False)
        tactic_rows.append(rows)
        tactic_keys.append(np.zeros(len(rows), int))
    labels = np.array(["Tactical Communications", *[_LABEL[k] for k in keys],
                       *[None] * (100 - len(keys) - 1), *_CED_LABEL.values()], dtype=object)
    long = pl.DataFrame({"row": np.concatenate(tactic_rows or [np.zeros(0, int)]),
                         "key": np.concatenate(tactic_keys or [np.zeros(0, int)])})
    long = long.with_columns(pl.Series("shuffle", rng.random(long.height))).with_columns(
        pl.when(pl.col("key").is_between(1, 99)).then(pl.col("shuffle")).otherwise(pl.col("key")).alias("sort"))
    long = long.sort("row", pl.col("key") >= 100, "sort").with_columns(pl.int_range(pl.len()).over("row").alias("seq"))
    long = long.filter(pl.col("seq") < 20)
    grid = np.full((n, 20), None, dtype=object)
    effective = np.full((n, 20), None, dtype=object)
    r, s, k = (long.get_column(c).to_numpy() for c in ("row", "seq", "key"))
    grid[r, s] = labels[k]
    effective[r, s] = _yes_no(rng.random(len(r)) < ASSUMED["effective"])
    for i in range(20):
        cols[f"Tactic {i + 1}"] = grid[:, i]
        cols["Tactic Effective 20" if i == 19 else f"Effective {i + 1}"] = effective[:, i]
    # the CED header and device block 1
    cols["CED Used"] = _yes_no(is_ced)
    serial = np.full(n, None, dtype=object)
    serial[ced_rows] = np.char.add("X", rng.integers(1_000_000, 9_999_999, len(ced_rows)).astype(str))
    cols["CED Device Serial No"] = serial
    for header_item, key in (("Drawn", "drawn"), ("Aimed", "aimed"), ("Arced", "arced"), ("Red-Dotted", "red_dot"),
                             ("Drive Stun", "drive_stun"), ("Angle Drive Stun", "angled_drive_stun"), ("Fired", "fired")):
        col = np.full(n, None, dtype=object)
        col[ced_rows[stated]] = _yes_no(levels[key][stated])
        cols[f"CED {header_item}"] = col
    repeat = np.full(n, None, dtype=object)
    repeat[ced_rows[stated]] = "No"
    cols["CED Drive Stun Repeat Application"] = repeat
    fired = ced_rows[levels["fired"]]
    for header, values in (("CED Fired Cartridge Number", np.full(len(fired), "1", dtype=object)),
                           ("CED Fired Total Number Of Cycles", rng.integers(1, 4, len(fired)).astype(str).astype(object)),
                           ("CED Fired Miss With One Probe", _yes_no(rng.random(len(fired)) < 0.1))):
        col = np.full(n, None, dtype=object)
        col[fired] = values
        cols[header] = col
    zones = [f"CED Front {i}" for i in range(1, 16)] + [f"CED Back {z}" for z in "ABCDEFGHJK"]
    hit = rng.integers(0, len(zones), (len(fired), 2))
    for z, header in enumerate(zones):
        col = np.full(n, None, dtype=object)
        col[fired[(hit == z).any(axis=1)]] = "Yes"
        cols[header] = col
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


def simulate_frame(targets: SimulationTargets, seed: int = 0) -> pl.DataFrame:
    """The simulated reports as a frame of strings with :data:`SIMULATION_HEADERS` as columns."""
    targets.check()
    frames = []
    for ft in sorted(targets.forces, key=lambda f: f.force_code):
        cols = _force_frame(ft, targets, seed)
        n = ft.reports
        frames.append(pl.DataFrame([pl.Series(h, cols[h].tolist(), dtype=pl.String) if h in cols
                                    else pl.repeat(None, n, dtype=pl.String, eager=True).alias(h)
                                    for h in SIMULATION_HEADERS]))
    return pl.concat(frames) if frames else pl.DataFrame(schema={h: pl.String for h in SIMULATION_HEADERS})


def write_simulation(targets: SimulationTargets, path: str | Path, seed: int = 0) -> SimulationResult:
    """Write the simulated national-form CSV (UTF-8) to ``path``."""
    frame = simulate_frame(targets, seed)
    frame.write_csv(Path(path), null_value="")
    return SimulationResult(str(path), targets.year, len(targets.forces), frame.height,
                            sum(f.ced_reports for f in targets.forces), seed, targets.source, targets.assumptions)


def simulate_year(store: object, year: str, out: str | Path, *, force: str | None = None, scale: float = 1.0,
                  seed: int = 0) -> SimulationResult:
    """Simulate ``year`` for one force (or every force) at the published figures held in ``store``."""
    from .simulation_targets import published_facts, targets_from_facts

    targets = targets_from_facts(published_facts(store), year, force).scaled(scale)
    return write_simulation(targets, out, seed)
