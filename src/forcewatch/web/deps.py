"""FastAPI dependencies shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request

from ..settings import Settings
from ..store import Store


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


#: a record id in a path: a positive integer that fits the id columns of every table (PostgreSQL
#: ``integer`` for most; use-of-force records use ``bigint``: :data:`ReportId`). A larger one names no
#: record and would overflow the database's integer, so it is refused (400) before any handler runs.
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1)]
#: a use-of-force report's id (``bigint``)
ReportId = Annotated[int, Path(ge=1, le=2**63 - 1)]
