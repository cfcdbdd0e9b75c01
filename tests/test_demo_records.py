"""The demo's simulated records: the demo officers and supervisors find their own and their team's reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from forcewatch import official
from forcewatch.demo import DEMO_ACCOUNTS, DEMO_REPORTS_PER_ROLE, DEMO_STEPS
from forcewatch.pseudonyms import officer_pseudonym
from forcewatch.settings import Settings
from forcewatch.store import Store
from forcewatch.store.tables.records import officer_report


def test_the_demo_records_step_simulates_both_forces_and_gives_the_demo_officers_reports(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings(demo=True)
    official.import_files(store, official.bundled_files(), imported_by="tests")
    step = next(s for s in DEMO_STEPS if s.title.startswith("SIMULATED records"))
    summary = step.run(store, settings)
    assert "SIMULATED 2018-19" in summary and "Avon and Somerset 8,739 reports (733 CED)" in summary
    with store.read() as conn:
        by_force = dict(conn.execute(select(officer_report.c.force_code, func.count())
                                     .group_by(officer_report.c.force_code)).all())
        assert conn.execute(select(func.count()).where(~officer_report.c.simulated)).scalar_one() == 0
        for _, role, force, team, staff_id in DEMO_ACCOUNTS:
            if role not in DEMO_REPORTS_PER_ROLE:
                continue
            assert force and team and staff_id
            mine = officer_pseudonym(settings.officer_pseudonym_key, force, staff_id)
            own = conn.execute(select(func.count()).where(officer_report.c.officer_pseudonym == mine,
                                                          officer_report.c.officer_team == team)).scalar_one()
            assert own == DEMO_REPORTS_PER_ROLE[role]
            teammates = conn.execute(select(func.count(func.distinct(officer_report.c.officer_pseudonym)))
                                     .where(officer_report.c.officer_team == team)).scalar_one()
            assert teammates > 2
    assert by_force == {"E23000036": 8739, "E23000014": 7481}
    assert sorted(p.name for p in (tmp_path / ".demo").iterdir()) == [
        "simulated-2018-19-E23000014.csv", "simulated-2018-19-E23000036.csv"]
