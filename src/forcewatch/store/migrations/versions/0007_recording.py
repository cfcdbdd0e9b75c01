"""Recording: reports written on the web form, officers' teams, supervisors' reviews.

Adds to ``officer_report``: ``officer_team`` (the team of the officer who wrote it), ``source``
(``import`` or ``form``), ``reviewed_at`` and ``reviewed_by`` (a supervisor's review; the
reviewer's officer pseudonym, never a name), and indexes for listing an officer's or a team's
reports.

Revision ID: 0007_recording
Revises: 0004_security
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_recording"
down_revision = "0006_register"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("officer_report", sa.Column("officer_team", sa.String(80), nullable=True))
    op.add_column("officer_report", sa.Column("source", sa.String(10), nullable=False, server_default="import"))
    op.add_column("officer_report", sa.Column("reviewed_at", sa.DateTime(), nullable=True))
    op.add_column("officer_report", sa.Column("reviewed_by", sa.String(64), nullable=True))
    op.create_index("ix_officer_report_force_code_officer_pseudonym", "officer_report",
                    ["force_code", "officer_pseudonym"])
    op.create_index("ix_officer_report_force_code_officer_team", "officer_report", ["force_code", "officer_team"])


def downgrade() -> None:
    op.drop_index("ix_officer_report_force_code_officer_team", "officer_report")
    op.drop_index("ix_officer_report_force_code_officer_pseudonym", "officer_report")
    with op.batch_alter_table("officer_report") as batch:
        for name in ("reviewed_by", "reviewed_at", "source", "officer_team"):
            batch.drop_column(name)
