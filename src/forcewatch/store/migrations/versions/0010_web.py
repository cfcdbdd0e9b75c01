"""The public transparency site's publications: append-only, each frozen with the SHA-256 of its CSV.

A publication is never edited: republishing makes a new row whose ``supersedes_id`` names the one
it replaces (unique, so a publication is superseded at most once). Triggers refuse UPDATE and
DELETE (and, on PostgreSQL, TRUNCATE), as ``0009_assessment`` does for the assessment's logs.

Revision ID: 0010_web
Revises: 0009_assessment
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_web"
down_revision = "0009_assessment"
branch_labels = None
depends_on = None

# Frozen here on purpose: a migration must not change when the code does.
_KINDS = ("assessment_summary", "quarterly_taser", "statement")


def upgrade() -> None:
    op.create_table(
        "publication",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("force_code", sa.String(12), nullable=True),
        sa.Column("period", sa.String(24), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("method", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("suppression", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("csv", sa.Text, nullable=False),
        sa.Column("csv_sha256", sa.String(64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(120), nullable=False),
        sa.Column("publisher_role", sa.String(20), nullable=False),
        sa.Column("supersedes_id", sa.Integer, nullable=True),
        sa.Column("assessment_id", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_publication"),
        sa.ForeignKeyConstraint(["force_code"], ["area.code"], name="fk_publication_force_code_area"),
        sa.ForeignKeyConstraint(["supersedes_id"], ["publication.id"], name="fk_publication_supersedes_id_publication"),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"], name="fk_publication_assessment_id_assessment"),
        sa.UniqueConstraint("supersedes_id", name="uq_publication_supersedes_id"),
        sa.CheckConstraint("kind IN (" + ", ".join(f"'{k}'" for k in _KINDS) + ")", name="ck_publication_kind"),
    )
    op.create_index("ix_publication_published_at", "publication", ["published_at"])
    op.create_index("ix_publication_force_code", "publication", ["force_code"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""CREATE FUNCTION forcewatch_publication_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'insufficient_privilege';
            END $$""")
        op.execute("""CREATE TRIGGER publication_no_update_or_delete BEFORE UPDATE OR DELETE ON publication
                      FOR EACH ROW EXECUTE FUNCTION forcewatch_publication_append_only()""")
        op.execute("""CREATE TRIGGER publication_no_truncate BEFORE TRUNCATE ON publication
                      FOR EACH STATEMENT EXECUTE FUNCTION forcewatch_publication_append_only()""")
    else:
        op.execute("""CREATE TRIGGER publication_no_update BEFORE UPDATE ON publication
                      BEGIN SELECT RAISE(ABORT, 'publication is append-only: UPDATE refused'); END""")
        op.execute("""CREATE TRIGGER publication_no_delete BEFORE DELETE ON publication
                      BEGIN SELECT RAISE(ABORT, 'publication is append-only: DELETE refused'); END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS publication_no_truncate ON publication")
        op.execute("DROP TRIGGER IF EXISTS publication_no_update_or_delete ON publication")
        op.execute("DROP FUNCTION IF EXISTS forcewatch_publication_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS publication_no_update")
        op.execute("DROP TRIGGER IF EXISTS publication_no_delete")
    op.drop_index("ix_publication_force_code", table_name="publication")
    op.drop_index("ix_publication_published_at", table_name="publication")
    op.drop_table("publication")
