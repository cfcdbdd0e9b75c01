"""Audit event types of the threat and risk assessment (payloads hold ids and hashes, never free text).

Each change to an assessment writes one of these in the same transaction as the change, so the
audit log's hash chain also vouches for the assessment: ``verify`` checks every log row, run and
signature against the event that recorded it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from .. import audit

__all__ = ["AssessmentCreated", "AssessmentRecorded", "AssessmentTransitioned", "SigningKeyRegistered"]


@audit.register
@dataclass(frozen=True, kw_only=True)
class AssessmentCreated(audit.AuditEvent):
    """Fires when an assessment version is created: its inputs are frozen and its first run is stored."""

    name: ClassVar[str] = "assessment.created"
    subject_type: ClassVar[str] = "assessment"
    period: str
    version: int
    method_sha256: str
    inputs: dict[str, str] = field(default_factory=dict)
    run_no: int = 1
    manifest_sha256: str = ""
    supersedes_id: int | None = None


@audit.register
@dataclass(frozen=True, kw_only=True)
class AssessmentRecorded(audit.AuditEvent):
    """Fires when a judgement, a community impact record or an informed record is added to an
    assessment (``record_type`` says which); while the assessment is drafted or assured the run it
    caused is named by ``run_no`` and ``manifest_sha256``."""

    name: ClassVar[str] = "assessment.recorded"
    subject_type: ClassVar[str] = "assessment"
    record_type: str
    record_id: int
    sha256: str
    run_no: int | None = None
    manifest_sha256: str | None = None


@audit.register
@dataclass(frozen=True, kw_only=True)
class AssessmentTransitioned(audit.AuditEvent):
    """Fires when an assessment moves between sign-off states (assured, approved, published,
    superseded); the transition's Ed25519 signature is stored in the same transaction."""

    name: ClassVar[str] = "assessment.transitioned"
    subject_type: ClassVar[str] = "assessment"
    from_state: str
    to_state: str
    manifest_sha256: str
    signature_sha256: str
    key_id: str


@audit.register
@dataclass(frozen=True, kw_only=True)
class SigningKeyRegistered(audit.AuditEvent):
    """Fires when a user's Ed25519 public key is first registered for signing assessments."""

    name: ClassVar[str] = "signing_key.registered"
    subject_type: ClassVar[str] = "signing_key"
    username: str
    key_id: str
