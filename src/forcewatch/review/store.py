"""Officers' submissions to the review, stored: consent, moderation, area tags, and who may see what.

- :func:`submit`: an officer or member of staff submits (``review.submit``). The local classifier
  suggests areas at once; the author is kept for the review team only, or not at all (anonymous).
- :func:`redact_submission`, :func:`confirm_areas`, :func:`moderate_submission`: the review team
  (``review.moderate``) redacts (``received`` -> ``redacted``), confirms or changes the suggested
  areas, and approves or rejects. Approval needs redacted text with no identifier left and
  confirmed areas.
- :func:`change_consent`: the author (or the review team, on the author's word) changes the consent.
- :func:`get_submission`, :func:`list_submissions`: the review team sees everything, the author
  included (each showing is a ``review.author_read`` event); a force analyst sees their force's
  approved submissions, redacted, without author or pseudonym.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, ClassVar, Mapping

from sqlalchemy import ColumnElement, Connection, insert, select, update

from .. import access, audit
from ..access import Principal
from ..errors import InputRefused, NotFound, PermissionDenied, Problem
from ..settings import Settings
from ..sharing import CONSENT_SCOPES, ConsentChanged, check_transition, choice, identifiers_left
from ..store import Store
from ..store.tables.review import review_submission
from ..store.tables.security import user_account
from .areas import AREA_KEYS
from .classifier import bundled_classifier
from .redaction import redact

__all__ = ["ROLE_BANDS", "VICTIMISATION", "VICTIMISATION_BANDS", "SubmissionReceived", "SubmissionRedacted",
           "SubmissionModerated", "AreasConfirmed", "AuthorRead", "submit", "redact_submission", "confirm_areas",
           "moderate_submission", "change_consent", "get_submission", "list_submissions", "my_submissions",
           "role_group"]

ROLE_BANDS = {"constable": "Constable", "sergeant_inspector": "Sergeant or inspector",
              "senior": "Chief inspector or above", "special": "Special constable", "pcso": "PCSO",
              "staff": "Police staff", "volunteer": "Police support volunteer"}
VICTIMISATION = {"verbal_insult": "Verbal insult", "threat": "Threat", "unarmed_attack": "Unarmed attack",
                 "weapon_attack": "Attack with a weapon", "injury_medical": "Injury needing medical attention"}
VICTIMISATION_BANDS = ("none", "once", "2_5", "6_plus")


def role_group(band: str) -> str:
    """The coarse role shown with anything shared: ``police officer`` or ``member of police staff or volunteer``."""
    return "police officer" if band in ("constable", "sergeant_inspector", "senior", "special") else \
        "member of police staff or volunteer"


@audit.register
@dataclass(frozen=True, kw_only=True)
class SubmissionReceived(audit.AuditEvent):
    """Fires when a submission to the review is received (never its text or its author)."""

    name: ClassVar[str] = "review.submission_received"
    subject_type: ClassVar[str] = "review_submission"
    anonymous: bool
    suggested_areas: list[str]


@audit.register
@dataclass(frozen=True, kw_only=True)
class SubmissionRedacted(audit.AuditEvent):
    """Fires when a submission's free text is redacted (``by_hand`` when a reviewer edited the redaction)."""

    name: ClassVar[str] = "review.submission_redacted"
    subject_type: ClassVar[str] = "review_submission"
    findings: dict[str, int]
    by_hand: bool


@audit.register
@dataclass(frozen=True, kw_only=True)
class SubmissionModerated(audit.AuditEvent):
    """Fires when the review team approves or rejects a submission."""

    name: ClassVar[str] = "review.submission_moderated"
    subject_type: ClassVar[str] = "review_submission"
    decision: str


@audit.register
@dataclass(frozen=True, kw_only=True)
class AreasConfirmed(audit.AuditEvent):
    """Fires when a reviewer confirms a submission's suggested areas or changes them."""

    name: ClassVar[str] = "review.areas_confirmed"
    subject_type: ClassVar[str] = "review_submission"
    suggested: list[str]
    confirmed: list[str]
    changed: bool


@audit.register
@dataclass(frozen=True, kw_only=True)
class AuthorRead(audit.AuditEvent):
    """Fires whenever a member of the review team is shown who wrote submissions (one or a listing)."""

    name: ClassVar[str] = "review.author_read"
    subject_type: ClassVar[str] = "review_submission"
    count: int = 1


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _respondent(settings: Settings, user_id: int) -> str:
    message = f"review-respondent:{user_id}".encode()
    return hmac.new(settings.officer_pseudonym_key.encode(), message, hashlib.sha256).hexdigest()[:32]


def submit(store: Store, principal: Principal, values: Mapping[str, Any], *, settings: Settings | None = None,
           simulated: bool = False, submitted_at: datetime | None = None) -> int:
    """Store a submission from the principal's force; returns its id.

    ``values``: ``free_text`` (required), ``consent_scope`` (required), ``role_band`` (required),
    ``anonymous`` (bool), ``duty_role``, ``service_band``, ``ratings`` ({area: 1-5}) and
    ``victimisation`` ({type: band}). ``submitted_at`` (default now) and ``simulated`` are for loading
    earlier or demo submissions, never taken from a form.
    """
    access.require(principal, "review.submit", force_code=principal.force_code)
    problems: list[Problem] = []
    text = str(values.get("free_text") or "").strip()
    if not text or len(text) > 5000:
        problems.append(Problem("free_text is empty or too long", column="free_text", expected="1 to 5,000 characters"))
    picked = {}
    for name, options in (("consent_scope", CONSENT_SCOPES), ("role_band", ROLE_BANDS)):
        raw = str(values.get(name) or "")
        if raw.strip().lower() not in options:
            problems.append(Problem(f"{name} is not one forcewatch knows", column=name, value=raw or None,
                                    expected="one of " + ", ".join(options)))
        picked[name] = raw.strip().lower()
    ratings = {k: int(v) if str(v).strip().isdigit() else 0 for k, v in (values.get("ratings") or {}).items()
               if v not in (None, "")}
    if any(k not in AREA_KEYS or not 1 <= v <= 5 for k, v in ratings.items()):
        problems.append(Problem("ratings must be 1 to 5 for review areas", column="ratings", expected="1 to 5"))
    victimisation = {k: v for k, v in (values.get("victimisation") or {}).items() if v}
    if any(k not in VICTIMISATION or v not in VICTIMISATION_BANDS for k, v in victimisation.items()):
        problems.append(Problem("victimisation bands are not ones forcewatch knows", column="victimisation",
                                expected=", ".join(VICTIMISATION_BANDS)))
    if problems:
        raise InputRefused("the submission was not saved", problems, hint="correct the answers named")
    classifier = bundled_classifier()
    (areas, scores), = classifier.predict([text])
    anonymous = bool(values.get("anonymous"))
    author = None if anonymous else principal.user_id
    with store.write() as conn:
        submission_id = int(conn.execute(insert(review_submission).returning(review_submission.c.id), {
            "force_code": principal.force_code, "author_user_id": author,
            "respondent_pseudonym": _respondent(settings or Settings(), author) if author is not None else None,
            "submitted_at": submitted_at or _now(), **picked,
            "duty_role": values.get("duty_role") or None, "service_band": values.get("service_band") or None,
            "ratings": ratings, "victimisation": victimisation, "free_text": text, "redacted_text": None,
            "pii_findings": None, "moderation_status": "received", "suggested_areas": list(areas),
            "suggested_scores": scores, "classifier_sha256": classifier.training_sha256,
            "confirmed_areas": None, "simulated": simulated, "version": 1}).scalar_one())
        audit.append(conn, SubmissionReceived(force_code=principal.force_code, subject_id=str(submission_id),
                                              anonymous=anonymous, suggested_areas=list(areas)), actor=principal)
        audit.append(conn, ConsentChanged(force_code=principal.force_code, subject_id=str(submission_id),
                                          record_type="review_submission", from_scope=None,
                                          to_scope=picked["consent_scope"]), actor=principal)
    return submission_id


def _load(conn: Connection, principal: Principal, action: str, submission_id: int) -> Any:
    if not access.can(principal, action):
        access.require(principal, action, force_code=principal.force_code)
    row = conn.execute(select(review_submission).where(review_submission.c.id == submission_id)).first()
    if row is None or access.allows(principal, action, force_code=row.force_code) is None:
        raise NotFound(f"no submission {submission_id} that you may see")
    return row


def _bump(conn: Connection, row: Any, **values: Any) -> None:
    conn.execute(update(review_submission).where(review_submission.c.id == row.id).values(
        **values, version=row.version + 1))


def redact_submission(store: Store, principal: Principal, submission_id: int, edited: str | None = None) -> dict[str, int]:
    """Redact the free text (over the reviewer's edit when given, re-scanned); returns findings by type."""
    with store.write() as conn:
        row = _load(conn, principal, "review.moderate", submission_id)
        check_transition("submission", submission_id, row.moderation_status, "redacted")
        result = redact(edited.strip() if edited and edited.strip() else row.free_text)
        findings: dict[str, int] = {}
        for f in result.findings:
            findings[f.type] = findings.get(f.type, 0) + 1
        _bump(conn, row, redacted_text=result.redacted, pii_findings=findings, moderation_status="redacted",
              moderated_by=principal.username, moderated_at=_now())
        audit.append(conn, SubmissionRedacted(force_code=row.force_code, subject_id=str(submission_id),
                                              findings=findings, by_hand=bool(edited)), actor=principal)
    return findings


def confirm_areas(store: Store, principal: Principal, submission_id: int, areas: list[str]) -> list[str]:
    """Confirm the suggested areas, or set others; returns the confirmed areas in the review's order."""
    chosen = [a for a in AREA_KEYS if a in set(areas)]
    if not chosen or set(areas) - set(AREA_KEYS):
        raise InputRefused("the areas were not confirmed", [Problem(
            "choose one or more review areas", column="areas", value=", ".join(areas) or None,
            expected=", ".join(AREA_KEYS))])
    with store.write() as conn:
        row = _load(conn, principal, "review.moderate", submission_id)
        _bump(conn, row, confirmed_areas=chosen, confirmed_by=principal.username, confirmed_at=_now())
        audit.append(conn, AreasConfirmed(force_code=row.force_code, subject_id=str(submission_id),
                                          suggested=list(row.suggested_areas), confirmed=chosen,
                                          changed=set(chosen) != set(row.suggested_areas)), actor=principal)
    return chosen


def moderate_submission(store: Store, principal: Principal, submission_id: int, decision: str) -> None:
    """Approve or reject. Approval needs redacted text with no identifier left and confirmed areas."""
    decision = choice("decision", decision, ("approved", "rejected"))
    with store.write() as conn:
        row = _load(conn, principal, "review.moderate", submission_id)
        check_transition("submission", submission_id, row.moderation_status, decision)
        if decision == "approved":
            problems = []
            if not row.confirmed_areas:
                problems.append(Problem("the areas have not been confirmed", column="areas",
                                        expected="a reviewer to confirm or change the suggested areas first"))
            if identifiers_left(row.redacted_text):
                problems.append(Problem("the redacted text still holds identifiers: " +
                                        ", ".join(identifiers_left(row.redacted_text)), column="redacted_text",
                                        expected="redact again before approving"))
            if problems:
                raise InputRefused("the submission was not approved", problems)
        _bump(conn, row, moderation_status=decision, moderated_by=principal.username, moderated_at=_now())
        audit.append(conn, SubmissionModerated(force_code=row.force_code, subject_id=str(submission_id),
                                               decision=decision), actor=principal)


def change_consent(store: Store, principal: Principal, submission_id: int, scope: str) -> None:
    """Change a submission's consent scope: its author, or the review team; narrowing takes effect at once."""
    scope = choice("consent scope", scope, CONSENT_SCOPES)
    with store.write() as conn:
        row = conn.execute(select(review_submission).where(review_submission.c.id == submission_id)).first()
        reviewer = row is not None and access.allows(principal, "review.moderate", force_code=row.force_code)
        author = (row is not None and principal.user_id is not None and row.author_user_id == principal.user_id
                  and access.can(principal, "review.submit"))
        if row is None or not (reviewer or author):
            raise NotFound(f"no submission {submission_id} of yours", hint="an anonymous submission cannot be "
                           "changed afterwards: nothing links it to you")
        if scope != row.consent_scope:
            _bump(conn, row, consent_scope=scope)
            audit.append(conn, ConsentChanged(force_code=row.force_code, subject_id=str(submission_id),
                                              record_type="review_submission", from_scope=row.consent_scope,
                                              to_scope=scope), actor=principal)


def _view(row: Any, *, full: bool, author: str | None) -> dict[str, Any]:
    d = dict(row._mapping)
    d["areas"] = d["confirmed_areas"] or d["suggested_areas"]
    d["areas_confirmed"] = d["confirmed_areas"] is not None
    d.pop("author_user_id")
    if full:
        d["author"] = author
        return d
    for hidden in ("free_text", "respondent_pseudonym", "moderated_by", "confirmed_by"):
        d.pop(hidden, None)
    return d


def _visible(principal: Principal) -> tuple[Any, bool]:
    """(force filter, full view) for a reader: the review team sees everything, others approved only."""
    return access.readable_forces(principal, "review.read"), access.can(principal, "review.read_author")


def get_submission(store: Store, principal: Principal, submission_id: int) -> dict[str, Any]:
    """One submission as the reader may see it (see the module docstring)."""
    with store.write() as conn:
        row = _load(conn, principal, "review.read", submission_id)
        full = access.allows(principal, "review.read_author", force_code=row.force_code) is not None
        if not full and row.moderation_status != "approved":
            raise NotFound(f"no submission {submission_id} that you may see",
                           hint="your role sees approved submissions only")
        author = None
        if full and row.author_user_id is not None:
            author = conn.execute(select(user_account.c.username).where(
                user_account.c.id == row.author_user_id)).scalar_one()
            audit.append(conn, AuthorRead(force_code=row.force_code, subject_id=str(submission_id)), actor=principal)
        audit.append(conn, audit.RecordRead(force_code=row.force_code, subject_id=str(submission_id),
                                            record_type="review_submission"), actor=principal)
    return _view(row, full=full, author=author)


def list_submissions(store: Store, principal: Principal, *, status: str | None = None,
                     limit: int = 500) -> list[dict[str, Any]]:
    """The submissions the reader may see, newest first: for the review team with authors, else approved only."""
    visible, full = _visible(principal)
    clauses: list[ColumnElement[bool]] = []
    if isinstance(visible, set):
        clauses.append(review_submission.c.force_code.in_(sorted(visible)))
    if not full:
        clauses.append(review_submission.c.moderation_status == "approved")
    if status:
        clauses.append(review_submission.c.moderation_status == status)
    query = (select(review_submission, user_account.c.username).outerjoin(
        user_account, user_account.c.id == review_submission.c.author_user_id).where(*clauses)
        .order_by(review_submission.c.submitted_at.desc(), review_submission.c.id.desc()).limit(limit))
    with store.write() as conn:
        rows = list(conn.execute(query))
        found = [_view(r, full=full, author=r.username if full else None) for r in rows]
        if full and any(r.author_user_id is not None for r in rows):
            audit.append(conn, AuthorRead(count=sum(r.author_user_id is not None for r in rows)), actor=principal)
        audit.append(conn, audit.RecordRead(force_code=principal.force_code, record_type="review_submission",
                                            count=len(found), query={"status": status} if status else {}),
                     actor=principal)
    for d in found:
        d.pop("username", None)
    return found


def my_submissions(store: Store, principal: Principal) -> list[dict[str, Any]]:
    """The principal's own (not anonymous) submissions: status, areas, consent, and their own text."""
    if principal.user_id is None:
        raise PermissionDenied("log in to see your submissions")
    access.require(principal, "review.submit", force_code=principal.force_code)
    with store.read() as conn:
        rows = list(conn.execute(select(review_submission).where(review_submission.c.author_user_id == principal.user_id)
                                 .order_by(review_submission.c.submitted_at.desc())))
    return [{k: v for k, v in _view(r, full=True, author=principal.username).items()
             if k not in ("respondent_pseudonym", "moderated_by", "confirmed_by", "suggested_scores")} for r in rows]
