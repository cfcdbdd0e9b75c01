"""The outcome trail of an assault: append-only events, the status derived from them, the time limit.

- :func:`append_outcome` adds one event (``assault.write`` on the assault). Nothing is ever updated or
  deleted: the database refuses it (triggers). A revised decision is a new event; a wrong entry is
  corrected by a new event naming it in ``corrects_event_id`` (an ``entered_in_error`` event
  withdraws it without replacement).
- :func:`outcome_trail` reads the trails of many assaults, marking superseded events.
- :func:`effective_events` drops the superseded ones; :func:`derived_status` turns what is left into
  one status for dashboards. The four layers stay in the events; the status is only a summary.
- :func:`time_limit_status` says where an assault stands against its prosecution time limit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, ClassVar, Iterable, Mapping

from sqlalchemy import Connection, insert, select

from . import assault_reference as ref
from . import audit
from .access import Principal
from .assault_access import load_assault
from .errors import Conflict, InputRefused, Problem
from .outcome_fields import EVENT_TYPES, check_event
from .pseudonyms import officer_pseudonym
from .settings import Settings
from .store import Store
from .store.tables.assaults import cjs_outcome_event

__all__ = ["OutcomeAppended", "STATUSES", "append_outcome", "insert_event", "outcome_trail", "effective_events",
           "derived_status", "time_limit_status", "charged", "convicted", "custody", "suspect_identified"]

#: Derived statuses (for dashboards only) and their labels.
STATUSES = {
    "open_investigation": "Open investigation",
    "awaiting_charge_decision": "Awaiting a charging decision",
    "charged_awaiting_court": "Charged, awaiting court",
    "convicted_awaiting_sentence": "Convicted, awaiting sentence",
    "convicted_and_sentenced": "Convicted and sentenced",
    "out_of_court_disposal": "Out-of-court disposal",
    "nfa": "No further action",
    "unsuccessful_prosecution": "Unsuccessful prosecution",
    "closed_no_suspect": "Closed: no suspect identified",
}


@audit.register
@dataclass(frozen=True, kw_only=True)
class OutcomeAppended(audit.AuditEvent):
    """Fires when an event is added to an assault's outcome trail (``corrects_event_id`` when it corrects one)."""

    name: ClassVar[str] = "assault.outcome_appended"
    subject_type: ClassVar[str] = "officer_assault"
    event_id: int
    layer: str
    event_type: str
    source: str
    corrects_event_id: int | None = None


def _event_key(event: Mapping[str, Any]) -> str:
    keep = {k: v for k, v in event.items() if k not in ("note", "source", "entered_by", "entered_at",
                                                        "statutory_max", "layer")}
    text = json.dumps(keep, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def insert_event(conn: Connection, principal: Principal, row: Any, event: dict[str, Any], *, settings: Settings,
                 source: str) -> tuple[int | None, str]:
    """Store one checked event for the assault ``row`` in ``conn``'s transaction.

    Returns ``(event_id, "stored")``, or ``(None, "duplicate")`` when the same event is already in the trail.
    """
    event = dict(event)
    suspect = event.pop("suspect_id", None)
    if suspect:
        event["suspect_pseudonym"] = officer_pseudonym(settings.officer_pseudonym_key, row.force_code, "S:" + suspect)
    corrects = event.get("corrects_event_id")
    if corrects is not None:
        target = conn.execute(select(cjs_outcome_event.c.assault_id).where(cjs_outcome_event.c.id == corrects)).first()
        if target is None or target.assault_id != row.id:
            raise InputRefused("the event was not added", [Problem(
                f"event {corrects} is not in this assault's trail", column="CorrectsEventId", value=corrects,
                expected="the id of an earlier event of the same assault")])
    event["source"] = event.get("source") or source
    key = _event_key({**event, "assault_id": row.id})
    if conn.execute(select(cjs_outcome_event.c.id).where(cjs_outcome_event.c.assault_id == row.id,
                                                         cjs_outcome_event.c.event_key == key)).first():
        return None, "duplicate"
    values = {"ancillary_orders": [], "charged_offences": [], "convicted_offences": [], **event,
              "assault_id": row.id, "force_code": row.force_code, "entered_by": principal.username,
              "entered_at": datetime.now(timezone.utc), "reference_version": ref.reference().version,
              "event_key": key}
    event_id = int(conn.execute(insert(cjs_outcome_event).returning(cjs_outcome_event.c.id), values).scalar_one())
    audit.append(conn, OutcomeAppended(force_code=row.force_code, subject_id=str(row.id), event_id=event_id,
                                       layer=event["layer"], event_type=event["event_type"], source=event["source"],
                                       corrects_event_id=corrects), actor=principal)
    return event_id, "stored"


def append_outcome(store: Store, principal: Principal, assault_id: int, values: Mapping[str, str | None], *,
                   settings: Settings | None = None, source: str = "manual") -> int:
    """Add one event to an assault's trail (form answers keyed by field or CSV header); returns its id.

    Raises :class:`InputRefused` naming each bad answer, :class:`Conflict` when the same event is
    already in the trail, and :class:`~forcewatch.errors.NotFound` when the assault is not one the
    principal may write to.
    """
    with store.write() as conn:
        row = load_assault(conn, principal, "assault.write", assault_id)
        event, problems = check_event(values, offence_date=row.offence_date, file="form")
        if problems:
            raise InputRefused("the event was not added", problems, hint="correct the answers named and try again")
        event_id, _ = insert_event(conn, principal, row, event, settings=settings or Settings(), source=source)
        if event_id is None:
            raise Conflict("this event is already in the trail", hint="a correction is a new event that names the "
                           "one it corrects")
    return event_id


def outcome_trail(conn: Connection, assault_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """Each assault's events in order (event date, then entry), each marked ``superseded`` or not."""
    ids = list(dict.fromkeys(assault_ids))
    trails: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        query = (select(cjs_outcome_event).where(cjs_outcome_event.c.assault_id.in_(chunk))
                 .order_by(cjs_outcome_event.c.assault_id, cjs_outcome_event.c.event_date, cjs_outcome_event.c.id))
        for r in conn.execute(query):
            event = dict(r._mapping)
            event.pop("event_key")
            trails[event["assault_id"]].append(event)
    for events in trails.values():
        corrected = {e["corrects_event_id"]: e["id"] for e in events if e["corrects_event_id"] is not None}
        for e in events:
            e["superseded_by"] = corrected.get(e["id"])
            e["superseded"] = e["id"] in corrected or e["event_type"] == "entered_in_error"
            e["label"] = EVENT_TYPES[e["event_type"]].label
    return trails


def effective_events(events: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The events that stand: neither corrected by a later event nor themselves a withdrawal."""
    return [e for e in events if not e.get("superseded")]


def _outcome_group(e: Mapping[str, Any]) -> str | None:
    if e["event_type"] != "ho_outcome":
        return None
    return ref.reference().outcome_types[e["ho_outcome"]].group


def charged(events: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Effective charge and summons events, and Home Office outcomes 1 and 1A."""
    return [e for e in effective_events(events) if e["event_type"] in ("charge", "summons")
            or _outcome_group(e) == "charged"]


def convicted(events: Iterable[Mapping[str, Any]]) -> bool:
    """A conviction: a guilty verdict, a successful CPS finalisation, or a sentence."""
    for e in effective_events(events):
        if (e["event_type"] == "verdict" and e["verdict"] == "convicted") or e["event_type"] == "sentence":
            return True
        if e["event_type"] == "cps_finalised" and ref.term("cps_finalisations",
                                                           e["cps_finalisation"]).extra["group"] == "successful":
            return True
    return False


def custody(events: Iterable[Mapping[str, Any]]) -> bool:
    """Sentenced to immediate custody (or another custodial disposal)."""
    return any(e["event_type"] == "sentence" and ref.term("sentence_disposals", e["sentence_disposal"]).extra["custody"]
               for e in effective_events(events))


def suspect_identified(events: Iterable[Mapping[str, Any]]) -> bool:
    """A suspect was identified: any step that needs one, a suspect recorded, or an outcome that implies one."""
    needs_suspect = {"arrest", "interview", "bail", "released_under_investigation", "cps_referral", "action_plan",
                     "charge", "summons", "oocd"}
    for e in effective_events(events):
        if e["event_type"] in needs_suspect or e.get("suspect_pseudonym"):
            return True
        if e["event_type"] == "ho_outcome" and _outcome_group(e) not in ("no_suspect", "other"):
            return True
    return bool(charged(events)) or convicted(events)


def derived_status(events: Iterable[Mapping[str, Any]]) -> str:
    """One status for dashboards, from the effective events (see :data:`STATUSES`)."""
    events = list(events)
    live = effective_events(events)
    types = {e["event_type"] for e in live}
    groups = {_outcome_group(e) for e in live} - {None}
    finalised = {ref.term("cps_finalisations", e["cps_finalisation"]).extra["group"] for e in live
                 if e["event_type"] == "cps_finalised"}
    if "sentence" in types:
        return "convicted_and_sentenced"
    if convicted(events):
        return "convicted_awaiting_sentence"
    if ({"discontinuance"} & types or "unsuccessful" in finalised
            or any(e["event_type"] == "verdict" and e["verdict"] == "acquitted" for e in live)):
        return "unsuccessful_prosecution"
    if charged(events):
        return "charged_awaiting_court"
    if "oocd" in types or groups & {"out_of_court_formal", "out_of_court_informal", "taken_into_consideration"}:
        return "out_of_court_disposal"
    if "no_suspect" in groups:
        return "closed_no_suspect"
    if {"nfa", "admin_finalised"} & types or groups:
        return "nfa"
    if {"cps_referral", "action_plan"} & types:
        return "awaiting_charge_decision"
    return "open_investigation"


_OPEN = ("open_investigation", "awaiting_charge_decision")


def time_limit_status(record: Mapping[str, Any], events: Iterable[Mapping[str, Any]], as_of: date, *,
                      within_days: int = 30) -> dict[str, Any]:
    """Where an assault stands against its prosecution time limit on ``as_of``.

    ``state``: ``none`` (the offence has no limit), ``met`` (charged or summonsed in time), ``late``
    (charged after the limit), ``closed`` (ended without a charge), ``expired`` (still open past the
    limit), ``due`` (open, ``within_days`` or fewer days left) or ``running``.
    """
    limit = ref.time_limit(record["offence"], record["offence_date"])
    if limit is None:
        return {"state": "none", "deadline": None, "days_left": None,
                "basis": " ".join(ref.reference().time_limits[ref.offence(record["offence"]).mode_of_trial]["basis"]
                                  .split())}
    events = list(events)
    laid = sorted(e["event_date"] for e in charged(events))
    days_left = (limit.deadline - as_of).days
    if laid:
        state = "met" if laid[0] <= limit.deadline else "late"
    elif derived_status(events) not in _OPEN:
        state = "closed"
    elif days_left < 0:
        state = "expired"
    else:
        state = "due" if days_left <= within_days else "running"
    return {"state": state, "deadline": limit.deadline, "days_left": days_left, "months": limit.months,
            "basis": limit.basis, "unverified": limit.unverified}
