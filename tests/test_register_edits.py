"""Correcting the register by hand: kept history, optimistic locking, field-level refusals, audit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from forcewatch import audit, register
from forcewatch.access import SYSTEM, Role
from forcewatch.errors import Conflict, InputRefused, PermissionDenied, UsageError
from forcewatch.register_edits import add_event, correct_event, retract_event
from forcewatch.register_import import import_register
from forcewatch.store import Store
from forcewatch.store.tables.register import register_event

from .register_data import AVON, KEY, WMIDS, analyst, posting, pseudonym, training, write_register


@pytest.fixture
def training_id(store: Store, tmp_path: Path) -> int:
    rows = [posting("A1", "2016-01-01"), training("A1", "2017-03-01")]
    import_register(store, analyst(), write_register(tmp_path / "hr.csv", rows), AVON, settings=KEY)
    with store.read() as conn:
        return int(conn.execute(select(register_event.c.id).where(register_event.c.kind == "training")).scalar_one())


def _states(store: Store) -> list[tuple[int, str, int, int | None]]:
    with store.read() as conn:
        return [tuple(r) for r in conn.execute(select(register_event.c.id, register_event.c.state,  # type: ignore[misc]
                                                      register_event.c.version, register_event.c.replaces_id)
                                               .where(register_event.c.kind == "training").order_by(register_event.c.id))]


def test_a_correction_keeps_the_old_event_and_links_the_new_one(store: Store, training_id: int) -> None:
    new = correct_event(store, analyst(), training_id, expected_version=1, changes={"date": "2017-03-02"},
                        reason="data_entry_error")
    assert new.event_date == date(2017, 3, 2) and new.replaces_id == training_id and new.state == "current"
    assert _states(store) == [(training_id, "superseded", 2, None), (new.id, "current", 1, training_id)]
    history = register.officer_history(store, analyst(), AVON, pseudonym("A1"))
    assert [(e["state"], str(e["event_date"])) for e in history["events"] if e["kind"] == "training"] == [
        ("superseded", "2017-03-01"), ("current", "2017-03-02")]
    [entry] = audit.events(store, principal=SYSTEM, event_type="register.event_corrected")
    assert entry.payload == {"change": "corrected", "replaced_by": new.id, "reason": "data_entry_error",
                             "fields": ["date"]}


def test_a_stale_version_is_a_conflict_and_changes_nothing(store: Store, training_id: int) -> None:
    correct_event(store, analyst(), training_id, expected_version=1, changes={"date": "2017-03-02"})
    with pytest.raises(Conflict, match="already been corrected by someone else"):
        correct_event(store, analyst(), training_id, expected_version=1, changes={"date": "2017-03-05"})
    current = _states(store)[-1]
    with pytest.raises(Conflict, match="you had version 3, it is now version 1"):
        correct_event(store, analyst(), current[0], expected_version=3, changes={"date": "2017-03-05"})
    assert len(_states(store)) == 2


def test_refused_values_name_their_field_and_nothing_is_saved(store: Store, training_id: int) -> None:
    with pytest.raises(InputRefused) as refused:
        correct_event(store, analyst(), training_id, expected_version=1,
                      changes={"date": "2017-02-30", "result": "maybe", "expires": "2016-01-01"})
    assert {(p.column, p.message) for p in refused.value.problems} == {
        ("date", "'2017-02-30' is not a date; expected YYYY-MM-DD"),
        ("result", "unknown result 'maybe'; expected one of: pass, fail")}
    with pytest.raises(UsageError, match="nothing was changed"):
        correct_event(store, analyst(), training_id, expected_version=1, changes={"result": "Passed"})
    with pytest.raises(UsageError, match="unknown reason"):
        correct_event(store, analyst(), training_id, expected_version=1, changes={"result": "fail"}, reason="whim")
    assert _states(store) == [(training_id, "current", 1, None)]


def test_a_retraction_keeps_the_event_and_ends_its_effect(store: Store, training_id: int) -> None:
    assert register.count_on(store, analyst(), AVON, date(2017, 6, 1)).total["in_date"] == 1
    retract_event(store, analyst(), training_id, expected_version=1, reason="duplicate")
    assert _states(store) == [(training_id, "retracted", 2, None)]
    assert register.count_on(store, analyst(), AVON, date(2017, 6, 1)).total["in_date"] == 0
    with pytest.raises(Conflict, match="already been retracted"):
        retract_event(store, analyst(), training_id, expected_version=2)


def test_adding_an_event_by_hand(store: Store, training_id: int) -> None:
    event = add_event(store, analyst(), AVON, pseudonym("A1"), "training",
                      {"date": "2018-02-25", "skill": "Taser", "course": "Requalification", "result": "Pass"})
    assert (event.course, event.natural_key[:7], event.recorded_by) == ("requalification", "manual:",
                                                                        f"{Role.force_analyst}-{AVON}")
    assert register.count_on(store, analyst(), AVON, date(2019, 1, 1)).total["in_date"] == 1
    with pytest.raises(InputRefused) as refused:
        add_event(store, analyst(), AVON, pseudonym("A1"), "device_issued", {"date": "2018-02-25"})
    assert [p.column for p in refused.value.problems] == ["serial"]
    [entry] = audit.events(store, principal=SYSTEM, event_type="record.written")
    assert entry.subject_type == "register_event" and entry.payload["change"] == "created"


def test_only_the_forces_analyst_may_change_the_register(store: Store, training_id: int) -> None:
    for who in (analyst(WMIDS), analyst(role=Role.chief_officer), analyst(role=Role.officer), SYSTEM):
        with pytest.raises(PermissionDenied):
            correct_event(store, who, training_id, expected_version=1, changes={"date": "2017-03-02"})
        with pytest.raises(PermissionDenied):
            retract_event(store, who, training_id, expected_version=1)
    assert _states(store) == [(training_id, "current", 1, None)]
