"""Docs generated from the code, and tested against it."""

from __future__ import annotations

from pathlib import Path

import pytest

from forcewatch.cli.docs import GENERATED, cli_reference
from forcewatch.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_the_cli_reference_is_current() -> None:
    assert (ROOT / "docs" / "cli.md").read_text() == cli_reference(), "run `make docs` and commit docs/cli.md"


@pytest.mark.parametrize("name", ["access.md", "audit-events.md"])
def test_the_access_policy_and_audit_event_references_are_current(name: str) -> None:
    assert (ROOT / "docs" / name).read_text() == GENERATED[name](), f"run `make docs` and commit docs/{name}"


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in Settings.model_fields:
        assert f"FORCEWATCH_{name.upper()}" in readme, name


def test_the_readme_gives_the_two_commands_on_its_first_screen() -> None:
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:30])
    assert "make demo" in first_screen and "make test" in first_screen
