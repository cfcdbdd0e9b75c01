"""``forcewatch serve`` and ``forcewatch demo``."""

from __future__ import annotations

from typing import Annotated

import typer

from .context import state
from .render import stderr


def serve_command(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
) -> None:
    """Serve the web app and the JSON API."""
    import uvicorn

    from ..web.app import create_app

    settings = state.settings
    settings.session_secret  # refuse to start without a secret outside demo mode
    stderr.print(f"forcewatch serving {state.store().url} on http://{host}:{port}", markup=False)
    uvicorn.run(create_app(settings, store=state.store()), host=host, port=port, log_level="warning")


def demo_command(
    no_serve: Annotated[bool, typer.Option("--no-serve", help="build the demo database, then exit")] = False,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    keep: Annotated[bool, typer.Option("--keep", help="reuse an existing demo database instead of rebuilding it")] = False,
) -> None:
    """Build a demo database from the bundled data, print demo log-ins, and serve the web app."""
    from ..demo import build_demo, demo_settings

    settings = demo_settings(state.settings)
    state.reset(settings)
    build_demo(settings, fresh=not keep)
    stderr.print(f"\nPages: http://{host}:{port}/ (log in with one of the accounts above); the public transparency "
                 f"site, no account needed: http://{host}:{port}/public", markup=False)
    if no_serve:
        return
    import uvicorn

    from ..web.app import create_app

    stderr.print(f"\nforcewatch demo: open http://{host}:{port}/ (Ctrl+C to stop)", markup=False)
    uvicorn.run(create_app(settings, store=state.store()), host=host, port=port, log_level="warning")
