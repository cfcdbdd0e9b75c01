"""Bit positions of the multi-valued fields stored as integer masks on ``officer_report``.

A report may tick several locations, reasons, impact factors, outcomes and tactics. Stored as one
integer per dimension (bit *i* set = the *i*-th key below was ticked), a national year of reports
is counted per category with one vectorised ``(mask >> i) & 1`` per key instead of joining link
tables. Each tuple below is **frozen**: positions never change; a new key is appended at the end
(a test checks these tuples against :mod:`forcewatch.vocab` so a reordering there cannot silently
move a bit here).

Each multi-select dimension has two masks: ``<dim>_mask`` (answered Yes) and
``<dim>_stated_mask`` (answered Yes or No). A bit in neither means the column was empty or absent:
"not recorded", which the Home Office tables leave out.
"""

from __future__ import annotations

from typing import Iterable

__all__ = ["MASK_KEYS", "bit", "mask_of", "keys_of", "QUALITY_FLAGS"]

MASK_KEYS: dict[str, tuple[str, ...]] = {
    # vocab.DIMENSIONS order
    "location": (
        "street_highway", "public_transport", "retail_premises", "open_ground", "licensed_premises",
        "sports_stadia", "hospital", "mental_health_setting", "police_vehicle_cage", "police_vehicle_no_cage",
        "police_station", "custody_block", "ambulance", "dwelling", "other",
    ),
    "reason": (
        "protect_self", "protect_public", "protect_subject", "protect_other_officers", "prevent_offence",
        "secure_evidence", "effect_search", "effect_arrest", "method_of_entry", "remove_handcuffs",
        "prevent_harm", "prevent_escape", "other",
    ),
    "impact_factor": (
        "weapon", "alcohol", "drugs", "mental_health", "prior_knowledge", "size_gender_build",
        "acute_behavioural_disturbance", "crowd", "other",
    ),
    "outcome": ("made_off", "arrested", "hospitalised", "detained_mha", "fatality", "no_further_action", "other"),
    # vocab.TACTICS order (bit = index in that tuple); only leaf keys the form records are ever set
    "tactic": (
        "all", "tactical_communication", "not_reported", "restraint", "handcuffing", "handcuffing_compliant",
        "handcuffing_non_compliant", "handcuffing_not_stated", "limb_body_restraint", "ground_restraint",
        "unarmed_skills", "other_equipment", "baton", "baton_drawn", "baton_used", "baton_not_stated",
        "irritant_spray", "irritant_spray_drawn", "irritant_spray_used", "irritant_spray_not_stated",
        "spit_bite_guard", "shield", "less_lethal", "ced", "ced_non_discharge", "ced_discharge", "ced_drawn",
        "ced_aimed", "ced_red_dot", "ced_arced", "ced_drive_stun", "ced_angled_drive_stun", "ced_fired",
        "ced_not_stated", "aep", "aep_aimed", "aep_fired", "aep_not_stated", "firearms", "other", "dog",
        "dog_deployed", "dog_bite", "dog_not_stated", "other_improvised",
    ),
    # vocab.CED_LEVELS order (Home Office Table 13 column order)
    "ced_level": ("drawn", "aimed", "red_dot", "arced", "drive_stun", "fired", "angled_drive_stun"),
    # form_values.WEAPONS order
    "weapon": (
        "firearm", "bladed", "blunt", "pointed", "missile", "spit", "bite", "kick", "punch", "headbutt", "other",
    ),
    # the probe-strike body map of one CED device block
    "front": tuple(str(i) for i in range(1, 16)),
    "back": tuple("abcdefghjk"),
}

#: ``officer_report.quality_flags`` bits: the checks of section 9 of the domain note
QUALITY_FLAGS: tuple[str, ...] = (
    "no_tactic",                 # 0 no tactic recorded and no CED (the "not reported" row)
    "ced_not_stated",            # 1 CED used but no level recorded anywhere
    "injury_contradiction",      # 2 "not injured" yet an injury level given (officer or person)
    "fatality_without_death",    # 3 outcome fatality but person injury level is not death
    "death_without_fatality",    # 4 person injury level death but outcome fatality not ticked
    "missing_timestamp",         # 5 FormStarted/FormCompleted column present but empty
    "out_of_force",              # 6 Borough is "Out of force"
    "repaired_age",              # 7 SubjectAge was a spreadsheet date read back as 11-17
    "unknown_vocabulary",        # 8 a tolerated unknown value (a weapon not in the list)
    "ced_inconsistent",          # 9 CED detail contradicts itself (see ced.py)
    "effective_without_tactic",  # 10 an Effective n answer with no Tactic n
    "repaired_value",            # 11 another value repaired (letter case, borough spelling, NA)
)


def bit(dimension: str, key: str) -> int:
    """The bit position of ``key`` in ``dimension``'s mask."""
    return MASK_KEYS[dimension].index(key)


def mask_of(dimension: str, keys: Iterable[str]) -> int:
    """The integer mask with the bits of ``keys`` set."""
    m = 0
    for key in keys:
        m |= 1 << bit(dimension, key)
    return m


def keys_of(dimension: str, mask: int | None) -> list[str]:
    """The keys whose bits are set in ``mask``, in bit order."""
    if not mask:
        return []
    return [k for i, k in enumerate(MASK_KEYS[dimension]) if mask >> i & 1]


def flag(name: str) -> int:
    """The quality flag's bit value (``1 << position``)."""
    return 1 << QUALITY_FLAGS.index(name)
