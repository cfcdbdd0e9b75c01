"""The judgement log: every human judgement with its NDM stage, rationale, evidence, author and time.

Kinds of judgement:

- ``score``: a threat and risk score (``threat.harm.physical``, ``threat.likelihood``,
  ``threat.org_position``, ``threat.confidence`` ..., or the whole ``threat`` at once, or a
  ``priority`` scored elsewhere). The latest score of each field feeds the MoRiLE-style priority;
- ``confirmation``: a placeholder of the method document confirmed (``service_level.beta``,
  ``staffing.abstraction``, ``demand_event`` ...). The value confirmed is the method's own: a
  different value needs a new version of the method document, because the method is hashed;
- ``override``: the model's output overridden (``decision`` or ``required_headcount``), only with
  a reason;
- ``explanation``: why an outlier or a disproportionality flag is what it is (``indicator....``);
- ``judgement``: any other judgement (the preferred option, an exclusion ...).

Every judgement needs a rationale. The log is append-only: a later judgement of the same field
takes the place of an earlier one, which stays in the log.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..errors import UsageError
from ..method import MethodConfig
from ..method.config import PLACEHOLDER_PATHS
from ..stats.canonical import canonical_json, sha256_of
from ..stats.morile import MorileInputs
from ..stats.staffing import exact
from .model import NDM_STAGES, iso_moment

__all__ = [
    "KINDS",
    "OVERRIDE_FIELDS",
    "Judgement",
    "check_judgement",
    "judgement_hash",
    "latest",
    "method_value",
    "parse_value",
    "threat_from",
    "unconfirmed",
]

#: kinds of judgement, key -> what it is
KINDS: dict[str, str] = {
    "score": "threat and risk score",
    "confirmation": "method placeholder confirmed",
    "override": "model output overridden (with a reason)",
    "explanation": "explanation of an outlier or a flag",
    "judgement": "other judgement",
}
OVERRIDE_FIELDS = ("decision", "required_headcount")
_THREAT_FIELDS = ("vulnerability", "scope", "likelihood", "org_position", "confidence")


@dataclass(frozen=True)
class Judgement:
    """One entry of the judgement log (``value`` and ``evidence`` parsed from canonical JSON)."""

    id: int
    assessment_id: int
    stage: str
    kind: str
    field: str
    value: Any
    rationale: str
    evidence: tuple[str, ...]
    author: str
    author_role: str
    made_at: datetime
    sha256: str

    @classmethod
    def from_row(cls, row: Any) -> Judgement:
        return cls(
            row.id,
            row.assessment_id,
            row.stage,
            row.kind,
            row.field,
            json.loads(row.value),
            row.rationale,
            tuple(json.loads(row.evidence)),
            row.author,
            row.author_role,
            row.made_at,
            row.sha256,
        )

    def content(self) -> dict[str, Any]:
        """What is hashed: every field but ``id`` and ``sha256``."""
        return {
            "assessment_id": self.assessment_id,
            "stage": self.stage,
            "kind": self.kind,
            "field": self.field,
            "value": self.value,
            "rationale": self.rationale,
            "evidence": list(self.evidence),
            "author": self.author,
            "author_role": self.author_role,
            "made_at": iso_moment(self.made_at),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            **self.content(),
            "stage_title": NDM_STAGES.get(self.stage, self.stage),
            "sha256": self.sha256,
        }


def judgement_hash(content: Mapping[str, Any]) -> str:
    """SHA-256 of a judgement's content (canonical JSON)."""
    return sha256_of(dict(content))


def parse_value(text: str) -> Any:
    """A value typed by a person: JSON if it reads as JSON (numbers kept exact, as text), else the text."""
    try:
        value = json.loads(text, parse_float=str)
    except (json.JSONDecodeError, TypeError):
        return str(text).strip()
    return value


def method_value(config: MethodConfig, path: str) -> Any:
    """The method document's value at a dotted path (``service_level.beta`` -> "0.05")."""
    value: Any = json.loads(config.canonical_json())
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            raise UsageError(
                f"the method document has no setting {path!r}",
                hint="settings to confirm: " + ", ".join(config.judgements_required or PLACEHOLDER_PATHS),
            )
        value = value[part]
    return value


def _check_score(config: MethodConfig, field: str, value: Any) -> Any:
    scales = config.morile
    if field == "priority":
        return str(exact(str(value), "priority"))
    if field == "threat":
        if not isinstance(value, Mapping):
            raise UsageError(
                "a 'threat' score is an object: {harm: {...}, vulnerability, scope, likelihood, "
                "org_position, confidence}"
            )
        for key, part in value.items():
            if key == "harm" and isinstance(part, Mapping):
                for dim, v in part.items():
                    _check_score(config, f"threat.harm.{dim}", v)
            else:
                _check_score(config, f"threat.{key}", part)
        return json.loads(canonical_json(value))
    parts = field.split(".")
    if parts[:2] == ["threat", "harm"] and len(parts) == 3:
        if parts[2] not in scales.harm_dimensions:
            raise UsageError(
                f"{field}: {parts[2]!r} is not a harm dimension",
                hint="dimensions: " + ", ".join(scales.harm_dimensions),
            )
        if exact(str(value), field) not in scales.harm_scale:
            raise UsageError(
                f"{field} = {value} is not on the harm scale",
                hint="allowed: " + ", ".join(str(v) for v in scales.harm_scale),
            )
        return str(value)
    if len(parts) != 2 or parts[0] != "threat" or parts[1] not in _THREAT_FIELDS:
        raise UsageError(
            f"{field!r} is not a threat and risk score",
            hint="scores: threat, threat.harm.<dimension>, threat."
            + ", threat.".join(_THREAT_FIELDS)
            + ", priority",
        )
    name = parts[1]
    if name == "confidence":
        if value not in scales.confidence_grades:
            raise UsageError(f"confidence {value!r} is not a grade", hint=", ".join(scales.confidence_grades))
        return value
    if name == "org_position":
        if str(value) not in {str(k) for k in scales.org_weight}:
            raise UsageError(
                f"org_position {value!r} is not configured",
                hint="positions: " + ", ".join(str(k) for k in sorted(scales.org_weight)),
            )
        return int(str(value))
    number = exact(str(value), field)
    if name == "likelihood" and number not in scales.likelihood_scale:
        raise UsageError(
            f"likelihood {value} is not on the scale", hint=", ".join(str(v) for v in scales.likelihood_scale)
        )
    low, high = scales.vulnerability_range if name == "vulnerability" else scales.scope_range
    if name in ("vulnerability", "scope") and not low <= number <= high:
        raise UsageError(f"{field} = {value} is outside the configured range {low} to {high}")
    return str(value)


def check_judgement(
    config: MethodConfig, *, stage: str, kind: str, field: str, value: Any, rationale: str
) -> Any:
    """Validate a judgement against the method; returns the value to store (or raises UsageError)."""
    if stage not in NDM_STAGES:
        raise UsageError(
            f"stage {stage!r} is not a National Decision Model stage", hint=", ".join(NDM_STAGES)
        )
    if kind not in KINDS:
        raise UsageError(f"kind {kind!r} is not a kind of judgement", hint=", ".join(KINDS))
    if not field or len(field) > 120:
        raise UsageError("a judgement needs the field it judges (at most 120 characters)")
    if not rationale or not rationale.strip():
        what = "an override of the model" if kind == "override" else "every judgement"
        raise UsageError(f"{what} needs a rationale", hint="say why, in words a reviewer can check")
    if kind == "score":
        return _check_score(config, field, value)
    if kind == "confirmation":
        current = method_value(config, field)
        if (
            value not in (None, "", "confirmed")
            and canonical_json(value) != canonical_json(current)
            and str(value) != str(current)
        ):
            raise UsageError(
                f"{field} is {canonical_json(current)} in method {config.info.name} {config.info.version}; "
                f"a confirmation cannot change it to {canonical_json(value)}",
                hint="write a new version of the method document with the value and create a new assessment version",
            )
        return current
    if kind == "override":
        if field not in OVERRIDE_FIELDS:
            raise UsageError(f"an override applies to {' or '.join(OVERRIDE_FIELDS)}, not {field!r}")
        if field == "decision" and value not in ("increase", "no increase"):
            raise UsageError("a decision override is 'increase' or 'no increase'")
        if field == "required_headcount" and (not str(value).isdigit()):
            raise UsageError("a required_headcount override is a whole number of trained officers")
        return value if field == "decision" else int(str(value))
    return value


def latest(judgements: Sequence[Judgement]) -> dict[str, Judgement]:
    """The latest judgement of each field (by log order)."""
    found: dict[str, Judgement] = {}
    for j in sorted(judgements, key=lambda j: j.id):
        found[j.field] = j
    return found


def unconfirmed(config: MethodConfig, judgements: Sequence[Judgement]) -> list[str]:
    """The method's placeholders not yet confirmed in the log."""
    confirmed = {j.field for j in judgements if j.kind == "confirmation"}
    return [p for p in config.judgements_required if p not in confirmed]


def threat_from(
    config: MethodConfig, judgements: Sequence[Judgement]
) -> tuple[MorileInputs | None, Fraction | None, list[str]]:
    """The MoRiLE-style inputs scored in the log (or a priority given), and what is still missing."""
    scores = {f: j.value for f, j in latest([j for j in judgements if j.kind == "score"]).items()}
    merged: dict[str, Any] = {}
    harm: dict[str, Any] = {}
    whole = scores.get("threat")
    if isinstance(whole, Mapping):
        harm.update(whole.get("harm") or {})
        merged.update({k: v for k, v in whole.items() if k != "harm"})
    for f, v in scores.items():
        parts = f.split(".")
        if parts[:2] == ["threat", "harm"]:
            harm[parts[2]] = v
        elif parts[0] == "threat" and len(parts) == 2:
            merged[parts[1]] = v
    missing = [f"threat.harm.{d}" for d in config.morile.harm_dimensions if d not in harm]
    missing += [f"threat.{k}" for k in _THREAT_FIELDS if k not in merged]
    if not missing:
        inputs = MorileInputs(
            {d: str(harm[d]) for d in config.morile.harm_dimensions},
            str(merged["vulnerability"]),
            str(merged["scope"]),
            str(merged["likelihood"]),
            int(str(merged["org_position"])),
            str(merged["confidence"]),
        )
        return inputs, None, []
    if "priority" in scores:
        return None, Fraction(Decimal(str(scores["priority"]))), []
    return None, None, missing
