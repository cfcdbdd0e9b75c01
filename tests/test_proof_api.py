"""Schemathesis against /openapi.json with an authenticated client: no request, however odd its
parameters, makes the JSON API answer 500 (a crash) instead of a documented error.

The default suite runs a few examples per operation on SQLite; ``make proof`` runs many on every
backend. The client is a force analyst's bearer token; the database holds official figures,
records and a register for that force, so handlers reach their real code paths.
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from forcewatch import accounts, api_tokens, official
from forcewatch.access import SYSTEM
from forcewatch.recording import import_records
from forcewatch.settings import Settings
from forcewatch.web import create_app

from .conftest import DATA, Backend

SETTINGS = Settings(demo=True, secure_cookies=False, pseudonym_key="k" * 40)
SAMPLE = DATA / "samples" / "national-form-sample-fy20-layout.csv"


@pytest.fixture(scope="session")
def api_world(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One database per backend with figures, records and two tokens; the app; the headers."""
    store = backend.new_store()
    official.import_files(store, [DATA / "home-office" / "use-of-force" /
                                  "police-use-of-force-apr2017-mar2018-hosb3018-tables.ods",
                                  DATA / "home-office" / "ced" / "police-use-of-conducted-energy-devices-2016.ods",
                                  DATA / "home-office" / "workforce" / "police-workforce-sep18-tables.ods"],
                          imported_by="tests")
    import_records(store, SAMPLE, "Avon and Somerset", settings=SETTINGS, imported_by="tests")
    accounts.create_user(store, actor=SYSTEM, username="avon.analyst", password="kettle orbit lantern",
                         role="force_analyst", force="Avon and Somerset")
    token, _ = api_tokens.create_token(store, actor=SYSTEM, username="avon.analyst", name="schemathesis")
    app = create_app(SETTINGS, store=store)
    try:
        yield {"app": app, "headers": {"Authorization": f"Bearer {token}", "accept": "application/json"}}
    finally:
        backend.drop(store)


HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much,
          HealthCheck.data_too_large]


def _every_operation(world: dict[str, Any], examples: int, **extra: Any) -> dict[int, int]:
    """Run ``examples`` generated requests against every operation; returns the count of each status."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", world["app"])
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40  # every JSON and CSV twin is described
    statuses: dict[int, int] = {}

    for operation in operations:
        @settings(max_examples=examples, deadline=None, suppress_health_check=HEALTH, database=None, **extra)
        @given(case=operation.as_strategy())
        def call(case: Any) -> None:
            response = case.call(headers=world["headers"])
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            case.validate_response(response, checks=[not_a_server_error])

        call()
    assert statuses.get(200, 0) > len(operations) // 2, statuses  # the token works: most operations answer
    return statuses


def test_the_api_answers_odd_requests_without_a_server_error(api_world: dict[str, Any], backend: Backend) -> None:
    if backend.name != "sqlite":
        pytest.skip("the fast subset runs on SQLite; make proof runs every backend")
    statuses = _every_operation(api_world, 3, derandomize=True)
    assert 500 not in statuses


@pytest.mark.slow
def test_the_api_answers_odd_requests_without_a_server_error_many_examples(api_world: dict[str, Any]) -> None:
    statuses = _every_operation(api_world, 60)
    print(f"schemathesis: {sum(statuses.values())} requests, statuses {sorted(statuses.items())}")
