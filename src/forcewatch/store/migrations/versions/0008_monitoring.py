"""Monitoring: explanations of funnel-plot outliers (judgements the assessment can cite).

Revision ID: 0008_monitoring
Revises: 0004_security
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_monitoring"
down_revision = "0007_recording"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outlier_explanation",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("force_code", sa.String(12), nullable=False),
        sa.Column("year", sa.String(30), nullable=False),
        sa.Column("indicator", sa.String(80), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("value", sa.Float, nullable=True),
        sa.Column("outside", sa.String(4), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outlier_explanation"),
        sa.ForeignKeyConstraint(["force_code"], ["area.code"], name="fk_outlier_explanation_force_code_area"),
    )
    op.create_index("ix_outlier_explanation_force_code_year", "outlier_explanation", ["force_code", "year"])


def downgrade() -> None:
    op.drop_index("ix_outlier_explanation_force_code_year", table_name="outlier_explanation")
    op.drop_table("outlier_explanation")
