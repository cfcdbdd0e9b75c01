"""``forcewatch assess ...``: the Taser threat and risk assessment from the command line.

The command line is an operator's tool: it acts as ``system`` (whoever can run it holds the
database URL). Drafting commands record ``system`` as the author unless ``--as USERNAME`` names
the person; the sign-off commands (assure, approve, publish) need ``--as USERNAME``, because a
signature must name a real person with the right role, and are signed with that person's key
from ``FORCEWATCH_SIGNING_KEY_DIR``. Every use is in the audit log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .. import accounts
from ..access import SYSTEM, Principal
from ..assessment import (
    approve,
    assure,
    create_assessment,
    publish,
    record_community,
    record_informed,
    record_judgement,
)
from ..assessment.diff import diff_assessments
from ..assessment.judgements import parse_value
from ..assessment.rendering import write_pack
from ..assessment.verify import verify_assessment
from ..assessment.views import list_assessments, show_assessment
from ..errors import UsageError
from ..periods import read_date, read_optional_date
from .context import FormatOption, state
from .render import OutputFormat, render_document, render_rows, stderr

assess_app = typer.Typer(
    help="The auditable Taser threat and risk assessment: create, judge, sign off, publish, verify, compare.",
    no_args_is_help=True,
)

AsOption = Annotated[
    Optional[str], typer.Option("--as", help="the person acting (user name); signatures need one")
]
IdArgument = Annotated[int, typer.Argument(help="the assessment's id")]


def _who(username: str | None, *, required: bool = False) -> Principal:
    if username is None:
        if required:
            raise UsageError("a sign-off must name the person signing", hint="add --as USERNAME")
        return SYSTEM
    account = accounts.get_user(state.store(), actor=SYSTEM, username=username)
    if not account.active:
        raise UsageError(f"account {username!r} is disabled")
    return account.principal()


def _brief(view: dict[str, Any]) -> dict[str, Any]:
    a, d, act = view["assessment"], view["decision"], view["actions"]
    return {
        "id": a["id"],
        "force": a["force"],
        "period": a["period"],
        "version": a["version"],
        "state": a["state"],
        "decision": d["final"]["decision"],
        "requirement": d["model"]["recommendation"],
        "statement": d["final"]["statement"],
        "manifest_sha256": view["manifest_sha256"],
        "method": f"{view['method']['name']} {view['method']['version']}",
        "inputs": ", ".join(s["input_key"] for s in view["inputs"]),
        "judgements": len(view["judgements"]),
        "to_confirm": ", ".join(act["unconfirmed"]) or "none",
        "approval_needs": "; ".join(act["approval_needs"]) or "nothing more",
        "signatures": len(view["signatures"]),
        "quick_verification": "ok"
        if view["verification"]["ok"]
        else f"broken at {view['verification']['broken']['link']}",
    }


@assess_app.command("create")
def assess_create(
    force: Annotated[str, typer.Option(help="the force (name or ONS code)")],
    year: Annotated[str, typer.Option("--year", "--period", help="the financial year, e.g. 2018-19")],
    config: Annotated[
        Optional[str],
        typer.Option(help="method document: a bundled profile or a YAML path (default ced_reports_stra)"),
    ] = None,
    demand: Annotated[
        Optional[Path],
        typer.Option(help="a demand extract CSV (area, block, events, hours) instead of the stored records"),
    ] = None,
    current_headcount: Annotated[
        Optional[str],
        typer.Option(help="trained Taser officers now: N, or AREA=N,... (default: the register's count, when "
                     "the force keeps its register in forcewatch)"),
    ] = None,
    headcount_reason: Annotated[
        Optional[str],
        typer.Option(help="why the headcount given replaces the register's (recorded in the judgement log)"),
    ] = None,
    reason: Annotated[Optional[str], typer.Option(help="why this new version revises the last one")] = None,
    title: Annotated[Optional[str], typer.Option(help="a title (default: the force and year)")] = None,
    as_user: AsOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Create the next version of a force's assessment for a year: freeze the inputs and run it."""
    item = create_assessment(
        state.store(),
        _who(as_user),
        force=force,
        period=year,
        method=config,
        demand_file=demand,
        current=current_headcount,
        current_reason=headcount_reason,
        revision_reason=reason,
        title=title,
    )
    render_document(_brief(show_assessment(state.store(), SYSTEM, item.id)), format)


@assess_app.command("list")
def assess_list(
    force: Annotated[Optional[str], typer.Option(help="only this force")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """List assessments, newest first."""
    from ..forces import resolve

    rows = list_assessments(state.store(), SYSTEM, force=resolve(force, "force").code if force else None)
    render_rows(
        rows,
        format,
        [
            "id",
            "force",
            "period",
            "version",
            "state",
            "decision",
            "recommendation",
            "created_by",
            "created_at",
        ],
    )


@assess_app.command("show")
def assess_show(assessment_id: IdArgument, format: FormatOption = OutputFormat.table) -> None:
    """Show an assessment (JSON: everything, by NDM stage, with the manifest and the calculation trace)."""
    view = show_assessment(state.store(), SYSTEM, assessment_id)
    render_document(view if format is OutputFormat.json else _brief(view), format)


@assess_app.command("judge")
def assess_judge(
    assessment_id: IdArgument,
    stage: Annotated[
        str, typer.Option(help="NDM stage: ethics, information, assessment, powers_policy, options, action")
    ],
    kind: Annotated[str, typer.Option(help="score, confirmation, override, explanation or judgement")],
    field: Annotated[str, typer.Option(help="what is judged, e.g. threat.likelihood or service_level.beta")],
    rationale: Annotated[str, typer.Option(help="why, in words a reviewer can check")],
    value: Annotated[
        Optional[str], typer.Option(help="the value (JSON or text); a confirmation may omit it")
    ] = None,
    evidence: Annotated[Optional[list[str]], typer.Option(help="a link or reference (repeatable)")] = None,
    as_user: AsOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Add a judgement to a draft's judgement log (the assessment is re-run)."""
    judgement = record_judgement(
        state.store(),
        _who(as_user),
        assessment_id,
        stage=stage,
        kind=kind,
        field=field,
        value=None if value is None else parse_value(value),
        rationale=rationale,
        evidence=evidence or (),
    )
    render_document(judgement.as_dict(), format)


@assess_app.command("community")
def assess_community(
    assessment_id: IdArgument,
    kind: Annotated[str, typer.Option(help="consultation, mitigation, eia_cia or caveat")],
    summary: Annotated[str, typer.Option(help="what was done or found")],
    outcome: Annotated[
        Optional[str],
        typer.Option(help="EIA/CIA outcome: no major change, adjust, continue with mitigations, stop"),
    ] = None,
    held_on: Annotated[
        Optional[str], typer.Option(help="date held (YYYY-MM-DD); needed for a consultation")
    ] = None,
    evidence: Annotated[Optional[list[str]], typer.Option(help="a link or reference (repeatable)")] = None,
    as_user: AsOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Record community impact: a consultation held, a mitigation, the EIA/CIA outcome, a caveat."""
    record = record_community(
        state.store(),
        _who(as_user),
        assessment_id,
        kind=kind,
        summary=summary,
        outcome=outcome,
        held_on=read_optional_date(held_on, "--held-on"),
        evidence=evidence or (),
    )
    render_document(record.as_dict(), format)


@assess_app.command("inform")
def assess_inform(
    assessment_id: IdArgument,
    party: Annotated[str, typer.Option(help="pcc, scrutiny_panel, community_group or other")],
    name: Annotated[str, typer.Option(help="who: the office, panel or group")],
    on: Annotated[str, typer.Option(help="when they were informed (YYYY-MM-DD)")],
    how: Annotated[str, typer.Option(help="how: meeting, letter, briefing ...")],
    note: Annotated[str, typer.Option(help="anything else to record")] = "",
    as_user: AsOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Record who was informed of the assessment, when and how."""
    informed_on = read_date(on, "--on")
    record = record_informed(
        state.store(),
        _who(as_user),
        assessment_id,
        party=party,
        party_name=name,
        informed_on=informed_on,
        how=how,
        note=note,
    )
    render_document(record.as_dict(), format)


def _signoff(fn: Any, assessment_id: int, as_user: str | None, note: str, format: OutputFormat) -> None:
    signature = fn(
        state.store(), _who(as_user, required=True), assessment_id, settings=state.settings, note=note
    )
    render_document(signature.as_dict(), format)


NoteOption = Annotated[str, typer.Option(help="a note added to the signed decision text")]


@assess_app.command("assure")
def assess_assure(
    assessment_id: IdArgument,
    as_user: AsOption = None,
    note: NoteOption = "",
    format: FormatOption = OutputFormat.table,
) -> None:
    """Assure a draft (an assurer who drafted none of it); signed with their key."""
    _signoff(assure, assessment_id, as_user, note, format)


@assess_app.command("approve")
def assess_approve(
    assessment_id: IdArgument,
    as_user: AsOption = None,
    note: NoteOption = "",
    format: FormatOption = OutputFormat.table,
) -> None:
    """Approve an assured assessment (a chief officer); earlier versions become superseded. Signed."""
    _signoff(approve, assessment_id, as_user, note, format)


@assess_app.command("publish")
def assess_publish(
    assessment_id: IdArgument,
    as_user: AsOption = None,
    note: NoteOption = "",
    format: FormatOption = OutputFormat.table,
) -> None:
    """Publish an approved assessment's public summary (a chief officer). Signed."""
    _signoff(publish, assessment_id, as_user, note, format)


@assess_app.command("verify")
def assess_verify(assessment_id: IdArgument, format: FormatOption = OutputFormat.table) -> None:
    """Re-run from the stored inputs; check every hash, signature and audit link. Exit 1 naming the first broken one."""
    result = verify_assessment(state.store(), assessment_id)
    document = result.as_dict()
    if format is not OutputFormat.json:
        document = {
            "assessment_id": result.assessment_id,
            "ok": result.ok,
            "checked": "; ".join(result.checked),
            "broken": f"{result.broken.link}: {result.broken.message}" if result.broken else None,
        }
    render_document(document, format)
    result.raise_if_broken()


@assess_app.command("diff")
def assess_diff(
    old: Annotated[int, typer.Argument(help="the earlier version's id")],
    new: Annotated[int, typer.Argument(help="the later version's id")],
    format: FormatOption = OutputFormat.table,
) -> None:
    """What changed between two versions: inputs, method, outputs, judgements, and the reason."""
    result = diff_assessments(state.store(), old, new)
    if format is OutputFormat.json:
        render_document(result, format)
        return
    rows = [{"part": "reason", "what": "", "change": result["reason"] or ""}]
    rows += [{"part": "input", "what": i["input"], "change": i["change"]} for i in result["inputs"]]
    rows += [
        {"part": "method setting", "what": d["path"], "change": f"{d['old']} -> {d['new']}"}
        for d in result["method"]["settings"]
    ]
    rows += [
        {
            "part": "outputs",
            "what": "requirement",
            "change": f"{result['outputs']['recommendation']['old']} -> {result['outputs']['recommendation']['new']}",
        }
    ]
    rows += [{"part": "judgement", "what": j["field"], "change": j["change"]} for j in result["judgements"]]
    render_rows(rows, format, ["part", "what", "change"])


@assess_app.command("pack")
def assess_pack(
    assessment_id: IdArgument,
    tier: Annotated[str, typer.Option(help="restricted (OFFICIAL-SENSITIVE) or public (suppressed)")],
    out: Annotated[Path, typer.Option(help="where to write it: a .pdf or .html file")],
) -> None:
    """Write the restricted full pack or the public summary as PDF or HTML."""
    path = write_pack(state.store(), assessment_id, tier, out, settings=state.settings)
    stderr.print(f"wrote {path} ({path.stat().st_size:,} bytes)", markup=False)
