"""What every command shares: the settings, the store (opened on first use), the output format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

import typer

from .. import access
from ..access import Principal, Role
from ..forces import resolve
from ..settings import Settings
from ..store import Store
from .render import OutputFormat

__all__ = ["state", "FormatOption", "CliState", "operator"]

FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="table for people; csv or json for programs (json: one document on stdout)"),
]


@dataclass
class CliState:
    settings: Settings = field(default_factory=Settings)
    _store: Store | None = None

    def store(self) -> Store:
        """The store for ``--database`` / ``FORCEWATCH_DATABASE_URL``, upgraded on first use."""
        if self._store is None:
            self._store = Store.open(self.settings.database_url)
        return self._store

    def reset(self, settings: Settings) -> None:
        if self._store is not None:
            self._store.dispose()
        self.settings = settings
        self._store = None


state = CliState.__new__(CliState)
state._store = None


def operator(role: Role, force: str | None = None) -> Principal:
    """The principal the command line acts as for record-level work: ``role``, for ``force`` (a name
    or code, resolved here); see :func:`forcewatch.access.operator`."""
    return access.operator(role, resolve(force, "force").code if force else None)
