"""``forcewatch db``: the schema and what the database holds."""

from __future__ import annotations

import typer

from ..store import Store
from .context import FormatOption, state
from .render import OutputFormat, render_document

db_app = typer.Typer(help="The database: schema revision, upgrade, counts.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the schema to the newest revision (forcewatch also does this on first use)."""
    store = Store.open(state.settings.database_url, upgrade=False)
    changed = store.upgrade()
    typer.echo(f"schema at {store.revision()} ({'upgraded' if changed else 'already current'})", err=True)


@db_app.command("status")
def db_status(format: FormatOption = OutputFormat.table) -> None:
    """The database URL, backend, schema revision and row counts."""
    store = state.store()
    render_document(
        {
            "database": store.url,
            "backend": store.backend,
            "revision": store.revision(),
            "head": Store.head_revision(),
            "rows": store.table_counts(),
        },
        format,
    )
