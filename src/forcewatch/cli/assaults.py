"""``forcewatch assaults ...``: assaults on officers, their outcome trails, the funnel and the time-limit alerts.

The command line acts as a force analyst of ``--force`` (or, without one, as the national analyst for
reads): it goes through the access policy in that role, and the audit log names the actor ``system``.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import assault_reference, assaults, attrition, outcomes, time_limits
from ..access import Role
from ..assault_import import import_assaults, import_outcomes
from ..errors import UsageError
from .context import FormatOption, operator, state
from .render import OutputFormat, render_document, render_import, render_rows, stderr

__all__ = ["assaults_app"]

assaults_app = typer.Typer(help="Assaults on officers: import, outcome trails, the attrition funnel, time-limit alerts.",
                           no_args_is_help=True)
outcome_app = typer.Typer(help="The outcome trail of an assault: add events, import them.", no_args_is_help=True)
assaults_app.add_typer(outcome_app, name="outcome")

ForceOption = Annotated[str, typer.Option("--force", help="the force (name or ONS code)")]
OptionalForce = Annotated[Optional[str], typer.Option("--force", help="one force (name or ONS code); all when omitted")]
PathArgument = Annotated[Path, typer.Argument(help="a CSV file with a header row (UTF-8 or cp1252)", exists=True,
                                              dir_okay=False)]
_LIST_COLUMNS = ["id", "force", "crime_ref", "offence_date", "offence", "ho_class", "injury_level", "spit_or_bite",
                 "single_crewed", "taser_carried", "status", "simulated"]
_FUNNEL_COLUMNS = ["force_code", "force", "recorded", "suspect_identified", "charged", "convicted", "sentenced", "custody",
                   "pct_charged", "pct_convicted", "out_of_court", "outcome_16", "outcome_17", "open",
                   "median_days_to_charge", "median_days_charge_to_sentence", "suppressed"]
_ALERT_COLUMNS = ["id", "force", "crime_ref", "team", "offence", "offence_date", "deadline", "days_left", "state",
                  "status"]


@assaults_app.command("import")
def assaults_import(path: PathArgument, force: ForceOption, format: FormatOption = OutputFormat.table) -> None:
    """Import assaults on officers from CSV; atomic (every row or none) and idempotent.

    One row per officer per crime. A file with any error is refused whole (exit 1), naming each row,
    column, value and what was expected; importing the same file again changes nothing, and a
    revised file revises only the records whose content changed."""
    report = import_assaults(state.store(), path, force, principal=operator(Role.force_analyst, force),
                             settings=state.settings)
    render_import(report.summary(), report.problems, format)


@outcome_app.command("import")
def outcome_import(path: PathArgument, force: ForceOption, format: FormatOption = OutputFormat.table) -> None:
    """Import outcome events from CSV (CrimeRef and VictimStaffId name the assault); atomic and idempotent."""
    report = import_outcomes(state.store(), path, force, principal=operator(Role.force_analyst, force),
                             settings=state.settings)
    render_import(report.summary(), report.problems, format)


@outcome_app.command("add")
def outcome_add(
    assault_id: Annotated[int, typer.Argument(help="the assault's id (from `forcewatch assaults list`)")],
    force: ForceOption,
    event_type: Annotated[str, typer.Option("--type", help="the event: arrest, charge, ho_outcome, verdict, "
                                            "sentence, entered_in_error ... (see docs/assaults-and-review.md)")],
    event_date: Annotated[datetime, typer.Option("--date", formats=["%Y-%m-%d"], help="the event's date, YYYY-MM-DD")],
    field: Annotated[Optional[list[str]], typer.Option("--set", help="a field of the event, HEADER=VALUE, e.g. "
                                                       "ChargedOffences=ew_common_assault; repeat as needed")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Add one event to an assault's outcome trail (never changes an earlier one: correct with CorrectsEventId)."""
    values = {"event_type": event_type, "event_date": event_date.date().isoformat()}
    for item in field or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"--set {item!r} is not HEADER=VALUE", hint="e.g. --set HoOutcome=1")
        values[key.strip()] = value
    event_id = outcomes.append_outcome(state.store(), operator(Role.force_analyst, force), assault_id, values,
                                       settings=state.settings)
    render_document({"assault_id": assault_id, "event_id": event_id, "event_type": event_type}, format)


@assaults_app.command("list")
def assaults_list(force: OptionalForce = None,
                  date_from: Annotated[Optional[datetime], typer.Option("--from", formats=["%Y-%m-%d"])] = None,
                  date_to: Annotated[Optional[datetime], typer.Option("--to", formats=["%Y-%m-%d"])] = None,
                  format: FormatOption = OutputFormat.table) -> None:
    """List assaults (newest first) with the status derived from their outcome trails."""
    who = operator(Role.force_analyst, force) if force else operator(Role.national_analyst)
    rows = assaults.list_assaults(state.store(), who, force=force, date_from=date_from.date() if date_from else None,
                                  date_to=date_to.date() if date_to else None, limit=100_000)
    render_rows(rows, format, _LIST_COLUMNS)


@assaults_app.command("show")
def assaults_show(assault_id: Annotated[int, typer.Argument(help="the assault's id")], force: ForceOption,
                  format: FormatOption = OutputFormat.table) -> None:
    """One assault with its outcome trail, derived status and time limit (JSON gives everything)."""
    record = assaults.get_assault(state.store(), operator(Role.force_analyst, force), assault_id)
    if format is OutputFormat.json:
        render_document(record, format)
        return
    render_document({k: v for k, v in record.items() if k not in ("outcomes", "welfare", "circumstances")}, format)
    render_rows(record["outcomes"], format, ["id", "event_date", "layer", "event_type", "ho_outcome",
                                             "cps_finalisation", "verdict", "sentence_disposal", "corrects_event_id",
                                             "superseded"], title="Outcome trail")


@assaults_app.command("funnel")
def assaults_funnel(
    date_from: Annotated[datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="first offence date")],
    date_to: Annotated[datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="last offence date")],
    force: OptionalForce = None,
    public: Annotated[bool, typer.Option("--public", help="the public version: small counts suppressed")] = False,
    format: FormatOption = OutputFormat.table,
) -> None:
    """The attrition funnel (recorded, suspect identified, charged, convicted, sentenced, custody) by force."""
    who = operator(Role.force_analyst, force) if force else operator(Role.national_analyst)
    data = attrition.attrition_funnel(state.store(), who, force=force, date_from=date_from.date(),
                                      date_to=date_to.date(), public=public, settings=state.settings)
    if format is OutputFormat.json:
        render_document(data, format)
        return
    render_rows(data["rows"], format, _FUNNEL_COLUMNS, title=f"Attrition, offences {date_from:%Y-%m-%d} to "
                f"{date_to:%Y-%m-%d}" + (" (SIMULATED records)" if data["simulated"] else ""))
    if data["suppression"]:
        stderr.print(data["suppression"], markup=False)


@assaults_app.command("alerts")
def assaults_alerts(force: ForceOption,
                    as_of: Annotated[Optional[datetime], typer.Option("--as-of", formats=["%Y-%m-%d"],
                                                                      help="the day to check (default today)")] = None,
                    within_days: Annotated[int, typer.Option(help="alert this many days before the limit")] = 30,
                    format: FormatOption = OutputFormat.table) -> None:
    """Open summary-only assaults near or past the six-month time limit for a charge or summons."""
    data = time_limits.time_limit_alerts(state.store(), operator(Role.force_analyst, force), force=force,
                                         as_of=as_of.date() if as_of else date.today(), within_days=within_days)
    if format is OutputFormat.json:
        render_document(data, format)
        return
    render_rows(data["alerts"], format, _ALERT_COLUMNS, title=f"Time-limit alerts on {data['as_of']}")
    if format is OutputFormat.table:
        stderr.print(("(unverified) " if data["rule"]["unverified"] else "") + data["rule"]["basis"], markup=False)


@assaults_app.command("reference")
def assaults_reference(
    table: Annotated[str, typer.Option(help="offences, ho_offence_classes, ho_outcome_types, statutory_maxima, "
                                       "magistrates_general_limit, or a vocabulary such as cps_finalisations")]
    = "offences",
    format: FormatOption = OutputFormat.table,
) -> None:
    """The bundled reference data (offences, outcome types, CPS and sentence vocabularies, maxima), with
    every unverified item marked."""
    document = assault_reference.reference().as_dict()
    if table not in document or table == "version":
        raise UsageError(f"unknown reference table {table!r}", hint="one of " + ", ".join(k for k in document
                                                                                            if k != "version"))
    rows = document[table]
    if isinstance(rows, dict):
        rows = [{"key": k, **v} for k, v in rows.items()]
    render_rows(rows, format, title=f"{table} (reference version {document['version']})")

