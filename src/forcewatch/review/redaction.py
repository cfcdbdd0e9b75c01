"""Find and redact personal identifiers in officers' free text before anything is shared.

A submission's author must never be identifiable outside the review team, so free text is scanned
for, and each finding replaced by a typed placeholder:

| type | placeholder | examples |
|---|---|---|
| ``name`` | ``[NAME]`` | ``PC Smith`` → ``PC [NAME]``, ``DC Amir Khan``, ``Sarah Jones`` (see :mod:`.names`) |
| ``collar_number`` | ``[COLLAR NUMBER]`` | ``PC 1234``, ``PS #4567``, ``Sgt Jones #1188``, ``collar number 5678``, ``shoulder no. 4321``, ``warrant 123456`` |
| ``phone`` | ``[PHONE]`` | ``07700 900123``, ``+44 (0)7700 900 123``, ``0161 496 0000``, ``(020) 7946 0123`` |
| ``email`` | ``[EMAIL]`` | ``someone@example.police.uk`` |
| ``postcode`` | ``[POSTCODE]`` | ``B15 2TT``, ``CF10 1AA`` |
| ``vehicle_registration`` | ``[VEHICLE]`` | ``AB12 CDE``, ``P123 ABC`` |
| ``reference`` | ``[REFERENCE]`` | ``CAD 1234``, ``crime ref 43/12345/21``, ``log 567 of 12/03``: an incident reference leads straight to the officer |

Ranks and titles are kept (``PC [NAME]``): they say who did what without saying who.

A :class:`Finding` carries only its type and its span (character offsets into the original text),
never the original characters, so findings can be shared with the redacted text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .names import find_names
from .submissions import Submission, read_submissions

__all__ = [
    "PLACEHOLDERS",
    "Finding",
    "RedactedSubmission",
    "Redaction",
    "find_identifiers",
    "redact",
    "redact_lines",
    "redact_submissions",
]

#: Finding type → placeholder, in order of precedence when two findings overlap.
PLACEHOLDERS: dict[str, str] = {
    "email": "[EMAIL]",
    "phone": "[PHONE]",
    "reference": "[REFERENCE]",
    "collar_number": "[COLLAR NUMBER]",
    "postcode": "[POSTCODE]",
    "vehicle_registration": "[VEHICLE]",
    "name": "[NAME]",
}
_PRECEDENCE = {kind: rank for rank, kind in enumerate(PLACEHOLDERS)}

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?44[\s\-.]?(?:\(0\)[\s\-.]?)?|\(?0)\d[\d \-.()]*\d")
_NUMBER_WORD = r"(?:number|num|no\.?|#)"
_STAFF_NUMBER = re.compile(
    rf"\b(?:collar|shoulder|epaulette|badge|warrant(?:\s+card)?)(?:\s+{_NUMBER_WORD})?"
    rf"|\b(?:payroll|staff|employee|pay|force|officer|pcso|warrant\s+card)\s+{_NUMBER_WORD}",
    re.IGNORECASE,
)
_HASH_NUMBER = re.compile(r"(?<![\w#])#(?P<id>\d{3,7}[A-Za-z]{0,3})\b")
_STAFF_ID = re.compile(r"\s*[:#]?\s*(?:(?:is|was|of)\s+)?#?\s*(?P<id>\d{3,8}[A-Za-z]{0,3})\b")
_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}\b")
_VEHICLE = re.compile(r"\b(?:[A-Z]{2}\d{2} ?[A-Z]{3}|[A-HJ-NP-Y]\d{1,3} ?[A-Z]{3})\b")
_REFERENCE = re.compile(
    r"\b(?:CAD|URN|crime\s+(?:ref(?:erence)?\.?|number|no\.?)(?:\s+(?:number|no\.?))?"
    r"|(?:storm\s+|incident\s+)?log(?:\s+(?:number|no\.?))?|occurrence(?:\s+(?:number|no\.?))?"
    r"|incident\s+(?:number|no\.?|ref(?:erence)?\.?)|ref(?:erence)?\.?(?:\s+(?:number|no\.?))?)"
    r"\s*[:#]?\s*(?:(?:is|was)\s+)?(?P<id>[A-Z]{0,4}\d[\w/\-]*\d)(?P<date>\s+of\s+\d{1,2}/\d{1,2}(?:/\d{2,4})?)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    """One identifier found: its type and where it was (offsets into the original text)."""

    type: str
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Redaction:
    """Text with every identifier replaced by its placeholder, and what was found where."""

    redacted: str
    findings: tuple[Finding, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"redacted": self.redacted, "findings": [f.as_dict() for f in self.findings]}


@dataclass(frozen=True)
class RedactedSubmission:
    """A submission's ``id`` (unchanged) with its redacted text and findings."""

    id: Any
    redaction: Redaction

    def as_dict(self) -> dict[str, Any]:
        """The ``forcewatch review redact`` output line: ``{"id", "redacted", "findings"}``."""
        return {"id": self.id, **self.redaction.as_dict()}


def _uk_phone(digits: str, international: bool) -> bool:
    """Whether these digits make a UK number: 10 digits after the 0 (9 for some 01 and 0800 numbers)."""
    if international:
        national = digits[4:] if digits.startswith("0044") else digits[2:]
        national = national.removeprefix("0")
    else:
        national = digits[1:]
    if len(national) == 10:
        return national[0] in "1235789"
    return len(national) == 9 and national[0] in "18"


def _phones(text: str) -> Iterable[Finding]:
    for m in _PHONE.finditer(text):
        international = m.group().startswith(("+", "00"))
        # try the longest run of digit groups first, then drop groups from the right ("call 07700 900123 2 times")
        ends = [g.end() for g in re.finditer(r"\d+", m.group())]
        for end in reversed(ends):
            if _uk_phone(re.sub(r"\D", "", m.group()[:end]), international):
                yield Finding("phone", m.start(), m.start() + end)
                break


def _staff_numbers(text: str) -> Iterable[Finding]:
    for m in _STAFF_NUMBER.finditer(text):
        number = _STAFF_ID.match(text, m.end())
        if number:
            yield Finding("collar_number", number.start("id"), number.end("id"))
    for m in _HASH_NUMBER.finditer(text):  # "#4567", after a rank or a name: a collar number
        yield Finding("collar_number", m.start("id"), m.end("id"))


def _candidates(text: str) -> Iterable[Finding]:
    yield from (Finding("email", m.start(), m.end()) for m in _EMAIL.finditer(text))
    yield from _phones(text)
    for m in _REFERENCE.finditer(text):
        yield Finding("reference", m.start("id"), m.end("date") if m.group("date") else m.end("id"))
    yield from _staff_numbers(text)
    yield from (Finding("postcode", m.start(), m.end()) for m in _POSTCODE.finditer(text))
    yield from (
        Finding("vehicle_registration", m.start(), m.end()) for m in _VEHICLE.finditer(text)
    )
    yield from (Finding(n.kind, n.start, n.end) for n in find_names(text))


def find_identifiers(text: str) -> list[Finding]:
    """Every identifier in ``text``, in order, none overlapping (the more specific type wins)."""
    kept: list[Finding] = []
    for finding in sorted(
        set(_candidates(text)), key=lambda f: (_PRECEDENCE[f.type], f.start - f.end, f.start)
    ):
        if all(finding.end <= k.start or finding.start >= k.end for k in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


def redact(text: str) -> Redaction:
    """``text`` with every identifier replaced by its placeholder, and the findings (type and span)."""
    findings = find_identifiers(text)
    parts, last = [], 0
    for f in findings:
        parts += [text[last : f.start], PLACEHOLDERS[f.type]]
        last = f.end
    parts.append(text[last:])
    return Redaction("".join(parts), tuple(findings))


def redact_submissions(submissions: Iterable[Submission]) -> list[RedactedSubmission]:
    """Redact each submission's text, echoing its ``id`` unchanged."""
    return [RedactedSubmission(s.id, redact(s.text)) for s in submissions]


def redact_lines(lines: Iterable[str], *, source: str = "<stdin>") -> list[RedactedSubmission]:
    """Read JSON lines ``{"id", "text"}`` (refused whole if any line is bad) and redact them."""
    return redact_submissions(read_submissions(lines, source=source))
