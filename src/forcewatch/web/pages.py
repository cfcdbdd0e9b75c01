"""Pages with twins: every HTML page has a ``.json`` twin (and ``.csv`` for tables) computed by the
same call, so the UI never shows a number the API cannot (datasette's ``views/base.py`` idea).

A page function takes ``request`` (and any FastAPI parameters or dependencies) and returns a
:class:`View`; :func:`page` registers it at ``PATH`` (HTML), ``PATH.json`` and, with
``csv=True``, ``PATH.csv``.
"""

from __future__ import annotations

import csv
import functools
import inspect
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Callable, Sequence

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.convertors import Convertor, register_url_convertor

__all__ = ["View", "page", "json_path", "to_jsonable"]


@dataclass
class View:
    """What a page computed: ``data`` (the JSON twin) and optionally a table (the CSV twin)."""

    data: dict[str, Any]
    title: str = ""
    table: Sequence[dict[str, Any]] | None = None
    columns: Sequence[str] | None = None
    #: extra template-only context (never in the JSON twin): e.g. a chart's SVG
    extra: dict[str, Any] = field(default_factory=dict)
    filename: str = "forcewatch"


class _AreaCodeConvertor(Convertor[str]):
    """A force's ONS code in a path (``{code:area}``): letters and digits only, so ``/forces/E23000036.json``
    reaches the twin rather than a force called ``E23000036.json``."""

    regex = "[A-Za-z0-9]{3,12}"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("area", _AreaCodeConvertor())


def to_jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "as_dict"):
        return to_jsonable(value.as_dict())
    return value


def json_path(path: str) -> str:
    """``/`` -> ``/index.json``; ``/forces/{code}`` -> ``/forces/{code}.json``."""
    return (path.rstrip("/") or "/index") + ".json"


def _csv_path(path: str) -> str:
    return (path.rstrip("/") or "/index") + ".csv"


async def _call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> View:
    if inspect.iscoroutinefunction(fn):
        result = await fn(*args, **kwargs)
    else:
        result = await run_in_threadpool(fn, *args, **kwargs)
    if not isinstance(result, View):
        raise TypeError(f"page {fn.__name__} must return a View, not {type(result).__name__}")
    return result


def page(
    router: APIRouter,
    path: str,
    template: str,
    *,
    csv_twin: bool = False,
    tags: Sequence[str] = (),
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a page function at ``path`` (HTML) and its ``.json`` (and ``.csv``) twins."""

    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        if "request" not in inspect.signature(fn).parameters:
            raise TypeError(f"page {fn.__name__} must take a `request: Request` parameter")
        summary = (fn.__doc__ or fn.__name__).strip().splitlines()[0]

        @functools.wraps(fn)
        async def html(*args: Any, **kwargs: Any) -> Response:
            request: Request = kwargs["request"]
            view = await _call(fn, *args, **kwargs)
            context = {"view": view, "data": view.data, **view.extra}
            return request.app.state.templates.TemplateResponse(request, template, context)

        @functools.wraps(fn)
        async def as_json(*args: Any, **kwargs: Any) -> Response:
            view = await _call(fn, *args, **kwargs)
            body = json.dumps(to_jsonable(view.data), ensure_ascii=False)
            return Response(body, media_type="application/json")

        router.add_api_route(path, html, methods=["GET"], response_class=HTMLResponse,
                             include_in_schema=False, name=fn.__name__)
        router.add_api_route(json_path(path), as_json, methods=["GET"], summary=summary,
                             name=f"{fn.__name__}_json", tags=list(tags),
                             responses={200: {"content": {"application/json": {}}}})
        if csv_twin:

            @functools.wraps(fn)
            async def as_csv(*args: Any, **kwargs: Any) -> Response:
                view = await _call(fn, *args, **kwargs)
                rows = list(view.table or [])
                columns = list(view.columns or (rows[0].keys() if rows else []))
                buf = io.StringIO()
                writer = csv.writer(buf, lineterminator="\n")
                writer.writerow(columns)
                for row in rows:
                    writer.writerow(["" if row.get(c) is None else to_jsonable(row.get(c)) for c in columns])
                return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                                headers={"Content-Disposition": f'attachment; filename="{view.filename}.csv"'})

            router.add_api_route(_csv_path(path), as_csv, methods=["GET"], summary=f"{summary} (CSV)",
                                 name=f"{fn.__name__}_csv", tags=list(tags),
                                 responses={200: {"content": {"text/csv": {}}}})
        return fn

    return decorator
