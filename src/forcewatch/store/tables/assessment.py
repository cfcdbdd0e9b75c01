"""The Taser threat and risk assessment (STRA): versions, frozen inputs, runs, logs and signatures.

``assessment``: one row per version of a force's assessment for a period; the only mutable row
(its ``state`` moves draft -> assured -> approved -> published -> superseded, and
``superseded_by_id`` is set when a successor is approved). Everything else is **append-only**: the
database refuses UPDATE and DELETE (triggers in migration ``0009_assessment``), so what was frozen,
judged, recorded and signed stays as it was; ``forcewatch assess verify`` catches a change made by
someone who drops the triggers, through the hashes and signatures.

- ``assessment_method``: each method document once, as canonical JSON, keyed by its SHA-256;
- ``assessment_snapshot``: the input snapshots (canonical JSON with SHA-256, source, query,
  as-at date, extractor, schema version, quality checks);
- ``assessment_run``: each calculation: the outputs (trace, indicators, decision, community
  figures) as canonical JSON and the run manifest whose SHA-256 is what is signed;
- ``assessment_judgement``, ``assessment_community``, ``assessment_informed``: the judgement log,
  the community impact record and the record of who was informed;
- ``signing_key``: the Ed25519 public keys of the people who sign;
- ``assessment_signature``: each signed state transition.

``docs/assessment.md`` explains what is hashed and signed.
"""

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from .base import metadata
from .types import UtcDateTime

#: the sign-off states (threat-risk-assessment.md section 9)
STATES = ("draft", "assured", "approved", "published", "superseded")
#: the append-only tables (UPDATE and DELETE refused by triggers)
APPEND_ONLY = (
    "assessment_method",
    "assessment_snapshot",
    "assessment_run",
    "assessment_judgement",
    "assessment_community",
    "assessment_informed",
    "signing_key",
    "assessment_signature",
)


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


assessment_method = Table(
    "assessment_method",
    metadata,
    #: SHA-256 of the canonical JSON document
    Column("sha256", String(64), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("version", String(40), nullable=False),
    Column("approver", String(400), nullable=False),
    #: the normalised method document as canonical JSON: exactly the text that was hashed
    Column("document", Text, nullable=False),
    Column("stored_at", UtcDateTime, nullable=False),
)

assessment = Table(
    "assessment",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("force_code", String(12), ForeignKey("area.code"), nullable=False),
    #: the financial year assessed, e.g. 2018-19
    Column("period", String(7), nullable=False),
    #: 1, 2, 3 ... per force and period
    Column("version", Integer, nullable=False),
    Column("state", String(12), nullable=False),
    Column("title", String(200), nullable=False),
    Column("method_sha256", String(64), ForeignKey("assessment_method.sha256"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    #: the user name of the analyst who created it ("system" from the command line)
    Column("created_by", String(120), nullable=False),
    Column("supersedes_id", Integer, ForeignKey("assessment.id"), nullable=True),
    Column("superseded_by_id", Integer, ForeignKey("assessment.id"), nullable=True),
    #: why this version replaces the previous one (required from version 2)
    Column("revision_reason", Text, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    #: optimistic locking: every state change adds one
    Column("row_version", Integer, nullable=False),
    UniqueConstraint("force_code", "period", "version"),
    CheckConstraint(f"state IN ({_quoted(STATES)})", name="state"),
)

assessment_snapshot = Table(
    "assessment_snapshot",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assessment_id", Integer, ForeignKey("assessment.id"), nullable=False),
    #: the input's key: demand, current_headcount, published_use_of_force, workforce ...
    Column("input_key", String(60), nullable=False),
    Column("provider", String(120), nullable=False),
    #: what was read, in words (tables, filters, the file given)
    Column("source", Text, nullable=False),
    #: the query's parameters as canonical JSON
    Column("query", Text, nullable=False),
    Column("as_at", Date, nullable=True),
    Column("extracted_at", UtcDateTime, nullable=False),
    Column("extractor", String(120), nullable=False),
    Column("schema_version", String(60), nullable=False),
    #: the snapshot itself as canonical JSON: exactly the text that was hashed
    Column("content", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("rows", Integer, nullable=False),
    #: quality checks (completeness, share of ethnicity not recorded ...) as canonical JSON
    Column("quality", Text, nullable=False),
    UniqueConstraint("assessment_id", "input_key"),
)

assessment_run = Table(
    "assessment_run",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assessment_id", Integer, ForeignKey("assessment.id"), nullable=False),
    #: 1, 2, 3 ... per assessment; the newest is the current one
    Column("run_no", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(120), nullable=False),
    #: why it was run: created, judgement 4, community record 2 ...
    Column("reason", String(200), nullable=False),
    Column("trace", Text, nullable=False),
    Column("indicators", Text, nullable=False),
    Column("decision", Text, nullable=False),
    Column("community_figures", Text, nullable=False),
    #: the run manifest as canonical JSON; its SHA-256 is what each sign-off signs
    Column("manifest", Text, nullable=False),
    Column("manifest_sha256", String(64), nullable=False),
    UniqueConstraint("assessment_id", "run_no"),
    Index(None, "manifest_sha256"),
)

_LOG_COLUMNS = (
    ("author", String(120)),
    ("author_role", String(20)),
)

assessment_judgement = Table(
    "assessment_judgement",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assessment_id", Integer, ForeignKey("assessment.id"), nullable=False),
    #: National Decision Model stage: ethics, information, assessment, powers_policy, options, action
    Column("stage", String(20), nullable=False),
    #: score, confirmation, override, explanation, judgement
    Column("kind", String(20), nullable=False),
    #: what is judged: threat.harm.physical, service_level.beta, decision, indicator.x ...
    Column("field", String(120), nullable=False),
    #: the value as canonical JSON
    Column("value", Text, nullable=False),
    Column("rationale", Text, nullable=False),
    #: evidence links as a canonical JSON list
    Column("evidence", Text, nullable=False),
    *(Column(name, kind, nullable=False) for name, kind in _LOG_COLUMNS),
    Column("made_at", UtcDateTime, nullable=False),
    Column("sha256", String(64), nullable=False),
)

assessment_community = Table(
    "assessment_community",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assessment_id", Integer, ForeignKey("assessment.id"), nullable=False),
    #: consultation, mitigation, eia_cia, caveat
    Column("kind", String(20), nullable=False),
    Column("summary", Text, nullable=False),
    #: for eia_cia: the outcome (e.g. no major change, adjust, continue with mitigations, stop)
    Column("outcome", String(80), nullable=True),
    #: when it happened (a consultation's date)
    Column("held_on", Date, nullable=True),
    Column("evidence", Text, nullable=False),
    *(Column(name, kind, nullable=False) for name, kind in _LOG_COLUMNS),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("sha256", String(64), nullable=False),
)

assessment_informed = Table(
    "assessment_informed",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assessment_id", Integer, ForeignKey("assessment.id"), nullable=False),
    #: pcc, scrutiny_panel, community_group, other
    Column("party", String(20), nullable=False),
    #: who exactly (the office, panel or group, never a private person's name)
    Column("party_name", String(200), nullable=False),
    Column("informed_on", Date, nullable=False),
    #: how: meeting, letter, email, briefing ...
    Column("how", String(200), nullable=False),
    Column("note", Text, nullable=False),
    *(Column(name, kind, nullable=False) for name, kind in _LOG_COLUMNS),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("sha256", String(64), nullable=False),
)

signing_key = Table(
    "signing_key",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False),
    Column("algorithm", String(20), nullable=False),
    #: the raw 32-byte Ed25519 public key, hex
    Column("public_key", String(64), nullable=False, unique=True),
    #: SHA-256 of the raw public key, hex: the key's id
    Column("key_id", String(64), nullable=False, unique=True),
    Column("registered_at", UtcDateTime, nullable=False),
    Index(None, "username"),
)

assessment_signature = Table(
    "assessment_signature",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assessment_id", Integer, ForeignKey("assessment.id"), nullable=False),
    #: 1, 2, 3 ... per assessment, in the order the transitions happened
    Column("seq", Integer, nullable=False),
    Column("from_state", String(12), nullable=False),
    Column("to_state", String(12), nullable=False),
    Column("manifest_sha256", String(64), nullable=False),
    #: the decision text signed (generated statement plus the signer's own note)
    Column("decision_text", Text, nullable=False),
    Column("actor", String(120), nullable=False),
    Column("actor_role", String(20), nullable=False),
    Column("signed_at", UtcDateTime, nullable=False),
    Column("algorithm", String(20), nullable=False),
    Column("public_key", String(64), nullable=False),
    Column("key_id", String(64), nullable=False),
    #: the Ed25519 signature over the canonical JSON of the signed fields, hex
    Column("signature", String(128), nullable=False),
    #: the audit event written in the same transaction
    Column("audit_seq", BigInteger, nullable=False),
    UniqueConstraint("assessment_id", "seq"),
)
