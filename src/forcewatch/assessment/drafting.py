"""Drafting an assessment: create a version (freeze its inputs, first run), record judgements,
community impact and who was informed. Each change re-runs the assessment and writes an audit
event in the same transaction.

Who may do what (``forcewatch.access.POLICY``): a force analyst drafts (``assessment.draft``);
community and informed records may also be made by the chief officer's office
(``assessment.approve``). The command line acts as ``system`` (the operator who holds the database
URL) unless ``--as`` names a person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from .. import audit, forces
from ..access import SYSTEM, Principal, allows, require
from ..errors import Conflict, UsageError
from ..method import MethodConfig, load_method
from ..stats.canonical import canonical_json
from ..store import Store
from ..store.tables.assessment import assessment as assessment_table
from ..store.tables.assessment import assessment_community, assessment_informed, assessment_judgement
from . import ledger
from .community import CommunityRecord, InformedRecord, record_hash
from .events import AssessmentCreated, AssessmentRecorded
from .given_inputs import current_headcount, parse_headcount, read_demand_csv
from .judgements import Judgement, check_judgement, judgement_hash
from .model import (APPROVED, ASSURED, COMMUNITY_KINDS, DRAFT, PARTIES, PUBLISHED, Assessment, iso_moment,
                    normalise_period, now)
from .snapshots import SnapshotData, SnapshotRequest, freeze, take_snapshots

__all__ = ["DEFAULT_METHOD", "EIA_OUTCOMES", "create_assessment", "record_judgement", "record_community",
           "record_informed", "require_any"]

#: the method profile used when none is named
DEFAULT_METHOD = "ced_reports_stra"
#: EIA/CIA outcomes (Equality and Human Rights Commission guidance)
EIA_OUTCOMES = ("no major change", "adjust", "continue with mitigations", "stop")


def require_any(principal: Principal, actions: Sequence[str], force_code: str) -> None:
    """Allow the command-line operator (``system``) or a principal whose role allows one of ``actions``."""
    if principal == SYSTEM or any(allows(principal, a, force_code=force_code) for a in actions):
        return
    require(principal, actions[0], force_code=force_code)


def _versions(conn: Connection, force_code: str, period: str) -> tuple[int, int | None]:
    t = assessment_table.c
    row = conn.execute(select(t.version, t.id).where(t.force_code == force_code, t.period == period)
                       .order_by(t.version.desc()).limit(1)).first()
    return (row.version, row.id) if row else (0, None)


def create_assessment(store: Store, principal: Principal, *, force: str, period: str,
                      method: str | Path | MethodConfig | None = None, given: Mapping[str, SnapshotData] | None = None,
                      demand_file: str | Path | None = None,
                      current: str | Mapping[str, int | Mapping[str, int]] | None = None,
                      revision_reason: str | None = None, title: str | None = None,
                      as_at: date | None = None) -> Assessment:
    """Create the next version of a force's assessment for a period: freeze the inputs, run it.

    ``given`` supplies inputs explicitly, ``demand_file`` a demand extract (CSV: area, block,
    events, hours); ``current`` the current trained headcount by area (``{"": N}`` or ``"N"`` for
    the whole force, ``"A=N,B=M"`` by area). From version 2 a ``revision_reason`` is required, and
    the new version names the one it revises.
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
        raise UsageError(f"method {config.info.name} counts demand events in {config.demand_event.source!r} data, "
                         "which forcewatch does not hold",
                         hint="give a demand extract (--demand PATH.csv), or use the ced_reports_stra method")
    with store.read() as conn:
        latest_version, latest_id = _versions(conn, force_code, period)
    if latest_id is not None and not (revision_reason or "").strip():
        raise UsageError(f"{forces.get(force_code).name} {period} already has version {latest_version}",
                         hint="a new version needs the reason for the revision (--reason)")
    moment = now()
    request = SnapshotRequest(force_code, period, config, as_at or moment.date())
    frozen = take_snapshots(store, request, given_inputs=given, extracted_at=moment, extractor=principal.username)
    if current is not None:
        areas = sorted({r["area"] for r in next(s for s in frozen if s.input_key == "demand").content()["rows"]})
        data = current_headcount(current, source=f"given by {principal.username}", demand_areas=areas)
        frozen = [s for s in frozen if s.input_key != "current_headcount"]
        frozen.append(freeze("current_headcount", "given", data, extracted_at=moment, extractor=principal.username))
        frozen.sort(key=lambda s: s.input_key)
    name = forces.get(force_code).name
    try:
        with store.write() as conn:
            if _versions(conn, force_code, period)[0] != latest_version:
                raise Conflict("another version was created meanwhile", hint="look again, then retry")
            ledger.store_method(conn, config)
            values = {"force_code": force_code, "period": period, "version": latest_version + 1, "state": DRAFT,
                      "title": (title or f"Taser strategic threat and risk assessment, {name}, {period}")[:200],
                      "method_sha256": config.sha256, "created_at": moment, "created_by": principal.username,
                      "supersedes_id": latest_id, "superseded_by_id": None,
                      "revision_reason": (revision_reason or "").strip() or None, "updated_at": moment,
                      "row_version": 1}
            new_id = conn.execute(insert(assessment_table), values).inserted_primary_key[0]  # type: ignore[index]
            ledger.insert_snapshots(conn, new_id, frozen)
            item = ledger.load(conn, new_id)
            run = ledger.new_run(conn, item, actor=principal.username, reason="created")
            audit.append(conn, AssessmentCreated(
                force_code=force_code, subject_id=str(new_id), period=period, version=item.version,
                method_sha256=config.sha256, inputs={s.input_key: s.sha256 for s in frozen}, run_no=run.run_no,
                manifest_sha256=run.manifest_sha256, supersedes_id=latest_id), actor=principal)
    except IntegrityError:
        raise Conflict("another version was created meanwhile", hint="look again, then retry") from None
    return item


def _editable(item: Assessment, states: tuple[str, ...], what: str) -> None:
    if item.state not in states:
        raise Conflict(f"assessment {item.id} is {item.state}: {what} only while it is {' or '.join(states)}",
                       hint="create a new version (forcewatch assess create ... --reason) to change it")


def _recorded(conn: Connection, item: Assessment, principal: Principal, record_type: str, record_id: int,
              sha: str, rerun: bool) -> None:
    run = ledger.new_run(conn, item, actor=principal.username, reason=f"{record_type} {record_id}") if rerun else None
    audit.append(conn, AssessmentRecorded(
        force_code=item.force_code, subject_id=str(item.id), record_type=record_type, record_id=record_id,
        sha256=sha, run_no=run.run_no if run else None, manifest_sha256=run.manifest_sha256 if run else None),
        actor=principal)


def record_judgement(store: Store, principal: Principal, assessment_id: int, *, stage: str, kind: str, field: str,
                     value: Any, rationale: str, evidence: Sequence[str] = ()) -> Judgement:
    """Add a judgement to a draft's log (NDM stage, field, value, rationale, evidence), then re-run."""
    with store.write() as conn:
        item = ledger.load(conn, assessment_id)
        require_any(principal, ("assessment.draft",), item.force_code)
        _editable(item, (DRAFT,), "judgements can be added")
        config, _ = ledger.method_of(conn, item.method_sha256)
        stored = check_judgement(config, stage=stage, kind=kind, field=field.strip(), value=value,
                                 rationale=rationale)
        content = {"assessment_id": item.id, "stage": stage, "kind": kind, "field": field.strip(), "value": stored,
                   "rationale": rationale.strip(), "evidence": [str(e) for e in evidence if str(e).strip()],
                   "author": principal.username, "author_role": str(principal.role), "made_at": now()}
        sha = judgement_hash({**content, "made_at": iso_moment(content["made_at"])})
        row = {**content, "value": canonical_json(stored), "evidence": canonical_json(content["evidence"]), "sha256": sha}
        new_id = conn.execute(insert(assessment_judgement), row).inserted_primary_key[0]  # type: ignore[index]
        judgement = ledger.judgements(conn, item.id)[-1]
        _recorded(conn, item, principal, "judgement", new_id, judgement.sha256, rerun=True)
    return judgement


def record_community(store: Store, principal: Principal, assessment_id: int, *, kind: str, summary: str,
                     outcome: str | None = None, held_on: date | None = None,
                     evidence: Sequence[str] = ()) -> CommunityRecord:
    """Record a consultation held, a mitigation, the EIA/CIA outcome or a caveat (draft or assured)."""
    if kind not in COMMUNITY_KINDS:
        raise UsageError(f"kind {kind!r} is not a community impact record", hint=", ".join(COMMUNITY_KINDS))
    if not summary.strip():
        raise UsageError("a community impact record needs a summary")
    if kind == "eia_cia" and outcome not in EIA_OUTCOMES:
        raise UsageError("an EIA/CIA record needs its outcome", hint="one of: " + "; ".join(EIA_OUTCOMES))
    if kind == "consultation" and held_on is None:
        raise UsageError("a consultation record needs the date it was held")
    with store.write() as conn:
        item = ledger.load(conn, assessment_id)
        require_any(principal, ("assessment.draft", "assessment.approve"), item.force_code)
        _editable(item, (DRAFT, ASSURED), "community impact can be recorded")
        content = {"assessment_id": item.id, "kind": kind, "summary": summary.strip(), "outcome": outcome,
                   "held_on": held_on, "evidence": [str(e) for e in evidence if str(e).strip()],
                   "author": principal.username, "author_role": str(principal.role), "recorded_at": now()}
        sha = record_hash({**content, "held_on": held_on.isoformat() if held_on else None,
                           "recorded_at": iso_moment(content["recorded_at"])})
        new_id = conn.execute(insert(assessment_community), {**content, "evidence": canonical_json(content["evidence"]),
                                                              "sha256": sha}).inserted_primary_key[0]  # type: ignore[index]
        _recorded(conn, item, principal, "community", new_id, sha, rerun=True)
        record = ledger.community(conn, item.id)[-1]
    return record


def record_informed(store: Store, principal: Principal, assessment_id: int, *, party: str, party_name: str,
                    informed_on: date, how: str, note: str = "") -> InformedRecord:
    """Record that a party (PCC, scrutiny panel, community group) was informed, when and how."""
    if party not in PARTIES:
        raise UsageError(f"party {party!r} is not known", hint=", ".join(PARTIES))
    if not party_name.strip() or not how.strip():
        raise UsageError("say who was informed (the office, panel or group) and how (meeting, letter ...)")
    if informed_on > now().date():
        raise UsageError(f"informed on {informed_on} is in the future", hint="record it once it has happened")
    with store.write() as conn:
        item = ledger.load(conn, assessment_id)
        require_any(principal, ("assessment.draft", "assessment.approve"), item.force_code)
        _editable(item, (DRAFT, ASSURED, APPROVED, PUBLISHED), "who was informed can be recorded")
        content = {"assessment_id": item.id, "party": party, "party_name": party_name.strip()[:200],
                   "informed_on": informed_on, "how": how.strip()[:200], "note": note.strip(),
                   "author": principal.username, "author_role": str(principal.role), "recorded_at": now()}
        sha = record_hash({**content, "informed_on": informed_on.isoformat(),
                           "recorded_at": iso_moment(content["recorded_at"])})
        new_id = conn.execute(insert(assessment_informed), {**content, "sha256": sha}).inserted_primary_key[0]  # type: ignore[index]
        _recorded(conn, item, principal, "informed", new_id, sha, rerun=item.state in (DRAFT, ASSURED))
        record = ledger.informed(conn, item.id)[-1]
    return record
