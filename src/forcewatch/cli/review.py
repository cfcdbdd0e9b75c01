"""``forcewatch review``: the officer safety review's area classifier and redaction of free text.

``classify`` and ``redact`` read JSON lines ``{"id": ..., "text": ...}`` (stdin when no PATH) and
print one JSON line per submission, in input order. If any line is bad (not JSON, not an object,
no ``id``, no ``text``, empty text) the whole input is refused: every bad line is listed on stderr
with its line number and the fix, nothing is printed on stdout, and the exit code is 1. Blank lines
are skipped; empty input prints nothing and exits 0.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated, Any, Optional

import typer

from .. import review
from .context import FormatOption
from .render import OutputFormat, render_document, render_rows

review_app = typer.Typer(
    help="The officer safety review: its five areas, tagging submissions, redacting identifiers.",
    no_args_is_help=True,
)

PathArgument = Annotated[
    Optional[Path],
    typer.Argument(
        help='JSON lines file of {"id": ..., "text": ...}; stdin when omitted',
        exists=True,
        dir_okay=False,
        readable=True,
    ),
]


@contextmanager
def _lines(path: Optional[Path]) -> Iterator[tuple[IO[Any], str]]:
    """The input as binary lines (decoded line by line by the library), and its name."""
    if path is None:
        yield getattr(sys.stdin, "buffer", sys.stdin), "<stdin>"
        return
    with path.open("rb") as stream:
        yield stream, str(path)


def _print_json_lines(items: list[Any]) -> None:
    for item in items:
        sys.stdout.write(json.dumps(item.as_dict(), ensure_ascii=False) + "\n")


@review_app.command("areas")
def review_areas(format: FormatOption = OutputFormat.table) -> None:
    """The five review areas: key, review code, English and Welsh labels, what belongs in each.

    The Welsh labels have not yet been checked by a Welsh-language specialist."""
    render_rows(
        [a.as_dict() for a in review.AREAS],
        format,
        ["key", "code", "label_en", "label_cy", "label_cy_checked", "description"],
    )


@review_app.command("classify")
def review_classify(path: PathArgument = None) -> None:
    """Tag submissions with review areas: one JSON line {"id", "areas", "scores"} per submission.

    "areas" holds every area whose score reaches its threshold, highest score first, and always at
    least the top area; "scores" has all five area keys, each in [0, 1]. The id is echoed unchanged.
    A bad line refuses the whole input (exit 1, nothing on stdout); blank lines are skipped and
    empty input prints nothing."""
    with _lines(path) as (stream, source):
        classified = review.classify_lines(stream, source=source)
    _print_json_lines(classified)


@review_app.command("redact")
def review_redact(path: PathArgument = None) -> None:
    """Redact names, collar numbers, phone numbers and other identifiers: one JSON line
    {"id", "redacted", "findings"} per submission; findings carry only type, start and end.

    A bad line refuses the whole input (exit 1, nothing on stdout); blank lines are skipped and
    empty input prints nothing."""
    with _lines(path) as (stream, source):
        redacted = review.redact_lines(stream, source=source)
    _print_json_lines(redacted)


@review_app.command("evaluate")
def review_evaluate(format: FormatOption = OutputFormat.table) -> None:
    """The classifier's figures on the held-out test set: exact match, top-1 accuracy, per-area
    precision/recall/F1, micro and macro F1."""
    doc = review.evaluate_classifier()
    if format is OutputFormat.json:
        render_document(doc, format)
        return
    rows = [
        *doc["per_area"],
        {"area": "micro (all decisions)", **doc["micro"]},
        {"area": "macro (mean of areas)", **doc["macro"]},
    ]
    title = (
        f"{doc['test_data']['size']} held-out submissions: exact match {doc['exact_match']:.3f}, "
        f"top-1 accuracy {doc['top1_accuracy']:.3f}"
    )
    render_rows(
        rows, format, ["area", "precision", "recall", "f1", "support", "predicted"], title=title
    )


@review_app.command("evaluate-redaction")
def review_evaluate_redaction(format: FormatOption = OutputFormat.table) -> None:
    """The redactor's precision and recall on the labelled PII test set, by identifier type."""
    doc = review.evaluate_redaction()
    if format is OutputFormat.json:
        render_document(doc, format)
        return
    rows = [*doc["per_type"], {"type": "all", **doc["overall"]}]
    title = (
        f"{doc['test_data']['texts']} texts, {doc['test_data']['identifiers']} identifiers: "
        f"{doc['leaked']} leaked, {doc['clean_texts_untouched']} of "
        f"{doc['test_data']['texts_without_identifiers']} texts without identifiers left untouched"
    )
    render_rows(rows, format, ["type", "precision", "recall", "f1", "marked", "found"], title=title)


@review_app.command("model-card")
def review_model_card(format: FormatOption = OutputFormat.table) -> None:
    """What the classifier is: method, training data hash and size, thresholds, cross-validated
    and held-out figures, intended use and limitations."""
    render_document(review.model_card(), format)


@review_app.command("submissions")
def review_submissions(
    status: Annotated[Optional[str], typer.Option(help="received, redacted, approved or rejected")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Stored submissions to the review, newest first, as the review team sees them (authors included:
    each showing is an audit event)."""
    from ..access import Role
    from ..review import store as review_store
    from .context import operator, state

    rows = review_store.list_submissions(state.store(), operator(Role.review_team), status=status, limit=100_000)
    render_rows(rows, format, ["id", "force_code", "submitted_at", "author", "role_band", "consent_scope",
                               "moderation_status", "suggested_areas", "confirmed_areas", "redacted_text"])


@review_app.command("report")
def review_report(
    date_from: Annotated[datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="first day (YYYY-MM-DD)")],
    date_to: Annotated[datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="last day (YYYY-MM-DD)")],
    force: Annotated[Optional[str], typer.Option("--force", help="one force (name or code); all when omitted")] = None,
    public: Annotated[bool, typer.Option("--public", help="the public version: small counts suppressed, only "
                                         "quotes consented for publication")] = False,
    format: FormatOption = OutputFormat.table,
) -> None:
    """The report by area for the chiefs' council: submissions, themes, approved redacted quotes, and the
    assault and outcome figures beside them (JSON gives everything)."""
    from ..access import Role
    from ..review.report import area_report
    from .context import operator, state

    who = operator(Role.force_analyst, force) if force else operator(Role.national_analyst)
    data = area_report(state.store(), who, date_from=date_from.date(), date_to=date_to.date(), force=force,
                       public=public, settings=state.settings)
    if format is OutputFormat.json:
        render_document(data, format)
        return
    rows = [{"area": a["key"], "submissions": a["submissions"], "confirmed": a["confirmed"],
             "mean_rating": a["mean_rating"], "top_themes": "; ".join(t["label"] for t in a["themes"][:3]),
             "quotes": len(a["quotes"]), "learning_items": a["learning_items"],
             "figures": "; ".join(f"{f['label']}: {f['pct'] if f['pct'] is not None else 'n/a'}%" for f in a["figures"])}
            for a in data["areas"]]
    render_rows(rows, format, title=f"Review by area, {data['period']['from']} to {data['period']['to']}")
