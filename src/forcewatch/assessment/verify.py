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

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from .. import audit
from ..access import SYSTEM, Principal
from ..errors import NotFound, VerificationFailed
from ..store import Store
from . import ledger
from .checks import Broken, assessment_events, check_inputs, check_logs, check_method, check_run
from .ledger import RunRecord
from .model import APPROVED, ASSURED, DRAFT, PUBLISHED, SUPERSEDED, Assessment
from .signing import registered_keys
from .visibility import may_read_public_tier
from .workflow import TRANSITIONS, signatures

__all__ = ["Broken", "Verification", "verify_assessment"]


@dataclass(frozen=True)
class Verification:
    """What :func:`verify_assessment` found."""

    assessment_id: int
    ok: bool
    checked: tuple[str, ...]
    broken: Broken | None = None
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "assessment_id": self.assessment_id,
            "ok": self.ok,
            "checked": list(self.checked),
            "broken": None
            if self.broken is None
            else {"link": self.broken.link, "message": self.broken.message},
            "notes": list(self.notes),
        }

    def raise_if_broken(self) -> None:
        if self.broken is not None:
            raise VerificationFailed(
                f"assessment {self.assessment_id}: {self.broken.link}: {self.broken.message}"
            )


def _analysis(manifest: dict[str, Any]) -> dict[str, Any]:
    return {k: manifest[k] for k in ("inputs", "method", "judgements", "outputs")}


def _signatures(
    conn: Connection, item: Assessment, runs: dict[str, RunRecord], current: RunRecord, events: dict[int, Any]
) -> list[str]:
    signed = signatures(conn, item.id)
    state, notes = DRAFT, []
    assured_manifest = None
    for s in signed:
        label = f"signature {s.seq}"
        who = f"{s.to_state} by {s.actor} at {s.signed_at:%Y-%m-%d %H:%M}"
        if not s.verifies():
            raise Broken(
                label,
                f"({who}) does not verify with its Ed25519 public key: the signed fields or the "
                "signature were altered",
            )
        if s.public_key not in registered_keys(conn, s.actor):
            raise Broken(
                label, f"({who}) was made with key {s.key_id[:16]}..., which is not registered to {s.actor}"
            )
        if s.from_state != state or s.to_state not in TRANSITIONS or state not in TRANSITIONS[s.to_state][0]:
            raise Broken(
                label, f"({who}) moves {s.from_state} -> {s.to_state}, but the assessment was {state}"
            )
        row, payload = events.get(s.audit_seq, (None, None))
        expected = {
            "from_state": s.from_state,
            "to_state": s.to_state,
            "manifest_sha256": s.manifest_sha256,
            "signature_sha256": s.signature_sha256,
            "key_id": s.key_id,
        }
        if (
            row is None
            or row.event_type != "assessment.transitioned"
            or row.actor != s.actor
            or payload != expected
        ):
            raise Broken(label, f"({who}) does not match audit event {s.audit_seq}")
        if s.manifest_sha256 not in runs:
            raise Broken(
                label,
                f"({who}) signs manifest {s.manifest_sha256[:16]}..., which no run of the assessment has",
            )
        manifest = runs[s.manifest_sha256].manifest()
        if assured_manifest is not None and _analysis(manifest) != _analysis(assured_manifest):
            raise Broken(label, f"({who}) signs an analysis that changed after assurance")
        if s.to_state == ASSURED:
            assured_manifest = manifest
        state = s.to_state
    if item.state != state:
        raise Broken(
            "state", f"the assessment is {item.state}, but its last signed transition leaves it {state}"
        )
    if assured_manifest is not None and _analysis(current.manifest()) != _analysis(assured_manifest):
        raise Broken(f"run {current.run_no}", "the analysis changed after assurance")
    if signed and state in (APPROVED, PUBLISHED):
        approved = next(s for s in reversed(signed) if s.to_state == APPROVED)
        if current.manifest_sha256 != approved.manifest_sha256:
            raise Broken(
                "run", "the assessment was re-run after approval; the current run is not the approved one"
            )
    if state == SUPERSEDED and item.superseded_by_id is None:
        notes.append("superseded without a link to its successor")
    return notes


def verify_assessment(
    store: Store, assessment_id: int, *, principal: Principal = SYSTEM, audit_chain: bool = True
) -> Verification:
    """Re-run and check an assessment; the result names the first broken link (or none).

    Anyone who may read the assessment at the public tier may verify it (the public, once it is
    published). ``audit_chain=False`` skips re-hashing the whole audit log (the assessment page's
    quick check); the audit events of this assessment are still compared with what they recorded.
    """
    checked: list[str] = []
    with store.read() as conn:
        item = ledger.load(conn, assessment_id)
        if not may_read_public_tier(conn, principal, item):
            raise NotFound(f"no assessment {assessment_id}")
    try:
        if audit_chain:
            chain = audit.verify(store)
            if chain.broken is not None:
                raise Broken(
                    f"audit event {chain.broken.seq}",
                    f"the audit log is broken ({chain.broken.problem}): {chain.broken.message}",
                )
            checked.append(f"audit log ({chain.events_checked} events)")
        else:
            checked.append("audit log chain not re-hashed (quick check)")
        with store.read() as conn:
            events = assessment_events(conn, item)
            by_seq = {r.seq: (r, p) for r, p in events}
            created_row, created = next(
                ((r, p) for r, p in events if r.event_type == "assessment.created"), (None, None)
            )
            if created_row is not None and created_row.actor != item.created_by:
                raise Broken(
                    "assessment created_by",
                    f"the assessment names {item.created_by!r} as its analyst, "
                    f"but audit event {created_row.seq} says {created_row.actor!r} created it",
                )
            recorded = {
                (p["record_type"], p["record_id"]): p["sha256"]
                for r, p in events
                if r.event_type == "assessment.recorded"
            }
            run_events = {
                p["run_no"]: p["manifest_sha256"]
                for r, p in events
                if r.event_type in ("assessment.created", "assessment.recorded") and p.get("run_no")
            }
            runs = ledger.runs(conn, item.id)
            config = check_method(conn, item, runs)
            checked.append(f"method document {config.info.name} {config.info.version}")
            contents, shas = check_inputs(conn, item, created)
            checked.append("inputs: " + ", ".join(sorted(contents)))
            check_logs(conn, item, recorded)
            checked.append("judgement, community and informed records")
            by_manifest = {r.manifest_sha256: r for r in runs}
            wanted = {s.manifest_sha256 for s in signatures(conn, item.id)} | {runs[-1].manifest_sha256}
            for run in runs:
                if run.manifest_sha256 in wanted:
                    check_run(conn, run, config, contents, shas, run_events)
                    checked.append(f"run {run.run_no} re-run: every output identical")
            notes = _signatures(conn, item, by_manifest, runs[-1], by_seq)
            checked.append("signatures and state")
    except Broken as broken:
        return Verification(item.id, False, tuple(checked), broken)
    return Verification(item.id, True, tuple(checked), None, tuple(notes))
