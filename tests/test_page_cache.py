"""The page cache (forcewatch.web.cache): anonymous pages are computed once per data version and
never served stale: a write by another connection or another process invalidates them at once."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from fastapi.testclient import TestClient

from forcewatch import official
from forcewatch.settings import Settings
from forcewatch.store import Store
from forcewatch.web import create_app
from forcewatch.web.cache import PageCache

from .conftest import DATA, store_url

SETTINGS = Settings(demo=True, secure_cookies=False, pseudonym_key="k" * 40)
CED = DATA / "home-office" / "ced" / "police-use-of-conducted-energy-devices-2016.ods"
UOF = DATA / "home-office" / "use-of-force" / "police-use-of-force-apr2017-mar2018-hosb3018-tables.ods"


def _cache(client: TestClient) -> PageCache:
    layer: Any = client.app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(layer, PageCache):
        layer = layer.app
    return layer


def test_an_anonymous_page_is_computed_once_and_served_the_same(store: Store) -> None:
    client = TestClient(create_app(SETTINGS, store=store))
    first = client.get("/national.json")
    second = client.get("/national.json")
    cache = _cache(client)
    assert (cache.misses, cache.hits) == (1, 1)
    assert first.content == second.content and first.headers == second.headers
    assert second.headers["content-security-policy"].startswith("default-src 'self'")
    assert client.get("/national.json", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    assert (cache.misses, cache.hits) == (1, 1)  # requests with credentials are never cached


def test_a_write_by_another_connection_is_seen_at_once(store: Store) -> None:
    client = TestClient(create_app(SETTINGS, store=store))
    empty = client.get("/national.json").json()
    assert client.get("/national.json").json() == empty
    other = Store.open(store_url(store))  # another connection pool, as another worker would have
    try:
        official.import_file(other, CED, imported_by="tests")
    finally:
        other.dispose()
    after = client.get("/national.json").json()
    assert after != empty and any(r.get("ced") for r in after["rows"])


def test_a_write_by_another_process_is_seen_at_once(store: Store) -> None:
    client = TestClient(create_app(SETTINGS, store=store))
    official.import_file(store, CED, imported_by="tests")
    before = client.get("/national.json").json()
    assert client.get("/national.json").json() == before
    subprocess.run([sys.executable, "-m", "forcewatch", "--database", store_url(store), "import", "official",
                    str(UOF)], check=True, capture_output=True)
    after = client.get("/national.json").json()
    assert after != before and any(r.get("incidents") for r in after["rows"])


def test_the_cache_can_be_turned_off(store: Store) -> None:
    client = TestClient(create_app(Settings(demo=True, secure_cookies=False, page_cache=False), store=store))
    assert client.get("/national.json").status_code == 200
    layer: Any = client.app.middleware_stack  # type: ignore[attr-defined]
    while hasattr(layer, "app"):
        assert not isinstance(layer, PageCache)
        layer = layer.app
