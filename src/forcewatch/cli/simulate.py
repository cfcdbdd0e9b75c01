"""``forcewatch simulate``: a synthetic national-form file at the published figures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..simulate import simulate_year
from .context import FormatOption, state
from .render import OutputFormat, render_document, stderr


def simulate_command(
    year: Annotated[str, typer.Option("--year", help="financial year, e.g. 2018-19")],
    out: Annotated[Path, typer.Option("--out", help="where to write the CSV", dir_okay=False)],
    force: Annotated[Optional[str], typer.Option("--force", help="one force (name or ONS code); all forces if omitted")] = None,
    scale: Annotated[float, typer.Option("--scale", help="multiply every count (rounded half up), e.g. 0.01")] = 1.0,
    seed: Annotated[int, typer.Option("--seed", help="the same seed writes a byte-identical file")] = 0,
    vintage: Annotated[str, typer.Option("--vintage", help="'latest' (every figure at its newest publication, "
                                         "revisions included) or a date: figures as published on or before it, "
                                         "e.g. 2018-12-13 for the first 2017-18 release")] = "latest",
    format: FormatOption = OutputFormat.table,
) -> None:
    """Write SIMULATED national-form reports whose totals match the published figures.

    Reports per force, CED reports per highest level (including not stated) and reports per tactic
    match the publications (times --scale, rounded); demographics, reasons, impact factors, outcomes
    and locations follow the published shares. By default every figure is read at its latest
    publication (2017-18 CED as revised in the 2018-19 release); the output names the publication
    dates used. Every row says Simulated = Yes. Needs the official statistics: run
    `forcewatch import official --bundled` first.
    """
    result = simulate_year(state.store(), year, out, force=force, scale=scale, seed=seed, vintage=vintage)
    stderr.print(f"SIMULATED data written to {out}: {result.reports:,} synthetic reports from {result.source}",
                 markup=False)
    render_document(result.as_dict(), format)
