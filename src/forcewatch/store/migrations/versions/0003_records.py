"""Records: incidents, people involved, officers' reports on the national form, tactic uses, CED device blocks.

Revision ID: 0003_records
Revises: 0001_reference
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_records"
down_revision = "0002_official"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('incident',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('force_code', sa.String(length=12), nullable=False),
    sa.Column('ref', sa.String(length=200), nullable=False),
    sa.Column('grouping', sa.String(length=10), nullable=False),
    sa.Column('occurred_date', sa.Date(), nullable=True),
    sa.Column('occurred_time', sa.Time(), nullable=True),
    sa.Column('borough', sa.String(length=120), nullable=True),
    sa.Column('simulated', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['force_code'], ['area.code'], name=('fk_incident_force_code_area')),
    sa.PrimaryKeyConstraint('id', name=('pk_incident')),
    sa.UniqueConstraint('force_code', 'ref', name=('uq_incident_force_code_ref'))
    )
    op.create_table('person_involved',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('incident_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('ref', sa.String(length=200), nullable=False),
    sa.Column('grouping', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=('fk_person_involved_incident_id_incident')),
    sa.PrimaryKeyConstraint('id', name=('pk_person_involved')),
    sa.UniqueConstraint('incident_id', 'ref', name=('uq_person_involved_incident_id_ref'))
    )
    op.create_table('officer_report',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('incident_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('force_code', sa.String(length=12), nullable=False),
    sa.Column('source_file_id', sa.Integer(), nullable=True),
    sa.Column('source_row', sa.Integer(), nullable=True),
    sa.Column('report_ref', sa.String(length=200), nullable=True),
    sa.Column('natural_key', sa.String(length=200), nullable=False),
    sa.Column('content_hash', sa.String(length=32), nullable=False),
    sa.Column('officer_pseudonym', sa.String(length=64), nullable=True),
    sa.Column('simulated', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('incident_date', sa.Date(), nullable=False),
    sa.Column('incident_time', sa.Time(), nullable=True),
    sa.Column('financial_year', sa.String(length=7), nullable=False),
    sa.Column('form_started', sa.DateTime(), nullable=True),
    sa.Column('form_completed', sa.DateTime(), nullable=True),
    sa.Column('borough', sa.String(length=120), nullable=True),
    sa.Column('borough_raw', sa.String(length=120), nullable=True),
    sa.Column('primary_conduct', sa.String(length=40), nullable=True),
    sa.Column('assaulted_by_subject', sa.Boolean(), nullable=True),
    sa.Column('threatened_weapon_mask', sa.Integer(), nullable=True),
    sa.Column('threatened_with_weapon', sa.Text(), nullable=True),
    sa.Column('assaulted_weapon_mask', sa.Integer(), nullable=True),
    sa.Column('assaulted_with_weapon', sa.Text(), nullable=True),
    sa.Column('location_mask', sa.Integer(), nullable=False),
    sa.Column('location_stated_mask', sa.Integer(), nullable=False),
    sa.Column('reason_mask', sa.Integer(), nullable=False),
    sa.Column('reason_stated_mask', sa.Integer(), nullable=False),
    sa.Column('impact_factor_mask', sa.Integer(), nullable=False),
    sa.Column('impact_factor_stated_mask', sa.Integer(), nullable=False),
    sa.Column('outcome_mask', sa.Integer(), nullable=False),
    sa.Column('outcome_stated_mask', sa.Integer(), nullable=False),
    sa.Column('main_duty', sa.String(length=200), nullable=True),
    sa.Column('single_crewed', sa.Boolean(), nullable=True),
    sa.Column('trained_ced', sa.Boolean(), nullable=True),
    sa.Column('carrying_ced', sa.Boolean(), nullable=True),
    sa.Column('tactic_mask', sa.BigInteger(), nullable=False),
    sa.Column('tactic_count', sa.SmallInteger(), nullable=False),
    sa.Column('ced', sa.Boolean(), nullable=False),
    sa.Column('ced_used', sa.Boolean(), nullable=True),
    sa.Column('ced_serial', sa.String(length=80), nullable=True),
    sa.Column('ced_levels_mask', sa.SmallInteger(), nullable=False),
    sa.Column('ced_class', sa.String(length=14), nullable=True),
    sa.Column('firearms_aimed', sa.Boolean(), nullable=True),
    sa.Column('firearms_fired', sa.Boolean(), nullable=True),
    sa.Column('age', sa.String(length=14), nullable=False),
    sa.Column('age_raw', sa.String(length=80), nullable=True),
    sa.Column('gender', sa.String(length=14), nullable=False),
    sa.Column('gender_raw', sa.String(length=80), nullable=True),
    sa.Column('ethnicity', sa.String(length=14), nullable=False),
    sa.Column('ethnicity_raw', sa.String(length=80), nullable=True),
    sa.Column('physical_disability', sa.Boolean(), nullable=True),
    sa.Column('mental_disability', sa.Boolean(), nullable=True),
    sa.Column('health', sa.String(length=20), nullable=False),
    sa.Column('staff_injured', sa.String(length=14), nullable=True),
    sa.Column('staff_injured_raw', sa.Text(), nullable=True),
    sa.Column('staff_injury_intentional', sa.Boolean(), nullable=True),
    sa.Column('staff_injury_level', sa.String(length=14), nullable=True),
    sa.Column('staff_med_provided', sa.Boolean(), nullable=True),
    sa.Column('subject_injured', sa.String(length=14), nullable=True),
    sa.Column('subject_injury_level', sa.String(length=14), nullable=True),
    sa.Column('subject_med_offered', sa.Boolean(), nullable=True),
    sa.Column('subject_med_provided', sa.Boolean(), nullable=True),
    sa.Column('quality_flags', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['force_code'], ['area.code'], name=('fk_officer_report_force_code_area')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=('fk_officer_report_incident_id_incident')),
    sa.ForeignKeyConstraint(['person_id'], ['person_involved.id'], name=('fk_officer_report_person_id_person_involved')),
    sa.ForeignKeyConstraint(['source_file_id'], ['source_file.id'], name=('fk_officer_report_source_file_id_source_file')),
    sa.PrimaryKeyConstraint('id', name=('pk_officer_report')),
    sa.UniqueConstraint('force_code', 'natural_key', name=('uq_officer_report_force_code_natural_key'))
    )
    op.create_index('ix_officer_report_force_code_financial_year', 'officer_report', ['force_code', 'financial_year'], unique=False)
    op.create_table('ced_device',
    sa.Column('report_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('block', sa.SmallInteger(), nullable=False),
    sa.Column('drawn', sa.Boolean(), nullable=True),
    sa.Column('aimed', sa.Boolean(), nullable=True),
    sa.Column('arced', sa.Boolean(), nullable=True),
    sa.Column('red_dot', sa.Boolean(), nullable=True),
    sa.Column('drive_stun', sa.Boolean(), nullable=True),
    sa.Column('drive_stun_repeat', sa.Boolean(), nullable=True),
    sa.Column('angled_drive_stun', sa.Boolean(), nullable=True),
    sa.Column('fired', sa.Boolean(), nullable=True),
    sa.Column('cartridge_number', sa.SmallInteger(), nullable=True),
    sa.Column('cycle_interrupted', sa.Boolean(), nullable=True),
    sa.Column('repeat_cycle_same_cartridge', sa.Boolean(), nullable=True),
    sa.Column('total_cycles', sa.SmallInteger(), nullable=True),
    sa.Column('cycle_extended', sa.Boolean(), nullable=True),
    sa.Column('miss_one_probe', sa.Boolean(), nullable=True),
    sa.Column('miss_both_probes', sa.Boolean(), nullable=True),
    sa.Column('front_mask', sa.Integer(), nullable=False),
    sa.Column('front_no_mask', sa.Integer(), nullable=False),
    sa.Column('back_mask', sa.Integer(), nullable=False),
    sa.Column('back_no_mask', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['officer_report.id'], name=('fk_ced_device_report_id_officer_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', 'block', name=('pk_ced_device'))
    )
    op.create_table('tactic_use',
    sa.Column('report_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('seq', sa.SmallInteger(), nullable=False),
    sa.Column('form_tactic', sa.String(length=40), nullable=False),
    sa.Column('tactic', sa.String(length=40), nullable=False),
    sa.Column('effective', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['officer_report.id'], name=('fk_tactic_use_report_id_officer_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', 'seq', name=('pk_tactic_use'))
    )


def downgrade() -> None:
    op.drop_table("ced_device")
    op.drop_table("tactic_use")
    op.drop_table("officer_report")
    op.drop_table("person_involved")
    op.drop_table("incident")
