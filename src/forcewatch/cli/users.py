"""``forcewatch users ...``: accounts and API tokens, managed by the operator.

The command line acts as ``system`` (an administrator): whoever can run it already holds the
database URL. Passwords are read from a hidden prompt, or from the first line of stdin with
``--password-stdin``; never from the command line, where ``ps`` and shell history would show them.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from .. import accounts, api_tokens
from ..access import ACCOUNT_ROLES, SYSTEM
from ..errors import UsageError
from .context import FormatOption, state
from .render import OutputFormat, render_document, render_rows, stderr

users_app = typer.Typer(help="Accounts: add, list, reset passwords, disable; API tokens for scripts.",
                        no_args_is_help=True)
token_app = typer.Typer(help="API tokens (Authorization: Bearer ...) for scripts.", no_args_is_help=True)
users_app.add_typer(token_app, name="token")

PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="read the password from the first line of stdin")]
_USER_COLUMNS = ["username", "display_name", "role", "force_code", "team", "active", "created_at", "version"]
_TOKEN_COLUMNS = ["id", "username", "name", "status", "created_at", "expires_at", "last_used_at"]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise UsageError("no password on stdin", hint="pipe one line: printf '%s\\n' \"$PASSWORD\" | forcewatch ...")
        return password
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="user name (not case-sensitive)")],
    role: Annotated[str, typer.Option(help="one of: " + ", ".join(ACCOUNT_ROLES))],
    force: Annotated[Optional[str], typer.Option(help="force name or code (not for national roles)")] = None,
    team: Annotated[Optional[str], typer.Option(help="team (officers and supervisors)")] = None,
    staff_id: Annotated[Optional[str], typer.Option("--staff-id", help="the force's staff identifier (officers and "
                                                    "supervisors); only its pseudonym is stored")] = None,
    name: Annotated[Optional[str], typer.Option(help="display name")] = None,
    password_stdin: PasswordStdin = False,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Create an account (password from a hidden prompt, or stdin with --password-stdin)."""
    account = accounts.create_user(state.store(), actor=SYSTEM, username=username, password=_password(password_stdin),
                                   role=role, display_name=name, force=force, team=team, staff_id=staff_id,
                                   settings=state.settings)
    render_document(account.as_dict(), format)


@users_app.command("list")
def users_list(
    force: Annotated[Optional[str], typer.Option(help="only this force's accounts")] = None,
    active_only: Annotated[bool, typer.Option("--active-only", help="leave out disabled accounts")] = False,
    format: FormatOption = OutputFormat.table,
) -> None:
    """List accounts (never their password hashes)."""
    found = accounts.list_users(state.store(), actor=SYSTEM, force=force, include_disabled=not active_only)
    render_rows([a.as_dict() for a in found], format, _USER_COLUMNS)


@users_app.command("set-password")
def users_set_password(
    username: Annotated[str, typer.Argument(help="whose password to set")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set (reset) a user's password; their web sessions end."""
    account = accounts.set_password(state.store(), actor=SYSTEM, username=username, password=_password(password_stdin))
    stderr.print(f"password set for {account.username}; their sessions have ended", markup=False)


@users_app.command("disable")
def users_disable(username: Annotated[str, typer.Argument(help="whose account to disable")]) -> None:
    """Disable an account: no more log-ins, sessions end, API tokens revoked."""
    account = accounts.disable_user(state.store(), actor=SYSTEM, username=username)
    stderr.print(f"{account.username} disabled", markup=False)


@token_app.command("create")
def token_create(
    username: Annotated[str, typer.Argument(help="the user the token acts as")],
    name: Annotated[str, typer.Option(help="what uses the token, e.g. nightly-export")],
    days: Annotated[int, typer.Option(help="days until it expires (1 to 365)")] = 90,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Issue an API token; it is printed once and stored only as a hash."""
    token, record = api_tokens.create_token(state.store(), actor=SYSTEM, username=username, name=name, days=days)
    if format is OutputFormat.table:
        typer.echo(token)
        stderr.print(f"token {record.id} for {record.username}, expires {record.expires_at:%Y-%m-%d}: "
                     "it is shown only now; send it as 'Authorization: Bearer TOKEN'", markup=False)
    else:
        render_document({"token": token, **record.as_dict()}, format)


@token_app.command("list")
def token_list(
    username: Annotated[Optional[str], typer.Argument(help="only this user's tokens")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """List API tokens (never the tokens themselves)."""
    found = api_tokens.list_tokens(state.store(), actor=SYSTEM, username=username)
    render_rows([t.as_dict() for t in found], format, _TOKEN_COLUMNS)


@token_app.command("revoke")
def token_revoke(token_id: Annotated[int, typer.Argument(help="the token's id (from `users token list`)")]) -> None:
    """Revoke an API token at once."""
    record = api_tokens.revoke_token(state.store(), actor=SYSTEM, token_id=token_id)
    stderr.print(f"token {record.id} ({record.name}) of {record.username} revoked", markup=False)
