"""docs/assaults-and-review.md is kept true to the code: every column, event type, status and audit event."""

from __future__ import annotations

from pathlib import Path

import pytest

from forcewatch import learning, outcomes  # noqa: F401  (registers audit events)
from forcewatch.assault_fields import FIELDS
from forcewatch.audit import EVENT_TYPES
from forcewatch.outcome_fields import EVENT_FIELDS, EVENT_TYPES as OUTCOME_EVENTS
from forcewatch.review import store  # noqa: F401  (registers audit events)

DOC = (Path(__file__).resolve().parents[1] / "docs" / "assaults-and-review.md").read_text()


@pytest.mark.parametrize("name", [f.header for f in FIELDS])
def test_every_assault_column_is_documented(name: str) -> None:
    assert f"`{name}`" in DOC


@pytest.mark.parametrize("name", [*OUTCOME_EVENTS, *(h for h, _ in EVENT_FIELDS.values())])
def test_every_event_type_and_event_column_is_documented(name: str) -> None:
    assert f"`{name}`" in DOC


@pytest.mark.parametrize("name", list(outcomes.STATUSES))
def test_every_derived_status_is_documented(name: str) -> None:
    assert f"`{name}`" in DOC


@pytest.mark.parametrize("name", [n for n, cls in EVENT_TYPES.items()
                                  if cls.__module__.startswith(("forcewatch.assault", "forcewatch.outcomes",
                                                                "forcewatch.learning", "forcewatch.sharing",
                                                                "forcewatch.review"))])
def test_every_audit_event_of_these_modules_is_documented(name: str) -> None:
    assert f"`{name}`" in DOC
