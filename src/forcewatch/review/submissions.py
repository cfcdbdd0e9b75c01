"""Officers' submissions to the review as forcewatch reads them: JSON lines in, checked whole.

Two kinds:

- :class:`Submission`: what a caller sends to be classified or redacted, one JSON object a line,
  ``{"id": ..., "text": ...}``. The ``id`` may be any JSON value and is echoed unchanged.
- :class:`LabelledSubmission`: the bundled synthetic data, ``{"id", "text", "areas"}``, used to
  train the area classifier (:func:`training_set`) and to measure it (:func:`held_out_set`).

:func:`read_submissions` refuses the **whole input** when any line is bad, listing every bad line
with its number and the fix, so a caller never gets output for half a file (the command line then
prints nothing on stdout and exits 1). Blank lines are skipped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..errors import InputRefused, Problem
from .areas import AREA_KEYS

__all__ = [
    "TEST_FILE",
    "TRAINING_FILE",
    "LabelledSubmission",
    "Submission",
    "dataset_sha256",
    "held_out_set",
    "read_submissions",
    "training_set",
]

TRAINING_FILE = "submissions-train.jsonl"
TEST_FILE = "submissions-test.jsonl"
_EXAMPLE = '{"id": 1, "text": "..."}'


@dataclass(frozen=True)
class Submission:
    """One submission to classify or redact: its caller's ``id`` (any JSON value) and free text."""

    id: Any
    text: str
    line: int


@dataclass(frozen=True)
class LabelledSubmission:
    """One bundled synthetic submission with the review areas its author gave it."""

    id: str
    text: str
    areas: tuple[str, ...]


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _json_type(value: Any) -> str:
    names = {
        dict: "object",
        list: "array",
        str: "string",
        bool: "boolean",
        int: "number",
        float: "number",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _problem(source: str, line: int, message: str, expected: str) -> Problem:
    """A bad line: ``row`` is its line number (1-based, blank lines counted)."""
    return Problem(message=message, file=source, row=line, expected=expected)


def _check_line(raw: str, number: int, source: str) -> Submission | Problem:
    try:
        obj = json.loads(raw, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        return _problem(
            source,
            number,
            f"this line is not JSON ({exc.msg} at column {exc.colno})",
            f"one JSON object a line, like {_EXAMPLE}",
        )
    except ValueError as exc:
        return _problem(
            source,
            number,
            f"this line is not standard JSON ({exc})",
            "numbers, strings, true, false or null only",
        )
    if not isinstance(obj, dict):
        return _problem(
            source,
            number,
            f"this line is a JSON {_json_type(obj)}, not an object",
            f"one JSON object a line, like {_EXAMPLE}",
        )
    if "id" not in obj:
        return _problem(
            source,
            number,
            'this line has no "id"',
            'an "id" (any JSON value) so the output can be matched to the input',
        )
    if "text" not in obj:
        return _problem(
            source,
            number,
            'this line has no "text"',
            'a "text" key holding the submission\'s free text',
        )
    text = obj["text"]
    if not isinstance(text, str):
        return _problem(
            source,
            number,
            f'"text" is a JSON {_json_type(text)}, not a string',
            '"text" as a JSON string',
        )
    if not text.strip():
        return _problem(source, number, '"text" is empty', "some free text to read")
    return Submission(id=obj["id"], text=text, line=number)


def read_submissions(
    lines: Iterable[str] | Iterable[bytes], *, source: str = "<stdin>"
) -> list[Submission]:
    """Read JSON lines ``{"id": ..., "text": ...}``; refuse the whole input if any line is bad.

    ``lines`` may be text or bytes (a file opened in binary mode): bytes are decoded as UTF-8 line
    by line, so a line that is not UTF-8 is reported with its own number.

    Raises :class:`~forcewatch.errors.InputRefused` with one :class:`~forcewatch.errors.Problem`
    per bad line (its line number, what is wrong, what was expected). Blank lines are skipped and
    a byte-order mark on the first line is ignored. Empty input gives an empty list.
    """
    submissions: list[Submission] = []
    problems: list[Problem] = []
    for number, raw in enumerate(lines, start=1):
        try:
            line: str = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
        except UnicodeDecodeError as exc:
            problems.append(
                _problem(
                    source,
                    number,
                    f"this line is not UTF-8 text ({exc.reason})",
                    "UTF-8 text (save the file as UTF-8)",
                )
            )
            continue
        if number == 1:
            line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        checked = _check_line(line, number, source)
        if isinstance(checked, Problem):
            problems.append(checked)
        else:
            submissions.append(checked)
    if problems:
        raise InputRefused(
            f"{len(problems):,} {'line' if len(problems) == 1 else 'lines'} of {source} cannot be read, "
            "so none was processed",
            problems,
            hint="fix the lines listed and run again",
        )
    return submissions


def _data_bytes(name: str) -> bytes:
    return resources.files("forcewatch").joinpath("data", "review", name).read_bytes()


def dataset_sha256(name: str) -> str:
    """SHA-256 of a bundled data file under ``data/review/`` (identifies what a model learned from)."""
    return hashlib.sha256(_data_bytes(name)).hexdigest()


@cache
def _labelled(name: str) -> tuple[LabelledSubmission, ...]:
    rows = []
    for number, raw in enumerate(_data_bytes(name).decode("utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        obj = json.loads(raw)
        areas = tuple(obj["areas"])
        unknown = [a for a in areas if a not in AREA_KEYS]
        if unknown or not areas:
            raise InputRefused(
                f"bundled file {name} line {number} has areas {areas!r}",
                hint=f"use one or more of {', '.join(AREA_KEYS)}",
            )
        rows.append(LabelledSubmission(id=str(obj["id"]), text=obj["text"], areas=areas))
    return tuple(rows)


def training_set() -> list[LabelledSubmission]:
    """The bundled synthetic training submissions (388)."""
    return list(_labelled(TRAINING_FILE))


def held_out_set() -> list[LabelledSubmission]:
    """The bundled held-out submissions (72), never used for training or for choosing thresholds."""
    return list(_labelled(TEST_FILE))
