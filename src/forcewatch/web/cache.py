"""A cache of the pages anonymous visitors read, keyed by the store's data version.

Public pages and the national dashboard are the same for every anonymous visitor and are computed
from the database on each request (tens of milliseconds to a second). This ASGI middleware keeps
each computed response (status 200, no cookie set) in memory under its method, path, query and
``Accept`` header, today's date, and the store's **data version** (:meth:`forcewatch.store.Store.data_version`),
which changes whenever anyone (this process or another) commits a write: a cached page is never
older than the data it shows, and a write invalidates every page at once.

Only anonymous requests are cached (no session cookie, no ``Authorization`` header): what a
logged-in person sees depends on their role and force. Responses that set a cookie or say
``Cache-Control: no-store`` are never kept. ``FORCEWATCH_PAGE_CACHE=0`` turns it off.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from datetime import date
from typing import Any, Awaitable, Callable

from starlette.concurrency import run_in_threadpool

from ..store import Store

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

#: paths never cached: anything about logging in, and static files (served from disk already)
_NEVER = ("/login", "/logout", "/account", "/static/")


class PageCache:
    """ASGI middleware: serve anonymous GETs from memory while the data version is unchanged."""

    def __init__(self, app: Callable[..., Awaitable[None]], store: Store, *, cookie_names: tuple[str, ...],
                 entries: int = 512, max_bytes: int = 4 * 1024 * 1024) -> None:
        self.app = app
        self.store = store
        self.cookies = tuple(name.encode() for name in cookie_names)
        self.entries = entries
        self.max_bytes = max_bytes
        self.pages: OrderedDict[tuple[Any, ...], tuple[int, list[tuple[bytes, bytes]], bytes]] = OrderedDict()
        self.version: tuple[Any, ...] | None = None
        self.hits = self.misses = 0
        self._lock = threading.Lock()
        #: pages being computed: later requests for the same page wait for the first (no stampede)
        self._computing: dict[tuple[Any, ...], asyncio.Event] = {}

    def _cacheable(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return False
        if scope["path"].startswith(_NEVER):
            return False
        for name, value in scope["headers"]:
            if name == b"authorization":
                return False
            if name == b"cookie" and any(c + b"=" in value for c in self.cookies):
                return False
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        version = await run_in_threadpool(self.store.data_version)
        accept = next((v for n, v in scope["headers"] if n == b"accept"), b"")
        key = (scope["method"], scope["path"], scope["query_string"], accept, date.today())
        found = self._lookup(key, version)
        if found is None and (running := self._computing.get(key)) is not None:
            await running.wait()  # the same page is being computed for someone else: use theirs
            found = self._lookup(key, version)
        if found is not None:
            status, headers, body = found
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        self.misses += 1
        done = self._computing.setdefault(key, asyncio.Event())
        try:
            await self._compute(scope, receive, send, key, version)
        finally:
            if self._computing.get(key) is done:
                del self._computing[key]
            done.set()

    def _lookup(self, key: tuple[Any, ...], version: tuple[Any, ...]) -> Any:
        with self._lock:
            if version != self.version:  # someone wrote: every page is out of date
                self.pages.clear()
                self.version = version
            found = self.pages.get(key)
            if found is not None:
                self.pages.move_to_end(key)
                self.hits += 1
            return found

    async def _compute(self, scope: Scope, receive: Receive, send: Send, key: tuple[Any, ...],
                       version: tuple[Any, ...]) -> None:
        start: Message = {}
        chunks: list[bytes] = []
        keep = True

        async def capture(message: Message) -> None:
            nonlocal keep
            if message["type"] == "http.response.start":
                start.update(message)
                headers = message.get("headers", [])
                if message["status"] != 200 or any(
                        n == b"set-cookie" or (n == b"cache-control" and b"no-store" in v) for n, v in headers):
                    keep = False
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                if sum(len(c) for c in chunks) > self.max_bytes:
                    keep = False
                    chunks.clear()
            await send(message)

        await self.app(scope, receive, capture)
        if not keep or not start:
            return
        with self._lock:
            if version == self.version:  # nobody wrote while it was computed
                self.pages[key] = (start["status"], list(start.get("headers", [])), b"".join(chunks))
                while len(self.pages) > self.entries:
                    self.pages.popitem(last=False)
