"""Bulk loading: many rows into one table inside the caller's write transaction.

This is the one place that loads rows differently per backend, because the fast way differs:

- SQLite: one prepared ``INSERT`` run by the driver's ``executemany`` over rows built column by
  column (``zip`` of per-column lists), in chunks so progress can be shown;
- PostgreSQL: ``COPY ... FROM STDIN`` in CSV, written by Polars.

Both run on the connection of the surrounding ``store.write()`` block, so a failure anywhere rolls
back everything the block wrote. Values are written in the same text forms SQLAlchemy uses for
``Date``/``Time``/``DateTime`` on SQLite, so rows read back through SQLAlchemy come back typed.

Two SQLite-only shortcuts for large loads, neither weakening what is stored:

- in a ``store.write(checked_references=True)`` block, foreign keys are not checked row by row;
  :func:`check_references` then checks every reference of the rows loaded with one query per
  foreign key, inside the same transaction, and refuses the load if one is missing;
- :func:`secondary_indexes_rebuilt` drops a table's secondary indexes while more rows are loaded
  than it holds, and builds them again (sorted, in one pass) before the transaction ends.

PostgreSQL checks every constraint and maintains every index row by row, as always: there,
dropping a constraint or an index would lock readers out for the whole load.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

import polars as pl
from sqlalchemy import Connection, Index, Table, exists, func, select


__all__ = ["allocate_ids", "bulk_insert", "check_references", "secondary_indexes_rebuilt", "CHUNK_ROWS"]

CHUNK_ROWS = 50_000


def allocate_ids(conn: Connection, table: Table, count: int) -> int:
    """The first of ``count`` new ids for ``table`` (ids are never reused).

    On PostgreSQL the table is locked against other writers (readers are not blocked) until the
    transaction ends, so two imports cannot hand out the same ids; on SQLite the write transaction
    (``BEGIN IMMEDIATE``) already excludes other writers.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f'LOCK TABLE "{table.name}" IN SHARE ROW EXCLUSIVE MODE')
    current = conn.execute(select(func.max(table.c.id))).scalar()
    return int(current or 0) + 1


def _as_text_types(frame: pl.DataFrame) -> pl.DataFrame:
    """Dates and times in SQLAlchemy's storage text forms; everything else unchanged."""
    exprs = []
    for name, dtype in frame.schema.items():
        if dtype == pl.Date:
            exprs.append(pl.col(name).dt.strftime("%Y-%m-%d"))
        elif dtype == pl.Time:
            exprs.append(pl.col(name).dt.strftime("%H:%M:%S%.6f"))
        elif isinstance(dtype, pl.Datetime):
            exprs.append(pl.col(name).dt.strftime("%Y-%m-%d %H:%M:%S%.6f"))
    return frame.with_columns(exprs) if exprs else frame


def bulk_insert(conn: Connection, table: Table, frame: pl.DataFrame,
                progress: Callable[[int], None] | None = None) -> int:
    """Insert every row of ``frame`` (columns named after ``table``'s) and return how many."""
    if frame.height == 0:
        return 0
    unknown = set(frame.columns) - set(table.c.keys())
    if unknown:
        raise ValueError(f"columns not in {table.name}: {sorted(unknown)}")
    frame = _as_text_types(frame)
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    driver = conn.connection.driver_connection
    assert driver is not None
    if conn.dialect.name == "postgresql":
        with driver.cursor() as cur:  # type: ignore[attr-defined]
            with cur.copy(f'COPY "{table.name}" ({columns}) FROM STDIN (FORMAT csv)') as copy:
                for start in range(0, frame.height, CHUNK_ROWS):
                    chunk = frame.slice(start, CHUNK_ROWS)
                    copy.write(chunk.write_csv(include_header=False, null_value="", quote_style="non_numeric"))
                    if progress:
                        progress(chunk.height)
        return frame.height
    sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({", ".join("?" * frame.width)})'
    cur = driver.cursor()  # type: ignore[attr-defined]
    try:
        for start in range(0, frame.height, CHUNK_ROWS):
            chunk = frame.slice(start, CHUNK_ROWS)
            cur.executemany(sql, zip(*(chunk.get_column(c).to_list() for c in chunk.columns)))
            if progress:
                progress(chunk.height)
    finally:
        cur.close()
    return frame.height


def _references_checked_per_row(conn: Connection) -> bool:
    if conn.dialect.name != "sqlite":
        return True
    return bool(conn.exec_driver_sql("PRAGMA foreign_keys").scalar())


def check_references(conn: Connection, table: Table, rows: Any) -> None:
    """Every foreign key of ``table``'s rows matching ``rows`` (a SQL condition) names a row that exists.

    One anti-join per foreign key. Needed only where the connection skipped the per-row checks
    (SQLite in ``store.write(checked_references=True)``); elsewhere it returns at once.
    """
    if _references_checked_per_row(conn):
        return
    for fk in table.foreign_key_constraints:
        (child,), (parent,) = fk.columns, [e.column for e in fk.elements]
        missing = conn.execute(select(func.count()).select_from(table).where(
            rows, child.is_not(None), ~exists(select(1).select_from(parent.table).where(parent == child)))).scalar_one()
        if missing:
            raise RuntimeError(f"{missing:,} rows of {table.name} name a {parent.table.name} that does not exist "
                               f"({child.name}); nothing was stored: this is a bug in forcewatch, please report it")


@contextmanager
def secondary_indexes_rebuilt(conn: Connection, table: Table, incoming: int) -> Iterator[None]:
    """On SQLite, when ``incoming`` rows outnumber the rows ``table`` holds, load without its secondary
    (non-unique) indexes and build them again at the end of the block, in the same transaction."""
    indexes: list[Index] = [ix for ix in table.indexes if not ix.unique]
    rebuild = conn.dialect.name == "sqlite" and indexes and incoming > conn.execute(
        select(func.count()).select_from(table)).scalar_one()
    if rebuild:
        for ix in indexes:
            ix.drop(conn)
    yield
    if rebuild:
        for ix in indexes:
            ix.create(conn)
