"""Docs generated from the code, and tested against it."""

from __future__ import annotations

from pathlib import Path

from forcewatch.cli.docs import cli_reference
from forcewatch.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_the_cli_reference_is_current() -> None:
    assert (ROOT / "docs" / "cli.md").read_text() == cli_reference(), "run `make docs` and commit docs/cli.md"


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in Settings.model_fields:
        assert f"FORCEWATCH_{name.upper()}" in readme, name


def test_the_readme_gives_the_two_commands_on_its_first_screen() -> None:
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:30])
    assert "make demo" in first_screen and "make test" in first_screen
