"""The ``forcewatch`` command line: thin shells that parse, call one library function, render.

Exit codes: 0 success; 1 the input or data was refused (nothing stored); 2 wrong usage.
Errors are mapped to exit codes in one place, :func:`main`.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated, Optional, Sequence

import typer

try:  # typer 0.2x ships its own copy of click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click_exceptions

from .. import __version__
from ..errors import ForcewatchError, InputRefused
from ..settings import Settings
from .assaults import assaults_app
from .assess import assess_app
from .audit import audit_app
from .context import state
from .db import db_app
from .imports import import_app
from . import records as _records  # noqa: F401  (registers `import records`)
from .monitoring import disparity_command, quality_command, rates_command, reconcile_command, trends_command
from .official import facts_command
from .publish import publications_app, publish_app
from .reference import forces_app, vocab_app
from .register import register_app
from .render import stderr
from .review import review_app
from .serve import demo_command, serve_command
from .simulate import simulate_command
from .users import users_app

__all__ = ["app", "main"]

app = typer.Typer(
    name="forcewatch",
    help="forcewatch: record, monitor and assess police use of force and Taser in England and Wales.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"forcewatch {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    database: Annotated[
        Optional[str],
        typer.Option("--database", envvar="FORCEWATCH_DATABASE_URL", help="database URL (default sqlite:///forcewatch.db)"),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="log progress to stderr")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="print the version")] = False,
) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings()
    state.reset(settings.with_database(database))


app.add_typer(forces_app, name="forces")
app.add_typer(vocab_app, name="vocab")
app.add_typer(db_app, name="db")
app.add_typer(import_app, name="import")
app.command("simulate")(simulate_command)
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(review_app, name="review")
app.add_typer(assaults_app, name="assaults")
app.add_typer(assess_app, name="assess")
app.command("facts")(facts_command)
app.add_typer(register_app, name="register")
app.add_typer(publish_app, name="publish")
app.add_typer(publications_app, name="publications")
app.command("reconcile")(reconcile_command)
app.command("rates")(rates_command)
app.command("disparity")(disparity_command)
app.command("trends")(trends_command)
app.command("quality")(quality_command)
app.command("serve")(serve_command)
app.command("demo")(demo_command)


def _report_error(exc: ForcewatchError) -> None:
    stderr.print(f"[bold red]error:[/bold red] {exc}", markup=True, highlight=False, soft_wrap=True)
    if isinstance(exc, InputRefused) and exc.problems:
        shown = exc.problems[:50]
        for problem in shown:
            stderr.print(f"  - {problem}", markup=False, soft_wrap=True)
        if len(exc.problems) > len(shown):
            stderr.print(f"  ... and {len(exc.problems) - len(shown):,} more problems", markup=False)
        stderr.print("nothing was stored.", markup=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns (and, as a script, exits with) the exit code."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=list(argv) if argv is not None else None, prog_name="forcewatch", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except (typer.Exit, getattr(click_exceptions, "Exit", typer.Exit)) as exc:
        return int(getattr(exc, "exit_code", 0))
    except click_exceptions.UsageError as exc:
        exc.show()
        return 2
    except (typer.Abort, getattr(click_exceptions, "Abort", typer.Abort)):
        stderr.print("aborted", markup=False)
        return 1
    except ForcewatchError as exc:
        _report_error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        stderr.print("interrupted; nothing half-written was kept", markup=False)
        return 130
    except BrokenPipeError:
        return 0
    finally:
        if state._store is not None:
            state._store.dispose()


def run() -> None:  # pragma: no cover - console entry point wrapper
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
