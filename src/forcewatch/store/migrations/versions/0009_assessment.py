"""The Taser threat and risk assessment: versions, frozen inputs, runs, logs, keys and signatures.

Every table but ``assessment`` itself is append-only: triggers refuse UPDATE and DELETE (and, on
PostgreSQL, TRUNCATE), as ``0004_security`` does for the audit log, so what was frozen, judged,
recorded and signed cannot be rewritten without first dropping the triggers, which the hashes
and signatures then expose (``forcewatch assess verify``).

Revision ID: 0009_assessment
Revises: 0004_security
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_assessment"
down_revision = "0008_monitoring"
branch_labels = None
depends_on = None

# Frozen here on purpose: a migration must not change when the code does.
_STATES = ("draft", "assured", "approved", "published", "superseded")
_APPEND_ONLY = ("assessment_method", "assessment_snapshot", "assessment_run", "assessment_judgement",
                "assessment_community", "assessment_informed", "signing_key", "assessment_signature")


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _id(table: str) -> list[sa.Column]:
    return [sa.Column("id", sa.Integer, autoincrement=True, nullable=False)]


def _pk(table: str, column: str = "id") -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(column, name=f"pk_{table}")


def _fk_assessment(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"], name=f"fk_{table}_assessment_id_assessment")


def _author() -> list[sa.Column]:
    return [sa.Column("author", sa.String(120), nullable=False),
            sa.Column("author_role", sa.String(20), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "assessment_method",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("version", sa.String(40), nullable=False),
        sa.Column("approver", sa.String(400), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        _pk("assessment_method", "sha256"),
    )
    op.create_table(
        "assessment",
        *_id("assessment"),
        sa.Column("force_code", sa.String(12), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("method_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("supersedes_id", sa.Integer, nullable=True),
        sa.Column("superseded_by_id", sa.Integer, nullable=True),
        sa.Column("revision_reason", sa.Text, nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer, nullable=False),
        _pk("assessment"),
        sa.ForeignKeyConstraint(["force_code"], ["area.code"], name="fk_assessment_force_code_area"),
        sa.ForeignKeyConstraint(["method_sha256"], ["assessment_method.sha256"],
                                name="fk_assessment_method_sha256_assessment_method"),
        sa.ForeignKeyConstraint(["supersedes_id"], ["assessment.id"], name="fk_assessment_supersedes_id_assessment"),
        sa.ForeignKeyConstraint(["superseded_by_id"], ["assessment.id"],
                                name="fk_assessment_superseded_by_id_assessment"),
        sa.UniqueConstraint("force_code", "period", "version", name="uq_assessment_force_code_period_version"),
        sa.CheckConstraint(f"state IN ({_quoted(_STATES)})", name="ck_assessment_state"),
    )
    op.create_table(
        "assessment_snapshot",
        *_id("assessment_snapshot"),
        sa.Column("assessment_id", sa.Integer, nullable=False),
        sa.Column("input_key", sa.String(60), nullable=False),
        sa.Column("provider", sa.String(120), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("as_at", sa.Date, nullable=True),
        sa.Column("extracted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("extractor", sa.String(120), nullable=False),
        sa.Column("schema_version", sa.String(60), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("quality", sa.Text, nullable=False),
        _pk("assessment_snapshot"),
        _fk_assessment("assessment_snapshot"),
        sa.UniqueConstraint("assessment_id", "input_key", name="uq_assessment_snapshot_assessment_id_input_key"),
    )
    op.create_table(
        "assessment_run",
        *_id("assessment_run"),
        sa.Column("assessment_id", sa.Integer, nullable=False),
        sa.Column("run_no", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("trace", sa.Text, nullable=False),
        sa.Column("indicators", sa.Text, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("community_figures", sa.Text, nullable=False),
        sa.Column("manifest", sa.Text, nullable=False),
        sa.Column("manifest_sha256", sa.String(64), nullable=False),
        _pk("assessment_run"),
        _fk_assessment("assessment_run"),
        sa.UniqueConstraint("assessment_id", "run_no", name="uq_assessment_run_assessment_id_run_no"),
    )
    op.create_index("ix_assessment_run_manifest_sha256", "assessment_run", ["manifest_sha256"])
    op.create_table(
        "assessment_judgement",
        *_id("assessment_judgement"),
        sa.Column("assessment_id", sa.Integer, nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("field", sa.String(120), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("rationale", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        *_author(),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        _pk("assessment_judgement"),
        _fk_assessment("assessment_judgement"),
    )
    op.create_table(
        "assessment_community",
        *_id("assessment_community"),
        sa.Column("assessment_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(80), nullable=True),
        sa.Column("held_on", sa.Date, nullable=True),
        sa.Column("evidence", sa.Text, nullable=False),
        *_author(),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        _pk("assessment_community"),
        _fk_assessment("assessment_community"),
    )
    op.create_table(
        "assessment_informed",
        *_id("assessment_informed"),
        sa.Column("assessment_id", sa.Integer, nullable=False),
        sa.Column("party", sa.String(20), nullable=False),
        sa.Column("party_name", sa.String(200), nullable=False),
        sa.Column("informed_on", sa.Date, nullable=False),
        sa.Column("how", sa.String(200), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        *_author(),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        _pk("assessment_informed"),
        _fk_assessment("assessment_informed"),
    )
    op.create_table(
        "signing_key",
        *_id("signing_key"),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("algorithm", sa.String(20), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        _pk("signing_key"),
        sa.UniqueConstraint("public_key", name="uq_signing_key_public_key"),
        sa.UniqueConstraint("key_id", name="uq_signing_key_key_id"),
    )
    op.create_index("ix_signing_key_username", "signing_key", ["username"])
    op.create_table(
        "assessment_signature",
        *_id("assessment_signature"),
        sa.Column("assessment_id", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("from_state", sa.String(12), nullable=False),
        sa.Column("to_state", sa.String(12), nullable=False),
        sa.Column("manifest_sha256", sa.String(64), nullable=False),
        sa.Column("decision_text", sa.Text, nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("actor_role", sa.String(20), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("algorithm", sa.String(20), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
        sa.Column("audit_seq", sa.BigInteger, nullable=False),
        _pk("assessment_signature"),
        _fk_assessment("assessment_signature"),
        sa.UniqueConstraint("assessment_id", "seq", name="uq_assessment_signature_assessment_id_seq"),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("""CREATE FUNCTION forcewatch_assessment_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'insufficient_privilege';
            END $$""")
    for table in _APPEND_ONLY:
        if postgres:
            op.execute(f"""CREATE TRIGGER {table}_no_update_or_delete BEFORE UPDATE OR DELETE ON {table}
                           FOR EACH ROW EXECUTE FUNCTION forcewatch_assessment_append_only()""")
            op.execute(f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                           FOR EACH STATEMENT EXECUTE FUNCTION forcewatch_assessment_append_only()""")
        else:
            op.execute(f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
                           BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END""")
            op.execute(f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
                           BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END""")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in _APPEND_ONLY:
        if postgres:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update_or_delete ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS forcewatch_assessment_append_only()")
    for table in ("assessment_signature", "signing_key", "assessment_informed", "assessment_community",
                  "assessment_judgement", "assessment_run", "assessment_snapshot", "assessment", "assessment_method"):
        op.drop_table(table)
