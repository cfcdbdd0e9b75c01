"""One run of an assessment: frozen inputs + method document + judgement log -> outputs.

A pure function (:func:`compute_outputs`): no database, no clock. It

1. builds the coverage model's inputs: demand by (area, hour block) from the ``demand`` snapshot,
   the current trained headcount from ``current_headcount``, and the threat and risk score from
   the latest ``score`` judgements (or a ``priority`` given);
2. runs the demand-coverage model (:func:`forcewatch.method.run_coverage`), whose calculation
   trace shows every intermediate number;
3. computes the community figures and the core indicators;
4. states the decision: the model's ("increase", "no increase" or "not decided"), any override
   from the judgement log with its reason, the final decision in words, and the
   disproportionality flags (explained in the log or not) attached as conditions.

Each output is written as canonical JSON and hashed; the run manifest lists the hashes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..method import CoverageInputs, CoverageResult, MethodConfig, run_coverage
from ..method.inputs import BlockDemand
from ..stats.canonical import canonical_json, fraction_text
from .community import community_figures, disproportionality_flags
from .indicators import compute_indicators
from .judgements import Judgement, latest, threat_from

__all__ = ["OUTPUT_KEYS", "RUN_VERSION", "RunOutputs", "compute_outputs", "coverage_inputs", "text_hash"]

#: bump whenever a change here could change any output byte (recorded in every manifest)
RUN_VERSION = "1.0.0"
OUTPUT_KEYS = ("trace", "indicators", "decision", "community_figures")


def text_hash(text: str) -> str:
    """SHA-256 (hex) of a text's UTF-8 bytes: how every stored canonical JSON text is fingerprinted."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RunOutputs:
    """The outputs of one run, each as canonical JSON text, and the coverage result behind them."""

    coverage: CoverageResult
    texts: Mapping[str, str]

    def hashes(self) -> dict[str, str]:
        """SHA-256 of each output's canonical JSON text (UTF-8)."""
        return {k: text_hash(self.texts[k]) for k in OUTPUT_KEYS}


def _current(contents: Mapping[str, Any], areas: list[str]) -> tuple[dict[str, Any] | None, list[str]]:
    snapshot = contents.get("current_headcount")
    if not snapshot or not snapshot.get("by_area"):
        return None, ["current trained headcount not supplied: the shortfall cannot be judged"]
    by_area, notes = dict(snapshot["by_area"]), []
    current: dict[str, Any] = {a: by_area.pop(a) for a in list(by_area) if a in areas}
    if by_area and len(areas) == 1:
        extra = {k: (sum(v.values()) if isinstance(v, Mapping) else v) for k, v in by_area.items()}
        mine = current.pop(areas[0], None)
        if mine is not None:
            extra[areas[0]] = sum(mine.values()) if isinstance(mine, Mapping) else mine
        current[areas[0]] = extra
        notes.append(
            f"current headcount of {', '.join(sorted(by_area))} counted in {areas[0]!r} (one demand area)"
        )
    elif by_area:
        notes.append(
            f"current headcount given for {', '.join(sorted(by_area))}, which have no demand rows: ignored"
        )
    return current or None, notes


def coverage_inputs(
    contents: Mapping[str, Any], method: MethodConfig, judgements: Sequence[Judgement]
) -> tuple[CoverageInputs, list[str], list[str]]:
    """The coverage model's inputs, notes on how they were built, and the scores still missing."""
    rows = contents["demand"]["rows"]
    demand = tuple(
        BlockDemand(str(r["area"]), str(r["block"]), int(r["events"]), str(r["hours"])) for r in rows
    )
    current, notes = _current(contents, sorted({d.area for d in demand}))
    threat, priority, missing = threat_from(method, judgements)
    return CoverageInputs(demand, current, threat, priority), notes, missing


def _statement(model: Mapping[str, Any], recommendation: str) -> str:
    decision, current, required = model["decision"], model["current"], model["required"]
    if decision == "increase":
        return (
            f"Increase the number of Taser-trained officers by {model['uplift']}, to {required} "
            f"(requirement {recommendation}; {current} trained now)."
        )
    if decision == "no increase":
        trained = "" if current is None else f"; {current} trained now"
        return (
            f"No increase: the requirement is {recommendation}{trained}. Reasons: "
            + "; ".join(model["reasons"])
            + "."
        )
    return "Not decided: " + "; ".join(model["reasons"]) + "."


def _decision(
    cov: CoverageResult,
    judgements: Sequence[Judgement],
    notes: list[str],
    missing: list[str],
    figures: Mapping[str, Any],
) -> dict[str, Any]:
    model = cov.total.decision.as_dict()
    overrides = {j.field: j for j in judgements if j.kind == "override"}
    by_field = latest(list(overrides.values()))
    final = {
        "decision": cov.decision,
        "required_headcount": model["required"],
        "statement": _statement(model, cov.total.recommendation),
    }
    override = None
    for field in ("required_headcount", "decision"):
        if field in by_field:
            j = by_field[field]
            override = override or []
            override.append(
                {
                    "judgement_id": j.id,
                    "field": field,
                    "value": j.value,
                    "rationale": j.rationale,
                    "author": j.author,
                    "made_at": j.as_dict()["made_at"],
                }
            )
            final["required_headcount" if field == "required_headcount" else "decision"] = j.value
    if override:
        final["statement"] = (
            f"Decision overridden in the judgement log: {final['decision']}"
            f" (required headcount {final['required_headcount']}); the model's result was "
            f"{cov.decision} ({cov.total.recommendation}). Reason: "
            + "; ".join(o["rationale"] for o in override)
        )
    explained = latest([j for j in judgements if j.kind == "explanation"])
    return {
        "model": {**model, "recommendation": cov.total.recommendation},
        "areas": [
            {"area": a.area, "recommendation": a.recommendation, **a.decision.as_dict()} for a in cov.areas
        ],
        "threat": None if cov.threat is None else cov.threat.as_dict(),
        "priority": None if cov.priority is None else fraction_text(cov.priority),
        "missing_scores": missing,
        "override": override,
        "final": final,
        "coverage": cov.as_dict(),
        "flags": disproportionality_flags(figures, explained),
        "notes": notes,
    }


def compute_outputs(
    method: MethodConfig, contents: Mapping[str, Any], judgements: Sequence[Judgement]
) -> RunOutputs:
    """Run the assessment: pure and deterministic (the same inputs give the same bytes)."""
    inputs, notes, missing = coverage_inputs(contents, method, judgements)
    cov = run_coverage(method, inputs)
    figures = community_figures(contents, method)
    indicators = compute_indicators(contents, method, cov)
    decision = _decision(cov, judgements, notes, missing, figures)
    texts = {
        "trace": cov.trace.canonical_json(),
        "indicators": canonical_json(indicators),
        "decision": canonical_json(decision),
        "community_figures": canonical_json(figures),
    }
    return RunOutputs(cov, texts)
