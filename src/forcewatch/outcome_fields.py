"""The events of an assault's outcome trail, their layers, and the rules that check one event.

Four outcome layers are kept apart (section 3 of ``assaults-and-review.md``), never collapsed into one
status: ``crime_outcome`` (A, the Home Office outcome type, set by the police), ``charging`` (B,
charge, pre-charge decisions and the CPS finalisation), ``court`` (C) and ``sentence`` (D). Steps of
the investigation (arrest, interview, bail ...) are events too, in their own layer, and so are
corrections (``entered_in_error``).

:func:`check_event` is shared by the web form and the CSV importer. Keys may be CSV headers
(``EventType``) or field names (``event_type``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Mapping

from . import assault_reference as ref
from .assault_fields import parse_bool, parse_date, parse_list
from .errors import Problem, UnknownName, UsageError

__all__ = ["EventType", "EVENT_TYPES", "EVENT_FIELDS", "LAYER_LABELS", "check_event"]

LAYER_LABELS = {
    "investigation": "Investigation", "crime_outcome": "A. Crime outcome (police)",
    "charging": "B. Charging and finalisation (police and CPS)", "court": "C. Court result",
    "sentence": "D. Sentence", "correction": "Correction",
}


@dataclass(frozen=True)
class EventType:
    """One kind of event: its layer, label, the fields it needs and the fields it may carry."""

    key: str
    layer: str
    label: str
    required: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()


_COURT = ("court", "s67_stated", "vps_read", "bwv_played")
EVENT_TYPES: dict[str, EventType] = {e.key: e for e in (
    EventType("arrest", "investigation", "Suspect arrested"),
    EventType("interview", "investigation", "Suspect interviewed"),
    EventType("bail", "investigation", "Suspect bailed"),
    EventType("released_under_investigation", "investigation", "Released under investigation"),
    EventType("ho_outcome", "crime_outcome", "Home Office outcome assigned", ("ho_outcome",)),
    EventType("cps_referral", "charging", "Referred to the CPS for a charging decision"),
    EventType("action_plan", "charging", "CPS action plan (more evidence needed)"),
    EventType("nfa", "charging", "No further action", (), ("pre_charge_decision",)),
    EventType("admin_finalised", "charging", "Administratively finalised (can reopen)"),
    EventType("charge", "charging", "Charged", ("charged_offences",), ("charge_route",)),
    EventType("summons", "charging", "Summonsed or postal requisition", ("charged_offences",)),
    EventType("oocd", "charging", "Out-of-court disposal"),
    EventType("discontinuance", "charging", "Prosecution discontinued"),
    EventType("cps_finalised", "charging", "CPS finalisation", ("cps_finalisation",)),
    EventType("vrr", "charging", "Victims' Right to Review", ("vrr_result",)),
    EventType("first_hearing", "court", "First hearing", (), _COURT),
    EventType("plea", "court", "Plea entered", ("plea",), _COURT),
    EventType("sent_to_crown_court", "court", "Sent to the Crown Court", (), _COURT),
    EventType("trial", "court", "Trial", (), _COURT),
    EventType("verdict", "court", "Verdict", ("verdict",), (*_COURT, "convicted_offences")),
    EventType("sentence", "sentence", "Sentenced", ("sentence_disposal",),
              ("custody_days", "ancillary_orders", *_COURT)),
    EventType("appeal", "sentence", "Appeal"),
    EventType("uls_referral", "sentence", "Unduly lenient sentence referral"),
    EventType("entered_in_error", "correction", "Earlier entry withdrawn as entered in error", ("corrects_event_id",)),
)}

#: field -> (CSV header, parser); every event may also carry the common fields
EVENT_FIELDS: dict[str, tuple[str, Callable[[str], Any]]] = {}
_COMMON = ("suspect_id", "source", "note", "corrects_event_id")
_SOURCES = ("police_system", "cps_notice", "court_register", "manual", "import")


def _term(vocabulary: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        found = ref.lookup(vocabulary, text)
        if found is None:
            raise ValueError("one of " + ", ".join(ref.reference().vocabularies[vocabulary]))
        return found.key
    return parse


def _offences(text: str) -> list[str]:
    try:
        return sorted({ref.offence(item).key for item in parse_list(text)})
    except UnknownName as exc:
        raise ValueError(f"offence keys separated by ';' ({exc})") from None


def _choice(*options: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in options:
            raise ValueError("one of " + ", ".join(options))
        return value
    return parse


def _count(text: str) -> int:
    if not text.strip().isdigit():
        raise ValueError("a whole number, 0 or more")
    return int(text)


def _outcome(text: str) -> str:
    code = text.strip().upper()
    if code not in ref.reference().outcome_types:
        raise ValueError("a Home Office outcome type: " + ", ".join(ref.reference().outcome_types))
    return code


EVENT_FIELDS.update({
    "event_type": ("EventType", _choice(*EVENT_TYPES)),
    "event_date": ("EventDate", parse_date),
    "ho_outcome": ("HoOutcome", _outcome),
    "charge_route": ("ChargeRoute", _term("charge_routes")),
    "pre_charge_decision": ("PreChargeDecision", _term("pre_charge_decisions")),
    "cps_finalisation": ("CpsFinalisation", _term("cps_finalisations")),
    "vrr_result": ("VrrResult", _term("vrr_results")),
    "court": ("Court", _term("courts")),
    "plea": ("Plea", _term("pleas")),
    "verdict": ("Verdict", _term("verdicts")),
    "s67_stated": ("S67Stated", _choice("yes", "no", "na")),
    "vps_read": ("VpsRead", parse_bool),
    "bwv_played": ("BwvPlayed", parse_bool),
    "sentence_disposal": ("SentenceDisposal", _term("sentence_disposals")),
    "custody_days": ("CustodyDays", _count),
    "ancillary_orders": ("AncillaryOrders", lambda t: sorted({_term("ancillary_orders")(i) for i in parse_list(t)})),
    "charged_offences": ("ChargedOffences", _offences),
    "convicted_offences": ("ConvictedOffences", _offences),
    "suspect_id": ("SuspectId", lambda t: t.strip()[:60]),
    "source": ("Source", _choice(*_SOURCES)),
    "note": ("Note", lambda t: t.strip()[:500]),
    "corrects_event_id": ("CorrectsEventId", _count),
})
_BY_HEADER = {header: name for name, (header, _) in EVENT_FIELDS.items()}


def check_event(values: Mapping[str, str | None], *, offence_date: date, today: date | None = None,
                file: str | None = None, row: int | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Check one event's answers against its type; returns ``(event, errors)``.

    ``event`` holds the parsed fields, its ``layer``, and ``statutory_max``: the maxima of its
    charged and convicted offences on the offence date, from the reference data.
    """
    problems: list[Problem] = []
    headers: dict[str, str] = {}
    parsed: dict[str, Any] = {}

    def problem(message: str, name: str, value: Any = None, expected: str | None = None) -> None:
        problems.append(Problem(message, file=file, row=row, column=headers.get(name, EVENT_FIELDS[name][0]),
                                value=value, expected=expected))

    for key, raw in values.items():
        name = key if key in EVENT_FIELDS else _BY_HEADER.get(key)
        if name is None or not (raw or "").strip():
            continue
        headers[name] = key
        try:
            parsed[name] = EVENT_FIELDS[name][1](str(raw))
        except ValueError as exc:
            problem(f"{EVENT_FIELDS[name][0]} cannot be read", name, str(raw).strip(), str(exc))
    kind = EVENT_TYPES.get(parsed.get("event_type", ""))
    for name in ("event_type", "event_date"):
        if name not in parsed and name not in headers:
            problem(f"{EVENT_FIELDS[name][0]} is empty", name, expected="one of " + ", ".join(EVENT_TYPES)
                    if name == "event_type" else "the date of the event")
    if kind is None:
        return {}, problems
    for name in kind.required:
        if name not in parsed and name not in headers:
            problem(f"a {kind.key} event needs {EVENT_FIELDS[name][0]}", name)
    for name in parsed:
        if name not in (*kind.required, *kind.allowed, *_COMMON, "event_type", "event_date"):
            problem(f"{EVENT_FIELDS[name][0]} does not belong to a {kind.key} event", name, values.get(headers[name]),
                    "only " + ", ".join(EVENT_FIELDS[n][0] for n in (*kind.required, *kind.allowed)) if
                    (kind.required or kind.allowed) else "no layer fields for this event")
    when = parsed.get("event_date")
    if when is not None:
        if when < offence_date:
            problem("EventDate is before the offence", "event_date", when.isoformat(),
                    f"on or after {offence_date.isoformat()}")
        if when > (today or date.today()):
            problem("EventDate is in the future", "event_date", when.isoformat(), "today or earlier")
        if "ho_outcome" in parsed:
            try:
                ref.outcome_type(parsed["ho_outcome"], on=when)
            except UsageError as exc:
                problem(str(exc), "ho_outcome", parsed["ho_outcome"])
    disposal = parsed.get("sentence_disposal")
    if "custody_days" in parsed and disposal and not ref.term("sentence_disposals", disposal).extra.get("custody"):
        problem("CustodyDays is given for a sentence without custody", "custody_days", parsed["custody_days"])
    if parsed.get("verdict") == "acquitted" and parsed.get("convicted_offences"):
        problem("ConvictedOffences is given with an acquittal", "convicted_offences")
    if problems:
        return {}, problems
    offences = sorted(set(parsed.get("charged_offences", [])) | set(parsed.get("convicted_offences", [])))
    parsed["layer"] = kind.layer
    parsed["statutory_max"] = {o: ref.statutory_maximum(o, offence_date) for o in offences}
    return parsed, []
