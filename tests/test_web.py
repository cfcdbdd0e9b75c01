"""The web app skeleton: pages with JSON twins, one error shape, local assets only."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from forcewatch.settings import Settings
from forcewatch.store import Store
from forcewatch.web import create_app


@pytest.fixture
def client(store: Store) -> TestClient:
    return TestClient(create_app(Settings(demo=True, secure_cookies=False), store=store))


def test_home_page_says_what_is_loaded(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "What this database holds" in page.text
    assert "44 forces" in page.text


def test_home_page_has_a_json_twin_computed_by_the_same_call(client: TestClient) -> None:
    doc = client.get("/index.json").json()
    assert doc["areas"] == {"forces": 44, "regions": 10, "country": 1}
    assert doc["schema_revision"] == Store.head_revision()


def test_errors_share_one_json_shape(client: TestClient) -> None:
    response = client.get("/no-such-page.json")
    assert response.status_code == 404
    assert set(response.json()["error"]) == {"code", "message", "hint", "details"}
    assert response.json()["error"]["code"] == "not_found"


def test_html_errors_are_pages(client: TestClient) -> None:
    response = client.get("/no-such-page", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.text


def test_openapi_describes_the_json_twins(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/index.json" in spec["paths"]


def test_pages_load_nothing_from_other_hosts(client: TestClient) -> None:
    html = client.get("/").text
    assert not re.search(r"(src|href)=[\"']https?://", html)
    csp = client.get("/").headers["content-security-policy"]
    assert "default-src 'self'" in csp


def test_static_assets_are_served_locally(client: TestClient) -> None:
    assert client.get("/static/forcewatch.css").status_code == 200


def test_the_figure_filter_separates_thousands_and_marks_a_missing_figure() -> None:
    from forcewatch.web.forms import figure

    assert figure(None) == "–"
    assert figure(427725) == "427,725"
    assert figure(1234.56, 1) == "1,234.6"
    assert figure(0) == "0"
