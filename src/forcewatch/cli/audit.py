"""``forcewatch audit ...``: verify the hash chain, print its head, show entries."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import audit
from ..access import SYSTEM
from ..errors import UsageError
from ..forces import resolve
from .context import FormatOption, state
from .render import OutputFormat, render_document, render_rows

audit_app = typer.Typer(help="The tamper-evident audit log: verify it, print its head, show entries.",
                        no_args_is_help=True)

_COLUMNS = ["seq", "at", "actor", "event_type", "force_code", "subject_type", "subject_id", "payload", "hash"]


def _published(value: str | None) -> tuple[int, str] | None:
    if value is None:
        return None
    seq, _, digest = value.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise UsageError(f"--published {value!r} is not SEQ:HASH", hint="as printed by `forcewatch audit head`")
    return int(seq), digest.lower()


@audit_app.command("verify")
def audit_verify(
    published: Annotated[Optional[str], typer.Option(help="a head published earlier (SEQ:HASH) that must still be in the log")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Recompute every hash and link; exit 0 if the chain checks out, 1 naming the first broken link."""
    result = audit.verify(state.store(), published=_published(published))
    document = result.as_dict()
    if format is not OutputFormat.json:
        document = {"ok": result.ok, "events_checked": result.events_checked,
                    "head": str(result.head) if result.head else None,
                    "broken": result.broken.message if result.broken else None}
    render_document(document, format)
    result.raise_if_broken()


@audit_app.command("head")
def audit_head(format: FormatOption = OutputFormat.table) -> None:
    """The latest entry's SEQ:HASH, to publish; a later `audit verify --published` proves nothing was rewritten."""
    current = audit.head(state.store())
    document = current.as_dict() if current else {"seq": 0, "hash": audit.GENESIS, "at": None, "head": f"0:{audit.GENESIS}"}
    render_document(document, format)


@audit_app.command("show")
def audit_show(
    force: Annotated[Optional[str], typer.Option(help="only this force's entries")] = None,
    event_type: Annotated[Optional[str], typer.Option("--type", help="only this event type, e.g. user.logged_in")] = None,
    subject_type: Annotated[Optional[str], typer.Option(help="only entries about this kind of subject")] = None,
    subject_id: Annotated[Optional[str], typer.Option(help="only entries about this subject")] = None,
    before: Annotated[Optional[int], typer.Option(help="only entries before this sequence number (paging)")] = None,
    limit: Annotated[int, typer.Option(help="at most this many entries, newest first")] = 50,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Show audit entries, newest first (reading the log is itself logged)."""
    found = audit.events(state.store(), principal=SYSTEM, force_code=resolve(force, "force").code if force else None,
                         event_type=event_type, subject_type=subject_type, subject_id=subject_id,
                         before_seq=before, limit=limit)
    rows = [e.as_dict() for e in found]
    if format is not OutputFormat.json:
        rows = [{**r, "payload": audit.canonical_json(r["payload"])} for r in rows]
    render_rows(rows, format, _COLUMNS)
