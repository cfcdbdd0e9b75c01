"""The Taser-trained officer register: officers (by pseudonym only), their event histories, policies.

``register_officer``: one row per officer of a force, identified only by the officer pseudonym
(:func:`forcewatch.pseudonyms.officer_pseudonym`), never by name or staff number.

``register_event``: everything that happens to an officer, as dated events: postings (rank, role,
team, area, status from a date), training (skill, initial course or requalification, pass or
fail, expiry), authorisations withdrawn or reinstated, and CED devices issued and returned (by
serial). Nothing is overwritten: a correction adds the corrected event (``replaces_id``) and
marks the old one ``superseded``; a retraction marks it ``retracted``. ``version`` is the
optimistic lock of each row.

``register_policy``: each force's eligibility policy documents as loaded (YAML text, canonical
JSON and its SHA-256). The national default is bundled with forcewatch, not stored.
"""

from sqlalchemy import (
    JSON, CheckConstraint, Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint,
)

from .base import metadata
from .types import UtcDateTime

#: Frozen here (and in migration 0006_register): what the database accepts.
EVENT_KINDS = ("posting", "training", "withdrawn", "reinstated", "device_issued", "device_returned")
EVENT_STATES = ("current", "superseded", "retracted")


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


register_officer = Table(
    "register_officer",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("force_code", String(12), ForeignKey("area.code"), nullable=False),
    Column("officer_pseudonym", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    #: the import that first named the officer (null when added by hand)
    Column("source_file_id", Integer, ForeignKey("source_file.id"), nullable=True),
    UniqueConstraint("force_code", "officer_pseudonym"),
)

register_event = Table(
    "register_event",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("force_code", String(12), ForeignKey("area.code"), nullable=False),
    Column("officer_id", Integer, ForeignKey("register_officer.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("event_date", Date, nullable=False),
    # postings
    Column("rank", String(40), nullable=True),
    Column("role", String(40), nullable=True),
    Column("team", String(80), nullable=True),
    Column("area", String(80), nullable=True),
    Column("status", String(20), nullable=True),
    # training, withdrawn, reinstated
    Column("skill", String(10), nullable=True),
    Column("course", String(16), nullable=True),
    Column("result", String(4), nullable=True),
    #: the expiry the source gave (last day valid); null = from the policy in force on the event date
    Column("expires_on", Date, nullable=True),
    # devices
    Column("serial", String(80), nullable=True),
    # provenance
    #: "id:<RecordId>" when the export gives one, "fp:<content_hash>" otherwise, "manual:<uuid>" by hand
    Column("natural_key", String(200), nullable=False),
    Column("content_hash", String(32), nullable=False),
    Column("source_file_id", Integer, ForeignKey("source_file.id"), nullable=True),
    Column("source_row", Integer, nullable=True),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("recorded_by", String(120), nullable=False),
    # history
    Column("state", String(12), nullable=False),
    Column("replaces_id", Integer, ForeignKey("register_event.id"), nullable=True),
    #: why this event was corrected or retracted (a code from register_vocab.CORRECTION_REASONS)
    Column("reason", String(40), nullable=True),
    Column("version", Integer, nullable=False),
    CheckConstraint(f"kind IN ({_quoted(EVENT_KINDS)})", name="kind"),
    CheckConstraint(f"state IN ({_quoted(EVENT_STATES)})", name="state"),
    Index("ix_register_event_officer_id_kind", "officer_id", "kind"),
    Index("ix_register_event_force_code_natural_key", "force_code", "natural_key"),
    Index("ix_register_event_force_code_serial", "force_code", "serial"),
)

register_policy = Table(
    "register_policy",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("force_code", String(12), ForeignKey("area.code"), nullable=False),
    Column("name", String(80), nullable=False),
    Column("version", String(40), nullable=False),
    #: SHA-256 of the canonical JSON of the document (comments and layout do not change it)
    Column("sha256", String(64), nullable=False),
    Column("document", JSON, nullable=False),
    #: the YAML as loaded
    Column("source_text", Text, nullable=False),
    Column("loaded_at", UtcDateTime, nullable=False),
    Column("loaded_by", String(120), nullable=False),
    UniqueConstraint("force_code", "sha256"),
    UniqueConstraint("force_code", "name", "version"),
)
