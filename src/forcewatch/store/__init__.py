"""The store: the only part of forcewatch that knows which database is in use.

A :class:`Store` wraps a SQLAlchemy engine for a database URL, embedded SQLite by default and
PostgreSQL (psycopg 3) in production, and brings the schema up to date with Alembic the first
time it is opened.

Transactions:

- :meth:`Store.read` opens a read transaction.
- :meth:`Store.write` opens a write transaction. On SQLite it starts with ``BEGIN IMMEDIATE`` so
  two writers queue instead of failing half-way; on PostgreSQL it is an ordinary transaction.
  Everything in one ``with store.write()`` block is stored, or nothing is (a crash or an
  exception rolls it back), which is what makes imports atomic.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from ..errors import SettingsError
from ..settings import normalise_database_url
from .tables import metadata
from .version import DataVersion

__all__ = ["Store", "open_store", "metadata"]

log = logging.getLogger(__name__)
_MIGRATIONS = Path(__file__).parent / "migrations"
_PG_MIGRATION_LOCK = 7_171_717  # advisory lock key: one process migrates at a time


def _sqlite_engine(url: str) -> Engine:
    path = make_url(url).database
    if path and path != ":memory:":
        parent = Path(path).expanduser().resolve().parent
        if not parent.exists():
            raise SettingsError(f"the folder for the SQLite database does not exist: {parent}")
    engine = create_engine(url, connect_args={"timeout": 60})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not the driver, decide when transactions start (so DDL is
        # transactional and SAVEPOINT works), then set the pragmas forcewatch relies on.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA busy_timeout = 60000")
        if path and path != ":memory:":
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("forcewatch_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


class Store:
    """A forcewatch database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._version = DataVersion(engine)

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str, *, upgrade: bool = True) -> "Store":
        """Open the database at ``url``, bringing its schema up to date unless ``upgrade=False``."""
        url = normalise_database_url(url)
        if url.startswith("sqlite"):
            engine = _sqlite_engine(url)
        else:
            engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
        store = cls(engine)
        if upgrade:
            store.upgrade()
        return store

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @property
    def url(self) -> str:
        """The database URL without its password."""
        return self.engine.url.render_as_string(hide_password=True)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self._version.close()
        self.engine.dispose()

    def data_version(self) -> tuple[object, ...]:
        """A value that changes whenever anyone commits a change to this database (see ``store/version.py``)."""
        return self._version.current()

    # --- transactions ----------------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection in a read transaction."""
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection in a write transaction: committed at the end of the block, or rolled back."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(forcewatch_write=True)
            try:
                with conn.begin():
                    yield conn
            finally:  # committed or not: a page computed meanwhile is recomputed, never served stale
                self._version.committed()

    # --- schema ----------------------------------------------------------------------------

    @staticmethod
    def _alembic_config(conn: Connection) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        cfg.attributes["connection"] = conn
        return cfg

    @staticmethod
    def head_revision() -> str:
        """The newest schema revision this version of forcewatch knows."""
        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        head = ScriptDirectory.from_config(cfg).get_current_head()
        assert head is not None
        return head

    def revision(self) -> str | None:
        """The schema revision of the database (``None`` for an empty database)."""
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def upgrade(self) -> bool:
        """Bring the schema to the newest revision; returns True if anything changed."""
        if self.revision() == self.head_revision():
            return False
        with self.engine.connect() as conn:
            conn = conn.execution_options(forcewatch_write=True)
            with conn.begin():
                if self.backend == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
                current = MigrationContext.configure(conn).get_current_revision()
                if current == self.head_revision():
                    return False
                log.info("upgrading schema from %s to %s", current, self.head_revision())
                command.upgrade(self._alembic_config(conn), "head")
        return True

    def table_counts(self) -> dict[str, int]:
        """Rows in every table, for the status page and tests."""
        counts: dict[str, int] = {}
        with self.read() as conn:
            for table in metadata.sorted_tables:
                counts[table.name] = conn.execute(text(f'SELECT COUNT(*) FROM "{table.name}"')).scalar_one()
        return counts


def open_store(url: str, *, upgrade: bool = True) -> Store:
    """Open the forcewatch database at ``url`` (see :meth:`Store.open`)."""
    return Store.open(url, upgrade=upgrade)
