"""Generate the command-line reference (``docs/cli.md``) from the commands' own ``--help``.

``make docs`` rewrites the file; a test fails when it is out of date, so a command cannot ship
undocumented.
"""

from __future__ import annotations

from typing import Any, Iterator

import typer
from typer.testing import CliRunner

__all__ = ["cli_reference"]

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


if __name__ == "__main__":  # pragma: no cover
    print(cli_reference(), end="")
