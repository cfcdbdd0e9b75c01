"""Security: accounts, log-in failures, web sessions, API tokens, and the append-only audit log.

The database itself refuses UPDATE and DELETE on ``audit_event`` (and TRUNCATE on PostgreSQL):
triggers raise an error, so even a bug or a hand-typed SQL statement cannot rewrite history
without first dropping the triggers, which the hash chain then exposes (``forcewatch audit verify``).

Revision ID: 0004_security
Revises: 0001_reference
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_security"
down_revision = "0003_records"
branch_labels = None
depends_on = None

# Frozen here on purpose: a migration must not change when the code's role list does.
_ROLES = ("officer", "supervisor", "force_analyst", "assurer", "chief_officer", "pcc", "scrutiny_panel",
          "national_analyst", "review_team", "administrator")
_NATIONAL = ("national_analyst", "review_team", "administrator")


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


_SQLITE_TRIGGERS = (
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused'); END""",
)

_POSTGRES_TRIGGERS = (
    """CREATE FUNCTION forcewatch_audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP
           USING ERRCODE = 'insufficient_privilege';
       END $$""",
    """CREATE TRIGGER audit_event_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_event
       FOR EACH ROW EXECUTE FUNCTION forcewatch_audit_event_append_only()""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
       FOR EACH STATEMENT EXECUTE FUNCTION forcewatch_audit_event_append_only()""",
)


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("force_code", sa.String(12), nullable=True),
        sa.Column("team", sa.String(80), nullable=True),
        sa.Column("officer_pseudonym", sa.String(64), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_user_account"),
        sa.UniqueConstraint("username", name="uq_user_account_username"),
        sa.ForeignKeyConstraint(["force_code"], ["area.code"], name="fk_user_account_force_code_area"),
        sa.CheckConstraint(f"role IN ({_quoted(_ROLES)})", name="ck_user_account_role"),
        sa.CheckConstraint(f"role IN ({_quoted(_NATIONAL)}) OR force_code IS NOT NULL",
                           name="ck_user_account_force_required"),
    )
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("username_key", sa.String(64), nullable=False),
        sa.Column("client_ip", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_failure"),
    )
    op.create_index("ix_login_failure_username_key_at", "login_failure", ["username_key", "at"])
    op.create_index("ix_login_failure_client_ip_at", "login_failure", ["client_ip", "at"])
    op.create_table(
        "web_session",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client_ip", sa.String(64), nullable=True),
        sa.Column("user_agent", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_web_session"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name="fk_web_session_user_id_user_account"),
    )
    op.create_index("ix_web_session_user_id", "web_session", ["user_id"])
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_token"),
        sa.UniqueConstraint("token_hash", name="uq_api_token_token_hash"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name="fk_api_token_user_id_user_account"),
    )
    op.create_index("ix_api_token_user_id", "api_token", ["user_id"])
    op.create_table(
        "audit_event",
        sa.Column("seq", sa.BigInteger, autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("event_type", sa.String(80), nullable=False),
        sa.Column("force_code", sa.String(12), nullable=True),
        sa.Column("subject_type", sa.String(40), nullable=True),
        sa.Column("subject_id", sa.String(120), nullable=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_event"),
        sa.UniqueConstraint("prev_hash", name="uq_audit_event_prev_hash"),
        sa.UniqueConstraint("hash", name="uq_audit_event_hash"),
    )
    op.create_index("ix_audit_event_force_code_seq", "audit_event", ["force_code", "seq"])
    op.create_index("ix_audit_event_subject_type_subject_id", "audit_event", ["subject_type", "subject_id"])
    triggers = _POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else _SQLITE_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update_or_delete ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS forcewatch_audit_event_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    op.drop_table("audit_event")
    op.drop_table("api_token")
    op.drop_table("web_session")
    op.drop_table("login_failure")
    op.drop_table("user_account")
