"""The domain vocabularies: tactics, CED (Taser) levels, and the categories of each dimension.

Keys are the stable identifiers promised in ``docs/interfaces.md``; labels are the Home Office's
wording. A category a publication adds later gets a new key; a key is never reused for a
different meaning.

The CED highest-use hierarchy is a named, versioned configuration profile (YAML files under
``forcewatch/profiles/ced_hierarchy``), because sources disagree on the order of the levels:
``mps_ho_table`` (the London Datastore counting rules, which read in reverse give the column order
of Home Office Table 13) and ``listing_2015`` (the 2015 Taser release's listing). Every output that
depends on it records the profile name, version and hash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Literal

import yaml

from .errors import UnknownName, UsageError

__all__ = [
    "Term",
    "TACTICS",
    "CED_LEVELS",
    "DIMENSIONS",
    "CedHierarchy",
    "ced_hierarchy",
    "hierarchy_profiles",
    "tactic",
    "category",
    "categories",
    "ETHNICITY_MAPPINGS",
    "health_category",
    "DEFAULT_HIERARCHY",
    "TOTAL_CATEGORY",
    "CATEGORY_GROUPS",
]

DEFAULT_HIERARCHY = "mps_ho_table"


@dataclass(frozen=True)
class Term:
    """One vocabulary entry: a stable key, the Home Office label, and its place in a tree."""

    key: str
    label: str
    parent: str | None = None
    #: other labels the publications and forms use for the same thing
    synonyms: tuple[str, ...] = ()
    note: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"key": self.key, "label": self.label, "parent": self.parent or "", "note": self.note}


def _t(key: str, label: str, parent: str | None = None, *synonyms: str, note: str = "") -> Term:
    return Term(key, label, parent, tuple(synonyms), note)


# --- tactics -------------------------------------------------------------------------------

TACTICS: tuple[Term, ...] = (
    _t("all", "All tactics", None, "Total Tactics", "Total (excluding not reported and tactical communication)",
       note="reports involving any tactic, excluding tactical communication and not reported"),
    _t("tactical_communication", "Tactical communication", None, "Tactical communication (with other tactic)", "Tactical Communications",
       note="shown only where used with another tactic; outside the total"),
    _t("not_reported", "Not reported", None, "Total Not reported", note="reports with no tactic recorded; outside the total"),
    _t("restraint", "Restraint", "all", "Total Restraint"),
    _t("handcuffing", "Handcuffing", "restraint", "Handcuffing, of which"),
    _t("handcuffing_compliant", "Compliant handcuffing", "handcuffing", "Compliant Handcuffing"),
    _t("handcuffing_non_compliant", "Non-compliant handcuffing", "handcuffing", "Non-Compliant Handcuffing"),
    _t("handcuffing_not_stated", "Handcuffing, not stated", "handcuffing", "Not stated handcuffing"),
    _t("limb_body_restraint", "Limb or body restraints", "restraint", "Limb / Body restraints", "Limb/Body Restraints"),
    _t("ground_restraint", "Ground restraint", "restraint", "Ground Restraint"),
    _t("unarmed_skills", "Unarmed skills", "all", "Total Unarmed skills",
       "Unarmed Skills (including pressure points, strikes, restraints and take-downs)"),
    _t("other_equipment", "Other equipment", "all", "Total Other equipment"),
    _t("baton", "Baton", "other_equipment", "Baton, of which"),
    _t("baton_drawn", "Baton drawn", "baton", "Baton Drawn"),
    _t("baton_used", "Baton used", "baton", "Baton Used"),
    _t("baton_not_stated", "Baton, not stated", "baton", "Not stated baton"),
    _t("irritant_spray", "Irritant spray", "other_equipment", "Irritant spray, of which"),
    _t("irritant_spray_drawn", "Irritant spray drawn", "irritant_spray", "Irritant spray - drawn",
       "Irritant Spray - CS Drawn", "Irritant Spray - PAVA Drawn"),
    _t("irritant_spray_used", "Irritant spray used", "irritant_spray", "Irritant spray - used",
       "Irritant Spray - CS Used", "Irritant Spray - PAVA Used"),
    _t("irritant_spray_not_stated", "Irritant spray, not stated", "irritant_spray", "Not stated irritant spray"),
    _t("spit_bite_guard", "Spit and bite guard", "other_equipment", "Spit Guard", "Spit guard", "Spit and bite guards"),
    _t("shield", "Shield", "other_equipment"),
    _t("less_lethal", "Less lethal weapons", "all", "Total Less lethal weapons"),
    _t("ced", "CED (Taser)", "less_lethal", "CED", "CED, of which"),
    _t("ced_non_discharge", "CED non-discharge", "ced", "Total non-discharge", "Non-discharge"),
    _t("ced_discharge", "CED discharge", "ced", "Total discharge", "Discharge"),
    _t("ced_drawn", "CED drawn", "ced_non_discharge", "Drawn", "CED (Taser) Drawn"),
    _t("ced_aimed", "CED aimed", "ced_non_discharge", "Aimed", "CED (Taser) Aimed"),
    _t("ced_red_dot", "CED red-dot", "ced_non_discharge", "Red-dot", "Red-dotted", "CED (Taser) Red-Dotted"),
    _t("ced_arced", "CED arced", "ced_non_discharge", "Arced", "CED (Taser) Arced"),
    _t("ced_drive_stun", "CED drive stun", "ced_discharge", "Drive stun", "Drive-stun", "CED (Taser) Drive Stun"),
    _t("ced_angled_drive_stun", "CED angled drive stun", "ced_discharge", "Angled drive stun", "Angle-drive stun",
       "Angle drive stun", "CED (Taser) Angle Drive Stun"),
    _t("ced_fired", "CED fired", "ced_discharge", "Fired", "CED (Taser) Fired"),
    _t("ced_not_stated", "CED, not stated", "ced", "Not stated CED",
       note="CED uses sent as summary totals without report-level detail"),
    _t("aep", "AEP", "less_lethal", "AEP, of which", note="attenuating energy projectile"),
    _t("aep_aimed", "AEP aimed", "aep", "AEP Aimed"),
    _t("aep_fired", "AEP fired", "aep", "AEP Fired"),
    _t("aep_not_stated", "AEP, not stated", "aep", "Not stated AEP"),
    _t("firearms", "Firearms", "all", "Total Firearms", "Firearm Aimed", "Firearm Fired"),
    _t("other", "Other", "all", "Total Other"),
    _t("dog", "Dog", "other", "Dog use, of which"),
    _t("dog_deployed", "Dog deployed", "dog", "Dog Deployed"),
    _t("dog_bite", "Dog bite", "dog", "Dog Bite"),
    _t("dog_not_stated", "Dog, not stated", "dog", "Not stated dog"),
    _t("other_improvised", "Other or improvised", "other", "Other / improvised", "Other/Improvised"),
)

_TACTICS_BY_KEY = {t.key: t for t in TACTICS}

# --- CED levels ----------------------------------------------------------------------------

CedLevel = Literal["drawn", "aimed", "red_dot", "arced", "drive_stun", "angled_drive_stun", "fired"]

#: the seven levels in the Home Office Table 13 column order (non-discharge, then discharge)
CED_LEVELS: tuple[str, ...] = ("drawn", "aimed", "red_dot", "arced", "drive_stun", "fired", "angled_drive_stun")
CED_DISCHARGE_LEVELS = frozenset({"drive_stun", "fired", "angled_drive_stun"})


# --- dimensions and categories -------------------------------------------------------------

DIMENSIONS: dict[str, tuple[Term, ...]] = {
    "age": (
        _t("under_11", "Under 11", None, "Under 11 years", "0-10"),
        _t("11_17", "11-17", None, "11 - 17 years", "11-17 years"),
        _t("18_34", "18-34", None, "18 - 34 years", "18-34 years"),
        _t("35_49", "35-49", None, "35 - 49 years", "35-49 years"),
        _t("50_64", "50-64", None, "50 - 64 years", "50-64 years"),
        _t("65_plus", "65 and over", None, "65 and over years", "65+"),
        _t("not_reported", "Not reported"),
    ),
    "gender": (
        _t("male", "Male"),
        _t("female", "Female"),
        _t("other", "Other"),
        _t("not_reported", "Not reported"),
    ),
    "ethnicity": (
        _t("white", "White"),
        _t("black", "Black (or Black British)", None, "Black", "Black or Black British"),
        _t("asian", "Asian (or Asian British)", None, "Asian", "Asian or Asian British",
           note="from 2019-20 includes Chinese"),
        _t("chinese", "Chinese", note="a separate category in 2017-18 and 2018-19 only"),
        _t("mixed", "Mixed"),
        _t("other", "Other", None, "Other ethnic group"),
        _t("dont_know", "Don't know", None, "Dont know", "Don't Know", note="2017-18 and 2018-19 only"),
        _t("not_reported", "Not reported"),
    ),
    "health": (
        _t("mental", "Mental"),
        _t("physical", "Physical"),
        _t("physical_and_mental", "Physical and mental", None, "Physical & mental"),
        _t("none", "None"),
        _t("not_reported", "Not reported"),
    ),
    "reason": (
        _t("protect_self", "Protect self"),
        _t("protect_public", "Protect public"),
        _t("protect_subject", "Protect subject", None, "Protect person involved"),
        _t("protect_other_officers", "Protect other officers"),
        _t("prevent_offence", "Prevent offence"),
        _t("secure_evidence", "Secure evidence"),
        _t("effect_search", "Effect search"),
        _t("effect_arrest", "Effect arrest"),
        _t("method_of_entry", "Method of entry"),
        _t("remove_handcuffs", "Remove handcuffs"),
        _t("prevent_harm", "Prevent harm"),
        _t("prevent_escape", "Prevent escape"),
        _t("other", "Other"),
    ),
    "impact_factor": (
        _t("weapon", "Possession of a weapon", None, "Possesion of a weapon"),
        _t("alcohol", "Alcohol"),
        _t("drugs", "Drugs"),
        _t("mental_health", "Mental health"),
        _t("prior_knowledge", "Prior knowledge"),
        _t("size_gender_build", "Size/gender/build", None, "Size / gender / build"),
        _t("acute_behavioural_disturbance", "Acute behavioural disturbance", None, "Acute Behavioural Disorder"),
        _t("crowd", "Crowd"),
        _t("other", "Other"),
    ),
    "outcome": (
        _t("made_off", "Made off/escaped", None, "Made off / escaped"),
        _t("arrested", "Arrested"),
        _t("hospitalised", "Hospitalised"),
        _t("detained_mha", "Detained (Mental Health Act)", None, "Detained - Mental Health Act"),
        _t("fatality", "Fatality"),
        _t("no_further_action", "No further action", note="added by later releases and forms"),
        _t("other", "Other"),
    ),
    "location": (
        _t("street_highway", "Street/highway", None, "Street/ highway", "Street / highway"),
        _t("public_transport", "Public transport"),
        _t("retail_premises", "Retail premises"),
        _t("open_ground", "Open ground", None, "Open ground (e.g. park, car park, field)",
           "Open ground (e.g. park, car park, field etc.)"),
        _t("licensed_premises", "Licensed premises"),
        _t("sports_stadia", "Sports or event stadia"),
        _t("hospital", "Hospital/A&E (non-mental-health setting)", None, "Hospital/A&E",
           "Hospital/ A&E (non mental health setting)"),
        _t("mental_health_setting", "Mental health setting"),
        _t("police_vehicle_cage", "Police vehicle with prisoner handling cage"),
        _t("police_vehicle_no_cage", "Police vehicle without prisoner handling cage"),
        _t("police_station", "Police station (excluding custody block)"),
        _t("custody_block", "Custody block"),
        _t("ambulance", "Ambulance"),
        _t("dwelling", "Dwelling"),
        _t("other", "Other"),
    ),
    "injury_level": (
        _t("minor", "Minor"),
        _t("severe", "Severe"),
        _t("death", "Death", note="persons involved only"),
        _t("not_reported", "Not reported"),
    ),
    "injured": (
        _t("yes", "Yes"),
        _t("no", "No"),
        _t("unknown", "Unknown"),
        _t("not_reported", "Not reported"),
    ),
    # Officer injury table: was the officer's injury the result of an intentional assault?
    "intentional": (
        _t("yes", "Yes"),
        _t("no", "No"),
        _t("not_reported", "Not reported"),
    ),
}

#: Group columns that published tables show beside their members, each the sum of its members
#: (the Home Office location table's "Public", "Police setting" and "Medical setting"). They are
#: not categories a report records, so they are kept out of :data:`DIMENSIONS`.
CATEGORY_GROUPS: dict[str, dict[str, tuple[Term, tuple[str, ...]]]] = {
    "location": {
        "public": (_t("public", "Public", note="group of public locations"),
                   ("street_highway", "open_ground", "retail_premises", "licensed_premises",
                    "public_transport", "sports_stadia")),
        "police_setting": (_t("police_setting", "Police setting", note="group of police settings"),
                           ("police_vehicle_cage", "police_vehicle_no_cage", "police_station", "custody_block")),
        "medical_setting": (_t("medical_setting", "Medical setting", note="group of medical settings"),
                            ("hospital", "mental_health_setting", "ambulance")),
    },
}

#: the category key of a published total across a whole dimension ("Total incidents per tactic",
#: "All categories", "Total incidents"); it is not listed in :data:`DIMENSIONS`.
TOTAL_CATEGORY = "all"

#: dimensions where a report may tick several categories (counts do not sum to the report total)
MULTI_SELECT_DIMENSIONS = frozenset({"reason", "impact_factor", "outcome", "location"})


def tactic(key: str) -> Term:
    """The tactic with this key; unknown keys name the nearest known ones."""
    try:
        return _TACTICS_BY_KEY[key]
    except KeyError:
        import difflib

        raise UnknownName("tactic", key, difflib.get_close_matches(key, _TACTICS_BY_KEY, n=3)) from None


def categories(dimension: str) -> tuple[Term, ...]:
    """The categories of a dimension (``age``, ``ethnicity``, ``reason`` ...)."""
    try:
        return DIMENSIONS[dimension]
    except KeyError:
        import difflib

        raise UnknownName("dimension", dimension, difflib.get_close_matches(dimension, DIMENSIONS, n=3)) from None


def category(dimension: str, key: str) -> Term:
    """One category of a dimension, by key."""
    for term in categories(dimension):
        if term.key == key:
            return term
    import difflib

    keys = [t.key for t in categories(dimension)]
    raise UnknownName(f"{dimension} category", key, difflib.get_close_matches(key, keys, n=3))


def tactic_children(key: str) -> list[Term]:
    """Direct children of a tactic in the Home Office tree."""
    return [t for t in TACTICS if t.parent == key]


# --- ethnicity mappings across the 2019-20 change ------------------------------------------

#: ``eth_2017``: the eight categories of 2017-18 and 2018-19. ``eth_2019``: six categories,
#: Chinese counted in Asian; "Don't know" has no column after the change and is not mapped
#: (``None``): report it separately and flag the difference, never invent a home for it.
ETHNICITY_MAPPINGS: dict[str, dict[str, str | None]] = {
    "eth_2017": {k: k for k in ("white", "black", "asian", "chinese", "mixed", "other", "dont_know", "not_reported")},
    "eth_2019": {
        "white": "white", "black": "black", "asian": "asian", "chinese": "asian", "mixed": "mixed",
        "other": "other", "dont_know": None, "not_reported": "not_reported",
    },
}


def health_category(physical: bool | None, mental: bool | None) -> str:
    """Home Office health category from the form's two disability flags.

    Our inference (documented in use-of-force-data.md, to confirm before publication): both Yes is
    physical and mental; one Yes is that one; both No is none; anything missing is not reported.
    """
    if physical is None and mental is None:
        return "not_reported"
    if physical and mental:
        return "physical_and_mental"
    if physical:
        return "physical"
    if mental:
        return "mental"
    if physical is False and mental is False:
        return "none"
    return "not_reported"


# --- the CED highest-use hierarchy ---------------------------------------------------------


@dataclass(frozen=True)
class CedHierarchy:
    """A versioned ranking of CED levels used to count each report once at its highest level."""

    profile: str
    version: str
    order_high_to_low: tuple[str, ...]
    discharge: frozenset[str]
    description: str = ""
    _rank: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        levels = set(self.order_high_to_low)
        if levels != set(CED_LEVELS) or len(self.order_high_to_low) != len(CED_LEVELS):
            raise UsageError(
                f"CED hierarchy {self.profile!r} must rank each of the seven levels exactly once",
                hint="levels: " + ", ".join(CED_LEVELS),
            )
        if not self.discharge <= levels:
            raise UsageError(f"CED hierarchy {self.profile!r} names unknown discharge levels")
        n = len(self.order_high_to_low)
        object.__setattr__(self, "_rank", {lvl: n - i for i, lvl in enumerate(self.order_high_to_low)})
        # Every source agrees that every discharge level outranks every non-discharge level.
        lowest_discharge = min(self._rank[d] for d in self.discharge)
        highest_non = max(self._rank[lvl] for lvl in levels - self.discharge)
        if lowest_discharge < highest_non:
            raise UsageError(
                f"CED hierarchy {self.profile!r} ranks a non-discharge level above a discharge level",
                hint="the discharge / non-discharge roll-up must be the same under every profile",
            )

    def rank(self, level: str) -> int:
        """7 for the highest level, 1 for the lowest."""
        try:
            return self._rank[level]
        except KeyError:
            raise UnknownName("CED level", level, list(CED_LEVELS)) from None

    def highest(self, levels: Iterable[str]) -> str | None:
        """The highest of the given levels, or ``None`` if there are none."""
        best: str | None = None
        for level in levels:
            if best is None or self.rank(level) > self.rank(best):
                best = level
        return best

    def ced_class(self, level: str | None) -> str:
        """``discharge``, ``non_discharge`` or ``not_stated`` (no level recorded)."""
        if level is None:
            return "not_stated"
        self.rank(level)
        return "discharge" if level in self.discharge else "non_discharge"

    def as_dict(self) -> dict[str, object]:
        return {
            "profile": self.profile,
            "version": self.version,
            "order_high_to_low": list(self.order_high_to_low),
            "discharge": sorted(self.discharge),
        }

    @property
    def sha256(self) -> str:
        """Hash of the canonical JSON form, recorded beside every output that used it."""
        return hashlib.sha256(json.dumps(self.as_dict(), sort_keys=True).encode()).hexdigest()

    @classmethod
    def from_mapping(cls, data: dict, source: str = "") -> "CedHierarchy":
        try:
            spec = data["ced_hierarchy"] if "ced_hierarchy" in data else data
            return cls(
                profile=str(spec["profile"]),
                version=str(spec["version"]),
                order_high_to_low=tuple(spec["order_high_to_low"]),
                discharge=frozenset(spec["discharge"]),
                description=str(spec.get("description", "")),
            )
        except (KeyError, TypeError) as exc:
            raise UsageError(
                f"CED hierarchy {source or 'profile'} is missing {exc}",
                hint="a profile needs profile, version, order_high_to_low and discharge",
            ) from None


def _profile_dir() -> Path:
    return Path(str(resources.files("forcewatch") / "profiles" / "ced_hierarchy"))


def hierarchy_profiles() -> list[str]:
    """Names of the bundled CED hierarchy profiles."""
    return sorted(p.stem for p in _profile_dir().glob("*.yaml"))


@lru_cache(maxsize=32)
def ced_hierarchy(name_or_path: str = DEFAULT_HIERARCHY) -> CedHierarchy:
    """Load a CED hierarchy profile by bundled name (``mps_ho_table``) or from a YAML file path."""
    path = Path(name_or_path)
    if not (path.suffix in (".yaml", ".yml") and path.exists()):
        path = _profile_dir() / f"{name_or_path}.yaml"
        if not path.exists():
            import difflib

            raise UnknownName(
                "CED hierarchy profile", name_or_path,
                difflib.get_close_matches(name_or_path, hierarchy_profiles(), n=3) or hierarchy_profiles(),
            )
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise UsageError(f"CED hierarchy file {path} is not a YAML mapping")
    return CedHierarchy.from_mapping(data, str(path))
