"""Verification: an untouched assessment checks out; a change to one stored input, one method setting,
one output, one signature or one audit row (the triggers dropped first) is found and named."""

from __future__ import annotations

from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError

from forcewatch.assessment import ledger
from forcewatch.assessment.signing import SignatureRecord
from forcewatch.assessment.verify import verify_assessment
from forcewatch.assessment.workflow import signatures
from forcewatch.errors import VerificationFailed
from forcewatch.store import Store
from forcewatch.store.tables.assessment import assessment_signature
from forcewatch.store.tables.security import audit_event

from .assessment_data import as_an_attacker, people, published, settings
from .conftest import store_url

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.fixture
def signed(store: Store, tmp_path) -> int:  # type: ignore[no-untyped-def]
    """A published worked-example assessment."""
    return published(store, people(store), settings(tmp_path)).id


def broken(store: Store, assessment_id: int) -> tuple[str, str]:
    result = verify_assessment(store, assessment_id)
    assert not result.ok and result.broken is not None
    return result.broken.link, result.broken.message


def test_an_untouched_assessment_checks_out_link_by_link(store: Store, signed: int) -> None:
    result = verify_assessment(store, signed)
    assert result.ok, result.broken
    assert result.checked[0].startswith("audit log (") and result.checked[-1] == "signatures and state"
    assert "inputs: current_headcount, demand" in result.checked
    result.raise_if_broken()


FROZEN = [
    ("assessment_snapshot", "sha256"),
    ("assessment_run", "manifest_sha256"),
    ("assessment_judgement", "value"),
    ("assessment_community", "summary"),
    ("assessment_informed", "note"),
    ("assessment_signature", "actor"),
    ("assessment_method", "document"),
    ("signing_key", "username"),
]


def test_the_database_refuses_to_change_or_delete_what_was_frozen_or_signed(
    store: Store, signed: int
) -> None:
    for table, column in FROZEN:
        for statement in (f"UPDATE {table} SET {column} = 'x'", f"DELETE FROM {table}"):
            with pytest.raises(DBAPIError, match=f"{table} is append-only"):
                with store.write() as conn:
                    conn.exec_driver_sql(statement)
    assert verify_assessment(store, signed).ok


def test_a_changed_input_is_named(store: Store, signed: int) -> None:
    as_an_attacker(
        store,
        "assessment_snapshot",
        "UPDATE assessment_snapshot SET content = "
        "replace(content, '\"events\":438', '\"events\":439') WHERE input_key = 'demand'",
    )
    link, message = broken(store, signed)
    assert link == "input demand" and "no longer hashes to its SHA-256" in message


def test_a_changed_input_with_a_recomputed_hash_is_still_caught_by_the_audit_log(
    store: Store, signed: int
) -> None:
    import hashlib

    with store.read() as conn:
        demand = next(s for s in ledger.snapshots(conn, signed) if s.input_key == "demand")
    forged = demand.text.replace('"events":438', '"events":439')
    digest = hashlib.sha256(forged.encode()).hexdigest()
    quoted = forged.replace("'", "''")
    as_an_attacker(
        store,
        "assessment_snapshot",
        f"UPDATE assessment_snapshot SET content = '{quoted}', "
        f"sha256 = '{digest}' WHERE input_key = 'demand'",
    )
    link, message = broken(store, signed)
    assert link == "input demand" and "the audit event that froze it recorded" in message


def test_a_changed_method_setting_is_named_with_both_values(store: Store, signed: int) -> None:
    as_an_attacker(
        store,
        "assessment_method",
        "UPDATE assessment_method SET document = "
        'replace(document, \'"abstraction":"0.25"\', \'"abstraction":"0.2"\')',
    )
    link, message = broken(store, signed)
    assert link == "method setting staffing.abstraction"
    assert message.startswith('the stored method document says "0.2", the run that was recorded used "0.25"')


def test_a_changed_output_is_named(store: Store, signed: int) -> None:
    as_an_attacker(
        store,
        "assessment_run",
        "UPDATE assessment_run SET decision = replace(decision, '\"uplift\":14', '\"uplift\":15')",
    )
    link, message = broken(store, signed)
    assert (
        link.startswith("output decision (run ") and "no longer hashes to the manifest's SHA-256" in message
    )


def test_a_changed_signature_is_named(store: Store, signed: int) -> None:
    as_an_attacker(
        store,
        "assessment_signature",
        "UPDATE assessment_signature SET decision_text = decision_text || ' (amended)' WHERE seq = 2",
    )
    link, message = broken(store, signed)
    assert link == "signature 2" and message.startswith("(approved by avon.chief_officer at ")
    assert "does not verify with its Ed25519 public key" in message


def test_a_signature_made_with_someone_elses_key_is_refused(store: Store, signed: int) -> None:
    with store.read() as conn:
        genuine = signatures(conn, signed)[-1]
    key = Ed25519PrivateKey.generate()
    import hashlib

    from cryptography.hazmat.primitives import serialization

    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
    forged = replace(genuine, public_key=public, key_id=hashlib.sha256(bytes.fromhex(public)).hexdigest())
    forged = replace(forged, signature=key.sign(forged.message()).hex())
    assert forged.verifies()  # a valid signature ...
    as_an_attacker(
        store,
        "assessment_signature",
        f"UPDATE assessment_signature SET public_key = '{forged.public_key}', "
        f"key_id = '{forged.key_id}', signature = '{forged.signature}' WHERE seq = 3",
    )
    link, message = broken(store, signed)  # ... by a key not registered to the person it names
    assert link == "signature 3" and "which is not registered to avon.chief_officer" in message


def test_a_signature_record_verifies_and_a_forged_one_does_not(store: Store, signed: int) -> None:
    with store.read() as conn:
        genuine = signatures(conn, signed)[0]
    assert genuine.verifies()
    assert not replace(genuine, to_state="published").verifies()
    assert not replace(genuine, signature="00" * 64).verifies()
    assert not replace(genuine, manifest_sha256="0" * 64).verifies()


def test_a_changed_audit_row_is_named_by_its_sequence_number(store: Store, signed: int) -> None:
    with store.read() as conn:
        seq = (
            conn.execute(
                select(audit_event.c.seq)
                .where(audit_event.c.event_type == "assessment.transitioned")
                .order_by(audit_event.c.seq)
            )
            .scalars()
            .first()
        )
    as_an_attacker(store, "audit_event", f"UPDATE audit_event SET actor = 'someone else' WHERE seq = {seq}")
    link, message = broken(store, signed)
    assert link == f"audit event {seq}" and "the audit log is broken (content)" in message


def test_a_state_set_without_a_signature_is_caught(store: Store, signed: int) -> None:
    with store.write() as conn:
        conn.exec_driver_sql("UPDATE assessment SET state = 'approved'")
    assert broken(store, signed) == (
        "state",
        "the assessment is approved, but its last signed transition leaves it published",
    )


def test_an_inserted_signature_without_its_audit_event_is_caught(store: Store, signed: int) -> None:
    with store.read() as conn:
        last = signatures(conn, signed)[-1]
    row = {
        **{k: getattr(last, k) for k in SignatureRecord.__dataclass_fields__ if k != "id"},
        "seq": 4,
        "from_state": "published",
        "to_state": "superseded",
    }
    with store.write() as conn:
        conn.execute(insert(assessment_signature), row)
    link, message = broken(store, signed)
    assert link == "signature 4" and "does not verify" in message


def test_cli_verify_exits_0_then_1_naming_the_broken_link(cli, store: Store, signed: int) -> None:  # type: ignore[no-untyped-def]
    ok = cli("assess", "verify", str(signed), "--format", "json", database=store_url(store))
    assert ok.exit_code == 0 and ok.json()["ok"] is True and ok.json()["broken"] is None
    as_an_attacker(
        store,
        "assessment_run",
        "UPDATE assessment_run SET indicators = replace(indicators, "
        "'\"demand_events\":438', '\"demand_events\":437')",
    )
    bad = cli("assess", "verify", str(signed), "--format", "json", database=store_url(store))
    assert bad.exit_code == 1
    assert bad.json()["broken"]["link"].startswith("output indicators (run ")
    assert f"assessment {signed}: output indicators" in bad.stderr
    with pytest.raises(VerificationFailed):
        verify_assessment(store, signed).raise_if_broken()


def test_a_rewritten_analyst_name_is_caught_by_the_audit_event_that_created_it(
    store: Store, signed: int
) -> None:
    with store.write() as conn:
        conn.exec_driver_sql("UPDATE assessment SET created_by = 'someone.else'")
    link, message = broken(store, signed)
    assert link == "assessment created_by" and "says 'avon.force_analyst' created it" in message
