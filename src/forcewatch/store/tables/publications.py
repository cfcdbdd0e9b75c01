"""The public transparency site's publications (migration ``0010_web``): append-only.

``publication``: one row per publication: an assessment's public summary, a force's quarterly
Taser figures, or a dated statement. Each holds what it published, frozen: the figures as
canonical JSON (``data``), the open data as CSV text with its SHA-256 (``csv``, ``csv_sha256``),
the method and counting rule, the source, and the suppression statement. The database refuses
UPDATE and DELETE; republishing adds a row whose ``supersedes_id`` names the one it replaces.
"""

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from .base import metadata
from .types import UtcDateTime

#: the kinds of publication
KINDS = ("assessment_summary", "quarterly_taser", "statement")

publication = Table(
    "publication",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(24), nullable=False),
    Column("force_code", String(12), ForeignKey("area.code"), nullable=True),
    Column("period", String(24), nullable=True),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("method", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("suppression", Text, nullable=False),
    Column("data", Text, nullable=False),
    Column("csv", Text, nullable=False),
    Column("csv_sha256", String(64), nullable=False),
    Column("published_at", UtcDateTime(), nullable=False),
    Column("published_by", String(120), nullable=False),
    Column("publisher_role", String(20), nullable=False),
    Column("supersedes_id", Integer, ForeignKey("publication.id"), nullable=True),
    Column("assessment_id", Integer, ForeignKey("assessment.id"), nullable=True),
    UniqueConstraint("supersedes_id"),
    CheckConstraint("kind IN (" + ", ".join(f"'{k}'" for k in KINDS) + ")", name="kind"),
    Index("ix_publication_published_at", "published_at"),
    Index("ix_publication_force_code", "force_code"),
)
