"""The national form's own vocabularies: its tactic labels, weapon types, conduct and London boroughs.

The labels are the form's (as the MPS open data writes them), each mapped to forcewatch's keys:
a form tactic to its own key (CS and PAVA kept apart) and to the Home Office tactic key; a weapon
type to its bit in :data:`forcewatch.masks.MASK_KEYS` ``["weapon"]``. The rules that read written
values with them are in :mod:`forcewatch.form_values`.
"""

from __future__ import annotations

from .masks import MASK_KEYS
from .vocab import TACTICS

__all__ = ["FORM_TACTICS", "FORM_TACTIC_TO_HO", "TACTIC_LABELS", "WEAPONS", "CONDUCT", "BOROUGHS", "BOROUGH_SYNONYMS"]

#: the form's tactic labels: label -> (form key, Home Office tactic key)
FORM_TACTICS: dict[str, tuple[str, str]] = {
    "Tactical Communications": ("tactical_communications", "tactical_communication"),
    "Compliant Handcuffing": ("handcuffing_compliant", "handcuffing_compliant"),
    "Non-Compliant Handcuffing": ("handcuffing_non_compliant", "handcuffing_non_compliant"),
    "Unarmed Skills (including pressure points, strikes, restraints and take-downs)": ("unarmed_skills", "unarmed_skills"),
    "Ground Restraint": ("ground_restraint", "ground_restraint"),
    "Limb/Body Restraints": ("limb_body_restraint", "limb_body_restraint"),
    "Spit Guard": ("spit_guard", "spit_bite_guard"),
    "Shield": ("shield", "shield"),
    "Dog Deployed": ("dog_deployed", "dog_deployed"),
    "Dog Bite": ("dog_bite", "dog_bite"),
    "Other/Improvised": ("other_improvised", "other_improvised"),
    "Irritant Spray - CS Drawn": ("irritant_spray_cs_drawn", "irritant_spray_drawn"),
    "Irritant Spray - PAVA Drawn": ("irritant_spray_pava_drawn", "irritant_spray_drawn"),
    "Irritant Spray - CS Used": ("irritant_spray_cs_used", "irritant_spray_used"),
    "Irritant Spray - PAVA Used": ("irritant_spray_pava_used", "irritant_spray_used"),
    "Baton Drawn": ("baton_drawn", "baton_drawn"),
    "Baton Used": ("baton_used", "baton_used"),
    "CED (Taser) Drawn": ("ced_drawn", "ced_drawn"),
    "CED (Taser) Aimed": ("ced_aimed", "ced_aimed"),
    "CED (Taser) Red-Dotted": ("ced_red_dot", "ced_red_dot"),
    "CED (Taser) Arced": ("ced_arced", "ced_arced"),
    "CED (Taser) Drive Stun": ("ced_drive_stun", "ced_drive_stun"),
    "CED (Taser) Angle Drive Stun": ("ced_angled_drive_stun", "ced_angled_drive_stun"),
    "CED (Taser) Fired": ("ced_fired", "ced_fired"),
    "AEP Aimed": ("aep_aimed", "aep_aimed"),
    "AEP Fired": ("aep_fired", "aep_fired"),
    "Firearm Aimed": ("firearm_aimed", "firearms"),
    "Firearm Fired": ("firearm_fired", "firearms"),
}
#: every form tactic key -> Home Office tactic key
FORM_TACTIC_TO_HO: dict[str, str] = {form_key: ho for form_key, ho in FORM_TACTICS.values()}
TACTIC_LABELS: dict[str, str] = {label: form_key for label, (form_key, _) in FORM_TACTICS.items()}
for term_ in TACTICS:  # the Home Office labels of leaf tactics are accepted too
    if term_.key in MASK_KEYS["tactic"] and not any(t.parent == term_.key for t in TACTICS) and term_.key not in (
            "all", "not_reported") and not term_.key.endswith("_not_stated"):
        for label_ in (term_.label, *term_.synonyms):  # unless the form has the label in another letter case
            if label_.casefold() not in {k.casefold() for k in TACTIC_LABELS}:
                TACTIC_LABELS[label_] = FORM_TACTIC_TO_HO.setdefault(term_.key, term_.key)

#: weapon types in ThreatenedWithWeapon / AssaultedWithWeapon: token -> key (masks.MASK_KEYS["weapon"])
WEAPONS: dict[str, str] = {
    "Firearm": "firearm", "Bladed weapon/object": "bladed", "Blunt weapon/object": "blunt",
    "Pointed weapon/object": "pointed", "Missile/object thrown": "missile", "Spit": "spit", "Bite": "bite",
    "Kick": "kick", "Punch": "punch", "Headbutt": "headbutt", "Other": "other",
}
CONDUCT: dict[str, str] = {
    "Compliant": "compliant", "Passive resistance": "passive_resistance",
    "Verbal resistance/gestures": "verbal_resistance", "Active resistance": "active_resistance",
    "Aggressive resistance": "aggressive_resistance", "Serious or aggravated resistance": "serious_resistance",
}
BOROUGHS = (
    "Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley", "Camden", "City of London", "Croydon",
    "Ealing", "Enfield", "Greenwich", "Hackney", "Hammersmith and Fulham", "Haringey", "Harrow", "Havering",
    "Hillingdon", "Hounslow", "Islington", "Kensington and Chelsea", "Kingston upon Thames", "Lambeth",
    "Lewisham", "Merton", "Newham", "Redbridge", "Richmond upon Thames", "Southwark", "Sutton",
    "Tower Hamlets", "Waltham Forest", "Wandsworth", "Westminster", "Heathrow", "Out of force",
)
BOROUGH_SYNONYMS = {"City of Westminster": "Westminster"}
