"""``forcewatch publish ...`` and ``forcewatch publications ...``: the public transparency site.

``publish`` acts as a force analyst of ``--force`` (or, for a national statement, as the national
analyst), through the access policy; every publication is audited as ``system``. What is published
is frozen (see :mod:`forcewatch.publications`): publishing again makes a new publication that
supersedes the old one.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..access import Role
from ..publication_figures import publish_quarterly
from ..publications import list_publications, publish_statement, verify_publication
from .context import FormatOption, operator, state
from .render import OutputFormat, render_document, render_rows, stderr

__all__ = ["publish_app", "publications_app"]

publish_app = typer.Typer(help="Publish on the public transparency site: quarterly Taser figures, statements.",
                          no_args_is_help=True)
publications_app = typer.Typer(help="The public site's publications: list and verify.", no_args_is_help=True)

_LIST_COLUMNS = ["id", "published_on", "kind", "force", "period", "title", "supersedes_id", "superseded_by_id",
                 "csv_sha256"]


@publish_app.command("quarterly")
def publish_quarterly_command(
    force: Annotated[str, typer.Option("--force", help="the force (name or ONS code)")],
    quarter: Annotated[str, typer.Option("--quarter", help="calendar quarter, e.g. 2019-Q1 (January to March 2019)")],
    format: FormatOption = OutputFormat.table,
) -> None:
    """Compute a force's Taser (CED) use by level for a quarter from its stored reports (official counting
    rules), suppress small numbers, freeze it with the SHA-256 of its CSV and publish it. Publishing the
    same force and quarter again supersedes the earlier publication."""
    item = publish_quarterly(state.store(), operator(Role.force_analyst, force), force=force, quarter=quarter,
                             settings=state.settings)
    render_rows(item.rows(), format, item.columns, title=item.title)
    stderr.print(f"published /public/publications/{item.id} "
                 f"(sha256 {item.csv_sha256})" + (f"; supersedes {item.supersedes_id}" if item.supersedes_id else ""),
                 markup=False)


@publish_app.command("statement")
def publish_statement_command(
    title: Annotated[str, typer.Option("--title", help="the statement's headline")],
    body: Annotated[str, typer.Option("--body", help="the statement's text")],
    force: Annotated[Optional[str], typer.Option("--force", help="the force; none for a national statement")] = None,
    supersedes: Annotated[Optional[int], typer.Option("--supersedes", help="the id of a statement this replaces")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Publish a dated statement for a force (or, without --force, a national one)."""
    principal = operator(Role.force_analyst, force) if force else operator(Role.national_analyst)
    item = publish_statement(state.store(), principal, title=title, body=body, force=force, supersedes=supersedes)
    render_document(item.summary(), format)


@publications_app.command("list")
def publications_list_command(
    force: Annotated[Optional[str], typer.Option("--force", help="one force (name or code), or national")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="assessment_summary, quarterly_taser or statement")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Every publication, newest first (superseded ones say by which)."""
    rows = [p.summary() for p in list_publications(state.store(), force=force, kind=kind)]
    render_rows(rows, format, _LIST_COLUMNS)


@publications_app.command("verify")
def publications_verify_command(publication_id: Annotated[int, typer.Argument(help="the publication's id")],
                                format: FormatOption = OutputFormat.table) -> None:
    """Check a publication is as frozen (SHA-256 of its CSV) and whether today's records still give its figures;
    exit 1 if the stored CSV does not match its hash."""
    result = verify_publication(state.store(), publication_id)
    render_rows(result["checks"], format, ["check", "ok", "stored", "computed", "note"])
    if not result["ok"]:
        raise typer.Exit(1)
