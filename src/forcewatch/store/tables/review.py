"""The officer safety review's submissions, and the learning written from assaults.

``review_submission``: an officer's or staff member's submission: structured answers, free text
(original, seen only by the review team, and redacted), consent scope, moderation status, the
classifier's suggested areas and the reviewer's confirmed ones. The author's account is kept only
for the review team (``review.read_author``); the respondent pseudonym lets the team link one
person's submissions without knowing who they are.
``learning_item``: shared learning written from assaults, with redaction, moderation, consent and a
sharing level; ``learning_item_assault`` links it to its assaults (internal only, never exported).
"""

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Table, Text

from .base import metadata
from .types import UtcDateTime

review_submission = Table(
    "review_submission",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("force_code", String(12), ForeignKey("area.code"), nullable=False),
    #: who wrote it: shown to the review team only; NULL for an anonymous submission
    Column("author_user_id", Integer, ForeignKey("user_account.id"), nullable=True),
    #: salted HMAC of the author's account: links one person's submissions without naming them
    Column("respondent_pseudonym", String(64), nullable=True),
    Column("submitted_at", UtcDateTime, nullable=False),
    #: coarsened before anything is shared
    Column("role_band", String(20), nullable=False),
    Column("duty_role", String(30), nullable=True),
    Column("service_band", String(10), nullable=True),
    #: internal_force_only, national_review, publish_anonymised_quotes
    Column("consent_scope", String(30), nullable=False),
    #: Likert 1-5 per review area, and 12-month victimisation bands
    Column("ratings", JSON, nullable=False),
    Column("victimisation", JSON, nullable=False),
    Column("free_text", Text, nullable=False),
    Column("redacted_text", Text, nullable=True),
    #: what the redaction found: {type: count}; never the text itself
    Column("pii_findings", JSON, nullable=True),
    #: received -> redacted -> approved / rejected
    Column("moderation_status", String(10), nullable=False),
    Column("moderated_by", String(120), nullable=True),
    Column("moderated_at", UtcDateTime, nullable=True),
    Column("suggested_areas", JSON, nullable=False),
    Column("suggested_scores", JSON, nullable=False),
    #: SHA-256 of the data the classifier was trained on (which model suggested the tags)
    Column("classifier_sha256", String(64), nullable=False),
    Column("confirmed_areas", JSON, nullable=True),
    Column("confirmed_by", String(120), nullable=True),
    Column("confirmed_at", UtcDateTime, nullable=True),
    Column("simulated", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Index("ix_review_submission_force_code_submitted_at", "force_code", "submitted_at"),
)

learning_item = Table(
    "learning_item",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("force_code", String(12), ForeignKey("area.code"), nullable=False),
    #: coarse date: a month, ``2024-05`` (shared outputs show the quarter)
    Column("period", String(7), nullable=False),
    Column("area_tags", JSON, nullable=False),
    Column("theme", String(40), nullable=False),
    Column("title", String(200), nullable=False),
    #: free text as written (force only) and redacted (what any shared output shows)
    Column("what_happened", Text, nullable=False),
    Column("what_helped", Text, nullable=False),
    Column("what_to_change", Text, nullable=False),
    Column("redacted", JSON, nullable=True),
    Column("pii_findings", JSON, nullable=True),
    Column("contributing_factors", JSON, nullable=False),
    Column("target_owner", String(20), nullable=False),
    Column("action_status", String(20), nullable=False),
    Column("evidence_rating", String(20), nullable=False),
    #: GPMS marking: OFFICIAL or OFFICIAL-SENSITIVE
    Column("handling", String(20), nullable=False),
    #: force, region, national_network, public
    Column("sharing_level", String(20), nullable=False),
    #: the assaulted officers' consent: internal_force_only, national_review, publish_anonymised_quotes
    Column("consent_scope", String(30), nullable=False),
    Column("moderation_status", String(10), nullable=False),
    Column("moderated_by", String(120), nullable=True),
    Column("moderated_at", UtcDateTime, nullable=True),
    Column("simulated", Boolean, nullable=False),
    Column("created_by", String(120), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False),
)

learning_item_assault = Table(
    "learning_item_assault",
    metadata,
    Column("learning_id", Integer, ForeignKey("learning_item.id"), nullable=False),
    Column("assault_id", Integer, ForeignKey("officer_assault.id"), nullable=False),
    PrimaryKeyConstraint("learning_id", "assault_id"),
)
