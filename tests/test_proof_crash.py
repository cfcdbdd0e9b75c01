"""Crashes: a records import killed with SIGKILL at random points leaves the database exactly as it
was, every time, and the next import completes with no duplicates (slow; ``make proof``).

The import runs as a real ``forcewatch import records`` process. Kill times are spread evenly over
the measured length of an uninterrupted import (process start, reading, checking, writing,
commit), jittered by a seeded random generator, so every phase is hit. See docs/proof.md.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from forcewatch.store import Store
from forcewatch.store.tables.records import officer_report

from . import form_rows
from .conftest import store_url
from .proof_support import changed_tables, fingerprint

KILLS = 20
REPORTS = 20_000


def _command(store: Store, path: Path) -> list[str]:
    return [sys.executable, "-m", "forcewatch", "--database", store_url(store), "import", "records", str(path),
            "--force", "Avon and Somerset", "--format", "json"]


def _env() -> dict[str, str]:
    return {**os.environ, "FORCEWATCH_DEMO": "0", "FORCEWATCH_PSEUDONYM_KEY": "k" * 40,
            "FORCEWATCH_SECRET_KEY": "s" * 40}


def _write_file(path: Path, count: int, prefix: str) -> Path:
    rows = [form_rows.row(ReportId=f"{prefix}{n}", IncidentId=f"{prefix}I{n // 2}", PersonId=f"{prefix}P{n // 2}",
                          IncidentDate=f"2018-{n % 12 + 1:02d}-{n % 28 + 1:02d}") for n in range(count)]
    return form_rows.write_csv(path, rows)


def _reports(store: Store) -> tuple[int, int]:
    with store.read() as conn:
        total = conn.execute(select(func.count()).select_from(officer_report)).scalar_one()
        distinct = conn.execute(select(func.count(func.distinct(officer_report.c.report_ref)))).scalar_one()
    return total, distinct


@pytest.mark.slow
def test_an_import_killed_at_random_points_keeps_nothing_and_the_next_completes(store: Store, tmp_path: Path) -> None:
    earlier = _write_file(tmp_path / "earlier.csv", 50, "E")
    subprocess.run(_command(store, earlier), env=_env(), check=True, capture_output=True)
    big = _write_file(tmp_path / "big.csv", REPORTS, "R")
    before = fingerprint(store)
    assert _reports(store) == (50, 50)

    # how long an uninterrupted import takes, measured on a copy of the database: the kills are spread over it
    span = _uninterrupted_seconds(store, big, tmp_path)

    rng = random.Random(20261123)
    kills, attempts, expected, generation, log = 0, 0, 50, 0, []
    while kills < KILLS and attempts < 2 * KILLS:
        attempts += 1
        delay = span * (kills + rng.random()) / KILLS * 0.85  # one kill in each twentieth of the run
        proc = subprocess.Popen(_command(store, big), env=_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        code = proc.wait()
        if code == 0:  # it finished first (runs vary): the whole file, once; go on with a new file
            expected += REPORTS
            assert _reports(store) == (expected, expected)
            log.append((round(delay, 2), "completed"))
            generation += 1
            big = _write_file(tmp_path / f"big{generation}.csv", REPORTS, f"G{generation}R")
            before = fingerprint(store)
            continue
        assert code == -signal.SIGKILL
        after = fingerprint(store)
        if after != before:  # killed after its commit, before the process ended: then all of it, once
            assert _reports(store) == (expected + REPORTS, expected + REPORTS), changed_tables(before, after)
            expected += REPORTS
            log.append((round(delay, 2), "killed after commit"))
            generation += 1
            big = _write_file(tmp_path / f"big{generation}.csv", REPORTS, f"G{generation}R")
            before = after
            continue
        kills += 1  # killed before its commit: the database is exactly as before
        log.append((round(delay, 2), "killed"))
    print(f"{store.backend}: uninterrupted import {span:.2f}s, {kills} kills before commit in {attempts} runs: {log}")
    assert kills >= KILLS, log

    done = subprocess.run(_command(store, big), env=_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    expected += REPORTS
    assert _reports(store) == (expected, expected)
    again = subprocess.run(_command(store, big), env=_env(), capture_output=True, text=True)
    assert again.returncode == 0 and '"already_imported": true' in again.stdout
    assert _reports(store) == (expected, expected)


def _uninterrupted_seconds(store: Store, big: Path, tmp_path: Path) -> float:
    """Seconds for a whole import of ``big`` into a throwaway copy of the database's current state."""
    if store.backend == "sqlite":
        import shutil

        source = Path(store.engine.url.database or "")
        copy = tmp_path / "timing.db"
        store.dispose()
        shutil.copyfile(source, copy)
        target = Store.open(f"sqlite:///{copy}")
    else:
        from sqlalchemy import create_engine, text
        from sqlalchemy.pool import NullPool

        url = store.engine.url
        name = f"{url.database}_timing"
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
        store.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"'))
        target = Store.open(url.set(database=name).render_as_string(hide_password=False))
    started = time.perf_counter()
    subprocess.run(_command(target, big), env=_env(), check=True, capture_output=True)
    seconds = time.perf_counter() - started
    target.dispose()
    if store.backend != "sqlite":
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return seconds
