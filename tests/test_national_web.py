"""The national picture pages: published figures by year and by force, charts, JSON and CSV twins."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from forcewatch import charts
from forcewatch.settings import Settings
from forcewatch.store import Store
from forcewatch.web import create_app


@pytest.fixture
def loaded(official_store: Store) -> TestClient:
    return TestClient(create_app(Settings(demo=True, secure_cookies=False), store=official_store))


@pytest.fixture
def empty(store: Store) -> TestClient:
    return TestClient(create_app(Settings(demo=True, secure_cookies=False), store=store))


def test_the_national_picture_by_year(loaded: TestClient) -> None:
    doc = loaded.get("/national.json").json()
    by_year = {r["year"]: r for r in doc["rows"]}
    assert by_year["2018-19"]["incidents"] == 427725.0
    assert by_year["2018-19"]["ced"] == 23451.0 and by_year["2018-19"]["ced_measure"] == "incidents"
    assert by_year["2017-18"]["ced"] == 16913.0  # the revised figure, not the first published 17,084
    assert by_year["2016"]["ced_measure"] == "uses"
    assert by_year["2018-19"]["officers_as_at"] == "2019-03-31"
    assert by_year["2018-19"]["incidents_per_1000_officers"] == round(1000 * 427725 / 123170.85695, 1)
    assert doc["years"] == ["2017-18", "2018-19"]


def test_the_page_draws_its_charts_from_the_json_twin(loaded: TestClient) -> None:
    page = loaded.get("/national")
    assert page.status_code == 200
    svgs = re.findall(r"<svg[^>]*>", page.text)
    assert len(svgs) == 3 and all('role="img"' in s and "aria-labelledby" in s for s in svgs)
    assert "<title id=" in page.text and "<desc id=" in page.text
    assert "2017-18 313,137; 2018-19 427,725" in page.text  # the chart's description holds the JSON's numbers
    assert "<script" not in page.text
    assert not re.search(r"(src|href)=[\"']https?://", page.text)


def test_the_csv_twin_is_the_table(loaded: TestClient) -> None:
    rows = list(csv.DictReader(io.StringIO(loaded.get("/national.csv").text)))
    assert {r["year"]: r["incidents"] for r in rows if r["incidents"]} == {"2017-18": "313137.0", "2018-19": "427725.0"}


def test_by_force_with_rates_per_1000_officers(loaded: TestClient) -> None:
    doc = loaded.get("/national/forces.json", params={"year": "2018-19"}).json()
    rows = {r["area"]: r for r in doc["rows"]}
    assert doc["officers_as_at"] == "2019-03-31"
    assert len([r for r in doc["rows"] if r["kind"] == "force"]) == 43
    gwent = rows["Gwent"]
    assert (gwent["incidents"], gwent["officers_fte"]) == (6330.0, 1308.4)
    assert gwent["incidents_per_1000_officers"] == round(1000 * 6330 / 1308.43, 1)
    page = loaded.get("/national/forces", params={"year": "2018-19"})
    assert page.status_code == 200 and page.text.count('role="img"') == 2


def test_by_force_defaults_to_the_latest_year_and_refuses_odd_years(loaded: TestClient) -> None:
    assert loaded.get("/national/forces.json").json()["year"] == "2018-19"
    assert loaded.get("/national/forces.json", params={"year": "2015-16"}).status_code == 404
    assert loaded.get("/national/forces.json", params={"year": "last year"}).status_code == 400


def test_an_empty_database_says_what_to_import(empty: TestClient) -> None:
    assert "forcewatch import official --bundled" in empty.get("/national").text
    missing = empty.get("/national/forces.json")
    assert missing.status_code == 404 and "--bundled" in missing.json()["error"]["hint"]


def test_the_home_page_lists_the_loaded_statistics(loaded: TestClient) -> None:
    doc = loaded.get("/index.json").json()
    tables = {(r["table"], r["year"]) for r in doc["official_facts"]}
    assert ("incidents_by_force", "2018-19") in tables and ("population", "2011") in tables
    assert 'href="/national"' in loaded.get("/").text


def test_charts_are_accessible_svg_and_cached() -> None:
    rows = [{"year": "2017-18", "n": 1.0}, {"year": "2018-19", "n": 2.0}]
    svg = charts.bar_chart(rows, "year", "n", title="A <title>", description="Two & more")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title id=" in svg and "A &lt;title&gt;" in svg and "Two &amp; more" in svg
    assert charts.bar_chart(rows, "year", "n", title="A <title>", description="Two & more") is svg
    assert "<script" not in svg and "style=" not in svg
