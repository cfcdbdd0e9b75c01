"""Alembic environment: forcewatch always passes an open connection (see ``forcewatch.store``)."""

from alembic import context

from forcewatch.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
