"""The home page: what forcewatch is and what this database holds."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from ...status import database_status
from ...store import Store
from ..deps import get_store
from ..pages import View, page

router = APIRouter()


@page(router, "/", "home.html", tags=["status"])
def home(request: Request, store: Store = Depends(get_store)) -> View:
    """What this forcewatch database holds."""
    return View(database_status(store), title="forcewatch")
