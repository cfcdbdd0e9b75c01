"""``forcewatch forces`` and ``forcewatch vocab``: the reference data."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import forces as forces_mod
from .. import vocab
from .context import FormatOption
from .render import OutputFormat, render_document, render_rows

forces_app = typer.Typer(help="The police forces, regions and England and Wales, with their ONS codes.", no_args_is_help=True)
vocab_app = typer.Typer(help="Tactic, CED-level and category vocabularies; CED hierarchy profiles.", no_args_is_help=True)


@forces_app.command("list")
def forces_list(
    kind: Annotated[Optional[str], typer.Option(help="force, region or country")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """List every area with its code, kind and region."""
    rows = [a.as_dict() for a in forces_mod.AREAS if kind is None or a.kind == kind]
    render_rows(rows, format, ["code", "name", "kind", "region_code", "region"])


@forces_app.command("resolve")
def forces_resolve(
    names: Annotated[list[str], typer.Argument(help="names as published, e.g. 'Avon & Somerset'")],
    kind: Annotated[Optional[str], typer.Option(help="force, region or country, for names shared by a force and a region")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Resolve published spellings to canonical areas (exit 2 naming the nearest names if unknown)."""
    rows = []
    for name in names:
        area = forces_mod.resolve(name, kind)  # type: ignore[arg-type]
        rows.append({"input": name, **area.as_dict()})
    render_rows(rows, format, ["input", "code", "name", "kind", "region_code", "region"])


@vocab_app.command("tactics")
def vocab_tactics(format: FormatOption = OutputFormat.table) -> None:
    """Tactic keys, labels and their parent in the Home Office tree."""
    render_rows([t.as_dict() for t in vocab.TACTICS], format, ["key", "label", "parent", "note"])


@vocab_app.command("categories")
def vocab_categories(
    dimension: Annotated[Optional[str], typer.Argument(help="age, gender, ethnicity, health, reason, ...")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Category keys of one dimension, or of all."""
    dims = [dimension] if dimension else list(vocab.DIMENSIONS)
    rows = [{"dimension": d, **t.as_dict()} for d in dims for t in vocab.categories(d)]
    render_rows(rows, format, ["dimension", "key", "label", "note"])


@vocab_app.command("hierarchy")
def vocab_hierarchy(
    profile: Annotated[str, typer.Argument(help="a bundled profile name or a YAML file")] = vocab.DEFAULT_HIERARCHY,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Show a CED highest-use hierarchy profile (highest level first) with its hash."""
    h = vocab.ced_hierarchy(profile)
    render_document({**h.as_dict(), "sha256": h.sha256, "available": vocab.hierarchy_profiles()}, format)
