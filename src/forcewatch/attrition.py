"""The attrition funnel: what became of the assaults on officers recorded in a period, force by force.

Stages, each counting the assaults (one per officer per crime) whose offence date falls in the period
and whose effective outcome trail reached that stage **or any later one** (so every stage is within
the one before, even when a step was never entered):

1. ``recorded``: every assault recorded;
2. ``suspect_identified``: a step that needs a suspect (arrest, interview, bail, release under
   investigation, CPS referral, charge, summons, out-of-court disposal), a suspect recorded, or a Home
   Office outcome other than 14 and 18 (no suspect identified), 19 and 20;
3. ``charged``: a charge or summons, or outcome 1 or 1A;
4. ``convicted``: a guilty verdict, a successful CPS finalisation (guilty plea, conviction after trial,
   proved in absence), or a sentence;
5. ``sentenced``: a sentence, broken down by disposal (the latest effective sentence);
6. ``custody``: a custodial sentence.

Beside the funnel: out-of-court disposals, outcome 16 (the victim does not support action: a proxy
for victim withdrawal), outcome 17 (time limit expired), and the median days from offence to charge
and from charge to sentence. Public figures apply the one small-number rule
(:mod:`forcewatch.suppression`): counts from 1 to the threshold are hidden, and, because the stages
nest and the forces add up to the total, so is the next smallest figure wherever a hidden count
could be worked out as a difference (:func:`hidden_cells`).
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

from sqlalchemy import select

from . import access
from . import assault_reference as ref
from .access import ALL, Principal
from .errors import UsageError
from .forces import resolve
from .outcomes import (
    charged,
    convicted,
    custody,
    derived_status,
    effective_events,
    outcome_trail,
    suspect_identified,
)
from .settings import Settings
from .store import Store
from .store.tables.assaults import officer_assault
from .suppression import SuppressionRule, nested_groups, rule_from_settings, suppressed_cells

__all__ = ["STAGES", "DEFINITIONS", "attrition_funnel", "funnel_counts", "assaults_in_period", "hidden_cells"]

STAGES: tuple[tuple[str, str], ...] = (
    ("recorded", "Recorded"), ("suspect_identified", "Suspect identified"), ("charged", "Charged or summonsed"),
    ("convicted", "Convicted"), ("sentenced", "Sentenced"), ("custody", "Custodial sentence"),
)
#: What each stage counts (shown with every funnel).
DEFINITIONS = {
    "recorded": "assaults (one per officer per crime) with an offence date in the period",
    "suspect_identified": "an arrest, interview, bail, release under investigation, CPS referral, charge, summons or "
                          "out-of-court disposal; a suspect recorded; or a Home Office outcome other than 14, 18 "
                          "(no suspect identified), 19 or 20",
    "charged": "a charge or summons, or Home Office outcome 1 or 1A",
    "convicted": "a guilty verdict, a successful CPS finalisation (guilty plea, conviction after trial, proved in "
                 "absence), or a sentence",
    "sentenced": "a sentence (the latest one entered, if corrected)",
    "custody": "a custodial sentence (immediate custody, detention and training order, life)",
    "rule": "each stage counts the assaults that reached it or any later stage, from the effective events of the "
            "trail (corrected and withdrawn entries are left out)",
}
_COUNTS = ("out_of_court", "outcome_16", "outcome_17", "open")
TOTAL = "all forces shown"


def _stage(events: Sequence[Mapping[str, Any]]) -> int:
    live = effective_events(events)
    if custody(events):
        return 5
    if any(e["event_type"] == "sentence" for e in live):
        return 4
    if convicted(events):
        return 3
    if charged(events):
        return 2
    return 1 if suspect_identified(events) else 0


def funnel_counts(assaults: Iterable[Mapping[str, Any]],
                  trails: Mapping[int, Sequence[Mapping[str, Any]]]) -> dict[str, Any]:
    """The funnel of some assaults (each with ``id`` and ``offence_date``) from their trails."""
    counts: dict[str, Any] = {key: 0 for key, _ in STAGES} | {key: 0 for key in _COUNTS}
    disposals: Counter[str] = Counter()
    to_charge, to_sentence = [], []
    for a in assaults:
        events = trails.get(a["id"], [])
        live = effective_events(events)
        reached = _stage(events)
        for i, (key, _) in enumerate(STAGES):
            counts[key] += reached >= i
        outcomes = {e["ho_outcome"] for e in live if e["event_type"] == "ho_outcome"}
        status = derived_status(events)
        counts["out_of_court"] += status == "out_of_court_disposal"
        counts["outcome_16"] += "16" in outcomes
        counts["outcome_17"] += "17" in outcomes
        counts["open"] += status in ("open_investigation", "awaiting_charge_decision", "charged_awaiting_court",
                                     "convicted_awaiting_sentence")
        sentences = [e for e in live if e["event_type"] == "sentence"]
        if sentences:
            disposals[sentences[-1]["sentence_disposal"]] += 1
        first_charge = min((e["event_date"] for e in charged(events)), default=None)
        if first_charge:
            to_charge.append((first_charge - a["offence_date"]).days)
            if sentences:
                to_sentence.append((sentences[-1]["event_date"] - first_charge).days)
    counts["median_days_to_charge"] = round(float(statistics.median(to_charge)), 1) if to_charge else None
    counts["median_days_charge_to_sentence"] = round(float(statistics.median(to_sentence)), 1) if to_sentence else None
    counts["n_days_to_charge"], counts["n_days_charge_to_sentence"] = len(to_charge), len(to_sentence)
    counts["sentence_types"] = dict(disposals)
    return counts


def assaults_in_period(store: Store, forces: set[str] | Any, date_from: date, date_to: date,
                       ) -> tuple[list[dict[str, Any]], dict[int, list[dict[str, Any]]]]:
    """The assaults of ``forces`` (or :data:`~forcewatch.access.ALL`) with an offence date in the period,
    with their trails, for aggregate figures only. No access check: callers check their own action."""
    t = officer_assault.c
    clauses = [t.offence_date >= date_from, t.offence_date <= date_to]
    if forces is not ALL:
        clauses.append(t.force_code.in_(sorted(forces)))
    columns = [t.id, t.force_code, t.offence_date, t.simulated, t.injury_level, t.spit_or_bite, t.single_crewed,
               t.taser_carried, t.exposure_risk, t.suspect_demeanour]
    with store.read() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(*columns).where(*clauses).order_by(t.id))]
        trails = outcome_trail(conn, [r["id"] for r in rows])
    return rows, trails


def _pct(part: int | None, whole: int | None) -> float | None:
    return round(100 * part / whole, 1) if part is not None and whole else None


_PUBLISHED = [k for k, _ in STAGES] + list(_COUNTS)
_MEDIANS = {"median_days_to_charge": "n_days_to_charge", "median_days_charge_to_sentence": "n_days_charge_to_sentence"}


def hidden_cells(rows: Mapping[str, Mapping[str, Any]], rule: SuppressionRule, *, total: str | None = None,
                 sentences: Mapping[str, int] | None = None) -> set[Any]:
    """The cells a public funnel hides, as (row, key): ``rows`` maps a row key (a force code) to its
    :func:`funnel_counts`; ``total`` names the row that adds up the others, ``sentences`` the total's
    sentence disposals (cells ``("sentence", disposal)``, adding up to its ``sentenced``).

    Primary: counts from 1 to the threshold, and the medians of 1 to threshold cases. Secondary:
    each row's stages nest (:func:`~forcewatch.suppression.nested_groups`), every count of the forces
    adds up to the total row, and the disposals add up to the total's sentenced.
    """
    values: dict[Any, Any] = {}
    groups: list[Any] = []
    for code, counts in rows.items():
        cells, nested = nested_groups({(code, k): counts[k] for k in _PUBLISHED},
                                      [(code, k) for k, _ in STAGES])
        values.update(cells)
        groups += nested
        values.update({(code, m): counts[n] for m, n in _MEDIANS.items()})
    members = [code for code in rows if code != total]
    if total is not None and members:
        groups += [((total, k), [(code, k) for code in members]) for k in _PUBLISHED]
    if sentences:
        values.update({("sentence", d): n for d, n in sentences.items()})
        owner = total if total is not None else next(iter(rows))
        groups.append(((owner, "sentenced"), [("sentence", d) for d in sentences]))
    return suppressed_cells(values, groups, rule)


def _row(code: str, name: str, c: dict[str, Any], hidden: set[Any]) -> dict[str, Any]:
    """One table row, with the cells in ``hidden`` (and what derives from them) left out."""
    row: dict[str, Any] = {"force_code": code, "force": name}
    suppressed = []
    for key in _PUBLISHED:
        row[key] = None if (code, key) in hidden else c[key]
        if (code, key) in hidden:
            suppressed.append(key)
    for key in [k for k, _ in STAGES][1:] + ["outcome_16"]:
        row[f"pct_{key}"] = _pct(row[key], row["recorded"])
    for key in _MEDIANS:
        row[key] = None if (code, key) in hidden else c[key]
    row["suppressed"] = ", ".join(suppressed)
    return row


def attrition_funnel(store: Store, principal: Principal, *, force: str | None = None, date_from: date,
                     date_to: date, public: bool = False, settings: Settings | None = None) -> dict[str, Any]:
    """The attrition funnel by force (and in total) for assaults with an offence date in the period.

    Unsuppressed figures need ``facts.read_records`` (a force's own, or every force's for national
    roles); ``public=True`` gives the suppressed figures anyone may see.
    """
    if date_to < date_from:
        raise UsageError(f"the period ends ({date_to}) before it starts ({date_from})")
    code = resolve(force, "force").code if force else None
    scope: Any = ({code} if code else ALL) if public else access.readable_forces(
        principal, "facts.read_records", force_code=code)
    rule = rule_from_settings(settings) if public else SuppressionRule(0)
    rows, trails = assaults_in_period(store, scope, date_from, date_to)
    by_force: dict[str, list[dict[str, Any]]] = {fc: [] for fc in (scope if scope is not ALL else ())}
    for r in rows:
        by_force.setdefault(r["force_code"], []).append(r)
    counts = {fc: funnel_counts(items, trails) for fc, items in sorted(by_force.items())}
    total = funnel_counts(rows, trails)
    with_total = len(counts) != 1
    if with_total:
        counts[""] = total
    hidden = hidden_cells(counts, rule, total="" if with_total else None, sentences=total["sentence_types"])
    table = [_row(fc, resolve(fc).name if fc else TOTAL, c, hidden) for fc, c in counts.items()]
    sentence_rows = []
    for disposal, n in sorted(total["sentence_types"].items(), key=lambda kv: -kv[1]):
        shown = ("sentence", disposal) not in hidden
        sentence_rows.append({"disposal": disposal, "label": ref.term("sentence_disposals", disposal).label,
                              "count": n if shown else None, "suppressed": not shown})
    return {
        "period": {"from": date_from, "to": date_to}, "force_code": code, "public": public,
        "stages": [{"key": k, "label": label} for k, label in STAGES],
        "rows": table, "sentence_types": sentence_rows,
        "simulated": any(r["simulated"] for r in rows),
        "suppression": rule.statement() if public else None,
        "reference_version": ref.reference().version,
        "definitions": DEFINITIONS,
    }
