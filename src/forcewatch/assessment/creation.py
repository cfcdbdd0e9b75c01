"""Creating a version of an assessment: freeze its inputs, store its method document, run it.

A force analyst (``assessment.draft``) creates version 1 of a force's assessment for a financial
year, or the next version with the reason for the revision. The command line acts as ``system``
(the operator who holds the database URL) unless ``--as`` names a person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from .. import audit, forces
from ..access import SYSTEM, Principal, allows, require
from ..errors import Conflict, UsageError
from ..method import MethodConfig, load_method
from ..store import Store
from ..store.tables.assessment import assessment as assessment_table
from . import ledger
from .events import AssessmentCreated, AssessmentRecorded
from .given_inputs import current_headcount, parse_headcount, read_demand_csv
from .judgements import Judgement
from .model import DRAFT, Assessment, normalise_period, now
from .snapshots import Snapshot, SnapshotData, SnapshotRequest, freeze, take_snapshots

__all__ = ["DEFAULT_METHOD", "create_assessment", "require_any"]

#: the method profile used when none is named
DEFAULT_METHOD = "ced_reports_stra"


def require_any(principal: Principal, actions: Sequence[str], force_code: str) -> None:
    """Allow the command-line operator (``system``) or a principal whose role allows one of ``actions``."""
    if principal == SYSTEM or any(allows(principal, a, force_code=force_code) for a in actions):
        return
    require(principal, actions[0], force_code=force_code)


def _versions(conn: Connection, force_code: str, period: str) -> tuple[int, int | None]:
    t = assessment_table.c
    row = conn.execute(
        select(t.version, t.id)
        .where(t.force_code == force_code, t.period == period)
        .order_by(t.version.desc())
        .limit(1)
    ).first()
    return (row.version, row.id) if row else (0, None)


def _headcount_judgement(
    conn: Connection,
    item: Assessment,
    config: MethodConfig,
    principal: Principal,
    replaced: Snapshot | None,
    frozen: Sequence[Snapshot],
    reason: str | None,
) -> Judgement | None:
    """The judgement log's record of a headcount given in place of the register's (``None`` if none was)."""
    if replaced is None:
        return None
    given = next(s for s in frozen if s.input_key == "current_headcount")
    return ledger.insert_judgement(
        conn,
        item,
        config,
        author=principal.username,
        author_role=str(principal.role),
        stage="information",
        kind="judgement",
        field="current_headcount",
        value={
            "given": given.content()["by_area"],
            "in_place_of": {
                "provider": replaced.provider,
                "sha256": replaced.sha256,
                "by_area": replaced.content().get("by_area"),
            },
        },
        rationale=reason or "",
        evidence=[f"{replaced.provider}: snapshot SHA-256 {replaced.sha256}"],
    )


def create_assessment(
    store: Store,
    principal: Principal,
    *,
    force: str,
    period: str,
    method: str | Path | MethodConfig | None = None,
    given: Mapping[str, SnapshotData] | None = None,
    demand_file: str | Path | None = None,
    current: str | Mapping[str, int | Mapping[str, int]] | None = None,
    current_reason: str | None = None,
    revision_reason: str | None = None,
    title: str | None = None,
    as_at: date | None = None,
) -> Assessment:
    """Create the next version of a force's assessment for a period: freeze the inputs, run it.

    ``given`` supplies inputs explicitly, ``demand_file`` a demand extract (CSV: area, block,
    events, hours); ``current`` the current trained headcount by area (``{"": N}`` or ``"N"`` for
    the whole force, ``"A=N,B=M"`` by area). Without ``current`` the headcount is the register's
    (the ``current_headcount`` provider) when the force keeps its register in forcewatch; a
    ``current`` given in its place needs ``current_reason``, and is recorded in the judgement log
    (stage information, field ``current_headcount``) with the register's count it replaced. From
    version 2 a ``revision_reason`` is required, and the new version names the one it revises.
    """
    force_code = forces.resolve(force, "force").code
    period = normalise_period(period)
    require_any(principal, ("assessment.draft",), force_code)
    config = method if isinstance(method, MethodConfig) else load_method(method or DEFAULT_METHOD)
    given = dict(given or {})
    if demand_file is not None:
        given["demand"] = read_demand_csv(demand_file)
    if isinstance(current, str):
        current = parse_headcount(current)
    if "demand" not in given and config.demand_event.source != "use_of_force_reports":
        raise UsageError(
            f"method {config.info.name} counts demand events in {config.demand_event.source!r} data, "
            "which forcewatch does not hold",
            hint="give a demand extract (--demand PATH.csv), or use the ced_reports_stra method",
        )
    with store.read() as conn:
        latest_version, latest_id = _versions(conn, force_code, period)
    if latest_id is not None and not (revision_reason or "").strip():
        raise UsageError(
            f"{forces.get(force_code).name} {period} already has version {latest_version}",
            hint="a new version needs the reason for the revision (--reason)",
        )
    moment = now()
    request = SnapshotRequest(force_code, period, config, as_at or moment.date(), principal)
    frozen = take_snapshots(
        store, request, given_inputs=given, extracted_at=moment, extractor=principal.username
    )
    replaced = next((s for s in frozen if s.input_key == "current_headcount"), None)
    if current is not None:
        if replaced is not None and not (current_reason or "").strip():
            raise UsageError(
                f"the register gives {forces.get(force_code).name}'s current headcount; a headcount given in its "
                "place needs the reason, recorded in the judgement log",
                hint="add --headcount-reason TEXT (or leave the headcount out to use the register's)",
            )
        areas = sorted(
            {r["area"] for r in next(s for s in frozen if s.input_key == "demand").content()["rows"]}
        )
        data = current_headcount(current, source=f"given by {principal.username}", demand_areas=areas)
        frozen = [s for s in frozen if s.input_key != "current_headcount"]
        frozen.append(
            freeze("current_headcount", "given", data, extracted_at=moment, extractor=principal.username)
        )
        frozen.sort(key=lambda s: s.input_key)
    override = replaced if current is not None else None
    name = forces.get(force_code).name
    try:
        with store.write() as conn:
            if _versions(conn, force_code, period)[0] != latest_version:
                raise Conflict("another version was created meanwhile", hint="look again, then retry")
            ledger.store_method(conn, config)
            values = {
                "force_code": force_code,
                "period": period,
                "version": latest_version + 1,
                "state": DRAFT,
                "title": (title or f"Taser strategic threat and risk assessment, {name}, {period}")[:200],
                "method_sha256": config.sha256,
                "created_at": moment,
                "created_by": principal.username,
                "supersedes_id": latest_id,
                "superseded_by_id": None,
                "revision_reason": (revision_reason or "").strip() or None,
                "updated_at": moment,
                "row_version": 1,
            }
            new_id = conn.execute(insert(assessment_table), values).inserted_primary_key[0]  # type: ignore[index]
            ledger.insert_snapshots(conn, new_id, frozen)
            item = ledger.load(conn, new_id)
            judged = _headcount_judgement(conn, item, config, principal, override, frozen, current_reason)
            run = ledger.new_run(conn, item, actor=principal.username, reason="created")
            audit.append(
                conn,
                AssessmentCreated(
                    force_code=force_code,
                    subject_id=str(new_id),
                    period=period,
                    version=item.version,
                    method_sha256=config.sha256,
                    inputs={s.input_key: s.sha256 for s in frozen},
                    run_no=run.run_no,
                    manifest_sha256=run.manifest_sha256,
                    supersedes_id=latest_id,
                ),
                actor=principal,
            )
            if judged is not None:
                audit.append(
                    conn,
                    AssessmentRecorded(
                        force_code=force_code,
                        subject_id=str(new_id),
                        record_type="judgement",
                        record_id=judged.id,
                        sha256=judged.sha256,
                        run_no=None,
                        manifest_sha256=None,
                    ),
                    actor=principal,
                )
    except IntegrityError:
        raise Conflict("another version was created meanwhile", hint="look again, then retry") from None
    return item
