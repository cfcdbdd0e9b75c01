"""The audit log: one write path, a hash chain, a database that refuses rewrites, tamper detection."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import timezone
from typing import ClassVar

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from forcewatch import audit
from forcewatch.access import SYSTEM, Principal, Role
from forcewatch.errors import PermissionDenied, UsageError
from forcewatch.store import Store
from forcewatch.store.tables.security import audit_event

from .conftest import store_url

AVON, WMIDS = "E23000036", "E23000014"


def _read(n: int, force: str = AVON) -> audit.RecordRead:
    return audit.RecordRead(force_code=force, record_type="use_of_force_report", subject_id=str(n))


def _fill(store: Store, n: int, force: str = AVON) -> None:
    for i in range(1, n + 1):
        audit.record(store, _read(i, force), actor="avon.analyst")


def _rows(store: Store) -> list:  # type: ignore[type-arg]
    with store.read() as conn:
        return conn.execute(select(audit_event).order_by(audit_event.c.seq)).all()


def _as_an_attacker(store: Store, *statements: str, **params: str) -> None:
    """Drop the append-only triggers (as a database superuser could), then run ``statements``."""
    drop = (["DROP TRIGGER audit_event_no_update_or_delete ON audit_event"] if store.backend == "postgresql"
            else ["DROP TRIGGER audit_event_no_update", "DROP TRIGGER audit_event_no_delete"])
    with store.write() as conn:
        for statement in drop:
            conn.execute(text(statement))
        for statement in statements:
            conn.execute(text(statement), params)


def test_each_entry_holds_the_hash_of_the_one_before(store: Store) -> None:
    _fill(store, 3)
    rows = _rows(store)
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == audit.GENESIS == "0" * 64
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    first = rows[0]
    assert first.at.tzinfo is not None and first.at.utcoffset().total_seconds() == 0
    assert json.loads(first.payload) == {"count": 1, "query": {}, "record_type": "use_of_force_report"}
    assert first.payload == audit.canonical_json(json.loads(first.payload))
    fields = {"seq": 1, "at": first.at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
              "actor": "avon.analyst", "event_type": "record.read", "force_code": AVON,
              "subject_type": "use_of_force_report", "subject_id": "1", "payload": first.payload,
              "prev_hash": audit.GENESIS}
    expected = hashlib.sha256(json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    assert first.hash == expected


def test_an_event_commits_with_the_change_it_records_or_not_at_all(store: Store) -> None:
    with pytest.raises(RuntimeError):
        with store.write() as conn:
            audit.append(conn, _read(1), actor="avon.analyst")
            raise RuntimeError("the change failed half-way")
    assert _rows(store) == []
    assert audit.verify(store).ok


def test_append_needs_a_write_transaction(store: Store) -> None:
    with store.read() as conn, pytest.raises(UsageError, match="write transaction"):
        audit.append(conn, _read(1), actor="avon.analyst")


def test_entries_read_back_as_typed_events(store: Store) -> None:
    entry = audit.record(store, audit.RecordWritten(force_code=AVON, record_type="use_of_force_report",
                                                    subject_id=7, change="updated", fields=["outcome"]),
                         actor=Principal(user_id=1, username="avon.officer", role=Role.officer, force_code=AVON))
    assert entry.actor == "avon.officer" and entry.subject_type == "use_of_force_report"
    assert entry.event() == audit.RecordWritten(force_code=AVON, record_type="use_of_force_report", subject_id="7",
                                                change="updated", fields=["outcome"])


def test_only_registered_frozen_documented_event_types_are_accepted(store: Store) -> None:
    @dataclass(frozen=True, kw_only=True)
    class Unregistered(audit.AuditEvent):
        """Fires never."""

        name: ClassVar[str] = "test.unregistered"

    with store.write() as conn, pytest.raises(UsageError, match="not a registered audit event"):
        audit.append(conn, Unregistered(), actor="system")

    class NotADataclass(audit.AuditEvent):  # its fields would silently not be fields
        """Fires never."""

        name: ClassVar[str] = "test.not_a_dataclass"

    @dataclass(frozen=True, kw_only=True)
    class Undocumented(audit.AuditEvent):
        name: ClassVar[str] = "test.undocumented"

    @dataclass(frozen=True, kw_only=True)
    class Clash(audit.AuditEvent):
        """Fires never."""

        name: ClassVar[str] = "user.created"

    for cls, problem in ((NotADataclass, "decorated with @dataclass"), (Undocumented, "docstring"),
                         (Clash, "already used")):
        with pytest.raises(TypeError, match=problem):
            audit.register(cls)  # type: ignore[arg-type]
    assert "test.not_a_dataclass" not in audit.EVENT_TYPES
    assert "test.undocumented" not in audit.EVENT_TYPES
    assert audit.EVENT_TYPES["user.created"] is audit.UserCreated


def test_the_database_refuses_to_update_or_delete_audit_entries(store: Store) -> None:
    _fill(store, 2)
    before = _rows(store)
    for statement in ("UPDATE audit_event SET actor = 'someone else' WHERE seq = 1",
                      "DELETE FROM audit_event WHERE seq = 1",
                      "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="append-only"):
            with store.write() as conn:
                conn.execute(text(statement))
        assert _rows(store) == before, statement


def test_postgresql_refuses_truncate_too(store: Store) -> None:
    if store.backend != "postgresql":
        pytest.skip("TRUNCATE is a PostgreSQL statement")
    _fill(store, 1)
    with pytest.raises(DBAPIError, match="append-only: TRUNCATE refused"):
        with store.write() as conn:
            conn.execute(text("TRUNCATE audit_event"))


def test_verify_passes_an_intact_log_and_an_empty_one(store: Store) -> None:
    assert audit.verify(store).as_dict() == {"ok": True, "events_checked": 0, "head": None, "broken": None}
    _fill(store, 5)
    result = audit.verify(store)
    assert result.ok and result.events_checked == 5 and result.head == audit.head(store)
    result.raise_if_broken()


def test_an_altered_payload_is_named_by_its_sequence_number(store: Store) -> None:
    _fill(store, 5)
    _as_an_attacker(store, "UPDATE audit_event SET payload = :payload WHERE seq = 3",
                    payload='{"count":1,"query":{},"record_type":"nothing"}')
    result = audit.verify(store)
    assert not result.ok and result.events_checked == 2
    assert result.broken is not None
    assert (result.broken.seq, result.broken.problem) == (3, "content")
    assert "event 3 (record.read) was altered" in result.broken.message


def test_a_deleted_entry_is_named_as_a_gap(store: Store) -> None:
    _fill(store, 5)
    _as_an_attacker(store, "DELETE FROM audit_event WHERE seq = 3")
    broken = audit.verify(store).broken
    assert broken is not None and (broken.seq, broken.problem) == (3, "gap")
    assert broken.message == "event 3 is missing: the log goes from event 2 to event 4"


def test_a_rewritten_entry_with_a_recomputed_hash_breaks_the_next_link(store: Store) -> None:
    _fill(store, 5)
    row = _rows(store)[2]
    forged = audit.entry_hash(seq=3, at=row.at, actor="nobody", event_type=row.event_type, force_code=row.force_code,
                              subject_type=row.subject_type, subject_id=row.subject_id, payload=row.payload,
                              prev_hash=row.prev_hash)
    _as_an_attacker(store, f"UPDATE audit_event SET actor = 'nobody', hash = '{forged}' WHERE seq = 3")
    broken = audit.verify(store).broken
    assert broken is not None and (broken.seq, broken.problem) == (4, "link")


def test_entries_removed_from_the_end_are_caught_by_a_published_head(store: Store) -> None:
    _fill(store, 5)
    published = audit.head(store)
    assert published is not None and str(published) == f"5:{published.hash}"
    _as_an_attacker(store, "DELETE FROM audit_event WHERE seq >= 4")
    assert audit.verify(store).ok  # the chain alone cannot see a shortened tail ...
    broken = audit.verify(store, published=published).broken  # ... the published head can
    assert broken is not None and (broken.seq, broken.problem) == (5, "published")


def test_concurrent_writers_keep_one_linear_chain(store: Store) -> None:
    threads, per_thread = 6, 15
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(per_thread):
                with store.write() as conn:
                    audit.append(conn, _read(n * 100 + i), actor=f"writer{n}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    rows = _rows(store)
    assert [r.seq for r in rows] == list(range(1, threads * per_thread + 1))
    assert len({r.prev_hash for r in rows}) == len(rows)  # no two events share a prev_hash: no fork
    assert audit.verify(store).ok


def test_readers_see_only_the_entries_of_forces_they_may_read(store: Store) -> None:
    _fill(store, 2, AVON)
    _fill(store, 1, WMIDS)
    audit.record(store, audit.UserCreated(subject_id="1", username="review.team", role="review_team"), actor="system")
    avon_assurer = Principal(user_id=5, username="avon.assurer", role=Role.assurer, force_code=AVON)
    seen = audit.events(store, principal=avon_assurer)
    assert [(e.seq, e.force_code) for e in seen] == [(2, AVON), (1, AVON)]
    with pytest.raises(PermissionDenied, match="may not audit.read"):
        audit.events(store, principal=avon_assurer, force_code=WMIDS)
    officer = Principal(user_id=6, username="avon.officer", role=Role.officer, force_code=AVON)
    with pytest.raises(PermissionDenied, match="officer 'avon.officer' may not audit.read"):
        audit.events(store, principal=officer)
    everything = audit.events(store, principal=SYSTEM, limit=100)
    assert [e.event_type for e in everything][:2] == ["audit.read", "user.created"]  # reading is logged
    assert len(audit.events(store, principal=SYSTEM, event_type="record.read")) == 3


def test_cli_audit_verify_exits_0_then_1_naming_the_broken_link(cli, store: Store) -> None:  # type: ignore[no-untyped-def]
    _fill(store, 4)
    ok = cli("audit", "verify", "--format", "json", database=store_url(store))
    assert ok.exit_code == 0, ok.stderr
    assert ok.json()["ok"] is True and ok.json()["events_checked"] == 4
    head = cli("audit", "head", "--format", "json", database=store_url(store)).json()
    assert head["seq"] == 4 and head["head"] == f"4:{head['hash']}"
    _as_an_attacker(store, "UPDATE audit_event SET subject_id = '999' WHERE seq = 2")
    bad = cli("audit", "verify", database=store_url(store))
    assert bad.exit_code == 1
    assert "audit log broken at event 2: event 2 (record.read) was altered" in bad.stderr
    assert cli("audit", "verify", "--published", head["head"], database=store_url(store)).exit_code == 1
    assert cli("audit", "verify", "--published", "nonsense", database=store_url(store)).exit_code == 2


def test_cli_audit_show_prints_entries_newest_first(cli, store: Store) -> None:  # type: ignore[no-untyped-def]
    _fill(store, 3, AVON)
    _fill(store, 1, WMIDS)
    shown = cli("audit", "show", "--force", "Avon and Somerset", "--format", "json", database=store_url(store))
    assert shown.exit_code == 0, shown.stderr
    assert [(e["seq"], e["force_code"], e["payload"]["record_type"]) for e in shown.json()] == [
        (3, AVON, "use_of_force_report"), (2, AVON, "use_of_force_report"), (1, AVON, "use_of_force_report")]
    as_csv = cli("audit", "show", "--type", "record.read", "--limit", "2", "--format", "csv", database=store_url(store))
    lines = as_csv.stdout.splitlines()
    assert lines[0] == "seq,at,actor,event_type,force_code,subject_type,subject_id,payload,hash"
    assert len(lines) == 3 and lines[1].startswith("4,")
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(audit_event)).scalar_one() == 6  # two reads logged


def test_reading_the_log_is_visible_to_the_readers_own_force(store: Store) -> None:
    _fill(store, 1, AVON)
    avon_chief = Principal(user_id=5, username="avon.chief", role=Role.chief_officer, force_code=AVON)
    audit.events(store, principal=avon_chief)
    [logged] = audit.events(store, principal=avon_chief, event_type="audit.read")
    assert (logged.actor, logged.force_code, logged.payload) == ("avon.chief", AVON, {"count": 1, "filters": {}})
