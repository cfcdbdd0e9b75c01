"""Generate the reference docs from the code: ``docs/cli.md`` from the commands' own ``--help``,
``docs/access.md`` from the access policy, ``docs/audit-events.md`` from the audit event types.

``make docs`` rewrites them (``python -m forcewatch.cli.docs [cli|access|audit-events]``); a test
fails when one is out of date, so a command, a policy change or an event type cannot ship
undocumented.
"""

from __future__ import annotations

from typing import Any, Iterator

import typer
from typer.testing import CliRunner

__all__ = ["cli_reference", "access_reference", "audit_events_reference", "GENERATED"]

_ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "_TYPER_FORCE_DISABLE_TERMINAL": "1"}


def _walk(command: Any, path: list[str]) -> Iterator[list[str]]:
    yield path
    for name in sorted(getattr(command, "commands", {}) or {}):
        yield from _walk(command.commands[name], [*path, name])


def cli_reference() -> str:
    """Markdown with the ``--help`` text of every command and subcommand."""
    from . import app

    runner = CliRunner()
    lines = [
        "# Command-line reference",
        "",
        "Generated from `forcewatch ... --help` by `make docs`; a test keeps it current.",
        "Every command that prints data takes `--format table|csv|json`. Exit codes: 0 success,",
        "1 the input or data was refused (nothing stored), 2 wrong usage.",
        "",
    ]
    for path in _walk(typer.main.get_command(app), []):
        result = runner.invoke(app, [*path, "--help"], env=_ENV, prog_name="forcewatch")
        text = "\n".join(line.rstrip() for line in result.output.strip().splitlines())
        lines += [f"## `{' '.join(['forcewatch', *path])}`", "", "```text", text, "```", ""]
    return "\n".join(lines)


def access_reference() -> str:
    """``docs/access.md``: the roles and the access policy table."""
    from ..access import policy_markdown

    return policy_markdown()


def _import_everything() -> None:
    """Import every forcewatch module, so every audit event type is registered."""
    import importlib
    import pkgutil

    import forcewatch

    for module in pkgutil.walk_packages(forcewatch.__path__, "forcewatch."):
        if ".migrations" in module.name or module.name.endswith("__main__"):
            continue
        importlib.import_module(module.name)


def audit_events_reference() -> str:
    """``docs/audit-events.md``: every registered audit event type."""
    from ..audit import events_markdown

    _import_everything()
    return events_markdown()


#: Generated doc files (under ``docs/``) and the function that writes each.
GENERATED = {"cli.md": cli_reference, "access.md": access_reference, "audit-events.md": audit_events_reference}


if __name__ == "__main__":  # pragma: no cover
    import sys

    which = sys.argv[1] if len(sys.argv) > 1 else "cli"
    print(GENERATED[f"{which}.md"](), end="")
