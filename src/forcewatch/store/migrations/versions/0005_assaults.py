"""Assaults on officers, their welfare records and outcome trail; review submissions; shared learning.

The database refuses UPDATE and DELETE on ``cjs_outcome_event`` (and TRUNCATE on PostgreSQL), as it
does on the audit log: an outcome, once entered, is history. A revised decision or a correction is
a new event naming the one it corrects (``corrects_event_id``).

Revision ID: 0005_assaults
Revises: 0004_security
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_assaults"
down_revision = "0004_security"
branch_labels = None
depends_on = None

_SQLITE_TRIGGERS = (
    """CREATE TRIGGER cjs_outcome_event_no_update BEFORE UPDATE ON cjs_outcome_event
       BEGIN SELECT RAISE(ABORT, 'cjs_outcome_event is append-only: UPDATE refused (enter a correcting event)'); END""",
    """CREATE TRIGGER cjs_outcome_event_no_delete BEFORE DELETE ON cjs_outcome_event
       BEGIN SELECT RAISE(ABORT, 'cjs_outcome_event is append-only: DELETE refused (enter a correcting event)'); END""",
)

_POSTGRES_TRIGGERS = (
    """CREATE FUNCTION forcewatch_cjs_outcome_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'cjs_outcome_event is append-only: % refused (enter a correcting event)', TG_OP
           USING ERRCODE = 'insufficient_privilege';
       END $$""",
    """CREATE TRIGGER cjs_outcome_event_no_update_or_delete BEFORE UPDATE OR DELETE ON cjs_outcome_event
       FOR EACH ROW EXECUTE FUNCTION forcewatch_cjs_outcome_event_append_only()""",
    """CREATE TRIGGER cjs_outcome_event_no_truncate BEFORE TRUNCATE ON cjs_outcome_event
       FOR EACH STATEMENT EXECUTE FUNCTION forcewatch_cjs_outcome_event_append_only()""",
)


def upgrade() -> None:
    op.create_table('learning_item',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('force_code', sa.String(length=12), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('area_tags', sa.JSON(), nullable=False),
    sa.Column('theme', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('what_happened', sa.Text(), nullable=False),
    sa.Column('what_helped', sa.Text(), nullable=False),
    sa.Column('what_to_change', sa.Text(), nullable=False),
    sa.Column('redacted', sa.JSON(), nullable=True),
    sa.Column('pii_findings', sa.JSON(), nullable=True),
    sa.Column('contributing_factors', sa.JSON(), nullable=False),
    sa.Column('target_owner', sa.String(length=20), nullable=False),
    sa.Column('action_status', sa.String(length=20), nullable=False),
    sa.Column('evidence_rating', sa.String(length=20), nullable=False),
    sa.Column('handling', sa.String(length=20), nullable=False),
    sa.Column('sharing_level', sa.String(length=20), nullable=False),
    sa.Column('consent_scope', sa.String(length=30), nullable=False),
    sa.Column('moderation_status', sa.String(length=10), nullable=False),
    sa.Column('moderated_by', sa.String(length=120), nullable=True),
    sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('simulated', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['force_code'], ['area.code'], name=op.f('fk_learning_item_force_code_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_item'))
    )
    op.create_table('officer_assault',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('force_code', sa.String(length=12), nullable=False),
    sa.Column('crime_ref', sa.String(length=60), nullable=False),
    sa.Column('incident_ref', sa.String(length=60), nullable=True),
    sa.Column('victim_pseudonym', sa.String(length=64), nullable=False),
    sa.Column('team', sa.String(length=80), nullable=True),
    sa.Column('victim_role', sa.String(length=30), nullable=False),
    sa.Column('duty_role', sa.String(length=30), nullable=True),
    sa.Column('service_band', sa.String(length=10), nullable=True),
    sa.Column('on_duty_status', sa.String(length=20), nullable=False),
    sa.Column('single_crewed', sa.Boolean(), nullable=True),
    sa.Column('taser_carried', sa.Boolean(), nullable=True),
    sa.Column('offence', sa.String(length=40), nullable=False),
    sa.Column('ho_class', sa.String(length=8), nullable=False),
    sa.Column('offence_date', sa.Date(), nullable=False),
    sa.Column('recorded_date', sa.Date(), nullable=True),
    sa.Column('injury_level', sa.String(length=12), nullable=False),
    sa.Column('methods', sa.JSON(), nullable=False),
    sa.Column('spit_or_bite', sa.Boolean(), nullable=False),
    sa.Column('weapon', sa.String(length=20), nullable=True),
    sa.Column('body_parts', sa.JSON(), nullable=False),
    sa.Column('suspect_demeanour', sa.JSON(), nullable=False),
    sa.Column('equipment_carried', sa.JSON(), nullable=False),
    sa.Column('equipment_used', sa.JSON(), nullable=False),
    sa.Column('exposure_risk', sa.Boolean(), nullable=True),
    sa.Column('circumstances', sa.Text(), nullable=True),
    sa.Column('on_hs_system', sa.Boolean(), nullable=True),
    sa.Column('simulated', sa.Boolean(), nullable=False),
    sa.Column('source_file_id', sa.Integer(), nullable=True),
    sa.Column('source_row', sa.Integer(), nullable=True),
    sa.Column('content_hash', sa.String(length=32), nullable=False),
    sa.Column('reference_version', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['force_code'], ['area.code'], name=op.f('fk_officer_assault_force_code_area')),
    sa.ForeignKeyConstraint(['source_file_id'], ['source_file.id'], name=op.f('fk_officer_assault_source_file_id_source_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_officer_assault')),
    sa.UniqueConstraint('force_code', 'crime_ref', 'victim_pseudonym', name=op.f('uq_officer_assault_force_code_crime_ref_victim_pseudonym'))
    )
    op.create_index('ix_officer_assault_force_code_offence_date', 'officer_assault', ['force_code', 'offence_date'], unique=False)
    op.create_table('assault_use_of_force',
    sa.Column('assault_id', sa.Integer(), nullable=False),
    sa.Column('report_ref', sa.String(length=200), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assault_id'], ['officer_assault.id'], name=op.f('fk_assault_use_of_force_assault_id_officer_assault')),
    sa.PrimaryKeyConstraint('assault_id', 'report_ref', name=op.f('pk_assault_use_of_force'))
    )
    op.create_table('assault_welfare',
    sa.Column('assault_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('first_welfare_contact_date', sa.Date(), nullable=True),
    sa.Column('welfare_contacts', sa.Integer(), nullable=True),
    sa.Column('victim_removed_from_investigation', sa.Boolean(), nullable=True),
    sa.Column('investigator_is_victim', sa.Boolean(), nullable=True),
    sa.Column('vps_offered', sa.Boolean(), nullable=True),
    sa.Column('vps_taken', sa.Boolean(), nullable=True),
    sa.Column('victim_code_updates', sa.Integer(), nullable=True),
    sa.Column('occupational_health_referral', sa.Boolean(), nullable=True),
    sa.Column('absence_days', sa.Integer(), nullable=True),
    sa.Column('second_line_review', sa.Boolean(), nullable=True),
    sa.Column('scrutiny_panel_review', sa.Boolean(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assault_id'], ['officer_assault.id'], name=op.f('fk_assault_welfare_assault_id_officer_assault')),
    sa.PrimaryKeyConstraint('assault_id', name=op.f('pk_assault_welfare'))
    )
    op.create_table('cjs_outcome_event',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('assault_id', sa.Integer(), nullable=False),
    sa.Column('force_code', sa.String(length=12), nullable=False),
    sa.Column('layer', sa.String(length=16), nullable=False),
    sa.Column('event_type', sa.String(length=30), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=False),
    sa.Column('ho_outcome', sa.String(length=4), nullable=True),
    sa.Column('charge_route', sa.String(length=30), nullable=True),
    sa.Column('pre_charge_decision', sa.String(length=30), nullable=True),
    sa.Column('cps_finalisation', sa.String(length=30), nullable=True),
    sa.Column('vrr_result', sa.String(length=20), nullable=True),
    sa.Column('court', sa.String(length=12), nullable=True),
    sa.Column('plea', sa.String(length=20), nullable=True),
    sa.Column('verdict', sa.String(length=12), nullable=True),
    sa.Column('s67_stated', sa.String(length=3), nullable=True),
    sa.Column('vps_read', sa.Boolean(), nullable=True),
    sa.Column('bwv_played', sa.Boolean(), nullable=True),
    sa.Column('sentence_disposal', sa.String(length=30), nullable=True),
    sa.Column('custody_days', sa.Integer(), nullable=True),
    sa.Column('ancillary_orders', sa.JSON(), nullable=False),
    sa.Column('charged_offences', sa.JSON(), nullable=False),
    sa.Column('convicted_offences', sa.JSON(), nullable=False),
    sa.Column('statutory_max', sa.JSON(), nullable=False),
    sa.Column('suspect_pseudonym', sa.String(length=64), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('corrects_event_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('entered_by', sa.String(length=120), nullable=False),
    sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reference_version', sa.String(length=20), nullable=False),
    sa.Column('event_key', sa.String(length=32), nullable=False),
    sa.CheckConstraint("layer IN ('investigation', 'crime_outcome', 'charging', 'court', 'sentence', 'correction')", name=op.f('ck_cjs_outcome_event_layer')),
    sa.ForeignKeyConstraint(['assault_id'], ['officer_assault.id'], name=op.f('fk_cjs_outcome_event_assault_id_officer_assault')),
    sa.ForeignKeyConstraint(['corrects_event_id'], ['cjs_outcome_event.id'], name=op.f('fk_cjs_outcome_event_corrects_event_id_cjs_outcome_event')),
    sa.ForeignKeyConstraint(['force_code'], ['area.code'], name=op.f('fk_cjs_outcome_event_force_code_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cjs_outcome_event')),
    sa.UniqueConstraint('assault_id', 'event_key', name=op.f('uq_cjs_outcome_event_assault_id_event_key'))
    )
    op.create_index('ix_cjs_outcome_event_assault_id_event_date', 'cjs_outcome_event', ['assault_id', 'event_date'], unique=False)
    op.create_table('learning_item_assault',
    sa.Column('learning_id', sa.Integer(), nullable=False),
    sa.Column('assault_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assault_id'], ['officer_assault.id'], name=op.f('fk_learning_item_assault_assault_id_officer_assault')),
    sa.ForeignKeyConstraint(['learning_id'], ['learning_item.id'], name=op.f('fk_learning_item_assault_learning_id_learning_item')),
    sa.PrimaryKeyConstraint('learning_id', 'assault_id', name=op.f('pk_learning_item_assault'))
    )
    op.create_table('review_submission',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('force_code', sa.String(length=12), nullable=False),
    sa.Column('author_user_id', sa.Integer(), nullable=True),
    sa.Column('respondent_pseudonym', sa.String(length=64), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('role_band', sa.String(length=20), nullable=False),
    sa.Column('duty_role', sa.String(length=30), nullable=True),
    sa.Column('service_band', sa.String(length=10), nullable=True),
    sa.Column('consent_scope', sa.String(length=30), nullable=False),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('victimisation', sa.JSON(), nullable=False),
    sa.Column('free_text', sa.Text(), nullable=False),
    sa.Column('redacted_text', sa.Text(), nullable=True),
    sa.Column('pii_findings', sa.JSON(), nullable=True),
    sa.Column('moderation_status', sa.String(length=10), nullable=False),
    sa.Column('moderated_by', sa.String(length=120), nullable=True),
    sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('suggested_areas', sa.JSON(), nullable=False),
    sa.Column('suggested_scores', sa.JSON(), nullable=False),
    sa.Column('classifier_sha256', sa.String(length=64), nullable=False),
    sa.Column('confirmed_areas', sa.JSON(), nullable=True),
    sa.Column('confirmed_by', sa.String(length=120), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('simulated', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_user_id'], ['user_account.id'], name=op.f('fk_review_submission_author_user_id_user_account')),
    sa.ForeignKeyConstraint(['force_code'], ['area.code'], name=op.f('fk_review_submission_force_code_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_submission'))
    )
    op.create_index('ix_review_submission_force_code_submitted_at', 'review_submission', ['force_code', 'submitted_at'], unique=False)

    triggers = _POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else _SQLITE_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS cjs_outcome_event_no_truncate ON cjs_outcome_event")
        op.execute("DROP TRIGGER IF EXISTS cjs_outcome_event_no_update_or_delete ON cjs_outcome_event")
        op.execute("DROP FUNCTION IF EXISTS forcewatch_cjs_outcome_event_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS cjs_outcome_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS cjs_outcome_event_no_delete")
    for table in ("review_submission", "learning_item_assault", "cjs_outcome_event", "assault_welfare",
                  "assault_use_of_force", "officer_assault", "learning_item"):
        op.drop_table(table)
