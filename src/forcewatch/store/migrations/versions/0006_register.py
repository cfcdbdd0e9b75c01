"""The Taser-trained officer register: officers by pseudonym, their dated events, eligibility policies.

Revision ID: 0006_register
Revises: 0005_assaults
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_register"
down_revision = "0005_assaults"  # chained after 0005_assaults when the two branches met
branch_labels = None
depends_on = None

# Frozen here on purpose: a migration must not change when the code's vocabularies do.
_KINDS = ("posting", "training", "withdrawn", "reinstated", "device_issued", "device_returned")
_STATES = ("current", "superseded", "retracted")


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def upgrade() -> None:
    op.create_table(
        "register_officer",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("force_code", sa.String(12), nullable=False),
        sa.Column("officer_pseudonym", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_file_id", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_register_officer"),
        sa.ForeignKeyConstraint(["force_code"], ["area.code"], name="fk_register_officer_force_code_area"),
        sa.ForeignKeyConstraint(["source_file_id"], ["source_file.id"],
                                name="fk_register_officer_source_file_id_source_file"),
        sa.UniqueConstraint("force_code", "officer_pseudonym", name="uq_register_officer_force_code_officer_pseudonym"),
    )
    op.create_table(
        "register_event",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("force_code", sa.String(12), nullable=False),
        sa.Column("officer_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("event_date", sa.Date, nullable=False),
        sa.Column("rank", sa.String(40), nullable=True),
        sa.Column("role", sa.String(40), nullable=True),
        sa.Column("team", sa.String(80), nullable=True),
        sa.Column("area", sa.String(80), nullable=True),
        sa.Column("status", sa.String(20), nullable=True),
        sa.Column("skill", sa.String(10), nullable=True),
        sa.Column("course", sa.String(16), nullable=True),
        sa.Column("result", sa.String(4), nullable=True),
        sa.Column("expires_on", sa.Date, nullable=True),
        sa.Column("serial", sa.String(80), nullable=True),
        sa.Column("natural_key", sa.String(200), nullable=False),
        sa.Column("content_hash", sa.String(32), nullable=False),
        sa.Column("source_file_id", sa.Integer, nullable=True),
        sa.Column("source_row", sa.Integer, nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(120), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("replaces_id", sa.Integer, nullable=True),
        sa.Column("reason", sa.String(40), nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_register_event"),
        sa.ForeignKeyConstraint(["force_code"], ["area.code"], name="fk_register_event_force_code_area"),
        sa.ForeignKeyConstraint(["officer_id"], ["register_officer.id"],
                                name="fk_register_event_officer_id_register_officer"),
        sa.ForeignKeyConstraint(["source_file_id"], ["source_file.id"],
                                name="fk_register_event_source_file_id_source_file"),
        sa.ForeignKeyConstraint(["replaces_id"], ["register_event.id"],
                                name="fk_register_event_replaces_id_register_event"),
        sa.CheckConstraint(f"kind IN ({_quoted(_KINDS)})", name="ck_register_event_kind"),
        sa.CheckConstraint(f"state IN ({_quoted(_STATES)})", name="ck_register_event_state"),
    )
    op.create_index("ix_register_event_officer_id_kind", "register_event", ["officer_id", "kind"])
    op.create_index("ix_register_event_force_code_natural_key", "register_event", ["force_code", "natural_key"])
    op.create_index("ix_register_event_force_code_serial", "register_event", ["force_code", "serial"])
    op.create_table(
        "register_policy",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("force_code", sa.String(12), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("version", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("source_text", sa.Text, nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sa.String(120), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_register_policy"),
        sa.ForeignKeyConstraint(["force_code"], ["area.code"], name="fk_register_policy_force_code_area"),
        sa.UniqueConstraint("force_code", "sha256", name="uq_register_policy_force_code_sha256"),
        sa.UniqueConstraint("force_code", "name", "version", name="uq_register_policy_force_code_name_version"),
    )


def downgrade() -> None:
    op.drop_table("register_policy")
    op.drop_index("ix_register_event_force_code_serial", table_name="register_event")
    op.drop_index("ix_register_event_force_code_natural_key", table_name="register_event")
    op.drop_index("ix_register_event_officer_id_kind", table_name="register_event")
    op.drop_table("register_event")
    op.drop_table("register_officer")
