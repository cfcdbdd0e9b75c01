"""``forcewatch register ...``: the Taser-trained officer register.

The command line acts for the force named by ``--force``, with a force analyst's rights there
(:func:`forcewatch.access.force_operator`); every read and write is audited as ``system``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import register as reg
from ..access import Principal, Role
from ..eligibility import load_policy, show_policy
from ..errors import UsageError
from ..method import load_method
from ..periods import read_date, read_optional_date
from ..register_checks import check_reports
from ..register_counts import COUNT_FIELDS, GROUPINGS
from ..register_coverage import coverage_for_force
from ..register_import import import_register
from .context import FormatOption, operator, state
from .render import (
    OutputFormat,
    refusal_as_json,
    render_document,
    render_import,
    render_rows,
    stderr,
)

register_app = typer.Typer(help="The Taser-trained officer register: import, count, check against reports, "
                                "policies and the assessment's headcount.", no_args_is_help=True)
policy_app = typer.Typer(help="Eligibility policies: versioned, dated rules per force over the national default.",
                         no_args_is_help=True)
register_app.add_typer(policy_app, name="policy")

ForceOption = Annotated[str, typer.Option("--force", help="the force (name or ONS code)")]
SkillOption = Annotated[str, typer.Option("--skill", help="ced (Taser), afo, arv or ctsfo")]


def _operator(force: str) -> Principal:
    """The command line acting for ``force`` with a force analyst's rights there."""
    return operator(Role.force_analyst, force)


@register_app.command("import")
def register_import(
    path: Annotated[Path, typer.Argument(help="a CSV export of the HR or training system", exists=True, dir_okay=False)],
    force: ForceOption,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Import officers' postings, training and devices; atomic (all rows or none) and idempotent.

    Staff identifiers are pseudonymised (FORCEWATCH_PSEUDONYM_KEY) and never stored. A file with any
    error is refused whole (exit 1), naming file, row, column, value and expectation.
    """
    with refusal_as_json(format):
        report = import_register(state.store(), _operator(force), path, force, settings=state.settings)
    render_import(report.summary(), report.problems, format)


@register_app.command("count")
def register_count(
    force: ForceOption,
    on: Annotated[str, typer.Option("--on", help="the date counted (YYYY-MM-DD)")],
    by: Annotated[Optional[list[str]], typer.Option("--by", help="group by team, area, status, rank or role "
                                                    "(repeat for several)")] = None,
    skill: SkillOption = "ced",
    format: FormatOption = OutputFormat.table,
) -> None:
    """Officers trained, in date, lapsed, failed, withdrawn and never trained on a date, by team (or area ...)."""
    groups = tuple(by or ["team"])
    counts = reg.count_on(state.store(), _operator(force), force, read_date(on, "--on"), groups, skill=skill)
    if format is OutputFormat.json:
        render_document(counts.as_dict(), format)
        return
    render_rows(counts.rows(), format, [*groups, *COUNT_FIELDS],
                title=f"{counts.as_dict()['force']}: {skill} on {counts.on}")
    t = counts.total
    stderr.print(f"response officers in date: {t['response_in_date']} of {t['response_officers']}", markup=False)


@register_app.command("series")
def register_series(
    force: ForceOption,
    start: Annotated[str, typer.Option("--from", help="first date (YYYY-MM-DD)")],
    end: Annotated[str, typer.Option("--to", help="last date (YYYY-MM-DD)")],
    every: Annotated[str, typer.Option("--every", help="month, quarter or year")] = "month",
    skill: SkillOption = "ced",
    format: FormatOption = OutputFormat.table,
) -> None:
    """Counts at each step, with training throughput, failure and lapse rates in each period."""
    found = reg.series(state.store(), _operator(force), force, read_date(start, "--from"), read_date(end, "--to"),
                       every=every, skill=skill)
    if format is OutputFormat.json:
        render_document(found, format)
        return
    render_rows(found["points"], format, ["on", "officers", "trained", "in_date", "lapsed", "share_in_date",
                                          "response_share_in_date", "initial_passes", "requalification_passes",
                                          "requalification_fails", "failure_rate", "lapses", "lapse_rate"])


@register_app.command("check")
def register_check(
    force: ForceOption,
    year: Annotated[Optional[str], typer.Option("--year", help="financial year of the reports, e.g. 2018-19")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Cross-check reports of CED use (or carrying, or with a serial) with the register; findings by rule."""
    result = check_reports(state.store(), _operator(force), force, year=year)
    if format is OutputFormat.json:
        render_document(result.as_dict(), format)
        return
    render_rows([f.as_dict() for f in result.findings], format,
                ["report_id", "incident_date", "rule", "severity", "explanation"])
    stderr.print(f"{result.reports_checked:,} reports checked; findings by rule: {result.by_rule()}", markup=False)


@register_app.command("officers")
def register_officers(
    force: ForceOption,
    on: Annotated[Optional[str], typer.Option("--on", help="the date (default today)")] = None,
    skill: SkillOption = "ced",
    format: FormatOption = OutputFormat.table,
) -> None:
    """Every officer in the register (by pseudonym), with their posting and authorisation on a date."""
    day = read_date(on, "--on") if on else date.today()
    rows = reg.list_officers(state.store(), _operator(force), force, day, skill=skill)
    render_rows(rows, format)


@register_app.command("officer")
def register_officer(
    pseudonym: Annotated[str, typer.Argument(help="the officer's pseudonym")],
    force: ForceOption,
    on: Annotated[Optional[str], typer.Option("--on", help="the date for the states (default today)")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """One officer's whole history (corrections included), authorisations, and policy findings."""
    found = reg.officer_history(state.store(), _operator(force), force, pseudonym,
                                on_date=read_optional_date(on, "--on"))
    if format is OutputFormat.json:
        render_document(found, format)
        return
    render_rows(found["events"], format, ["id", "event_date", "kind", "state", "status", "team", "skill", "course",
                                          "result", "expires_on", "serial", "version"])


@register_app.command("coverage")
def register_coverage(
    force: ForceOption,
    year: Annotated[str, typer.Option("--year", help="financial year of the demand, e.g. 2018-19")],
    on: Annotated[Optional[str], typer.Option("--on", help="date of the current headcount (default: the year's "
                                              "last day)")] = None,
    by: Annotated[str, typer.Option("--by", help="area or team")] = "area",
    config: Annotated[Optional[str], typer.Option("--config", help="a method profile or YAML file")] = None,
    priority: Annotated[Optional[str], typer.Option("--priority", help="a threat and risk priority scored "
                                                    "elsewhere (without one the decision is 'not decided')")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Current trained officers against the demand-coverage model: current, required (interval), difference."""
    try:
        level = Decimal(priority) if priority is not None else None
    except InvalidOperation:
        raise UsageError(f"--priority {priority!r} is not a number") from None
    result = coverage_for_force(state.store(), _operator(force), force, year, on=read_optional_date(on, "--on"),
                                by=by, config=load_method(config) if config else None, priority=level)
    if format is OutputFormat.json:
        render_document(result.as_dict(), format)
        return
    rows = [{"area": a["area"], "current": a["current"], **{f"required_{k}": v for k, v in a["required"].items()},
             **{f"difference_{k}": v for k, v in a["difference"].items()}, "decision": a["decision"]}
            for a in [*result.areas, result.total]]
    render_rows(rows, format)


@policy_app.command("show")
def policy_show(
    force: ForceOption,
    on: Annotated[Optional[str], typer.Option("--on", help="also show the rule in force for each skill that day")] = None,
    format: FormatOption = OutputFormat.json,
) -> None:
    """The force's policy documents (its own, then the national default), with their SHA-256."""
    render_document(show_policy(state.store(), _operator(force), force, read_optional_date(on, "--on")), format)


@policy_app.command("load")
def policy_load(
    path: Annotated[Path, typer.Argument(help="a policy document (YAML)", exists=True, dir_okay=False)],
    force: ForceOption,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Load a force's policy document; it becomes the force's policy. Loading it again changes nothing."""
    doc = load_policy(state.store(), _operator(force), path.read_text(encoding="utf-8"), force, source=path.name)
    render_document(doc.summary(), format)


__all__ = ["register_app", "GROUPINGS"]
