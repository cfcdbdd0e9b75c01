"""What the database holds: the summary behind the home page and ``forcewatch db status``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from . import __version__
from .official import loaded_summary
from .store import Store
from .store.tables.records import officer_report
from .store.tables.reference import area, source_file

__all__ = ["database_status"]


def database_status(store: Store) -> dict[str, Any]:
    """Backend, schema revision, areas, the files imported so far grouped by kind, how many
    use-of-force reports are held (in all: no force, no detail) and how many are simulated, and the
    official statistics loaded (facts by table and year)."""
    with store.read() as conn:
        areas = dict(conn.execute(select(area.c.kind, func.count()).group_by(area.c.kind)).all())
        files = [
            {"kind": kind, "files": n, "last_imported": last.isoformat() if last else None}
            for kind, n, last in conn.execute(
                select(source_file.c.kind, func.count(), func.max(source_file.c.imported_at))
                .group_by(source_file.c.kind)
                .order_by(source_file.c.kind)
            ).all()
        ]
        held, simulated, from_form = conn.execute(select(
            func.count(), func.count().filter(officer_report.c.simulated),
            func.count().filter(officer_report.c.source == "form"))).one()
    return {
        "version": __version__,
        "backend": store.backend,
        "schema_revision": store.revision(),
        "areas": {"forces": areas.get("force", 0), "regions": areas.get("region", 0), "country": areas.get("country", 0)},
        "imported_files": files,
        "records": {"reports": held, "simulated": simulated, "from_form": from_form},
        "official_facts": loaded_summary(store),
    }
