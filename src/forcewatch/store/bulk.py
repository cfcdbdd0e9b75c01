"""Bulk loading: many rows into one table inside the caller's write transaction.

This is the one place that loads rows differently per backend, because the fast way differs:

- SQLite: one prepared ``INSERT`` run by the driver's ``executemany`` over rows built column by
  column (``zip`` of per-column lists), in chunks so progress can be shown;
- PostgreSQL: ``COPY ... FROM STDIN`` in CSV, written by Polars.

Both run on the connection of the surrounding ``store.write()`` block, so a failure anywhere rolls
back everything the block wrote. Values are written in the same text forms SQLAlchemy uses for
``Date``/``Time``/``DateTime`` on SQLite, so rows read back through SQLAlchemy come back typed.
"""

from __future__ import annotations

from typing import Callable

import polars as pl
from sqlalchemy import Connection, Table, func, select

__all__ = ["allocate_ids", "bulk_insert", "CHUNK_ROWS"]

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
