"""Sign-off: draft -> assured -> approved -> published, and superseded on a successor's approval.

- **assure**: an assurer of the force (``assessment.assure``) who drafted none of it; needs every
  placeholder of the method confirmed in the judgement log;
- **approve**: a chief officer (``assessment.approve``); needs the PCC informed (with the date), a
  community engagement record and the EIA/CIA outcome;
- **publish**: a chief officer (``assessment.publish``); needs approval;
- **supersede**: automatic, when a later version of the same force and period is approved; signed
  by that version's approver.

Each transition is signed with the actor's Ed25519 key (:mod:`.signing`) over the manifest hash,
the states, the decision text, the actor and the time, and written as an audit event in the same
transaction as the signature and the state change. Any other transition is refused.
"""

from __future__ import annotations

from dataclasses import asdict, replace

from sqlalchemy import Connection, func, insert, select, update

from .. import audit
from ..access import Principal, require
from ..errors import Conflict, PermissionDenied, UsageError
from ..settings import Settings
from ..store import Store
from ..store.tables.assessment import assessment as assessment_table
from ..store.tables.assessment import assessment_signature
from . import ledger
from .events import AssessmentTransitioned
from .judgements import unconfirmed
from .model import APPROVED, ASSURED, DRAFT, PUBLISHED, SUPERSEDED, Assessment, now
from .signing import ALGORITHM, SignatureRecord, Signer, signer_for

__all__ = ["TRANSITIONS", "approval_blockers", "approve", "assure", "drafters", "publish", "signatures"]

#: allowed transitions: target state -> (required current state, action)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    ASSURED: ((DRAFT,), "assessment.assure"),
    APPROVED: ((ASSURED,), "assessment.approve"),
    PUBLISHED: ((APPROVED,), "assessment.publish"),
    SUPERSEDED: ((DRAFT, ASSURED, APPROVED, PUBLISHED), "assessment.approve"),
}


def signatures(conn: Connection, assessment_id: int) -> list[SignatureRecord]:
    rows = conn.execute(
        select(assessment_signature)
        .where(assessment_signature.c.assessment_id == assessment_id)
        .order_by(assessment_signature.c.seq)
    ).all()
    return [SignatureRecord.from_row(r) for r in rows]


def drafters(conn: Connection, item: Assessment) -> set[str]:
    """Everyone who drafted the assessment: its creator and the authors of its judgements and community records."""
    names = {item.created_by}
    names |= {j.author for j in ledger.judgements(conn, item.id)}
    names |= {c.author for c in ledger.community(conn, item.id)}
    return names


def approval_blockers(conn: Connection, item: Assessment) -> list[str]:
    """What approval still needs (empty when it may be approved)."""
    missing = []
    if not any(r.party == "pcc" for r in ledger.informed(conn, item.id)):
        missing.append(
            "the date the police and crime commissioner was informed (an informed record, party pcc)"
        )
    kinds = {c.kind for c in ledger.community(conn, item.id)}
    if "consultation" not in kinds:
        missing.append("a community engagement record (a community record of kind consultation)")
    if "eia_cia" not in kinds:
        missing.append(
            "the equality / community impact assessment outcome (a community record of kind eia_cia)"
        )
    return missing


def _statement(conn: Connection, item: Assessment, to_state: str, note: str) -> str:
    decision = ledger.current_run(conn, item.id).output("decision")
    base = {
        ASSURED: "Assured: independent verification of the analysis complete.",
        APPROVED: "Approved. " + decision["final"]["statement"],
        PUBLISHED: "Published: the public summary is released. " + decision["final"]["statement"],
    }.get(to_state, "")
    return (base + (f" Note: {note.strip()}" if note.strip() else "")).strip()


def _sign(
    conn: Connection,
    item: Assessment,
    signer: Signer,
    principal: Principal,
    to_state: str,
    decision_text: str,
) -> SignatureRecord:
    """Sign one transition, write its audit event and signature, and move the state (one transaction)."""
    run = ledger.current_run(conn, item.id)
    seq = (
        conn.execute(
            select(func.max(assessment_signature.c.seq)).where(
                assessment_signature.c.assessment_id == item.id
            )
        ).scalar()
        or 0
    ) + 1
    moment = now()
    unsigned = SignatureRecord(
        0,
        item.id,
        seq,
        item.state,
        to_state,
        run.manifest_sha256,
        decision_text,
        principal.username,
        str(principal.role),
        moment,
        ALGORITHM,
        signer.public_key,
        signer.key_id,
        "",
        0,
    )
    record = replace(unsigned, signature=signer.sign(unsigned.message()))
    changed = conn.execute(
        update(assessment_table)
        .where(assessment_table.c.id == item.id, assessment_table.c.row_version == item.row_version)
        .values(state=to_state, updated_at=moment, row_version=item.row_version + 1)
    ).rowcount
    if changed != 1:
        raise Conflict(
            f"assessment {item.id} was changed by someone else meanwhile", hint="look again, then retry"
        )
    entry = audit.append(
        conn,
        AssessmentTransitioned(
            force_code=item.force_code,
            subject_id=str(item.id),
            from_state=item.state,
            to_state=to_state,
            manifest_sha256=run.manifest_sha256,
            signature_sha256=record.signature_sha256,
            key_id=signer.key_id,
        ),
        actor=principal,
    )
    values = {k: v for k, v in asdict(record).items() if k != "id"} | {"audit_seq": entry.seq}
    new_id = conn.execute(insert(assessment_signature), values).inserted_primary_key[0]  # type: ignore[index]
    return replace(record, id=new_id, audit_seq=entry.seq)


def _check(item: Assessment, principal: Principal, to_state: str) -> None:
    states, action = TRANSITIONS[to_state]
    require(principal, action, force_code=item.force_code)
    if item.state not in states:
        raise Conflict(
            f"assessment {item.id} is {item.state}; it can become {to_state} only from {' or '.join(states)}",
            hint="the states run draft, assured, approved, published",
        )


def assure(
    store: Store, principal: Principal, assessment_id: int, *, settings: Settings, note: str = ""
) -> SignatureRecord:
    """Mark a draft assured (an assurer who drafted none of it; every placeholder confirmed); signed."""
    with store.read() as conn:
        item = ledger.load(conn, assessment_id)
        _check(item, principal, ASSURED)
        if principal.username in drafters(conn, item):
            raise PermissionDenied(
                f"{principal.username!r} drafted part of assessment {item.id} and cannot assure "
                "it: assurance must be independent",
                hint="ask another assurer of the force",
            )
        config, _ = ledger.method_of(conn, item.method_sha256)
        missing = unconfirmed(config, ledger.judgements(conn, item.id))
    if missing:
        raise Conflict(
            f"assessment {item.id} cannot be assured: the judgement log does not confirm "
            + ", ".join(missing),
            hint="the analyst records a confirmation judgement for each",
        )
    signer = signer_for(store, settings, principal)
    with store.write() as conn:
        item = ledger.load(conn, assessment_id)
        _check(item, principal, ASSURED)
        return _sign(conn, item, signer, principal, ASSURED, _statement(conn, item, ASSURED, note))


def approve(
    store: Store, principal: Principal, assessment_id: int, *, settings: Settings, note: str = ""
) -> SignatureRecord:
    """Approve an assured assessment (a chief officer; PCC informed, engagement and EIA/CIA recorded); signed.

    Every earlier version of the same force and period that is not yet superseded becomes
    superseded, signed by the same chief officer, with the link to this version kept.
    """
    with store.read() as conn:
        item = ledger.load(conn, assessment_id)
        _check(item, principal, APPROVED)
        missing = approval_blockers(conn, item)
    if missing:
        raise Conflict(
            f"assessment {item.id} cannot be approved yet: it needs " + "; ".join(missing),
            hint="record them (forcewatch assess inform / community), then approve",
        )
    signer = signer_for(store, settings, principal)
    with store.write() as conn:
        item = ledger.load(conn, assessment_id)
        _check(item, principal, APPROVED)
        signature = _sign(conn, item, signer, principal, APPROVED, _statement(conn, item, APPROVED, note))
        t = assessment_table.c
        older = conn.execute(
            select(assessment_table)
            .where(
                t.force_code == item.force_code,
                t.period == item.period,
                t.version < item.version,
                t.state != SUPERSEDED,
            )
            .order_by(t.version)
        ).all()
        for row in older:
            previous = Assessment.from_row(row)
            text = (
                f"Superseded by version {item.version} of this assessment (assessment {item.id}), approved "
                f"{signature.signed_at:%Y-%m-%d}."
            )
            _sign(conn, previous, signer, principal, SUPERSEDED, text)
            conn.execute(update(assessment_table).where(t.id == previous.id).values(superseded_by_id=item.id))
        return signature


def publish(
    store: Store, principal: Principal, assessment_id: int, *, settings: Settings, note: str = ""
) -> SignatureRecord:
    """Publish an approved assessment's public summary (a chief officer, the publication owner); signed."""
    with store.read() as conn:
        item = ledger.load(conn, assessment_id)
        _check(item, principal, PUBLISHED)
    signer = signer_for(store, settings, principal)
    with store.write() as conn:
        item = ledger.load(conn, assessment_id)
        _check(item, principal, PUBLISHED)
        if item.state != APPROVED:
            raise UsageError("only an approved assessment can be published")
        signature = _sign(conn, item, signer, principal, PUBLISHED, _statement(conn, item, PUBLISHED, note))
    # the public site's dated list gets the summary (frozen, with its open data); see forcewatch.publications
    from ..publication_figures import publish_assessment_summary

    publish_assessment_summary(store, principal, assessment_id, settings=settings)
    return signature
