"""Verify an assessment: re-run it from what is stored and check every hash, signature and audit link.

Checked in this order, stopping at the first broken link, which is named precisely:

1. ``audit log``: the whole hash chain (:func:`forcewatch.audit.verify`), naming the event;
2. ``method setting <path>`` / ``method document``: the stored method document still hashes to
   the SHA-256 the assessment and its runs name; a changed setting is named by comparing it with
   the method recorded in the (hash-checked) calculation trace;
3. ``input <key>``: each snapshot's content hashes to its SHA-256, which is the one in the run
   manifests and in the audit event that froze it;
4. ``judgement <id>``, ``community record <id>``, ``informed record <id>``: each log row hashes to
   its SHA-256, recorded by its audit event and listed in the manifests;
5. ``run <n>`` / ``output <key> (run <n>)``: each signed run and the current one: the manifest
   hashes to its SHA-256 and matches its audit event; each output hashes to the manifest's hash;
   re-running from the stored inputs, method and judgements gives the same bytes;
6. ``signature <seq>``: each transition verifies with its Ed25519 public key, the key is registered
   to the person named, the states follow the workflow, the audit event written with it matches,
   and the assessment's state is the last signed one; nothing in the analysis changed after
   assurance, and nothing at all after approval.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from .. import audit
from ..access import SYSTEM, Principal, allows
from ..errors import NotFound, VerificationFailed
from ..method import MethodConfig
from ..stats.canonical import sha256_of
from ..store import Store
from ..store.tables.security import audit_event
from . import ledger
from .differences import first_difference
from .ledger import RunRecord
from .model import APPROVED, ASSURED, DRAFT, PUBLISHED, SUPERSEDED, Assessment
from .run import OUTPUT_KEYS, compute_outputs, text_hash
from .signing import registered_keys
from .workflow import TRANSITIONS, signatures

__all__ = ["Broken", "Verification", "verify_assessment"]


class Broken(Exception):
    """The first link that does not check out: what it is (``link``) and what is wrong."""

    def __init__(self, link: str, message: str) -> None:
        super().__init__(f"{link}: {message}")
        self.link = link
        self.message = message


@dataclass(frozen=True)
class Verification:
    """What :func:`verify_assessment` found."""

    assessment_id: int
    ok: bool
    checked: tuple[str, ...]
    broken: Broken | None = None
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {"assessment_id": self.assessment_id, "ok": self.ok, "checked": list(self.checked),
                "broken": None if self.broken is None else {"link": self.broken.link, "message": self.broken.message},
                "notes": list(self.notes)}

    def raise_if_broken(self) -> None:
        if self.broken is not None:
            raise VerificationFailed(f"assessment {self.assessment_id}: {self.broken.link}: {self.broken.message}")


def _events(conn: Connection, item: Assessment) -> list[Any]:
    rows = conn.execute(select(audit_event).where(audit_event.c.subject_type == "assessment",
                                                  audit_event.c.subject_id == str(item.id))
                        .order_by(audit_event.c.seq)).all()
    return [(r, json.loads(r.payload)) for r in rows]


def _method(conn: Connection, item: Assessment, runs: list[RunRecord]) -> MethodConfig:
    config, text = ledger.method_of(conn, item.method_sha256)
    if text_hash(text) == item.method_sha256 and config.sha256 == item.method_sha256:
        return config
    current = runs[-1]
    trace = current.texts["trace"]
    if text_hash(trace) == current.manifest().get("outputs", {}).get("trace"):
        diff = first_difference(json.loads(trace)["config"], json.loads(text))
        if diff:
            raise Broken(f"method setting {diff['path']}",
                         f"the stored method document says {json.dumps(diff['new'])}, the run that was recorded used "
                         f"{json.dumps(diff['old'])}: the document no longer hashes to {item.method_sha256[:16]}...")
    raise Broken("method document", f"the stored method document no longer hashes to {item.method_sha256[:16]}...")


def _inputs(conn: Connection, item: Assessment, created: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, str]]:
    frozen = ledger.snapshots(conn, item.id)
    for s in frozen:
        if text_hash(s.text) != s.sha256:
            raise Broken(f"input {s.input_key}", f"its stored content ({s.rows} rows from {s.provider}) no longer "
                         f"hashes to its SHA-256 {s.sha256[:16]}...: it was changed after it was frozen")
    recorded = (created or {}).get("inputs")
    if recorded is None:
        raise Broken("audit event", f"no assessment.created event records the inputs of assessment {item.id}")
    stored = {s.input_key: s.sha256 for s in frozen}
    diff = first_difference(recorded, stored)
    if diff:
        raise Broken(f"input {diff['path']}", f"SHA-256 {str(diff['new'])[:16]}... is stored, but the audit event "
                     f"that froze it recorded {str(diff['old'])[:16]}...")
    return ledger.contents(frozen), stored


def _logs(conn: Connection, item: Assessment, recorded: dict[tuple[str, int], str]) -> None:
    groups = (("judgement", ledger.judgements(conn, item.id)), ("community", ledger.community(conn, item.id)),
              ("informed", ledger.informed(conn, item.id)))
    for kind, rows in groups:
        label = "judgement" if kind == "judgement" else f"{kind} record"
        for r in rows:
            what = f"{label} {r.id}" + (f" ({r.field} by {r.author})" if kind == "judgement" else f" (by {r.author})")
            if sha256_of(r.content()) != r.sha256:
                raise Broken(f"{label} {r.id}", f"{what} no longer hashes to its SHA-256 {r.sha256[:16]}...: altered")
            if recorded.get((kind, r.id)) != r.sha256:
                raise Broken(f"{label} {r.id}", f"{what} does not match the audit event that recorded it")


def _run(conn: Connection, run: RunRecord, config: MethodConfig, contents: dict[str, Any], shas: dict[str, str],
         recorded: dict[int, str]) -> dict[str, Any]:
    label = f"run {run.run_no}"
    if text_hash(run.manifest_text) != run.manifest_sha256 or recorded.get(run.run_no) != run.manifest_sha256:
        raise Broken(label, f"its manifest does not hash to {run.manifest_sha256[:16]}... or does not match the audit "
                     "event that recorded the run")
    manifest = run.manifest()
    for key in OUTPUT_KEYS:
        if text_hash(run.texts[key]) != manifest["outputs"].get(key):
            raise Broken(f"output {key} ({label})", f"the stored {key} no longer hashes to the manifest's SHA-256 "
                         f"{str(manifest['outputs'].get(key))[:16]}...: it was changed after the run")
    if manifest["method"]["sha256"] != config.sha256:
        raise Broken(f"method document ({label})", "the run names another method document")
    diff = first_difference({k: v["sha256"] for k, v in manifest["inputs"].items()}, shas)
    if diff:
        raise Broken(f"input {diff['path']} ({label})", "the input is not the one the run's manifest names")
    listed = {j["id"] for j in manifest["judgements"]}
    logged = [j for j in ledger.judgements(conn, run.assessment_id) if j.id in listed]
    if {j.id: j.sha256 for j in logged} != {j["id"]: j["sha256"] for j in manifest["judgements"]}:
        raise Broken(f"judgements ({label})", "the judgements the manifest lists are not the ones stored")
    fresh = compute_outputs(config, contents, logged)
    for key in OUTPUT_KEYS:
        if fresh.texts[key] != run.texts[key]:
            where = first_difference(run.output(key), json.loads(fresh.texts[key]))
            step = f" at {where['path']}" if where else ""
            raise Broken(f"output {key} ({label})", f"re-running from the stored inputs, method and judgements gives "
                         f"a different {key}{step}")
    return manifest


def _analysis(manifest: dict[str, Any]) -> dict[str, Any]:
    return {k: manifest[k] for k in ("inputs", "method", "judgements", "outputs")}


def _signatures(conn: Connection, item: Assessment, runs: dict[str, RunRecord], current: RunRecord,
                events: dict[int, Any]) -> list[str]:
    signed = signatures(conn, item.id)
    state, notes = DRAFT, []
    assured_manifest = None
    for s in signed:
        label = f"signature {s.seq}"
        who = f"{s.to_state} by {s.actor} at {s.signed_at:%Y-%m-%d %H:%M}"
        if not s.verifies():
            raise Broken(label, f"({who}) does not verify with its Ed25519 public key: the signed fields or the "
                         "signature were altered")
        if s.public_key not in registered_keys(conn, s.actor):
            raise Broken(label, f"({who}) was made with key {s.key_id[:16]}..., which is not registered to {s.actor}")
        if s.from_state != state or s.to_state not in TRANSITIONS or state not in TRANSITIONS[s.to_state][0]:
            raise Broken(label, f"({who}) moves {s.from_state} -> {s.to_state}, but the assessment was {state}")
        row, payload = events.get(s.audit_seq, (None, None))
        expected = {"from_state": s.from_state, "to_state": s.to_state, "manifest_sha256": s.manifest_sha256,
                    "signature_sha256": s.signature_sha256, "key_id": s.key_id}
        if row is None or row.event_type != "assessment.transitioned" or row.actor != s.actor or payload != expected:
            raise Broken(label, f"({who}) does not match audit event {s.audit_seq}")
        if s.manifest_sha256 not in runs:
            raise Broken(label, f"({who}) signs manifest {s.manifest_sha256[:16]}..., which no run of the assessment has")
        manifest = runs[s.manifest_sha256].manifest()
        if assured_manifest is not None and _analysis(manifest) != _analysis(assured_manifest):
            raise Broken(label, f"({who}) signs an analysis that changed after assurance")
        if s.to_state == ASSURED:
            assured_manifest = manifest
        state = s.to_state
    if item.state != state:
        raise Broken("state", f"the assessment is {item.state}, but its last signed transition leaves it {state}")
    if signed and state in (APPROVED, PUBLISHED):
        approved = next(s for s in reversed(signed) if s.to_state == APPROVED)
        if current.manifest_sha256 != approved.manifest_sha256:
            raise Broken("run", "the assessment was re-run after approval; the current run is not the approved one")
    if state == SUPERSEDED and item.superseded_by_id is None:
        notes.append("superseded without a link to its successor")
    return notes


def verify_assessment(store: Store, assessment_id: int, *, principal: Principal = SYSTEM) -> Verification:
    """Re-run and check an assessment; the result names the first broken link (or none)."""
    checked: list[str] = []
    with store.read() as conn:
        item = ledger.load(conn, assessment_id)
        if principal != SYSTEM and not allows(principal, "assessment.read", force_code=item.force_code) \
                and item.state not in (PUBLISHED,):
            raise NotFound(f"no assessment {assessment_id}")
    try:
        chain = audit.verify(store)
        if chain.broken is not None:
            raise Broken(f"audit event {chain.broken.seq}", f"the audit log is broken ({chain.broken.problem}): "
                         f"{chain.broken.message}")
        checked.append(f"audit log ({chain.events_checked} events)")
        with store.read() as conn:
            events = _events(conn, item)
            by_seq = {r.seq: (r, p) for r, p in events}
            created = next((p for r, p in events if r.event_type == "assessment.created"), None)
            recorded = {(p["record_type"], p["record_id"]): p["sha256"] for r, p in events
                        if r.event_type == "assessment.recorded"}
            run_events = {p["run_no"]: p["manifest_sha256"] for r, p in events
                          if r.event_type in ("assessment.created", "assessment.recorded") and p.get("run_no")}
            runs = ledger.runs(conn, item.id)
            config = _method(conn, item, runs)
            checked.append(f"method document {config.info.name} {config.info.version}")
            contents, shas = _inputs(conn, item, created)
            checked.append("inputs: " + ", ".join(sorted(contents)))
            _logs(conn, item, recorded)
            checked.append("judgement, community and informed records")
            by_manifest = {r.manifest_sha256: r for r in runs}
            wanted = {s.manifest_sha256 for s in signatures(conn, item.id)} | {runs[-1].manifest_sha256}
            for run in runs:
                if run.manifest_sha256 in wanted:
                    _run(conn, run, config, contents, shas, run_events)
                    checked.append(f"run {run.run_no} re-run: every output identical")
            notes = _signatures(conn, item, by_manifest, runs[-1], by_seq)
            checked.append("signatures and state")
    except Broken as broken:
        return Verification(item.id, False, tuple(checked), broken)
    return Verification(item.id, True, tuple(checked), None, tuple(notes))
