"""``forcewatch import records``: officers' reports on the national form (MPS open-data layout)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from ..recording import import_records
from .context import FormatOption, state
from .imports import import_app
from .render import OutputFormat, refusal_as_json, render_import, stderr

_PHASES = {"read": "reading", "check": "checking", "write": "storing"}


class _DelayedProgress:
    """A Rich progress bar on stderr that appears only once an import has taken more than a second."""

    def __init__(self, delay: float = 1.0) -> None:
        self.started = time.perf_counter()
        self.delay = delay
        self.bar: Progress | None = None
        self.task = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self.bar is None:
            if time.perf_counter() - self.started < self.delay:
                return
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,}"),
                                TimeElapsedColumn(), console=stderr, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("", total=max(total, 1))
        self.bar.update(self.task, description=_PHASES.get(phase, phase), completed=done, total=max(total, 1))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@import_app.command("records")
def import_records_command(
    path: Annotated[Path, typer.Argument(help="a national-form file: CSV (UTF-8 or cp1252) or XLSX", exists=True, dir_okay=False)],
    force: Annotated[Optional[str], typer.Option("--force", help="the force the reports belong to (name or ONS code); "
                                                 "optional when the file has a Force column")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Import officers' use-of-force reports; atomic (all rows or none) and idempotent.

    Prints what was read, stored, skipped as already present, repaired and warned about. A file with
    any error is refused whole (exit 1) with every problem: file, row, column, value, expectation.
    """
    progress = _DelayedProgress()
    try:
        with refusal_as_json(format):
            report = import_records(state.store(), path, force, settings=state.settings, progress=progress)
    finally:
        progress.close()
    render_import(report.summary(), report.problems, format)
