"""One test suite, every backend.

The ``store`` fixture gives each test a fresh, fully migrated database: on SQLite always, and on
PostgreSQL whenever ``FORCEWATCH_TEST_POSTGRES_URL`` is set (``.ci/run`` always sets it). Each test
run migrates one template database per backend and clones it per test (a file copy on SQLite;
on PostgreSQL ``CREATE DATABASE ... TEMPLATE``, recycled between tests when a test left the schema
as it was: see ``_PostgresTemplates``), and drops everything it created at the end.

In CI (``CI=true``) a configured but unreachable PostgreSQL, or a missing Chromium, is a failure,
not a skip, so a green CI run means every backend was really tested.
"""

from __future__ import annotations

import io
import os
import queue
import shutil
import sys
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from forcewatch.settings import normalise_database_url
from forcewatch.store import Store

PG_URL = os.environ.get("FORCEWATCH_TEST_POSTGRES_URL")
IN_CI = os.environ.get("CI", "").lower() == "true"
RUN_ID = uuid.uuid4().hex[:8]
DATA = Path(__file__).resolve().parents[1] / "src" / "forcewatch" / "data"

# No per-example deadline: the suite runs on 2 shared cores (and in CI beside PostgreSQL), where a
# property that takes 5 ms alone can take 300 ms under load; a deadline there fails at random and
# proves nothing about speed (speed lives in bench/). Tests may still set their own ``settings``.
hypothesis_settings.register_profile("forcewatch", deadline=None)
hypothesis_settings.load_profile("forcewatch")

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


class _Dirty(Exception):
    """A test changed a database's schema or reference data, so it cannot be reused."""


class _PostgresTemplates:
    """Hands out migrated PostgreSQL databases: clones of one template, recycled between tests.

    Creating a database from a template costs a few hundred milliseconds on this machine, which
    over hundreds of tests dominated the suite. So a database a test has finished with is
    recycled in a background thread while the next test runs: if its schema and reference data
    are exactly the template's (a fingerprint of triggers, relations, columns, functions and the
    migration-seeded rows), every other table is emptied (``TRUNCATE ... RESTART IDENTITY``, with
    triggers off for that statement) and it goes back to the pool; otherwise (a test dropped a
    trigger, say) it is dropped. Each test still starts from a database identical to a fresh clone.
    """

    def __init__(self, url: str) -> None:
        self.url = make_url(normalise_database_url(url))
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.template = f"fw_{RUN_ID}_template"
        self.created: list[str] = []
        self.clean: queue.SimpleQueue[str] = queue.SimpleQueue()
        self.recycler = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-recycle")
        self.pending: list[Future[None]] = []
        self.fingerprint: tuple[object, ...] = ()
        self.seeded: list[str] = []
        self.emptied: list[str] = []
        self.sequences: list[str] = []

    def _url(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def start(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.template}"'))
        Store.open(self._url(self.template)).dispose()
        engine = create_engine(self._url(self.template), poolclass=NullPool)
        with engine.connect() as conn:
            tables = conn.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).scalars().all()
            for table in tables:
                if conn.execute(text(f'SELECT EXISTS (SELECT 1 FROM "{table}")')).scalar():
                    self.seeded.append(table)
                else:
                    self.emptied.append(table)
            self.sequences = list(conn.execute(text(
                "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'")).scalars())
            self.fingerprint = self._fingerprint(conn)
        engine.dispose()

    def _fingerprint(self, conn: Connection) -> tuple[object, ...]:
        schema = conn.execute(text(
            "SELECT (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal), "
            "       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'), "
            "       (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped), "
            "       (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'), "
            "       (SELECT count(*) FROM pg_namespace)")).one()
        seeded = tuple(
            conn.execute(text(f'SELECT md5(coalesce(string_agg(t::text, \',\' ORDER BY t::text), \'\')) FROM "{table}" t')).scalar()
            for table in self.seeded
        )
        return (tuple(schema), seeded)

    def new(self) -> str:
        try:
            return self._url(self.clean.get_nowait())
        except queue.Empty:
            pass
        name = f"fw_{RUN_ID}_{uuid.uuid4().hex[:10]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        self.created.append(name)
        return self._url(name)

    def release(self, url: str) -> None:
        self.pending.append(self.recycler.submit(self._recycle, str(make_url(url).database)))

    def _recycle(self, name: str) -> None:
        engine = create_engine(self._url(name), poolclass=NullPool)
        try:
            with engine.connect() as conn:
                conn.execute(text("SET lock_timeout = '3s'"))
                with conn.begin():
                    if self._fingerprint(conn) != self.fingerprint:
                        raise _Dirty(name)
                    conn.execute(text("SET LOCAL session_replication_role = replica"))
                    if self.emptied:
                        conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in self.emptied)
                                          + " RESTART IDENTITY CASCADE"))
                    for sequence in self.sequences:
                        conn.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))
            self.clean.put(name)
        except Exception:  # noqa: BLE001 - anything unusual: never reuse, drop instead
            engine.dispose()
            self.drop(name)
        finally:
            engine.dispose()

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        for future in self.pending:
            future.exception()
        self.recycler.shutdown(wait=True)
        with self.admin.connect() as conn:
            for name in [*self.created, self.template]:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@dataclass
class Backend:
    """A way to make fresh, migrated databases of one kind."""

    name: str
    tmp: Path
    pg: _PostgresTemplates | None = None
    _template_file: Path | None = None

    def new_url(self) -> str:
        if self.name == "sqlite":
            target = self.tmp / f"fw-{uuid.uuid4().hex[:10]}.db"
            assert self._template_file is not None
            shutil.copyfile(self._template_file, target)
            return f"sqlite:///{target}"
        assert self.pg is not None
        return self.pg.new()

    def new_store(self) -> Store:
        return Store.open(self.new_url())

    def drop(self, store: Store) -> None:
        url = store.engine.url.render_as_string(hide_password=False)
        store.dispose()
        if self.name == "postgresql" and self.pg is not None:
            self.pg.release(url)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """The database backends under test: SQLite always; PostgreSQL when configured."""
    tmp = tmp_path_factory.mktemp(f"db-{request.param}")
    if request.param == "sqlite":
        template = tmp / "template.db"
        Store.open(f"sqlite:///{template}").dispose()
        yield Backend("sqlite", tmp, _template_file=template)
        return
    if not PG_URL:
        if IN_CI:
            pytest.fail("CI=true but FORCEWATCH_TEST_POSTGRES_URL is not set: PostgreSQL tests would be skipped")
        pytest.skip("FORCEWATCH_TEST_POSTGRES_URL is not set")
    pg = _PostgresTemplates(PG_URL)
    try:
        pg.start()
    except Exception as exc:  # noqa: BLE001 - report why PostgreSQL is unusable
        if IN_CI:
            pytest.fail(f"PostgreSQL at FORCEWATCH_TEST_POSTGRES_URL is unusable: {exc}")
        pytest.skip(f"PostgreSQL unusable: {exc}")
    try:
        yield Backend("postgresql", tmp, pg=pg)
    finally:
        pg.close()


@pytest.fixture
def store(backend: Backend) -> Iterator[Store]:
    """A fresh, migrated database for one test, on each backend."""
    s = backend.new_store()
    try:
        yield s
    finally:
        backend.drop(s)


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):  # type: ignore[no-untyped-def]
        import json

        return json.loads(self.stdout)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run ``forcewatch ARGS...`` in-process, returning exit code, stdout and stderr."""
    from forcewatch.cli import main

    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str, database: str | None = None, stdin: str | None = None) -> CliResult:
        argv = [*(["--database", database] if database else []), *args]
        out, err = io.StringIO(), io.StringIO()
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        with redirect_stdout(out), redirect_stderr(err):
            code = main(argv)
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


def store_url(store: Store) -> str:
    """The full URL of a store (with password), for passing to the CLI."""
    return store.engine.url.render_as_string(hide_password=False)


@pytest.fixture
def fast_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters, so tests that create and log in accounts stay quick.

    Production uses argon2-cffi's recommended parameters (``tests/test_accounts.py`` checks them);
    a log-in rehashes whenever the parameters differ, which is tested too.
    """
    from argon2 import PasswordHasher

    from forcewatch import passwords

    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session")
def official_store(backend: Backend) -> Iterator[Store]:
    """A database holding every bundled official file, shared read-only by the tests of each backend.

    Tests that write must use ``store``; this one is imported once per backend to keep the suite fast.
    """
    from forcewatch import official

    s = backend.new_store()
    results = official.import_files(s, official.bundled_files(), imported_by="tests")
    assert all(r.status == "stored" for r in results), [(r.file, r.status, r.message) for r in results]
    s.official_results = results  # type: ignore[attr-defined]
    try:
        yield s
    finally:
        backend.drop(s)
