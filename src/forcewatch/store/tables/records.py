"""Officers' use-of-force reports on the national form, and the incidents and people they describe.

``incident`` 1 - N ``person_involved`` 1 - N ``officer_report`` (one officer x one person: the Home
Office's counting unit). Each report holds its ordered ``tactic_use`` rows and, only when CED was
used, up to four ``ced_device`` blocks. Multi-select answers (locations, reasons, impact factors,
outcomes, weapon types, the tactic set, CED levels) are integer masks on the report; their bit
positions are frozen in :mod:`forcewatch.masks`. ``docs/records.md`` documents every column.

Ids are assigned by the writer (:func:`forcewatch.store.bulk.allocate_ids`) so a whole file can be
bulk-loaded with its links in place; they are never reused.
"""

from sqlalchemy import (
    BigInteger, Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, PrimaryKeyConstraint, SmallInteger,
    String, Table, Text, Time, UniqueConstraint,
)

from .base import metadata

#: 64-bit ids that are SQLite's rowid (an INTEGER PRIMARY KEY) there
Id = BigInteger().with_variant(Integer(), "sqlite")

incident = Table(
    "incident",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=False),
    Column("force_code", String(12), ForeignKey("area.code"), nullable=False),
    #: "id:<IncidentId>" when the file declares it, else "h:<date>|<time>|<borough>" (a heuristic)
    Column("ref", String(200), nullable=False),
    #: "declared" (from the file's IncidentId) or "heuristic" (same date, time and borough)
    Column("grouping", String(10), nullable=False),
    Column("occurred_date", Date, nullable=True),
    Column("occurred_time", Time, nullable=True),
    Column("borough", String(120), nullable=True),
    Column("simulated", Boolean, nullable=False),
    UniqueConstraint("force_code", "ref"),
)

person_involved = Table(
    "person_involved",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=False),
    Column("incident_id", Id, ForeignKey("incident.id"), nullable=False),
    #: "id:<PersonId>" when declared, else "h:<age>|<gender>|<ethnicity>" within the incident
    Column("ref", String(200), nullable=False),
    Column("grouping", String(10), nullable=False),
    UniqueConstraint("incident_id", "ref"),
)

officer_report = Table(
    "officer_report",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=False),
    Column("incident_id", Id, ForeignKey("incident.id"), nullable=False),
    Column("person_id", Id, ForeignKey("person_involved.id"), nullable=False),
    Column("force_code", String(12), ForeignKey("area.code"), nullable=False),
    Column("source_file_id", Integer, ForeignKey("source_file.id"), nullable=True),
    Column("source_row", Integer, nullable=True),
    Column("report_ref", String(200), nullable=True),
    Column("natural_key", String(200), nullable=False),
    Column("content_hash", String(32), nullable=False),
    Column("officer_pseudonym", String(64), nullable=True),
    #: the officer's team when the report was written (from the account, or a file's OfficerTeam column)
    Column("officer_team", String(80), nullable=True),
    #: how the report arrived: "import" (a file; see source_file_id) or "form" (the web form)
    Column("source", String(10), nullable=False, server_default="import"),
    Column("simulated", Boolean, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    #: a supervisor's review: when, and the reviewing supervisor's officer pseudonym
    Column("reviewed_at", DateTime, nullable=True),
    Column("reviewed_by", String(64), nullable=True),
    # time and place
    Column("incident_date", Date, nullable=False),
    Column("incident_time", Time, nullable=True),
    Column("financial_year", String(7), nullable=False),
    Column("form_started", DateTime, nullable=True),
    Column("form_completed", DateTime, nullable=True),
    Column("borough", String(120), nullable=True),
    Column("borough_raw", String(120), nullable=True),
    # the encounter
    Column("primary_conduct", String(40), nullable=True),
    Column("assaulted_by_subject", Boolean, nullable=True),
    Column("threatened_weapon_mask", Integer, nullable=True),
    Column("threatened_with_weapon", Text, nullable=True),
    Column("assaulted_weapon_mask", Integer, nullable=True),
    Column("assaulted_with_weapon", Text, nullable=True),
    Column("location_mask", Integer, nullable=False),
    Column("location_stated_mask", Integer, nullable=False),
    Column("reason_mask", Integer, nullable=False),
    Column("reason_stated_mask", Integer, nullable=False),
    Column("impact_factor_mask", Integer, nullable=False),
    Column("impact_factor_stated_mask", Integer, nullable=False),
    Column("outcome_mask", Integer, nullable=False),
    Column("outcome_stated_mask", Integer, nullable=False),
    # the officer
    Column("main_duty", String(200), nullable=True),
    Column("single_crewed", Boolean, nullable=True),
    Column("trained_ced", Boolean, nullable=True),
    Column("carrying_ced", Boolean, nullable=True),
    # tactics (the ordered list is in tactic_use)
    Column("tactic_mask", BigInteger, nullable=False),
    Column("tactic_count", SmallInteger, nullable=False),
    Column("ced", Boolean, nullable=False),
    Column("ced_used", Boolean, nullable=True),
    Column("ced_serial", String(80), nullable=True),
    Column("ced_levels_mask", SmallInteger, nullable=False),
    Column("ced_class", String(14), nullable=True),
    Column("firearms_aimed", Boolean, nullable=True),
    Column("firearms_fired", Boolean, nullable=True),
    # the person as the officer perceived them
    Column("age", String(14), nullable=False),
    Column("age_raw", String(80), nullable=True),
    Column("gender", String(14), nullable=False),
    Column("gender_raw", String(80), nullable=True),
    Column("ethnicity", String(14), nullable=False),
    Column("ethnicity_raw", String(80), nullable=True),
    Column("physical_disability", Boolean, nullable=True),
    Column("mental_disability", Boolean, nullable=True),
    Column("health", String(20), nullable=False),
    # injuries and medical help
    Column("staff_injured", String(14), nullable=True),
    Column("staff_injured_raw", Text, nullable=True),
    Column("staff_injury_intentional", Boolean, nullable=True),
    Column("staff_injury_level", String(14), nullable=True),
    Column("staff_med_provided", Boolean, nullable=True),
    Column("subject_injured", String(14), nullable=True),
    Column("subject_injury_level", String(14), nullable=True),
    Column("subject_med_offered", Boolean, nullable=True),
    Column("subject_med_provided", Boolean, nullable=True),
    Column("quality_flags", Integer, nullable=False),
    UniqueConstraint("force_code", "natural_key"),
    Index("ix_officer_report_force_code_financial_year", "force_code", "financial_year"),
    Index("ix_officer_report_force_code_officer_pseudonym", "force_code", "officer_pseudonym"),
    Index("ix_officer_report_force_code_officer_team", "force_code", "officer_team"),
)

tactic_use = Table(
    "tactic_use",
    metadata,
    Column("report_id", Id, ForeignKey("officer_report.id", ondelete="CASCADE"), nullable=False),
    #: position on the form (Tactic 1 ... Tactic 20): the order of use
    Column("seq", SmallInteger, nullable=False),
    #: the form's own tactic (keeps CS and PAVA apart), e.g. irritant_spray_pava_drawn
    Column("form_tactic", String(40), nullable=False),
    #: the Home Office tactic key, e.g. irritant_spray_drawn
    Column("tactic", String(40), nullable=False),
    Column("effective", Boolean, nullable=True),
    PrimaryKeyConstraint("report_id", "seq"),
)

ced_device = Table(
    "ced_device",
    metadata,
    Column("report_id", Id, ForeignKey("officer_report.id", ondelete="CASCADE"), nullable=False),
    #: 1 to 4: the form's CED, CED2, CED3, CED4 blocks
    Column("block", SmallInteger, nullable=False),
    *(Column(level, Boolean, nullable=True) for level in (
        "drawn", "aimed", "arced", "red_dot", "drive_stun", "drive_stun_repeat", "angled_drive_stun", "fired")),
    Column("cartridge_number", SmallInteger, nullable=True),
    Column("cycle_interrupted", Boolean, nullable=True),
    Column("repeat_cycle_same_cartridge", Boolean, nullable=True),
    Column("total_cycles", SmallInteger, nullable=True),
    Column("cycle_extended", Boolean, nullable=True),
    Column("miss_one_probe", Boolean, nullable=True),
    Column("miss_both_probes", Boolean, nullable=True),
    #: probe strikes on the body map: bit i = Front i+1 / Back A,B,...,H,J,K answered Yes (or No)
    Column("front_mask", Integer, nullable=False),
    Column("front_no_mask", Integer, nullable=False),
    Column("back_mask", Integer, nullable=False),
    Column("back_no_mask", Integer, nullable=False),
    PrimaryKeyConstraint("report_id", "block"),
)
