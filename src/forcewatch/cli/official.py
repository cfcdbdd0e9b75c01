"""``forcewatch import official`` and ``forcewatch facts``: published statistics in and out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from .. import monitoring, official
from ..errors import UsageError
from .context import FormatOption, state
from .imports import import_app
from .render import OutputFormat, render_rows, stderr, to_json

__all__ = ["import_official", "facts_command"]

_SHOWN = 20


@import_app.command("official")
def import_official(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="files or folders (ODS, XLSX, CSV)", show_default=False)] = None,
    bundled: Annotated[bool, typer.Option("--bundled", help="also import every official file bundled with forcewatch")] = False,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Import published statistics: Home Office use-of-force tables (any year's layout), police
    workforce tables, the 2011-2016 Taser tables, census 2011 population by force area.

    Each file is recognised from its content and stored in its own transaction: a refused file
    stores nothing, the others are still stored. The same file again changes nothing. Where a
    publication's own sums do not add up, the figures are stored as published and the
    differences are listed as warnings. Exit 1 if any file was refused.
    """
    files = [*(paths or []), *(official.bundled_files() if bundled else [])]
    if not files:
        raise UsageError("nothing to import", hint="give files or folders, or --bundled for the bundled files")
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} files"),
                  TimeElapsedColumn(), console=stderr, transient=True, disable=not stderr.is_terminal) as bar:
        task = bar.add_task("importing", total=None)

        def progress(name: str, done: int, total: int) -> None:
            bar.update(task, description=f"importing {name}" if name else "done", completed=done, total=total)

        results = official.import_files(state.store(), files, progress=progress)
    rows = [{"file": r.file, "status": r.status, "kind": r.kind, "release": r.release, "vintage": r.vintage,
             "facts_stored": r.facts_stored, "warnings": len(r.warnings)} for r in results]
    if format is OutputFormat.json:
        typer.echo(to_json([r.as_dict() for r in results]))
    else:
        render_rows(rows, format, ["file", "status", "kind", "release", "vintage", "facts_stored", "warnings"])
    for result in results:
        for label, problems in (("warning", result.warnings), ("refused", result.errors)):
            for problem in problems[:_SHOWN]:
                stderr.print(f"{result.file}: {label}: {problem}", markup=False, soft_wrap=True)
            if len(problems) > _SHOWN:
                stderr.print(f"{result.file}: ... and {len(problems) - _SHOWN:,} more {label} problems "
                             "(all are kept in the import report)", markup=False)
        if result.message and result.status != "refused":
            stderr.print(f"{result.file}: {result.message}", markup=False, soft_wrap=True)
    refused = [r for r in results if r.status == "refused"]
    if refused:
        stored = sum(r.status == "stored" for r in results)
        stderr.print(f"{len(refused)} of {len(results)} file(s) refused, nothing of them was stored; "
                     f"{stored} other file(s) were stored.", markup=False)
        raise typer.Exit(1)


def facts_command(
    year: Annotated[Optional[str], typer.Option(help="2018-19 (financial), 2016 (calendar), 2017-Q1")] = None,
    table: Annotated[Optional[str], typer.Option(help="table key: " + ", ".join(official.TABLE_KEYS))] = None,
    force: Annotated[Optional[str], typer.Option(help="a force, region or England and Wales, by name or ONS code")] = None,
    source: Annotated[str, typer.Option(help="official (published) or records (computed from stored reports)")] = "official",
    vintage: Annotated[str, typer.Option(help="all (every publication of each figure), latest, or a publication date")] = "all",
    tactic: Annotated[Optional[str], typer.Option(help="a tactic key (forcewatch vocab tactics)")] = None,
    dimension: Annotated[Optional[str], typer.Option(help="a dimension, e.g. ethnicity or as_at")] = None,
    category: Annotated[Optional[str], typer.Option(help="a category key, e.g. black or 2019-03-31")] = None,
    measure: Annotated[Optional[str], typer.Option(help="times_reported, incidents, uses, officers_fte, population ...")] = None,
    start: Annotated[Optional[str], typer.Option("--from", help="records only: first incident date, YYYY-MM-DD")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="records only: last incident date, YYYY-MM-DD")] = None,
    profile: Annotated[Optional[str], typer.Option(help="records only: CED hierarchy profile (forcewatch vocab hierarchy)")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Print statistics in the tidy form: one row per published cell, and per publication
    (vintage) of it unless --vintage latest; or, with --source records, computed from the stored
    reports with the Home Office counting rules (for a financial year, --from/--to dates, or every
    year held), the counting rules and CED hierarchy profile named on stderr."""
    if source == "records":
        options = {k: v for k, v in (("start", start), ("end", end), ("profile", profile)) if v}
        tables = monitoring.records_facts(state.store(), year=year, table=table, force=force, tactic=tactic,
                                          dimension=dimension, category=category, measure=measure, **options)
        render_rows(tables.rows(), format, official.FACT_COLUMNS)
        for provenance in tables.provenance:
            stderr.print(provenance.line(), markup=False, soft_wrap=True)
        return
    if start or end or profile:
        raise UsageError("--from, --to and --profile apply to --source records only")
    rows = official.facts(state.store(), year=year, table=table, force=force, tactic=tactic, dimension=dimension,
                          category=category, measure=measure, source=source, vintage=vintage)
    render_rows([f.as_dict() for f in rows], format, official.FACT_COLUMNS)
