"""``forcewatch reconcile``, ``rates``, ``disparity``, ``trends`` and ``quality``: monitoring commands.

Each parses its options, calls one function of :mod:`forcewatch.monitoring`, and renders the
result; the command line reads records as the operator who holds the database URL (audited as
``system``). Rates and disparity apply small-number suppression by default, as every public
output does; ``--no-suppress`` shows every count.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ..monitoring import disparity as disparity_lib
from ..monitoring import quality as quality_lib
from ..monitoring import rates as rates_lib
from ..monitoring import reconcile as reconcile_lib
from ..monitoring import trends as trends_lib
from ..suppression import SuppressionRule, rule_from_settings
from .context import FormatOption, state
from .render import OutputFormat, render_rows, stderr, to_json

__all__ = ["reconcile_command", "rates_command", "disparity_command", "trends_command", "quality_command"]

Year = Annotated[str, typer.Option(help="financial year, e.g. 2018-19")]
Force = Annotated[Optional[str], typer.Option(help="a force, region or England and Wales (default), name or ONS code")]
Profile = Annotated[str, typer.Option(help="CED hierarchy profile (forcewatch vocab hierarchy)")]
Source = Annotated[str, typer.Option(help="official (published tables) or records (stored reports)")]
Suppress = Annotated[bool, typer.Option("--suppress/--no-suppress", help="small-number suppression (on by default)")]


def _rule(suppress: bool) -> SuppressionRule | None:
    return rule_from_settings(state.settings) if suppress else None


def _say(lines: list[str]) -> None:
    for line in lines:
        stderr.print(line, markup=False, soft_wrap=True)


def reconcile_command(
    year: Year, force: Force = None,
    table: Annotated[Optional[str], typer.Option(help="one table key, e.g. ced_by_force")] = None,
    differences: Annotated[bool, typer.Option("--differences", help="only cells that do not match")] = False,
    profile: Profile = "mps_ho_table", format: FormatOption = OutputFormat.table,
) -> None:
    """Compare figures computed from records with the published ones, cell by cell: published value,
    records value, difference, status and, where the cause is known, an explanation (summary-only CED
    returns, not-reported categories, revisions, coverage, simulated records)."""
    result = reconcile_lib.reconcile(state.store(), year=year, force=force, table=table, profile=profile)
    rows = [r.as_dict() for r in (result.differences() if differences else result.rows)]
    render_rows(rows, format, reconcile_lib.RECONCILE_COLUMNS)
    _say([", ".join(f"{n:,} {status}" for status, n in sorted(result.summary.items())) or "no cells compared",
          *(p.line() for p in result.provenance)])


def rates_command(
    year: Year, tactic: Annotated[str, typer.Option(help="tactic key, e.g. ced, ced_discharge, all")] = "ced",
    per: Annotated[str, typer.Option(help="officers (FTE at 31 March), population (census 2011) or reports "
                                          "(use-of-force reports: a proportion funnel)")] = "officers",
    source: Source = "official", suppress: Suppress = True, profile: Profile = "mps_ho_table",
    format: FormatOption = OutputFormat.table,
) -> None:
    """Rates per 1,000 officers or residents by force, region and England and Wales, with the funnel
    limits at each area's base (95% and 99.8%) and whether it falls outside them (a prompt to look for an
    explanation, not a verdict)."""
    result = rates_lib.rates(state.store(), year=year, tactic=tactic, per=per, source=source, profile=profile,
                             rule=_rule(suppress))
    render_rows(list(result.rows), format, rates_lib.RATE_COLUMNS)
    _say([*result.notes, result.suppression.get("statement", "Small-number suppression is off.")])


def _populations(path: Path | None) -> dict[str, float] | None:
    if path is None:
        return None
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or not {"group", "population"} <= set(rows[0]):
        raise UsageError(f"{path}: needs columns group,population", hint="e.g. white,500000")
    try:
        return {r["group"].strip(): float(r["population"]) for r in rows}
    except ValueError as exc:
        raise UsageError(f"{path}: a population is not a number ({exc})") from None


def disparity_command(
    year: Year, tactic: Annotated[str, typer.Option(help="tactic key, e.g. ced")] = "ced",
    area: Annotated[Optional[str], typer.Option(help="a force or region (default England and Wales, with the "
                                                     "Metropolitan Police shown separately)")] = None,
    benchmark: Annotated[str, typer.Option(help="population (census) or use_of_force (among reports)")] = "population",
    source: Source = "official", reference: Annotated[str, typer.Option(help="reference group")] = "white",
    population_file: Annotated[Optional[Path], typer.Option(help="CSV group,population replacing the census "
                                                                 "(e.g. residents aged 10 and over)")] = None,
    suppress: Suppress = True, profile: Profile = "mps_ho_table", format: FormatOption = OutputFormat.table,
) -> None:
    """Rate ratios between ethnic groups and the reference group with 95% intervals, population-based or
    conditional on a use of force; small counts flagged in note, caveats printed beside the figures."""
    result = disparity_lib.disparity(state.store(), year=year, tactic=tactic, area=area, benchmark=benchmark,
                                     source=source, reference_group=reference, populations=_populations(population_file),
                                     profile=profile, rule=_rule(suppress))
    render_rows(list(result.rows), format, disparity_lib.DISPARITY_COLUMNS)
    _say([*result.sources, *(f"caveat: {c.title}: {c.text}" for c in result.caveats),
          result.suppression.get("statement", "Small-number suppression is off.")])


def trends_command(
    tactic: Annotated[str, typer.Option(help="tactic key, e.g. ced")] = "ced", force: Force = None,
    year: Annotated[Optional[str], typer.Option(help="a financial year (or use --from/--to)")] = None,
    start: Annotated[Optional[str], typer.Option("--from", help="first incident date, YYYY-MM-DD")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="last incident date, YYYY-MM-DD")] = None,
    exposure: Annotated[str, typer.Option(help="none (counts) or reports (share of use-of-force reports)")] = "none",
    penalty: Annotated[Optional[float], typer.Option(help="PELT penalty per change (default 2 ln n)")] = None,
    shift: Annotated[float, typer.Option(help="CUSUM: the rise to detect, as a ratio")] = 1.5,
    h: Annotated[float, typer.Option(help="CUSUM decision interval")] = 5.0,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Monthly counts from records with the trend per year (Poisson GLM), change points (PELT, penalty
    stated) and CUSUM alarms; JSON gives the whole result."""
    result = trends_lib.trends(state.store(), tactic=tactic, force=force, year=year, start=start, end=end,
                               exposure=exposure, penalty=penalty, shift=shift, h=h)
    if format is OutputFormat.json:
        typer.echo(to_json(result.as_dict()))
        return
    render_rows(list(result.months), format, ["month", "count", "reports", "segment_rate", "change_point", "cusum", "alarm"])
    if result.trend is not None:
        t = result.trend
        _say([f"rate ratio per year {t.rate_ratio_per_year:.3f} (95% interval {t.ci_low:.3f} to {t.ci_high:.3f})"])
    _say(list(result.notes))


def quality_command(
    force: Annotated[str, typer.Option(help="a force (or region) by name or ONS code")],
    year: Annotated[Optional[str], typer.Option(help="a financial year (or use --from/--to)")] = None,
    start: Annotated[Optional[str], typer.Option("--from", help="first incident date, YYYY-MM-DD")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="last incident date, YYYY-MM-DD")] = None,
    rules: Annotated[bool, typer.Option("--rules", help="print the rules' definitions instead")] = False,
    format: FormatOption = OutputFormat.table,
) -> None:
    """The Taser recording-quality scorecard per force and month: each rule's failures (numerator),
    the reports it applies to (denominator) and the rate. --rules prints how each rule is defined."""
    card = quality_lib.scorecard(state.store(), force=force, year=year, start=start, end=end)
    if rules:
        render_rows(list(card.rules), format, ["key", "kind", "title", "definition", "numerator", "denominator"])
        return
    render_rows(list(card.rows), format, quality_lib.QUALITY_COLUMNS)
