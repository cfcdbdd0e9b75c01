"""Shared by the proof tests (tests/test_proof_*.py): a fingerprint of every table, and a harness
that runs an importer on bad input and checks it either succeeded or refused cleanly.

"Refused cleanly" means: only a documented :class:`~forcewatch.errors.ForcewatchError` escaped, its
message names the file, and the database is exactly as before (no partial write).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import MetaData, select

from forcewatch.errors import ForcewatchError, InputRefused
from forcewatch.store import Store


def fingerprint(store: Store) -> dict[str, str]:
    """One digest per table of the database: every row, in a stable order."""
    meta = MetaData()
    with store.read() as conn:
        meta.reflect(conn)
        digests = {}
        for name, table in sorted(meta.tables.items()):
            if name == "alembic_version":
                continue
            rows = sorted(repr(tuple(r)) for r in conn.execute(select(table)))
            digests[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16] + f":{len(rows)}"
    return digests


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))


def refused_cleanly(store: Store, path: Path, run: Callable[[Path], Any]) -> str:
    """Run ``run(path)``; return "stored" or "refused", failing the test on a crash or partial write."""
    before = fingerprint(store)
    try:
        run(path)
    except ForcewatchError as exc:
        text = str(exc)
        assert path.name in text or (isinstance(exc, InputRefused) and any(
            p.file and path.name in p.file for p in exc.problems)), f"the refusal does not name the file: {text}"
        assert changed_tables(before, fingerprint(store)) == [], f"a refused import wrote: {text}"
        return "refused"
    return "stored"
