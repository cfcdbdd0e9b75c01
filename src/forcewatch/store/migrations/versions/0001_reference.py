"""Reference data: areas (forces, regions, England and Wales) and the register of imported files.

Revision ID: 0001_reference
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_reference"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    area = op.create_table(
        "area",
        sa.Column("code", sa.String(12), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("region_code", sa.String(12), sa.ForeignKey("area.code", name="fk_area_region_code_area"), nullable=True),
        sa.PrimaryKeyConstraint("code", name="pk_area"),
        sa.UniqueConstraint("kind", "name", name="uq_area_kind_name"),
    )
    from forcewatch.forces import AREAS

    # The country and regions first, so the self-reference resolves.
    rank = {"country": 0, "region": 1, "force": 2}
    ordered = sorted(AREAS, key=lambda a: rank[a.kind])
    op.bulk_insert(
        area,
        [{"code": a.code, "name": a.name, "kind": a.kind, "region_code": a.region_code or None} for a in ordered],
    )
    op.create_table(
        "source_file",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(400), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("scope", sa.String(12), nullable=False),
        sa.Column("vintage", sa.String(10), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(120), nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_source_file"),
        sa.UniqueConstraint("kind", "sha256", "scope", name="uq_source_file_kind_sha256_scope"),
    )


def downgrade() -> None:
    op.drop_table("source_file")
    op.drop_table("area")
