"""Reading an assessment's rows back, and writing its method document, snapshots and runs.

Every function takes an open connection (``store.read()`` or ``store.write()``), so a caller
composes them into one transaction. Nothing here checks access: the callers in
:mod:`.drafting`, :mod:`.workflow` and :mod:`.views` do.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from ..errors import NotFound
from ..method import MethodConfig
from ..stats.canonical import canonical_json
from ..store.tables.assessment import (
    assessment as assessment_table,
)
from ..store.tables.assessment import (
    assessment_community,
    assessment_informed,
    assessment_judgement,
    assessment_method,
    assessment_run,
    assessment_snapshot,
)
from .community import CommunityRecord, InformedRecord
from .judgements import Judgement, check_judgement, judgement_hash
from .manifest import build_manifest, manifest_text
from .model import Assessment, iso_moment, now
from .run import OUTPUT_KEYS, compute_outputs
from .snapshots import Snapshot

__all__ = [
    "RunRecord",
    "assessments_of",
    "community",
    "contents",
    "current_run",
    "informed",
    "insert_judgement",
    "insert_snapshots",
    "judgements",
    "load",
    "method_of",
    "new_run",
    "runs",
    "snapshots",
    "store_method",
]


@dataclass(frozen=True)
class RunRecord:
    """A stored run: its outputs as canonical JSON texts and its manifest."""

    id: int
    assessment_id: int
    run_no: int
    created_at: datetime
    created_by: str
    reason: str
    texts: dict[str, str]
    manifest_text: str
    manifest_sha256: str

    @classmethod
    def from_row(cls, row: Any) -> RunRecord:
        return cls(
            row.id,
            row.assessment_id,
            row.run_no,
            row.created_at,
            row.created_by,
            row.reason,
            {k: getattr(row, k) for k in OUTPUT_KEYS},
            row.manifest,
            row.manifest_sha256,
        )

    def manifest(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.manifest_text)
        return data

    def output(self, key: str) -> Any:
        return json.loads(self.texts[key])


def load(conn: Connection, assessment_id: int) -> Assessment:
    """The assessment, or :class:`NotFound`."""
    row = conn.execute(select(assessment_table).where(assessment_table.c.id == assessment_id)).first()
    if row is None:
        raise NotFound(f"no assessment {assessment_id}", hint="forcewatch assess show lists them by force")
    return Assessment.from_row(row)


def assessments_of(conn: Connection, force_codes: Any = None) -> list[Assessment]:
    """Assessments of the given forces (every force for ``None``), newest first."""
    query = select(assessment_table).order_by(
        assessment_table.c.period.desc(), assessment_table.c.force_code, assessment_table.c.version.desc()
    )
    if force_codes is not None:
        query = query.where(assessment_table.c.force_code.in_(sorted(force_codes)))
    return [Assessment.from_row(r) for r in conn.execute(query)]


def method_of(conn: Connection, sha256: str) -> tuple[MethodConfig, str]:
    """The stored method document (validated again) and its stored text."""
    row = conn.execute(select(assessment_method).where(assessment_method.c.sha256 == sha256)).first()
    if row is None:
        raise NotFound(f"the method document {sha256[:16]}... is not stored")
    return MethodConfig.from_mapping(json.loads(row.document)), row.document


def store_method(conn: Connection, config: MethodConfig) -> None:
    """Store a method document once (keyed by its SHA-256)."""
    exists = conn.execute(
        select(assessment_method.c.sha256).where(assessment_method.c.sha256 == config.sha256)
    ).first()
    if exists is None:
        conn.execute(
            insert(assessment_method),
            {
                "sha256": config.sha256,
                "name": config.info.name[:120],
                "version": config.info.version[:40],
                "approver": config.info.approver[:400],
                "document": config.canonical_json(),
                "stored_at": now(),
            },
        )


def snapshots(conn: Connection, assessment_id: int) -> list[Snapshot]:
    rows = conn.execute(
        select(assessment_snapshot)
        .where(assessment_snapshot.c.assessment_id == assessment_id)
        .order_by(assessment_snapshot.c.input_key)
    ).all()
    return [
        Snapshot(
            r.input_key,
            r.provider,
            r.source,
            json.loads(r.query),
            r.as_at,
            r.extracted_at,
            r.extractor,
            r.schema_version,
            r.content,
            r.sha256,
            r.rows,
            json.loads(r.quality),
        )
        for r in rows
    ]


def insert_snapshots(conn: Connection, assessment_id: int, frozen: list[Snapshot]) -> None:
    conn.execute(
        insert(assessment_snapshot),
        [
            {
                "assessment_id": assessment_id,
                "input_key": s.input_key,
                "provider": s.provider[:120],
                "source": s.source,
                "query": canonical_json(s.query),
                "as_at": s.as_at,
                "extracted_at": s.extracted_at,
                "extractor": s.extractor[:120],
                "schema_version": s.schema_version[:60],
                "content": s.text,
                "sha256": s.sha256,
                "rows": s.rows,
                "quality": canonical_json(s.quality),
            }
            for s in frozen
        ],
    )


def insert_judgement(conn: Connection, item: Assessment, config: MethodConfig, *, author: str, author_role: str,
                     stage: str, kind: str, field: str, value: Any, rationale: str,
                     evidence: Sequence[str] = ()) -> Judgement:
    """Check a judgement against the method, append it to the log and return it as stored (no re-run)."""
    stored = check_judgement(config, stage=stage, kind=kind, field=field.strip(), value=value, rationale=rationale)
    made_at = now()
    content = {"assessment_id": item.id, "stage": stage, "kind": kind, "field": field.strip(), "value": stored,
               "rationale": rationale.strip(), "evidence": [str(e) for e in evidence if str(e).strip()],
               "author": author, "author_role": author_role, "made_at": made_at}
    sha = judgement_hash({**content, "made_at": iso_moment(made_at)})
    row = {**content, "value": canonical_json(stored), "evidence": canonical_json(content["evidence"]), "sha256": sha}
    conn.execute(insert(assessment_judgement), row)
    return judgements(conn, item.id)[-1]


def contents(frozen: list[Snapshot]) -> dict[str, Any]:
    """Each snapshot's parsed content, by input key."""
    return {s.input_key: s.content() for s in frozen}


def judgements(conn: Connection, assessment_id: int) -> list[Judgement]:
    rows = conn.execute(
        select(assessment_judgement)
        .where(assessment_judgement.c.assessment_id == assessment_id)
        .order_by(assessment_judgement.c.id)
    ).all()
    return [Judgement.from_row(r) for r in rows]


def community(conn: Connection, assessment_id: int) -> list[CommunityRecord]:
    rows = conn.execute(
        select(assessment_community)
        .where(assessment_community.c.assessment_id == assessment_id)
        .order_by(assessment_community.c.id)
    ).all()
    return [CommunityRecord.from_row(r) for r in rows]


def informed(conn: Connection, assessment_id: int) -> list[InformedRecord]:
    rows = conn.execute(
        select(assessment_informed)
        .where(assessment_informed.c.assessment_id == assessment_id)
        .order_by(assessment_informed.c.id)
    ).all()
    return [InformedRecord.from_row(r) for r in rows]


def runs(conn: Connection, assessment_id: int) -> list[RunRecord]:
    rows = conn.execute(
        select(assessment_run)
        .where(assessment_run.c.assessment_id == assessment_id)
        .order_by(assessment_run.c.run_no)
    ).all()
    return [RunRecord.from_row(r) for r in rows]


def current_run(conn: Connection, assessment_id: int) -> RunRecord:
    """The newest run (every change while drafting makes one)."""
    row = conn.execute(
        select(assessment_run)
        .where(assessment_run.c.assessment_id == assessment_id)
        .order_by(assessment_run.c.run_no.desc())
        .limit(1)
    ).first()
    if row is None:
        raise NotFound(f"assessment {assessment_id} has no run")
    return RunRecord.from_row(row)


def new_run(conn: Connection, item: Assessment, *, actor: str, reason: str) -> RunRecord:
    """Re-run the assessment from its stored inputs, method and logs, and store the run with its manifest."""
    config, _ = method_of(conn, item.method_sha256)
    frozen = snapshots(conn, item.id)
    logged = judgements(conn, item.id)
    outputs = compute_outputs(config, contents(frozen), logged)
    run_no = (
        conn.execute(
            select(func.max(assessment_run.c.run_no)).where(assessment_run.c.assessment_id == item.id)
        ).scalar()
        or 0
    ) + 1
    manifest = build_manifest(
        assessment=item,
        run_no=run_no,
        snapshots=frozen,
        method=config,
        judgements=logged,
        community=community(conn, item.id),
        informed=informed(conn, item.id),
        outputs=outputs,
    )
    text, digest = manifest_text(manifest)
    created_at = now()
    values = {
        "assessment_id": item.id,
        "run_no": run_no,
        "created_at": created_at,
        "created_by": actor[:120],
        "reason": reason[:200],
        **outputs.texts,
        "manifest": text,
        "manifest_sha256": digest,
    }
    run_id = conn.execute(insert(assessment_run), values).inserted_primary_key[0]  # type: ignore[index]
    return RunRecord(
        run_id,
        item.id,
        run_no,
        created_at,
        actor[:120],
        reason[:200],
        dict(outputs.texts),
        text,
        digest,
    )
