"""``forcewatch import ...``: the group every importer's command joins.

Each importer's command lives in its own module (``cli/official.py``, ``cli/records.py`` ...) and
registers itself with ``@import_app.command(NAME)``; ``cli/__init__.py`` imports those modules.
"""

from __future__ import annotations

import typer

import_app = typer.Typer(
    help="Import published statistics and force records. Atomic (all or nothing) and idempotent.",
    no_args_is_help=True,
)
