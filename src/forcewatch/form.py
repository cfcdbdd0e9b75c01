"""The national use-of-force form: its fields, their headers in the MPS open data, and their kinds.

Every field has a stable internal name (``incident_date``, ``location.street_highway``,
``ced2.fired``, ``tactic_3``) and a *kind* naming the value rule in :mod:`forcewatch.form_values`
that reads it. The importer maps each file header to a field name (:func:`field_for_header`,
which knows the aliases of section 8.2 of the domain note: ``Possesion``, ``Tactic Effective 20``,
``CED2 ArCED2``); the web form (:mod:`forcewatch.recording_form`) uses the same names, so both share one set
of rules.

:data:`FY20_HEADERS` is the 271-column FY20-21 layout in its published order (reconstructed in
``docs/domain/use-of-force-data.md``). Files are read by header name, never by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .vocab import DIMENSIONS

__all__ = [
    "Field",
    "FIELDS",
    "FY20_HEADERS",
    "EXTENSION_HEADERS",
    "REQUIRED_FIELDS",
    "CED_BLOCKS",
    "CED_LEVEL_ITEMS",
    "CED_DETAIL_ITEMS",
    "FRONT_ZONES",
    "BACK_ZONES",
    "TACTIC_SLOTS",
    "header_key",
    "field_for_header",
    "fields_of_group",
]


@dataclass(frozen=True)
class Field:
    """One field of the national form (or one of forcewatch's extension columns)."""

    name: str
    header: str
    kind: str
    group: str
    #: for multi-select Yes/No fields: the vocabulary key the field ticks
    key: str = ""
    #: extension columns are forcewatch's, not the national form's
    extension: bool = False


# --- the headers of the FY20-21 layout, with the group and category key of each ---------------

_LOCATION_HEADERS = (
    ("Street/Highway", "street_highway"),
    ("Public Transport", "public_transport"),
    ("Retail Premises", "retail_premises"),
    ("Open ground (e.g. park, car park, field)", "open_ground"),
    ("Licensed Premises", "licensed_premises"),
    ("Sports or Event Stadia", "sports_stadia"),
    ("Hospital/A&E (non-mental-health setting)", "hospital"),
    ("Mental Health Setting", "mental_health_setting"),
    ("Police vehicle with prisoner handling cage", "police_vehicle_cage"),
    ("Police vehicle without prisoner handling cage", "police_vehicle_no_cage"),
    ("Dwelling", "dwelling"),
    ("Police station (excluding custody block)", "police_station"),
    ("Custody Block", "custody_block"),
    ("Ambulance", "ambulance"),
    ("Other", "other"),
)
_IMPACT_HEADERS = (
    ("Possesion of a weapon", "weapon"),
    ("Alcohol", "alcohol"),
    ("Drugs", "drugs"),
    ("Mental Health", "mental_health"),
    ("Prior Knowledge", "prior_knowledge"),
    ("Size/Gender/Build", "size_gender_build"),
    ("Acute Behavioural Disorder", "acute_behavioural_disturbance"),
    ("Crowd", "crowd"),
    ("Other", "other"),
)
_REASON_HEADERS = (
    ("Protect self", "protect_self"),
    ("Protect Public", "protect_public"),
    ("Protect Subject", "protect_subject"),
    ("Protect Other Officers", "protect_other_officers"),
    ("Prevent Offence", "prevent_offence"),
    ("Secure Evidence", "secure_evidence"),
    ("Effect Search", "effect_search"),
    ("Effect Arrest", "effect_arrest"),
    ("Method of Entry", "method_of_entry"),
    ("Remove Handcuffs", "remove_handcuffs"),
    ("Prevent Harm", "prevent_harm"),
    ("Prevent Escape", "prevent_escape"),
    ("Other", "other"),
)
_OUTCOME_HEADERS = (
    ("Made off/escaped", "made_off"),
    ("Arrested", "arrested"),
    ("Hospitalised", "hospitalised"),
    ("Detained - Mental Health Act", "detained_mha"),
    ("Fatality", "fatality"),
    ("Other", "other"),
)
#: later layouts (about 275 columns) add this outcome
NO_FURTHER_ACTION_HEADER = "Outcome: No Further Action"

#: the seven levels (vocab keys) and the form's two detail items, in block order: (header item, field item)
CED_LEVEL_ITEMS = (
    ("Drawn", "drawn"),
    ("Aimed", "aimed"),
    ("Arced", "arced"),
    ("Red-Dotted", "red_dot"),
    ("Drive Stun", "drive_stun"),
    ("Drive Stun Repeat Application", "drive_stun_repeat"),
    ("Angle Drive Stun", "angled_drive_stun"),
    ("Fired", "fired"),
)
CED_DETAIL_ITEMS = (
    ("Fired Cartridge Number", "cartridge_number", "count"),
    ("Fired 5 Secs Cycle Interrupted", "cycle_interrupted", "yes_no"),
    ("Fired Repeat Cycle Same Cartridge", "repeat_cycle_same_cartridge", "yes_no"),
    ("Fired Total Number Of Cycles", "total_cycles", "count"),
    ("Fired Cycle Extended Beyond 5 Secs", "cycle_extended", "yes_no"),
    ("Fired Miss With One Probe", "miss_one_probe", "yes_no"),
    ("Fired Miss With Both Probes", "miss_both_probes", "yes_no"),
)
FRONT_ZONES = tuple(str(i) for i in range(1, 16))
BACK_ZONES = tuple("ABCDEFGHJK")  # no "I" on the form
CED_BLOCKS = (1, 2, 3, 4)
TACTIC_SLOTS = tuple(range(1, 21))


def _ced_prefix(block: int) -> str:
    return "CED" if block == 1 else f"CED{block}"


def _build() -> tuple[tuple[Field, ...], tuple[str, ...]]:
    f: list[Field] = []
    add = f.append
    add(Field("incident_date", "IncidentDate", "date", "time"))
    add(Field("incident_time", "IncidentTime", "time", "time"))
    for label, key in _LOCATION_HEADERS:
        add(Field(f"location.{key}", f"Incident Location: {label}", "yes_no", "location", key))
    add(Field("borough", "Borough", "borough", "area"))
    add(Field("primary_conduct", "PrimaryConduct", "conduct", "encounter"))
    add(Field("assaulted_by_subject", "AssaultedBySubject", "yes_no", "encounter"))
    add(Field("threatened_with_weapon", "ThreatenedWithWeapon", "weapons", "encounter"))
    add(Field("assaulted_with_weapon", "AssaultedWithWeapon", "weapons", "encounter"))
    for label, key in _IMPACT_HEADERS:
        add(Field(f"impact_factor.{key}", f"Impact Factor: {label}", "yes_no", "impact_factor", key))
    for label, key in _REASON_HEADERS:
        add(Field(f"reason.{key}", f"Reason for Force: {label}", "yes_no", "reason", key))
    add(Field("main_duty", "MainDuty", "text", "officer"))
    add(Field("single_crewed", "SingleCrewed", "yes_no", "officer"))
    add(Field("trained_ced", "TrainedCED", "yes_no", "officer"))
    add(Field("carrying_ced", "CarryingCED", "yes_no", "officer"))
    for n in TACTIC_SLOTS:
        add(Field(f"tactic_{n}", f"Tactic {n}", "tactic", "tactics"))
        add(Field(f"effective_{n}", "Tactic Effective 20" if n == 20 else f"Effective {n}", "yes_no", "tactics"))
    add(Field("ced_used", "CED Used", "yes_no", "ced"))
    add(Field("ced_serial", "CED Device Serial No", "text", "ced"))
    for block in CED_BLOCKS:
        p = _ced_prefix(block)
        for item, key in CED_LEVEL_ITEMS:
            header = f"{p} Ar{p}" if (key == "arced" and block > 1) else f"{p} {item}"
            add(Field(f"ced{block}.{key}", header, "yes_no", "ced_device"))
        for item, key, kind in CED_DETAIL_ITEMS:
            add(Field(f"ced{block}.{key}", f"{p} {item}", kind, "ced_device"))
        for zone in FRONT_ZONES:
            add(Field(f"ced{block}.front_{zone}", f"{p} Front {zone}", "yes_no", "ced_device"))
        for zone in BACK_ZONES:
            add(Field(f"ced{block}.back_{zone.lower()}", f"{p} Back {zone}", "yes_no", "ced_device"))
    add(Field("firearms_aimed", "Firearms Aimed", "yes_no", "firearms"))
    add(Field("firearms_fired", "Firearms Fired", "yes_no", "firearms"))
    add(Field("subject_age", "SubjectAge", "age", "subject"))
    add(Field("subject_gender", "SubjectGender", "gender", "subject"))
    add(Field("subject_ethnicity", "SubjectEthnicity", "ethnicity", "subject"))
    add(Field("physical_disability", "PhysicalDisability", "yes_no", "subject"))
    add(Field("mental_disability", "MentalDisability", "yes_no", "subject"))
    add(Field("staff_injured", "StaffInjured", "staff_injured", "staff_injury"))
    add(Field("staff_injury_intentional", "StaffInjuryIntentional", "yes_no", "staff_injury"))
    add(Field("staff_injury_level", "StaffInjuryLevel", "injury_level", "staff_injury"))
    add(Field("staff_med_provided", "StaffMedProvided", "yes_no", "staff_injury"))
    add(Field("subject_injured", "SubjectInjured", "subject_injured", "subject_injury"))
    add(Field("subject_injury_level", "SubjectNatureOfInjury", "injury_level", "subject_injury"))
    add(Field("subject_med_offered", "SubjectMedOffered", "yes_no", "subject_injury"))
    add(Field("subject_med_provided", "SubjectMedProvided", "yes_no", "subject_injury"))
    for label, key in _OUTCOME_HEADERS:
        add(Field(f"outcome.{key}", f"Outcome: {label}", "yes_no", "outcome", key))
    fy20 = tuple(x.header for x in f)
    add(Field("outcome.no_further_action", NO_FURTHER_ACTION_HEADER, "yes_no", "outcome", "no_further_action"))
    # forcewatch's extension columns (section "Ids" of docs/records.md)
    add(Field("force", "Force", "force", "extension", extension=True))
    add(Field("incident_id", "IncidentId", "id", "extension", extension=True))
    add(Field("person_id", "PersonId", "id", "extension", extension=True))
    add(Field("report_id", "ReportId", "id", "extension", extension=True))
    add(Field("officer_id", "OfficerId", "id", "extension", extension=True))
    add(Field("officer_team", "OfficerTeam", "id", "extension", extension=True))
    add(Field("form_started", "FormStarted", "timestamp", "extension", extension=True))
    add(Field("form_completed", "FormCompleted", "timestamp", "extension", extension=True))
    add(Field("simulated", "Simulated", "yes_no", "extension", extension=True))
    return tuple(f), fy20


FIELDS, FY20_HEADERS = _build()
FIELDS_BY_NAME = {f.name: f for f in FIELDS}
EXTENSION_HEADERS = tuple(f.header for f in FIELDS if f.extension)

#: a file without any of these cannot be counted at all, so it is refused
REQUIRED_FIELDS = ("incident_date", "tactic_1", "subject_age", "subject_gender", "subject_ethnicity")


def header_key(header: str) -> str:
    """A header reduced for matching: lower case, single spaces, no spaces around ``:`` or ``-``."""
    s = re.sub(r"\s+", " ", str(header).replace("\ufeff", "").replace("\u00a0", " ")).strip().lower()
    return re.sub(r"\s*([:/-])\s*", r"\1", s)


def _aliases() -> dict[str, str]:
    index = {header_key(f.header): f.name for f in FIELDS}
    extra = {
        "Impact Factor: Possession of a weapon": "impact_factor.weapon",
        "Impact Factor: Acute Behavioural Disturbance": "impact_factor.acute_behavioural_disturbance",
        "Effective 20": "effective_20",
        "CED Red-Dot": "ced1.red_dot",
        "Incident Id": "incident_id",
        "Person Id": "person_id",
        "Report Id": "report_id",
        "Officer Id": "officer_id",
        "Officer Team": "officer_team",
    }
    for block in CED_BLOCKS[1:]:
        extra[f"CED{block} Arced"] = f"ced{block}.arced"
    for header, name in extra.items():
        index[header_key(header)] = name
    return index


_BY_HEADER = _aliases()


def field_for_header(header: str) -> Field | None:
    """The field a file header means (aliases included), or ``None`` for an unknown column."""
    name = _BY_HEADER.get(header_key(header))
    return FIELDS_BY_NAME[name] if name else None


def fields_of_group(group: str) -> tuple[Field, ...]:
    """The fields of one group (``location``, ``reason``, ``ced_device`` ...) in form order."""
    return tuple(f for f in FIELDS if f.group == group)


def _check() -> None:
    for group, dim in (("location", "location"), ("reason", "reason"), ("impact_factor", "impact_factor")):
        keys = {f.key for f in fields_of_group(group)}
        assert keys == {t.key for t in DIMENSIONS[dim]}, group
    assert len(FY20_HEADERS) == 271, len(FY20_HEADERS)


_check()
