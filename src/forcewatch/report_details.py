"""A stored report read back for people and programs: masks decoded into keys, flags into names.

:func:`report_summary` gives the line of a report list; :func:`report_details` the whole report
(the ``.json`` twin of ``/reports/{id}``), with every answer of the form as stored: keys of the
vocabularies (``docs/interfaces.md``) and, where the report kept them, the values as written.
:func:`label` turns a key into the Home Office's wording for pages.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from . import forces, vocab
from .ced import highest_by_mask, levels_of
from .form import CED_DETAIL_ITEMS, CED_LEVEL_ITEMS
from .masks import MASK_KEYS, QUALITY_FLAGS, keys_of

__all__ = ["report_summary", "report_details", "label", "SIMULATED_NOTE"]

SIMULATED_NOTE = "SIMULATED: a synthetic report made by forcewatch simulate, not a real use of force"
_SUMMARY_TACTICS = tuple(k for k in MASK_KEYS["tactic"] if k != "tactical_communication")


def label(dimension: str, key: str | None) -> str:
    """The published wording of a key (``tactic``, ``weapon``, ``ced_level`` or a dimension)."""
    if key is None:
        return "not recorded"
    try:
        if dimension == "tactic":
            return vocab.tactic(key).label
        if dimension == "ced_level":
            return vocab.tactic(f"ced_{key}").label
        if dimension in vocab.DIMENSIONS:
            return vocab.category(dimension, key).label
    except (LookupError, StopIteration):
        pass
    return key.replace("_", " ")


def _flags(mask: int | None) -> list[str]:
    return [name for i, name in enumerate(QUALITY_FLAGS) if (mask or 0) >> i & 1]


def _answers(yes: int | None, stated: int | None, dimension: str) -> dict[str, list[str]]:
    """Ticked (Yes) and answered No, for a multi-select question; anything else was not recorded."""
    no = (stated or 0) & ~(yes or 0)
    return {"yes": keys_of(dimension, yes), "no": keys_of(dimension, no)}


def _highest(row: Mapping[str, Any]) -> str | None:
    if not row["ced"]:
        return None
    return highest_by_mask(vocab.DEFAULT_HIERARCHY)[row["ced_levels_mask"]] or "not_stated"


def report_summary(row: Mapping[str, Any]) -> dict[str, Any]:
    """One line of a report list."""
    return {
        "id": row["id"], "force_code": row["force_code"], "financial_year": row["financial_year"],
        "incident_date": row["incident_date"], "incident_time": row["incident_time"], "borough": row["borough"],
        "tactics": [k for k in keys_of("tactic", row["tactic_mask"]) if k in _SUMMARY_TACTICS],
        "ced_class": row["ced_class"], "ced_highest": _highest(row),
        "age": row["age"], "gender": row["gender"], "ethnicity": row["ethnicity"],
        "officer_team": row["officer_team"], "source": row["source"], "simulated": row["simulated"],
        "reviewed": row["reviewed_at"] is not None, "version": row["version"],
    }


def _device(block: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "block": block["block"],
        "levels": {key: block[key] for _, key in CED_LEVEL_ITEMS},
        **{key: block[key] for _, key, _ in CED_DETAIL_ITEMS},
        "probe_strikes": {"front": keys_of("front", block["front_mask"]), "back": keys_of("back", block["back_mask"])},
        "no_strike": {"front": keys_of("front", block["front_no_mask"]), "back": keys_of("back", block["back_no_mask"])},
    }


def report_details(row: Mapping[str, Any], uses: Sequence[Mapping[str, Any]],
                   blocks: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Everything stored about one report, decoded."""
    area = forces.try_resolve(row["force_code"])
    return {
        "id": row["id"], "force_code": row["force_code"], "force": area.name if area else row["force_code"],
        "simulated": row["simulated"], "note": SIMULATED_NOTE if row["simulated"] else None,
        "source": row["source"], "source_file_id": row["source_file_id"], "source_row": row["source_row"],
        "report_ref": row["report_ref"], "incident_id": row["incident_id"], "person_id": row["person_id"],
        "version": row["version"], "content_hash": row["content_hash"],
        "officer": {"pseudonym": row["officer_pseudonym"], "team": row["officer_team"], "main_duty": row["main_duty"],
                    "single_crewed": row["single_crewed"], "trained_ced": row["trained_ced"],
                    "carrying_ced": row["carrying_ced"]},
        "when": {"incident_date": row["incident_date"], "incident_time": row["incident_time"],
                 "financial_year": row["financial_year"], "form_started": row["form_started"],
                 "form_completed": row["form_completed"]},
        "where": {"borough": row["borough"], "borough_raw": row["borough_raw"],
                  "location": _answers(row["location_mask"], row["location_stated_mask"], "location")},
        "person": {"age": row["age"], "age_raw": row["age_raw"], "gender": row["gender"],
                   "gender_raw": row["gender_raw"], "ethnicity": row["ethnicity"], "ethnicity_raw": row["ethnicity_raw"],
                   "physical_disability": row["physical_disability"], "mental_disability": row["mental_disability"],
                   "health": row["health"]},
        "reason": _answers(row["reason_mask"], row["reason_stated_mask"], "reason"),
        "impact_factor": _answers(row["impact_factor_mask"], row["impact_factor_stated_mask"], "impact_factor"),
        "encounter": {"primary_conduct": row["primary_conduct"], "assaulted_by_subject": row["assaulted_by_subject"],
                      "threatened_with": keys_of("weapon", row["threatened_weapon_mask"]),
                      "threatened_with_raw": row["threatened_with_weapon"],
                      "assaulted_with": keys_of("weapon", row["assaulted_weapon_mask"]),
                      "assaulted_with_raw": row["assaulted_with_weapon"]},
        "tactics": [{"seq": u["seq"], "tactic": u["tactic"], "form_tactic": u["form_tactic"], "effective": u["effective"]}
                    for u in uses],
        "tactic_keys": keys_of("tactic", row["tactic_mask"]),
        "firearms": {"aimed": row["firearms_aimed"], "fired": row["firearms_fired"]},
        "ced": {"involved": row["ced"], "ced_used": row["ced_used"], "serial": row["ced_serial"],
                "levels": levels_of(row["ced_levels_mask"]), "class": row["ced_class"], "highest": _highest(row),
                "hierarchy": vocab.DEFAULT_HIERARCHY, "devices": [_device(b) for b in blocks]},
        "injuries": {"officer_injured": row["staff_injured"], "officer_injured_raw": row["staff_injured_raw"],
                     "officer_injury_intentional": row["staff_injury_intentional"],
                     "officer_injury_level": row["staff_injury_level"],
                     "officer_medical_help": row["staff_med_provided"], "person_injured": row["subject_injured"],
                     "person_injury_level": row["subject_injury_level"],
                     "person_medical_help_offered": row["subject_med_offered"],
                     "person_medical_help_given": row["subject_med_provided"]},
        "outcome": _answers(row["outcome_mask"], row["outcome_stated_mask"], "outcome"),
        "quality_flags": _flags(row["quality_flags"]),
        "review": {"reviewed": row["reviewed_at"] is not None, "reviewed_at": row["reviewed_at"],
                   "reviewed_by": row["reviewed_by"]},
    }
