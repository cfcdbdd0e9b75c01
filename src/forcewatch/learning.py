"""Shared learning written from assaults: what happened, what helped, what to change.

A learning item belongs to its force. It is written (``learning.write``) with its review areas, theme,
free text, the assaulted officers' consent scope and a sharing level; redacted (the redactor's first
pass, optionally edited by hand and re-scanned); and approved or rejected (``learning.moderate``)
before it can reach anyone outside the force. :func:`shared_learning` is the only way out of the
force, and applies every rule of :mod:`forcewatch.sharing`: approved, consent and sharing level
covering the audience, redacted text only, quarter not month, region not force, no identifiers
left, and never the source assault ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, ClassVar, Mapping, Sequence

from sqlalchemy import Connection, and_, insert, select, update

from . import access, audit
from .access import ALL, Principal
from .assault_access import load_assault
from .errors import InputRefused, NotFound, Problem
from .forces import resolve, try_resolve
from .review import AREA_KEYS, redact
from .sharing import (
    CONSENT_SCOPES,
    SHARING_LEVELS,
    ConsentChanged,
    audience_of,
    check_transition,
    choice,
    consent_covers,
    identifiers_left,
    level_reaches,
    quarter,
)
from .store import Store
from .store.tables.review import learning_item, learning_item_assault

__all__ = ["THEMES", "TEXT_FIELDS", "REDACTED_FIELDS", "LearningWritten", "LearningRedacted", "LearningModerated", "LearningShared",
           "write_learning", "redact_learning", "moderate_learning", "set_sharing_level", "set_learning_consent",
           "get_learning", "list_learning", "shared_learning"]

THEMES = ("vehicle_as_weapon", "spitting_blood_borne", "cell_entry", "mental_health_crisis", "corrosive_attack",
          "domestic_attendance", "disorder", "prisoner_transport", "equipment_failure", "single_crewing", "other")
TARGET_OWNERS = ("force", "college", "npcc_lead", "cps_area", "home_office")
ACTION_STATUSES = ("proposed", "accepted", "in_progress", "implemented", "evaluated", "rejected")
EVIDENCE_RATINGS = ("untested", "promising", "evaluated_positive")
HANDLING = ("OFFICIAL", "OFFICIAL-SENSITIVE")
TEXT_FIELDS = ("what_happened", "what_helped", "what_to_change")
#: What redaction covers, and all that a shared item shows of the text: the title too
REDACTED_FIELDS = ("title", *TEXT_FIELDS)
_MONTH = re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$")


@audit.register
@dataclass(frozen=True, kw_only=True)
class LearningWritten(audit.AuditEvent):
    """Fires when a learning item is written from assaults (its source assaults are counted, not listed)."""

    name: ClassVar[str] = "learning.written"
    subject_type: ClassVar[str] = "learning_item"
    sources: int
    sharing_level: str


@audit.register
@dataclass(frozen=True, kw_only=True)
class LearningRedacted(audit.AuditEvent):
    """Fires when a learning item's free text is redacted (``by_hand`` when a person edited the redaction)."""

    name: ClassVar[str] = "learning.redacted"
    subject_type: ClassVar[str] = "learning_item"
    findings: dict[str, int]
    by_hand: bool


@audit.register
@dataclass(frozen=True, kw_only=True)
class LearningModerated(audit.AuditEvent):
    """Fires when a learning item is approved for sharing beyond its force, or rejected."""

    name: ClassVar[str] = "learning.moderated"
    subject_type: ClassVar[str] = "learning_item"
    decision: str


@audit.register
@dataclass(frozen=True, kw_only=True)
class LearningShared(audit.AuditEvent):
    """Fires when a learning item's sharing level changes (raising it withdraws an approval until re-approved)."""

    name: ClassVar[str] = "learning.sharing_changed"
    subject_type: ClassVar[str] = "learning_item"
    from_level: str
    to_level: str
    approval_withdrawn: bool


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise InputRefused("the learning item was not saved", problems, hint="correct the answers named")


def write_learning(store: Store, principal: Principal, values: Mapping[str, Any],
                   assault_ids: Sequence[int] = (), *, simulated: bool = False) -> int:
    """Write a learning item for the principal's force from form answers; returns its id.

    ``values``: ``title``, ``period`` (``YYYY-MM``), ``area_tags`` (review area keys), ``theme``, the
    three texts, and optionally ``contributing_factors``, ``target_owner``, ``action_status``,
    ``evidence_rating``, ``handling``, ``consent_scope`` (default ``internal_force_only``). It starts
    at sharing level ``force`` and moderation ``received``.
    """
    force_code = principal.force_code
    access.require(principal, "learning.write", force_code=force_code)
    assert force_code is not None
    problems: list[Problem] = []

    def pick(name: str, options: Any, default: str | None = None) -> str:
        raw = str(values.get(name) or default or "")
        try:
            return choice(name.replace("_", " "), raw, options)
        except Exception:  # noqa: BLE001 - reported as a problem naming the field
            problems.append(Problem(f"{name} is not one forcewatch knows", column=name, value=raw or None,
                                    expected="one of " + ", ".join(options)))
            return ""

    tags = [t for t in values.get("area_tags") or [] if t]
    if not tags or any(t not in AREA_KEYS for t in tags):
        problems.append(Problem("area_tags must name one or more review areas", column="area_tags",
                                value=", ".join(tags) or None, expected=", ".join(AREA_KEYS)))
    period = str(values.get("period") or "").strip()
    if not _MONTH.match(period):
        problems.append(Problem("period is not a month", column="period", value=period or None, expected="YYYY-MM"))
    texts = {f: str(values.get(f) or "").strip() for f in TEXT_FIELDS}
    for f, text in texts.items():
        if not text or len(text) > 4000:
            problems.append(Problem(f"{f} is empty or too long", column=f, expected="1 to 4,000 characters"))
    title = str(values.get("title") or "").strip()
    if not title or len(title) > 200:
        problems.append(Problem("title is empty or too long", column="title", expected="1 to 200 characters"))
    row = {"theme": pick("theme", THEMES), "target_owner": pick("target_owner", TARGET_OWNERS, "force"),
           "action_status": pick("action_status", ACTION_STATUSES, "proposed"),
           "evidence_rating": pick("evidence_rating", EVIDENCE_RATINGS, "untested"),
           "handling": str(values.get("handling") or "OFFICIAL-SENSITIVE").upper(),
           "consent_scope": pick("consent_scope", CONSENT_SCOPES, "internal_force_only")}
    if row["handling"] not in HANDLING:
        problems.append(Problem("handling is not a GPMS marking", column="handling", value=row["handling"],
                                expected=" or ".join(HANDLING)))
    _refuse(problems)
    now = _now()
    with store.write() as conn:
        for assault_id in assault_ids:
            source = load_assault(conn, principal, "assault.read", int(assault_id))
            if source.force_code != force_code:
                raise NotFound(f"no assault {assault_id} in your force")
        learning_id = int(conn.execute(insert(learning_item).returning(learning_item.c.id), {
            "force_code": force_code, "period": period, "area_tags": sorted(set(tags), key=AREA_KEYS.index),
            "title": title, **texts, "redacted": None, "pii_findings": None,
            "contributing_factors": list(values.get("contributing_factors") or []), **row,
            "sharing_level": "force", "moderation_status": "received", "simulated": simulated,
            "created_by": principal.username, "created_at": now, "updated_at": now, "version": 1}).scalar_one())
        if assault_ids:
            conn.execute(insert(learning_item_assault), [{"learning_id": learning_id, "assault_id": int(a)}
                                                         for a in sorted(set(assault_ids))])
        audit.append(conn, LearningWritten(force_code=force_code, subject_id=str(learning_id),
                                           sources=len(set(assault_ids)), sharing_level="force"), actor=principal)
        audit.append(conn, ConsentChanged(force_code=force_code, subject_id=str(learning_id),
                                          record_type="learning_item", from_scope=None, to_scope=row["consent_scope"]),
                     actor=principal)
    return learning_id


def _load(conn: Connection, principal: Principal, action: str, learning_id: int) -> Any:
    row = conn.execute(select(learning_item).where(learning_item.c.id == learning_id)).first()
    if row is None or access.allows(principal, action, force_code=row.force_code) is None:
        if not access.can(principal, action):
            access.require(principal, action, force_code=principal.force_code)
        raise NotFound(f"no learning item {learning_id} that you may {action.split('.')[-1]}")
    return row


def _bump(conn: Connection, row: Any, **values: Any) -> None:
    conn.execute(update(learning_item).where(learning_item.c.id == row.id).values(
        **values, version=row.version + 1, updated_at=_now()))


def redact_learning(store: Store, principal: Principal, learning_id: int,
                    edited: Mapping[str, str] | None = None) -> dict[str, int]:
    """Redact the item's texts (the redactor's pass, over a person's edits when given); returns findings by type.

    The redactor also runs over hand-edited text, so an edit cannot put an identifier back.
    """
    with store.write() as conn:
        row = _load(conn, principal, "learning.write", learning_id)
        check_transition("learning item", learning_id, row.moderation_status, "redacted")
        redacted: dict[str, str] = {}
        findings: dict[str, int] = {}
        for f in REDACTED_FIELDS:
            result = redact((edited or {}).get(f) or getattr(row, f))
            redacted[f] = result.redacted
            for finding in result.findings:
                findings[finding.type] = findings.get(finding.type, 0) + 1
        _bump(conn, row, redacted=redacted, pii_findings=findings, moderation_status="redacted",
              moderated_by=None, moderated_at=None)
        audit.append(conn, LearningRedacted(force_code=row.force_code, subject_id=str(learning_id), findings=findings,
                                            by_hand=bool(edited)), actor=principal)
    return findings


def moderate_learning(store: Store, principal: Principal, learning_id: int, decision: str) -> None:
    """Approve (``approved``) or reject (``rejected``) a redacted item for sharing beyond its force."""
    decision = choice("decision", decision, ("approved", "rejected"))
    with store.write() as conn:
        row = _load(conn, principal, "learning.moderate", learning_id)
        check_transition("learning item", learning_id, row.moderation_status, decision)
        if decision == "approved" and identifiers_left(*(row.redacted or {}).values()):
            raise InputRefused("the redacted text still holds identifiers", [Problem(
                "identifiers found: " + ", ".join(identifiers_left(*(row.redacted or {}).values())),
                column="redacted", expected="redact again before approving")])
        _bump(conn, row, moderation_status=decision, moderated_by=principal.username, moderated_at=_now())
        audit.append(conn, LearningModerated(force_code=row.force_code, subject_id=str(learning_id), decision=decision),
                     actor=principal)


def set_sharing_level(store: Store, principal: Principal, learning_id: int, level: str) -> None:
    """Set the audience an item is meant for; raising it beyond an approved level needs approval again."""
    level = choice("sharing level", level, SHARING_LEVELS)
    with store.write() as conn:
        row = _load(conn, principal, "learning.write", learning_id)
        if level == row.sharing_level:
            return
        raised = list(SHARING_LEVELS).index(level) > list(SHARING_LEVELS).index(row.sharing_level)
        withdrawn = raised and row.moderation_status == "approved"
        _bump(conn, row, sharing_level=level, **({"moderation_status": "redacted"} if withdrawn else {}))
        audit.append(conn, LearningShared(force_code=row.force_code, subject_id=str(learning_id),
                                          from_level=row.sharing_level, to_level=level, approval_withdrawn=withdrawn),
                     actor=principal)


def set_learning_consent(store: Store, principal: Principal, learning_id: int, scope: str) -> None:
    """Record the assaulted officers' consent scope for the item (narrowing it takes effect at once)."""
    scope = choice("consent scope", scope, CONSENT_SCOPES)
    with store.write() as conn:
        row = _load(conn, principal, "learning.write", learning_id)
        if scope == row.consent_scope:
            return
        _bump(conn, row, consent_scope=scope)
        audit.append(conn, ConsentChanged(force_code=row.force_code, subject_id=str(learning_id),
                                          record_type="learning_item", from_scope=row.consent_scope, to_scope=scope),
                     actor=principal)


def _internal(conn: Connection, row: Any) -> dict[str, Any]:
    item = dict(row._mapping)
    item["force"] = resolve(row.force_code).name
    item["source_assault_ids"] = [r.assault_id for r in conn.execute(
        select(learning_item_assault.c.assault_id).where(learning_item_assault.c.learning_id == row.id))]
    return item


def get_learning(store: Store, principal: Principal, learning_id: int) -> dict[str, Any]:
    """One item as written, with its source assaults (``learning.read`` for its force)."""
    with store.write() as conn:
        row = _load(conn, principal, "learning.read", learning_id)
        item = _internal(conn, row)
        audit.append(conn, audit.RecordRead(force_code=row.force_code, subject_id=str(learning_id),
                                            record_type="learning_item"), actor=principal)
    return item


def list_learning(store: Store, principal: Principal) -> list[dict[str, Any]]:
    """The items of the forces the principal may read as written, newest first (without their texts)."""
    visible = access.readable_forces(principal, "learning.read")
    query = select(learning_item).order_by(learning_item.c.period.desc(), learning_item.c.id.desc())
    if isinstance(visible, set):
        query = query.where(learning_item.c.force_code.in_(sorted(visible)))
    with store.write() as conn:
        items = [{k: v for k, v in _internal(conn, r).items() if k not in (*TEXT_FIELDS, "redacted")}
                 for r in conn.execute(query)]
        audit.append(conn, audit.RecordRead(force_code=principal.force_code, record_type="learning_item",
                                            count=len(items)), actor=principal)
    return items


def shared_learning(store: Store, principal: Principal, *, forces: Any = ALL) -> list[dict[str, Any]]:
    """Every item ``principal`` may see as shared learning, in its shared form (see the module docstring).

    Anyone may call it; the public sees only items approved, consented and shared for the public.
    ``forces`` limits it to items written by those forces (a set of codes, or ``ALL``).
    """
    query = select(learning_item).where(and_(learning_item.c.moderation_status == "approved",
                                             learning_item.c.redacted.is_not(None)))
    if forces is not ALL:
        query = query.where(learning_item.c.force_code.in_(sorted(forces)))
    shared = []
    with store.read() as conn:
        rows = list(conn.execute(query.order_by(learning_item.c.period.desc(), learning_item.c.id.desc())))
    for row in rows:
        area = try_resolve(row.force_code)
        region = area.region_code if area else None
        audience = audience_of(principal, row.force_code, region)
        if audience is None or not (consent_covers(row.consent_scope, audience)
                                    and level_reaches(row.sharing_level, audience)):
            continue
        if audience == "public" and row.handling != "OFFICIAL":
            continue  # OFFICIAL-SENSITIVE material is never published
        texts = {f: (row.redacted or {}).get(f, "") for f in REDACTED_FIELDS}
        if identifiers_left(*texts.values()):
            continue  # never share text the redactor still finds identifiers in
        where = (area.name if area else row.force_code) if audience == "force" else (
            resolve(region).name if region else "England and Wales")
        shared.append({"id": row.id, "quarter": quarter(row.period), "area": where,
                       "area_tags": row.area_tags, "theme": row.theme, **texts,
                       "contributing_factors": row.contributing_factors, "target_owner": row.target_owner,
                       "action_status": row.action_status, "evidence_rating": row.evidence_rating,
                       "handling": row.handling, "sharing_level": row.sharing_level, "audience": audience,
                       "simulated": row.simulated})
    return shared
