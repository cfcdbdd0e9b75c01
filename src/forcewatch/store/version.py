"""The data version of a database: a value that changes whenever any connection, in this process
or another, commits a change. Caches of computed pages key on it (``forcewatch.web.cache``), so a
write invalidates them at once and a cached page is never older than the data.

- **SQLite**: ``PRAGMA data_version`` on one dedicated connection that never writes: SQLite
  changes it whenever another connection (of any process) commits (https://sqlite.org/pragma.html#pragma_data_version).
- **PostgreSQL**: the current snapshot (``pg_current_snapshot()``: the oldest running, next and
  running transaction ids). Any write transaction's commit changes it; so do writes to other
  databases of the same server, which only costs a recomputation, never a stale page.
- Every backend also counts the writes committed through this process's :class:`Store`.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from sqlalchemy import Engine, text


class DataVersion:
    """Reads the data version of one engine's database cheaply (a few microseconds on SQLite)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.local_commits = 0
        self._lock = threading.Lock()
        self._sqlite: sqlite3.Connection | None = None
        database = engine.url.database or ""
        self._path = database if engine.dialect.name == "sqlite" and database not in ("", ":memory:") else None

    def committed(self) -> None:
        """Called after every write transaction of this process commits."""
        with self._lock:
            self.local_commits += 1

    def current(self) -> tuple[Any, ...]:
        with self._lock:
            local = self.local_commits
            if self.engine.dialect.name == "postgresql":
                with self.engine.connect() as conn:
                    return local, conn.execute(text("SELECT pg_current_snapshot()::text")).scalar()
            if self._path is None:  # an in-memory database lives in this process only
                return (local,)
            if self._sqlite is None:
                self._sqlite = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, check_same_thread=False)
            return local, self._sqlite.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            if self._sqlite is not None:
                self._sqlite.close()
                self._sqlite = None
