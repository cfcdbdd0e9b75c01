"""The review's report by area for the chiefs' council, and its public version.

For each of the five areas: how many submissions speak to it (by the reviewer's confirmed areas,
else the classifier's suggestion, saying how many were confirmed), the mean rating officers gave the
area, its themes (coded by keyword, :mod:`.themes`), up to three representative quotes (approved,
consented for the audience, redacted, attributed only by role group, quarter and region), the shared
learning tagged to it, and beside them the assault and outcome figures that bear on it, for the
same forces and period.

Audiences: ``force`` (a force analyst or chief officer: their own force), ``national_network`` (the
review team and the national analyst: every force), ``public`` (anyone; the one small-number rule
of :mod:`forcewatch.suppression`: counts from 1 to the threshold hidden, and a figure "x of n" or a
funnel stage whose difference from its total is that small). A submission counts only where its
consent covers the audience.
"""

from __future__ import annotations

import statistics
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Any

from sqlalchemy import select

from .. import access
from ..access import ALL, Principal
from ..attrition import assaults_in_period, funnel_counts, hidden_cells
from ..errors import UsageError
from ..forces import resolve, try_resolve
from ..settings import Settings
from ..sharing import consent_covers, identifiers_left, quarter
from ..store import Store
from ..store.tables.assaults import assault_welfare
from ..store.tables.review import review_submission
from ..suppression import SuppressionRule, nested_groups, rule_from_settings, suppressed_cells
from .areas import AREAS, WELSH_LABELS_CHECKED
from .store import role_group
from .themes import count_themes

__all__ = ["area_report", "classifier_figures", "QUOTES_PER_AREA"]

QUOTES_PER_AREA = 3


def _audience(principal: Principal, force: str | None, public: bool) -> tuple[str, set[str] | Any]:
    code = resolve(force, "force").code if force else None
    if public:
        return "public", {code} if code else ALL
    forces = access.readable_forces(principal, "review.report", force_code=code)
    return ("national_network" if access.scope_of(principal, "review.report") is access.Scope.all else "force"), forces


def _welfare(store: Store, ids: list[int]) -> dict[int, Any]:
    found: dict[int, Any] = {}
    with store.read() as conn:
        for start in range(0, len(ids), 900):
            for r in conn.execute(select(assault_welfare).where(assault_welfare.c.assault_id.in_(ids[start:start + 900]))):
                found[r.assault_id] = r
    return found


Figure = tuple[str, int, int, str, str | None]  # label, count, base, what the base is, the funnel stage counted


def _figures(store: Store, forces: Any, date_from: date, date_to: date) -> tuple[dict[str, Any], dict[str, list[Figure]]]:
    """The assault and outcome counts (numerator, denominator) behind each area's figures."""
    rows, trails = assaults_in_period(store, forces, date_from, date_to)
    welfare = _welfare(store, [r["id"] for r in rows])
    funnel = funnel_counts(rows, trails)
    n = len(rows)
    with_welfare = [(r, welfare[r["id"]]) for r in rows if r["id"] in welfare]
    fig: dict[str, list[Figure]] = {
        "training": [("Assaults with an injury", sum(r["injury_level"] != "none" for r in rows), n, "of assaults", None),
                     ("Suspect in mental-health crisis", sum("mental_health_crisis" in r["suspect_demeanour"]
                                                             for r in rows), n, "of assaults", None)],
        "equipment": [("Officer carrying Taser", sum(bool(r["taser_carried"]) for r in rows), n, "of assaults", None),
                      ("Spitting or biting", sum(bool(r["spit_or_bite"]) for r in rows), n, "of assaults", None),
                      ("Exposure to blood or saliva", sum(bool(r["exposure_risk"]) for r in rows), n, "of assaults", None)],
        "deployment": [("Officer single crewed", sum(bool(r["single_crewed"]) for r in rows), n, "of assaults", None)],
        "investigation_aftercare": [
            ("Welfare contact within a day", sum(w.first_welfare_contact_date is not None and
                                                 (w.first_welfare_contact_date - r["offence_date"]).days <= 1
                                                 for r, w in with_welfare), len(with_welfare),
             "of assaults with a welfare record", None),
            ("Victim recorded as investigator", sum(bool(w.investigator_is_victim) for _, w in with_welfare),
             len(with_welfare), "of assaults with a welfare record", None),
            ("Victim personal statement taken", sum(bool(w.vps_taken) for _, w in with_welfare), len(with_welfare),
             "of assaults with a welfare record", None)],
        "criminal_justice": [("Charged or summonsed", funnel["charged"], n, "of assaults", "charged"),
                             ("Convicted", funnel["convicted"], n, "of assaults", "convicted"),
                             ("Outcome 16 (victim does not support action)", funnel["outcome_16"], n, "of assaults", None)],
    }
    return funnel, fig


def _figure(label: str, count: int, base: int, of: str, stage: str | None, rule: SuppressionRule,
            stages_hidden: set[Any]) -> dict[str, Any]:
    """One figure "count of base": hidden when either is small, when their difference is (anyone could
    subtract), or when it repeats a funnel stage the funnel hides."""
    values, groups = nested_groups({"base": base, "count": count}, ["base", "count"])
    hidden = bool({"base", "count"} & suppressed_cells(values, groups, rule)) or ("", stage) in stages_hidden
    return {"label": label, "count": None if hidden else count, "base": None if hidden else base, "of": of,
            "pct": None if hidden or not base else round(100 * count / base, 1), "suppressed": hidden}


@lru_cache(maxsize=1)
def _held_out() -> dict[str, Any]:
    from .evaluation import evaluate_classifier

    d = evaluate_classifier()
    return {"test_size": d["test_data"]["size"], "exact_match": d["exact_match"], "top1_accuracy": d["top1_accuracy"],
            "micro_f1": d["micro"]["f1"], "macro_f1": d["macro"]["f1"], "synthetic": d["test_data"]["synthetic"]}


def classifier_figures(rows: list[Any]) -> dict[str, Any]:
    """The classifier's held-out figures, and how often reviewers kept its suggestions in ``rows``."""
    confirmed = [r for r in rows if r.confirmed_areas is not None]
    kept = sum(len(set(r.suggested_areas) & set(r.confirmed_areas)) for r in confirmed)
    suggested = sum(len(r.suggested_areas) for r in confirmed)
    wanted = sum(len(r.confirmed_areas) for r in confirmed)
    return {"held_out": _held_out(), "reviewed": len(confirmed),
            "exact_agreement": round(sum(set(r.suggested_areas) == set(r.confirmed_areas) for r in confirmed)
                                     / len(confirmed), 4) if confirmed else None,
            "precision": round(kept / suggested, 4) if suggested else None,
            "recall": round(kept / wanted, 4) if wanted else None}


def _where(force_code: str, audience: str) -> str:
    area = try_resolve(force_code)
    if audience == "force":
        return area.name if area else force_code
    region = try_resolve(area.region_code) if area and area.region_code else None
    return region.name if region else "England and Wales"


def area_report(store: Store, principal: Principal, *, date_from: date, date_to: date, force: str | None = None,
                public: bool = False, settings: Settings | None = None) -> dict[str, Any]:
    """The report by area (see the module docstring); ``public=True`` for the suppressed public version."""
    if date_to < date_from:
        raise UsageError(f"the period ends ({date_to}) before it starts ({date_from})")
    audience, forces = _audience(principal, force, public)
    rule = rule_from_settings(settings) if public else SuppressionRule(0)
    start = datetime.combine(date_from, time.min, tzinfo=timezone.utc)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=timezone.utc)
    s = review_submission.c
    clauses = [s.submitted_at >= start, s.submitted_at < end, s.moderation_status != "rejected"]
    if forces is not ALL:
        clauses.append(s.force_code.in_(sorted(forces)))
    with store.read() as conn:
        rows = [r for r in conn.execute(select(review_submission).where(*clauses).order_by(s.id))
                if consent_covers(r.consent_scope, audience)]
    funnel, figures = _figures(store, forces, date_from, date_to)

    stages_hidden = hidden_cells({"": funnel}, rule)

    def count(n: int) -> int | None:
        return None if rule.hides(n) else n

    from ..learning import shared_learning

    learning = shared_learning(store, access.PUBLIC if public else principal, forces=forces)
    areas = []
    for a in AREAS:
        tagged = [r for r in rows if a.key in (r.confirmed_areas or r.suggested_areas)]
        ratings = [r.ratings[a.key] for r in tagged if a.key in (r.ratings or {})]
        texts = [r.redacted_text or r.free_text for r in tagged]
        quotable = [r for r in tagged if r.moderation_status == "approved" and a.key in (r.confirmed_areas or [])
                    and r.redacted_text and consent_covers(r.consent_scope, "public" if public else audience)
                    and not identifiers_left(r.redacted_text)]
        quotable.sort(key=lambda r: (-float(r.suggested_scores.get(a.key, 0)), r.id))
        themes = [{**t, "count": count(int(t["count"]))} for t in count_themes(a.key, texts)]
        areas.append({
            "key": a.key, "code": a.code, "label": a.label_en, "label_cy": a.label_cy,
            "submissions": count(len(tagged)), "confirmed": count(sum(r.confirmed_areas is not None for r in tagged)),
            "mean_rating": None if rule.hides(len(ratings)) or not ratings
            else round(statistics.mean(ratings), 2), "ratings": count(len(ratings)),
            "themes": themes, "themes_matched": count(sum(1 for t in texts if count_themes(a.key, [t]))),
            "quotes": [{"text": r.redacted_text, "who": role_group(r.role_band), "when": quarter(
                r.submitted_at.strftime("%Y-%m")), "where": _where(r.force_code, audience)}
                for r in quotable[:QUOTES_PER_AREA]],
            "learning_items": count(sum(a.key in item["area_tags"] for item in learning)),
            "figures": [_figure(*f, rule, stages_hidden) for f in figures[a.key]],
        })
    stages = [("recorded", "Recorded"), ("suspect_identified", "Suspect identified"), ("charged", "Charged"),
              ("convicted", "Convicted"), ("sentenced", "Sentenced"), ("custody", "Custodial sentence")]
    by_status = {st: count(sum(r.moderation_status == st for r in rows)) for st in ("received", "redacted", "approved")}
    return {
        "period": {"from": date_from, "to": date_to}, "audience": audience, "public": public,
        "forces": "all" if forces is ALL else sorted(forces),
        "submissions": count(len(rows)), "by_status": None if public else by_status,
        "areas": areas,
        "funnel": [{"stage": k, "label": label, "count": None if ("", k) in stages_hidden else funnel[k]}
                   for k, label in stages],
        "median_days_to_charge": None if ("", "median_days_to_charge") in stages_hidden
        else funnel["median_days_to_charge"],
        "simulated": any(r.simulated for r in rows),
        "classifier": classifier_figures(rows) if not public else {"held_out": _held_out()},
        "suppression": rule.statement() if public else None,
        "notes": [
            "A submission counts under the areas a reviewer confirmed, or else the areas the classifier suggested "
            "(an offline model: see forcewatch review model-card); 'confirmed' says how many were checked.",
            "Themes are coded by keyword: indicative, not confirmed by anyone.",
            "Quotes are approved, redacted and consented for this audience; attributed only by role group, quarter "
            "and " + ("force." if audience == "force" else "region."),
            "Only submissions whose consent covers this audience are counted.",
            "The assault and outcome figures cover assaults with an offence date in the same period, in the same forces.",
        ] + ([] if WELSH_LABELS_CHECKED else ["The Welsh area labels have not yet been checked by a Welsh-language "
                                              "specialist."]),
    }
