"""Assaults on officers, their aftercare, and the append-only trail of their criminal-justice outcomes.

``officer_assault``: one row per victim per crime (the recorded-crime rule), so one incident can hold
several. The victim is held only as an officer pseudonym (:mod:`forcewatch.pseudonyms`).
``assault_use_of_force``: the use-of-force reports an assault is linked to, by the force's report
reference (and the stored report, where forcewatch holds it).
``assault_welfare``: aftercare and welfare checks. Health data (special category), kept apart from
the crime record and read under its own access rule (``welfare.read``).
``cjs_outcome_event``: every police, CPS, court and sentence event, in four separate layers; the
database refuses UPDATE and DELETE on it (triggers in migration ``0005_assaults``): a correction is
a new event naming the one it corrects.
"""

from sqlalchemy import (
    JSON, Boolean, CheckConstraint, Column, Date, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Table,
    Text, UniqueConstraint,
)

from .base import metadata
from .types import UtcDateTime

#: The outcome layers (section 3 of the domain note) plus investigation steps and corrections.
OUTCOME_LAYERS = ("investigation", "crime_outcome", "charging", "court", "sentence", "correction")

officer_assault = Table(
    "officer_assault",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("force_code", String(12), ForeignKey("area.code"), nullable=False),
    #: the force's crime reference: with the victim, what makes a record unique
    Column("crime_ref", String(60), nullable=False),
    Column("incident_ref", String(60), nullable=True),
    #: HMAC of the force and the victim's staff identifier (never the identifier itself)
    Column("victim_pseudonym", String(64), nullable=False),
    #: the victim's team (``team`` scope of the access policy)
    Column("team", String(80), nullable=True),
    Column("victim_role", String(30), nullable=False),
    Column("duty_role", String(30), nullable=True),
    Column("service_band", String(10), nullable=True),
    Column("on_duty_status", String(20), nullable=False),
    Column("single_crewed", Boolean, nullable=True),
    Column("taser_carried", Boolean, nullable=True),
    #: offence key of the reference data, and the Home Office class it gives for this victim
    Column("offence", String(40), nullable=False),
    Column("ho_class", String(8), nullable=False),
    Column("offence_date", Date, nullable=False),
    Column("recorded_date", Date, nullable=True),
    Column("injury_level", String(12), nullable=False),
    Column("methods", JSON, nullable=False),
    Column("spit_or_bite", Boolean, nullable=False),
    Column("weapon", String(20), nullable=True),
    Column("body_parts", JSON, nullable=False),
    Column("suspect_demeanour", JSON, nullable=False),
    Column("equipment_carried", JSON, nullable=False),
    Column("equipment_used", JSON, nullable=False),
    #: exposure to blood or saliva (blood-borne virus risk)
    Column("exposure_risk", Boolean, nullable=True),
    #: free text: record level only, never in a shared or public output, never in the audit log
    Column("circumstances", Text, nullable=True),
    Column("on_hs_system", Boolean, nullable=True),
    Column("simulated", Boolean, nullable=False),
    Column("source_file_id", Integer, ForeignKey("source_file.id"), nullable=True),
    Column("source_row", Integer, nullable=True),
    Column("content_hash", String(32), nullable=False),
    Column("reference_version", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_by", String(120), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("force_code", "crime_ref", "victim_pseudonym"),
    Index("ix_officer_assault_force_code_offence_date", "force_code", "offence_date"),
)

assault_use_of_force = Table(
    "assault_use_of_force",
    metadata,
    Column("assault_id", Integer, ForeignKey("officer_assault.id"), nullable=False),
    #: the force's use-of-force report reference, as recorded
    Column("report_ref", String(200), nullable=False),
    #: the stored report with that reference, when forcewatch holds it
    Column("report_id", Integer, nullable=True),
    PrimaryKeyConstraint("assault_id", "report_ref"),
)

assault_welfare = Table(
    "assault_welfare",
    metadata,
    Column("assault_id", Integer, ForeignKey("officer_assault.id"), primary_key=True, autoincrement=False),
    Column("first_welfare_contact_date", Date, nullable=True),
    Column("welfare_contacts", Integer, nullable=True),
    #: Operation Hampshire: the victim never investigates their own assault (must be true)
    Column("victim_removed_from_investigation", Boolean, nullable=True),
    Column("investigator_is_victim", Boolean, nullable=True),
    Column("vps_offered", Boolean, nullable=True),
    Column("vps_taken", Boolean, nullable=True),
    Column("victim_code_updates", Integer, nullable=True),
    Column("occupational_health_referral", Boolean, nullable=True),
    Column("absence_days", Integer, nullable=True),
    Column("second_line_review", Boolean, nullable=True),
    Column("scrutiny_panel_review", Boolean, nullable=True),
    Column("version", Integer, nullable=False),
    Column("updated_by", String(120), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

cjs_outcome_event = Table(
    "cjs_outcome_event",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assault_id", Integer, ForeignKey("officer_assault.id"), nullable=False),
    Column("force_code", String(12), ForeignKey("area.code"), nullable=False),
    Column("layer", String(16), nullable=False),
    Column("event_type", String(30), nullable=False),
    Column("event_date", Date, nullable=False),
    # layer A: crime outcome
    Column("ho_outcome", String(4), nullable=True),
    # layer B: charging and finalisation
    Column("charge_route", String(30), nullable=True),
    Column("pre_charge_decision", String(30), nullable=True),
    Column("cps_finalisation", String(30), nullable=True),
    Column("vrr_result", String(20), nullable=True),
    # layer C: court
    Column("court", String(12), nullable=True),
    Column("plea", String(20), nullable=True),
    Column("verdict", String(12), nullable=True),
    #: Sentencing Act 2020 s.67 aggravation stated in open court: yes, no, na
    Column("s67_stated", String(3), nullable=True),
    Column("vps_read", Boolean, nullable=True),
    Column("bwv_played", Boolean, nullable=True),
    # layer D: sentence
    Column("sentence_disposal", String(30), nullable=True),
    Column("custody_days", Integer, nullable=True),
    Column("ancillary_orders", JSON, nullable=False),
    Column("charged_offences", JSON, nullable=False),
    Column("convicted_offences", JSON, nullable=False),
    #: the statutory maxima applicable, derived from the offences and the offence date when entered
    Column("statutory_max", JSON, nullable=False),
    Column("suspect_pseudonym", String(64), nullable=True),
    #: police_system, cps_notice, court_register, manual, import
    Column("source", String(20), nullable=False),
    #: the event this one corrects (a correction never overwrites)
    Column("corrects_event_id", Integer, ForeignKey("cjs_outcome_event.id"), nullable=True),
    Column("note", String(500), nullable=True),
    Column("entered_by", String(120), nullable=False),
    Column("entered_at", UtcDateTime, nullable=False),
    Column("reference_version", String(20), nullable=False),
    #: hash of the event's content: the same event entered twice is refused, imported twice is skipped
    Column("event_key", String(32), nullable=False),
    UniqueConstraint("assault_id", "event_key"),
    Index("ix_cjs_outcome_event_assault_id_event_date", "assault_id", "event_date"),
    CheckConstraint("layer IN ('investigation', 'crime_outcome', 'charging', 'court', 'sentence', 'correction')",
                    name="layer"),
)
