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


#: a record id in a path: a positive 64-bit integer (a larger one names no record and would
#: overflow the database's integer; refused (400) before any handler runs)
RecordId = Annotated[int, Path(ge=1, le=2**63 - 1)]
