"""The fields of an assault record and the rules that check them: one set, shared by the CSV importer
and the web form, so an assault entered by hand is checked exactly as an imported one.

:func:`check_assault` takes one record's answers keyed by CSV header (``OffenceDate``) or field name
(``offence_date``), and returns the stored shape and every problem found, each naming its row,
column, value and what was expected. Values of a vocabulary may be given by key or label, in any
case; lists are separated by ``;``. Booleans are ``yes``/``no`` (also ``y``, ``true``, ``1`` ...).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable, Mapping

from . import assault_reference as ref
from .errors import Problem, UnknownName, UsageError

__all__ = ["FIELDS", "HEADERS", "BY_NAME", "WELFARE_FIELDS", "Field", "CheckedAssault", "check_assault", "check_welfare", "parse_bool",
           "parse_date", "parse_list", "content_hash"]


@dataclass(frozen=True)
class Field:
    """One field: its CSV header, stored name, kind (text, date, bool, int, term, terms, offence, refs)."""

    header: str
    name: str
    kind: str
    vocabulary: str | None = None
    required: bool = False
    max_length: int = 200
    welfare: bool = False
    help: str = ""


FIELDS: tuple[Field, ...] = (
    Field("CrimeRef", "crime_ref", "text", required=True, max_length=60, help="the force's crime reference"),
    Field("IncidentRef", "incident_ref", "text", max_length=60, help="the incident (command and control) reference"),
    Field("VictimStaffId", "victim_staff_id", "text", max_length=40,
          help="the assaulted officer's staff identifier: only its pseudonym is stored"),
    Field("VictimTeam", "team", "text", max_length=80),
    Field("VictimRole", "victim_role", "term", "victim_roles", required=True),
    Field("DutyRole", "duty_role", "term", "duty_roles"),
    Field("ServiceBand", "service_band", "term", "service_bands"),
    Field("OnDutyStatus", "on_duty_status", "term", "on_duty_statuses"),
    Field("SingleCrewed", "single_crewed", "bool"),
    Field("TaserCarried", "taser_carried", "bool"),
    Field("Offence", "offence", "offence", required=True),
    Field("OffenceDate", "offence_date", "date", required=True),
    Field("RecordedDate", "recorded_date", "date"),
    Field("InjuryLevel", "injury_level", "term", "injury_levels", required=True),
    Field("Methods", "methods", "terms", "assault_methods"),
    Field("Weapon", "weapon", "term", "weapons"),
    Field("BodyParts", "body_parts", "terms", "body_parts"),
    Field("SuspectDemeanour", "suspect_demeanour", "terms", "suspect_demeanours"),
    Field("EquipmentCarried", "equipment_carried", "terms", "equipment"),
    Field("EquipmentUsed", "equipment_used", "terms", "equipment"),
    Field("ExposureRisk", "exposure_risk", "bool", help="exposure to blood or saliva"),
    Field("Circumstances", "circumstances", "text", max_length=4000),
    Field("UseOfForceReportRefs", "use_of_force_refs", "refs", help="the linked use-of-force reports' references"),
    Field("OnHealthAndSafetySystem", "on_hs_system", "bool"),
    Field("Simulated", "simulated", "bool"),
    Field("FirstWelfareContactDate", "first_welfare_contact_date", "date", welfare=True),
    Field("WelfareContacts", "welfare_contacts", "int", welfare=True),
    Field("VictimRemovedFromInvestigation", "victim_removed_from_investigation", "bool", welfare=True),
    Field("InvestigatorIsVictim", "investigator_is_victim", "bool", welfare=True),
    Field("VpsOffered", "vps_offered", "bool", welfare=True),
    Field("VpsTaken", "vps_taken", "bool", welfare=True),
    Field("VictimCodeUpdates", "victim_code_updates", "int", welfare=True),
    Field("OccupationalHealthReferral", "occupational_health_referral", "bool", welfare=True),
    Field("AbsenceDays", "absence_days", "int", welfare=True),
    Field("SecondLineReview", "second_line_review", "bool", welfare=True),
    Field("ScrutinyPanelReview", "scrutiny_panel_review", "bool", welfare=True),
)
#: CSV header -> field, and field name -> field
HEADERS = {f.header: f for f in FIELDS}
BY_NAME = {f.name: f for f in FIELDS}
WELFARE_FIELDS = tuple(f.name for f in FIELDS if f.welfare)

_TRUE = {"yes", "y", "true", "t", "1"}
_FALSE = {"no", "n", "false", "f", "0"}


def parse_bool(text: str) -> bool:
    """``yes``/``no`` and the usual spellings; :class:`ValueError` otherwise."""
    value = text.strip().lower()
    if value in _TRUE or value in _FALSE:
        return value in _TRUE
    raise ValueError("yes or no")


def parse_date(text: str) -> date:
    """``2024-05-31`` or ``31/05/2024``; :class:`ValueError` otherwise."""
    value = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            pass
    raise ValueError("a date like 2024-05-31 or 31/05/2024")


def parse_list(text: str) -> list[str]:
    """Items separated by ``;`` (or ``|``), blanks dropped."""
    return [item.strip() for item in text.replace("|", ";").split(";") if item.strip()]


def _term(vocabulary: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        found = ref.lookup(vocabulary, text)
        if found is None:
            raise ValueError("one of " + ", ".join(ref.reference().vocabularies[vocabulary]))
        return found.key
    return parse


@dataclass
class CheckedAssault:
    """One assault as it will be stored, and every problem found in it."""

    assault: dict[str, Any] = field(default_factory=dict)
    welfare: dict[str, Any] | None = None
    use_of_force_refs: list[str] = field(default_factory=list)
    victim_staff_id: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def _parse(f: Field, text: str) -> Any:
    if f.kind == "text":
        if len(text) > f.max_length:
            raise ValueError(f"at most {f.max_length:,} characters")
        return text
    if f.kind == "date":
        return parse_date(text)
    if f.kind == "bool":
        return parse_bool(text)
    if f.kind == "int":
        if not text.strip().isdigit():
            raise ValueError("a whole number, 0 or more")
        return int(text)
    if f.kind == "term":
        return _term(str(f.vocabulary))(text)
    if f.kind == "terms":
        parse = _term(str(f.vocabulary))
        return sorted({parse(item) for item in parse_list(text)})
    if f.kind == "offence":
        try:
            return ref.offence(text).key
        except UnknownName:
            raise ValueError("one of " + ", ".join(ref.reference().offences)) from None
    if f.kind == "refs":
        return sorted({item[:200] for item in parse_list(text)})
    raise UsageError(f"unknown field kind {f.kind!r}")  # pragma: no cover


class _Reader:
    """Parses answers field by field, collecting problems that name the column as the input wrote it."""

    def __init__(self, values: Mapping[str, str | None], file: str | None, row: int | None,
                 wanted: Callable[[Field], bool]) -> None:
        self.file, self.row = file, row
        self.headers: dict[str, str] = {}
        self.problems: list[Problem] = []
        self.parsed: dict[str, Any] = {}
        for key, raw in values.items():
            f = HEADERS.get(key) or BY_NAME.get(key)
            if f is None or not wanted(f):
                continue  # the importer reports unknown columns once, not on every row
            self.headers[f.name] = key
            text = (raw or "").strip()
            if not text:
                continue
            try:
                self.parsed[f.name] = _parse(f, text)
            except ValueError as exc:
                self.problem("error", f"{f.header} cannot be read", f.name, text, str(exc))

    def problem(self, severity: str, message: str, name: str | None, value: Any = None,
                expected: str | None = None) -> None:
        column = self.headers.get(name, BY_NAME[name].header) if name else None
        self.problems.append(Problem(message, file=self.file, row=self.row, column=column, value=value,
                                     expected=expected, severity=severity))


def check_assault(values: Mapping[str, str | None], *, file: str | None = None, row: int | None = None,
                  today: date | None = None) -> CheckedAssault:
    """Check one assault's answers (keys: CSV headers or field names); see the module docstring."""
    reader = _Reader(values, file, row, lambda f: True)
    parsed = reader.parsed
    for f in FIELDS:
        if f.required and f.name not in parsed and not any(
                p.column in (f.header, reader.headers.get(f.name)) for p in reader.problems):
            reader.problem("error", f"{f.header} is empty", f.name, expected=f.help or f"a {f.header}")
    _cross_checks(parsed, reader.problem, today or date.today())
    out = CheckedAssault(problems=reader.problems)
    out.victim_staff_id = parsed.pop("victim_staff_id", None)
    out.use_of_force_refs = parsed.pop("use_of_force_refs", [])
    welfare = {name: parsed.pop(name) for name in WELFARE_FIELDS if name in parsed}
    out.welfare = welfare or None
    if out.ok:
        out.assault = _stored(parsed)
    return out


def check_welfare(values: Mapping[str, str | None], *, file: str | None = None,
                  row: int | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Check the welfare answers only (other keys are ignored): ``(welfare, errors)``."""
    reader = _Reader(values, file, row, lambda f: f.welfare)
    _cross_checks(reader.parsed, reader.problem, date.today())
    return reader.parsed, [p for p in reader.problems if p.severity == "error"]


def _cross_checks(p: dict[str, Any], problem: Callable[..., None], today: date) -> None:
    when = p.get("offence_date")
    if when is not None:
        if when > today:
            problem("error", "OffenceDate is in the future", "offence_date", when.isoformat(), f"on or before {today}")
        if p.get("recorded_date") and p["recorded_date"] < when:
            problem("error", "RecordedDate is before OffenceDate", "recorded_date", p["recorded_date"].isoformat(),
                    f"on or after {when.isoformat()}")
        welfare = p.get("first_welfare_contact_date")
        if welfare and welfare < when:
            problem("error", "FirstWelfareContactDate is before OffenceDate", "first_welfare_contact_date",
                    welfare.isoformat(), f"on or after {when.isoformat()}")
    if "offence" in p:
        offence = ref.offence(p["offence"])
        if when is not None and offence.effective_from and when < offence.effective_from:
            problem("error", f"{offence.legislation} was not in force on the offence date", "offence", p["offence"],
                    f"an offence in force on {when.isoformat()} (this one from {offence.effective_from.isoformat()})")
        role = p.get("victim_role")
        if offence.key == "s89_assault_constable" and role and not ref.term("victim_roles", role).extra["constable"]:
            problem("error", "Police Act 1996 s.89 protects constables only", "offence", p["offence"],
                    "ew_common_assault or common_assault for a victim who is not a constable")
        if offence.injury == "without" and p.get("injury_level") not in (None, "none"):
            problem("warning", f"{offence.label} is an offence without injury, but an injury is recorded "
                    "(check the offence: an assault with injury is counted in class 8S)", "injury_level",
                    p["injury_level"])
    carried = p.get("equipment_carried", [])
    if p.get("taser_carried") is False and "taser" in carried:
        problem("error", "TaserCarried is No but EquipmentCarried includes Taser", "taser_carried", "no",
                "the two to agree")
    if p.get("vps_taken") and p.get("vps_offered") is False:
        problem("error", "VpsTaken is Yes but VpsOffered is No", "vps_taken", "yes", "the two to agree")
    if p.get("investigator_is_victim"):
        problem("warning", "the victim is recorded as the investigator of their own assault (Operation Hampshire: "
                "the victim never investigates their own assault)", "investigator_is_victim", "yes")


def _stored(p: dict[str, Any]) -> dict[str, Any]:
    carried = p.get("equipment_carried", [])
    methods = p.get("methods", [])
    role = p["victim_role"]
    return {
        "crime_ref": p["crime_ref"], "incident_ref": p.get("incident_ref"), "team": p.get("team"),
        "victim_role": role, "duty_role": p.get("duty_role"), "service_band": p.get("service_band"),
        "on_duty_status": p.get("on_duty_status", "on_duty"), "single_crewed": p.get("single_crewed"),
        "taser_carried": True if "taser" in carried else p.get("taser_carried"),
        "offence": p["offence"], "ho_class": ref.ho_class_for(p["offence"], role),
        "offence_date": p["offence_date"], "recorded_date": p.get("recorded_date"),
        "injury_level": p["injury_level"], "methods": methods, "spit_or_bite": bool({"spit", "bite"} & set(methods)),
        "weapon": p.get("weapon"), "body_parts": p.get("body_parts", []),
        "suspect_demeanour": p.get("suspect_demeanour", []), "equipment_carried": carried,
        "equipment_used": p.get("equipment_used", []), "exposure_risk": p.get("exposure_risk"),
        "circumstances": p.get("circumstances"), "on_hs_system": p.get("on_hs_system"),
        "simulated": bool(p.get("simulated", False)),
    }


def content_hash(assault: Mapping[str, Any], welfare: Mapping[str, Any] | None, refs: list[str]) -> str:
    """A short hash of everything a record holds, to tell an unchanged re-import from a revision."""
    document = json.dumps({"assault": dict(assault), "welfare": dict(welfare or {}), "refs": refs}, sort_keys=True,
                          default=str, separators=(",", ":"))
    return hashlib.sha256(document.encode("utf-8")).hexdigest()[:32]
