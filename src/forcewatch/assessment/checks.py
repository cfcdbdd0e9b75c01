"""The checks of stored data behind :func:`forcewatch.assessment.verify.verify_assessment`.

Each function checks one kind of link against what is stored and raises :class:`Broken` naming the
first that does not check out: the method document, the input snapshots, the log rows (judgements,
community and informed records), and each run (manifest, outputs, and a re-run from the stored
inputs, method and judgements that must give the same bytes).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from ..method import ENGINE_VERSION, MethodConfig
from ..stats.canonical import sha256_of
from ..store.tables.security import audit_event
from . import ledger
from .differences import first_difference
from .judgements import Judgement
from .ledger import RunRecord
from .model import Assessment
from .manifest import code_version
from .run import OUTPUT_KEYS, RUN_VERSION, compute_outputs, text_hash

__all__ = ["Broken", "check_inputs", "check_logs", "check_method", "check_run", "assessment_events"]


class Broken(Exception):
    """The first link that does not check out: what it is (``link``) and what is wrong."""

    def __init__(self, link: str, message: str) -> None:
        super().__init__(f"{link}: {message}")
        self.link = link
        self.message = message


def assessment_events(conn: Connection, item: Assessment) -> list[Any]:
    rows = conn.execute(
        select(audit_event)
        .where(audit_event.c.subject_type == "assessment", audit_event.c.subject_id == str(item.id))
        .order_by(audit_event.c.seq)
    ).all()
    return [(r, json.loads(r.payload)) for r in rows]


def check_method(conn: Connection, item: Assessment, runs: list[RunRecord]) -> MethodConfig:
    config, text = ledger.method_of(conn, item.method_sha256)
    if text_hash(text) == item.method_sha256 and config.sha256 == item.method_sha256:
        return config
    current = runs[-1]
    trace = current.texts["trace"]
    if text_hash(trace) == current.manifest().get("outputs", {}).get("trace"):
        diff = first_difference(json.loads(trace)["config"], json.loads(text))
        if diff:
            raise Broken(
                f"method setting {diff['path']}",
                f"the stored method document says {json.dumps(diff['new'])}, the run that was recorded used "
                f"{json.dumps(diff['old'])}: the document no longer hashes to {item.method_sha256[:16]}...",
            )
    raise Broken(
        "method document", f"the stored method document no longer hashes to {item.method_sha256[:16]}..."
    )


def check_inputs(
    conn: Connection, item: Assessment, created: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, str]]:
    frozen = ledger.snapshots(conn, item.id)
    for s in frozen:
        if text_hash(s.text) != s.sha256:
            raise Broken(
                f"input {s.input_key}",
                f"its stored content ({s.rows} rows from {s.provider}) no longer "
                f"hashes to its SHA-256 {s.sha256[:16]}...: it was changed after it was frozen",
            )
    recorded = (created or {}).get("inputs")
    if recorded is None:
        raise Broken("audit event", f"no assessment.created event records the inputs of assessment {item.id}")
    stored = {s.input_key: s.sha256 for s in frozen}
    diff = first_difference(recorded, stored)
    if diff:
        raise Broken(
            f"input {diff['path']}",
            f"SHA-256 {str(diff['new'])[:16]}... is stored, but the audit event "
            f"that froze it recorded {str(diff['old'])[:16]}...",
        )
    return ledger.contents(frozen), stored


def check_logs(conn: Connection, item: Assessment, recorded: dict[tuple[str, int], str]) -> None:
    groups = (
        ("judgement", ledger.judgements(conn, item.id)),
        ("community", ledger.community(conn, item.id)),
        ("informed", ledger.informed(conn, item.id)),
    )
    for kind, rows in groups:
        label = "judgement" if kind == "judgement" else f"{kind} record"
        for r in rows:
            what = f"{label} {r.id}" + (
                f" ({r.field} by {r.author})" if isinstance(r, Judgement) else f" (by {r.author})"
            )
            if sha256_of(r.content()) != r.sha256:
                raise Broken(
                    f"{label} {r.id}", f"{what} no longer hashes to its SHA-256 {r.sha256[:16]}...: altered"
                )
            if recorded.get((kind, r.id)) != r.sha256:
                raise Broken(f"{label} {r.id}", f"{what} does not match the audit event that recorded it")


def _engines() -> dict[str, str]:
    return {"coverage": ENGINE_VERSION, "assessment_run": RUN_VERSION}


def check_run(
    conn: Connection,
    run: RunRecord,
    config: MethodConfig,
    contents: dict[str, Any],
    shas: dict[str, str],
    recorded: dict[int, str],
) -> dict[str, Any]:
    label = f"run {run.run_no}"
    if text_hash(run.manifest_text) != run.manifest_sha256 or recorded.get(run.run_no) != run.manifest_sha256:
        raise Broken(
            label,
            f"its manifest does not hash to {run.manifest_sha256[:16]}... or does not match the audit "
            "event that recorded the run",
        )
    manifest = run.manifest()
    item = ledger.load(conn, run.assessment_id)
    named = {"id": item.id, "force_code": item.force_code, "period": item.period, "version": item.version}
    diff = first_difference(manifest["assessment"], named)
    if diff:
        raise Broken(
            f"assessment {diff['path']}",
            f"the assessment now says {diff['new']!r}; {label} was made for {diff['old']!r}",
        )
    for key in OUTPUT_KEYS:
        if text_hash(run.texts[key]) != manifest["outputs"].get(key):
            raise Broken(
                f"output {key} ({label})",
                f"the stored {key} no longer hashes to the manifest's SHA-256 "
                f"{str(manifest['outputs'].get(key))[:16]}...: it was changed after the run",
            )
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
            made, now_ = (manifest["code"], manifest["engine"]), (code_version(), _engines())
            why = (
                ""
                if made == now_
                else f" (the run was made by {made}, this is {now_}: re-run with that version)"
            )
            raise Broken(
                f"output {key} ({label})",
                f"re-running from the stored inputs, method and judgements gives a different {key}{step}{why}",
            )
    return manifest
