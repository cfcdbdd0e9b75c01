"""Official statistics: publications and their published cells (facts).

Revision ID: 0002_official
Revises: 0001_reference
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_official"
down_revision = "0001_reference"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "official_release",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("source_file_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("title", sa.String(400), nullable=False),
        sa.Column("publisher", sa.String(80), nullable=False),
        sa.Column("vintage", sa.String(10), nullable=False),
        sa.Column("period", sa.String(40), nullable=False),
        sa.Column("facts", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_official_release"),
        sa.ForeignKeyConstraint(["source_file_id"], ["source_file.id"],
                                name="fk_official_release_source_file_id_source_file"),
        sa.UniqueConstraint("kind", "vintage", "title", name="uq_official_release_kind_vintage_title"),
    )
    op.create_table(
        "fact",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("release_id", sa.Integer, nullable=False),
        sa.Column("year", sa.String(10), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("vintage", sa.String(10), nullable=False),
        sa.Column("table", sa.String(40), nullable=False),
        sa.Column("area_code", sa.String(12), nullable=False),
        sa.Column("area", sa.String(80), nullable=False),
        sa.Column("tactic", sa.String(40), nullable=False),
        sa.Column("dimension", sa.String(80), nullable=False),
        sa.Column("category", sa.String(80), nullable=False),
        sa.Column("measure", sa.String(40), nullable=False),
        sa.Column("value", sa.Float, nullable=True),
        sa.Column("note", sa.String(40), nullable=False),
        sa.Column("cell", sa.String(60), nullable=False),
        sa.Column("table_number", sa.String(10), nullable=False),
        sa.Column("table_title", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_fact"),
        sa.ForeignKeyConstraint(["release_id"], ["official_release.id"], name="fk_fact_release_id_official_release"),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name="fk_fact_area_code_area"),
        sa.UniqueConstraint("release_id", "table", "year", "area_code", "tactic", "dimension", "category", "measure",
                            name="uq_fact_cell"),
    )
    op.create_index("ix_fact_table_year", "fact", ["table", "year"])
    op.create_index("ix_fact_area_code_table", "fact", ["area_code", "table"])


def downgrade() -> None:
    op.drop_index("ix_fact_area_code_table", table_name="fact")
    op.drop_index("ix_fact_table_year", table_name="fact")
    op.drop_table("fact")
    op.drop_table("official_release")
