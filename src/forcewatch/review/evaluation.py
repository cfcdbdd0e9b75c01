"""How well the area classifier does on submissions it never saw.

:func:`evaluate_classifier` classifies the bundled held-out test set and compares the areas with
the author's labels:

- **exact match**: the set of areas returned equals the true set;
- **top-1 accuracy**: the highest-scoring area is one of the true areas;
- per area: precision, recall and F1 (``support`` true submissions, ``predicted`` returned);
- **micro** figures (pooling every area decision) and **macro** figures (the mean over areas).

:func:`multilabel_metrics` is the pure computation, used for cross-validation too.

:func:`evaluate_redaction` runs the redactor over the bundled PII test set, whose texts mark every
identifier inline as ``{TYPE:text}``. A finding is correct when it overlaps a marked identifier of
the same type; an identifier is found when a finding of its type overlaps it, and **leaked** when
any of its characters is left unredacted (whatever type covered the rest): the figure that matters
for privacy.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

from .areas import AREA_KEYS
from .redaction import PLACEHOLDERS, Finding, find_identifiers
from .submissions import TEST_FILE, LabelledSubmission, dataset_sha256, held_out_set

if TYPE_CHECKING:
    from .classifier import AreaClassifier

__all__ = [
    "PII_TEST_FILE",
    "evaluate_classifier",
    "evaluate_redaction",
    "multilabel_metrics",
    "parse_annotated",
    "precision_recall_f1",
]

PII_TEST_FILE = "pii-test.jsonl"
_MARK = re.compile(r"\{([A-Z_]+):([^{}]*)\}")


def precision_recall_f1(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 from counts, rounded to 4 places (0 where undefined)."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def multilabel_metrics(
    truth: Sequence[set[str]], predicted: Sequence[set[str]], top: Sequence[str]
) -> dict[str, Any]:
    """Exact match, top-1 accuracy, per-area, micro and macro precision/recall/F1.

    ``truth`` and ``predicted`` are the area sets of each submission; ``top`` is each one's
    highest-scoring area.
    """
    if not (len(truth) == len(predicted) == len(top)):
        raise ValueError("truth, predicted and top must have one entry per submission")
    n = len(truth)
    per_area: list[dict[str, Any]] = []
    totals = {"tp": 0, "fp": 0, "fn": 0}
    for key in AREA_KEYS:
        tp = sum(1 for t, p in zip(truth, predicted) if key in t and key in p)
        fp = sum(1 for t, p in zip(truth, predicted) if key not in t and key in p)
        fn = sum(1 for t, p in zip(truth, predicted) if key in t and key not in p)
        totals["tp"] += tp
        totals["fp"] += fp
        totals["fn"] += fn
        per_area.append(
            {
                "area": key,
                **precision_recall_f1(tp, fp, fn),
                "support": tp + fn,
                "predicted": tp + fp,
            }
        )
    macro = {
        m: round(sum(float(a[m]) for a in per_area) / len(per_area), 4)
        for m in ("precision", "recall", "f1")
    }
    return {
        "size": n,
        "exact_match": round(sum(1 for t, p in zip(truth, predicted) if t == p) / n, 4)
        if n
        else 0.0,
        "top1_accuracy": round(sum(1 for t, a in zip(truth, top) if a in t) / n, 4) if n else 0.0,
        "micro": precision_recall_f1(totals["tp"], totals["fp"], totals["fn"]),
        "macro": macro,
        "per_area": per_area,
    }


def evaluate_classifier(
    model: AreaClassifier | None = None, examples: Sequence[LabelledSubmission] | None = None
) -> dict[str, Any]:
    """Metrics of ``model`` (default: the bundled classifier) on ``examples`` (default: the held-out set)."""
    from .classifier import bundled_classifier

    model = model or bundled_classifier()
    bundled = examples is None
    examples = held_out_set() if examples is None else list(examples)
    predictions = model.predict([ex.text for ex in examples])
    truth = [set(ex.areas) for ex in examples]
    predicted = [set(areas) for areas, _ in predictions]
    top = [areas[0] for areas, _ in predictions]
    metrics = multilabel_metrics(truth, predicted, top)
    return {
        "test_data": {
            "file": TEST_FILE if bundled else None,
            "sha256": dataset_sha256(TEST_FILE) if bundled else None,
            "size": len(examples),
            "synthetic": bundled,
        },
        "model": {
            "training_sha256": model.training_sha256,
            "training_size": model.training_size,
            "thresholds": model.thresholds,
        },
        **{k: v for k, v in metrics.items() if k != "size"},
    }


def parse_annotated(annotated: str) -> tuple[str, list[Finding]]:
    """Plain text and the marked identifiers of ``"Call {PHONE:07700 900123}"``-style text."""
    text, gold, last = [], [], 0
    length = 0
    for m in _MARK.finditer(annotated):
        before = annotated[last : m.start()]
        text.append(before)
        length += len(before)
        kind = m.group(1).lower()
        kind = "vehicle_registration" if kind == "vehicle" else kind
        if kind not in PLACEHOLDERS:
            raise ValueError(f"unknown identifier type {m.group(1)!r} in {annotated!r}")
        gold.append(Finding(kind, length, length + len(m.group(2))))
        text.append(m.group(2))
        length += len(m.group(2))
        last = m.end()
    text.append(annotated[last:])
    return "".join(text), gold


def _overlaps(a: Finding, b: Finding) -> bool:
    return a.start < b.end and b.start < a.end


def evaluate_redaction(examples: Sequence[str] | None = None) -> dict[str, Any]:
    """Precision, recall and leaks of the redactor on annotated texts (default: the bundled PII set)."""
    if examples is None:
        raw = (
            resources.files("forcewatch")
            .joinpath("data", "review", PII_TEST_FILE)
            .read_text("utf-8")
        )
        examples = [json.loads(line)["annotated"] for line in raw.splitlines() if line.strip()]
    counts = {kind: {"tp": 0, "fp": 0, "fn": 0} for kind in PLACEHOLDERS}
    leaked = marked = clean_texts = clean_texts_untouched = 0
    for annotated in examples:
        text, gold = parse_annotated(annotated)
        found = find_identifiers(text)
        marked += len(gold)
        clean_texts += int(not gold)
        clean_texts_untouched += int(not gold and not found)
        for f in found:
            if not any(g.type == f.type and _overlaps(f, g) for g in gold):
                counts[f.type]["fp"] += 1
        covered = {i for f in found for i in range(f.start, f.end)}
        for g in gold:
            matched = any(f.type == g.type and _overlaps(f, g) for f in found)
            counts[g.type]["tp" if matched else "fn"] += 1
            leaked += int(not set(range(g.start, g.end)) <= covered)
    per_type = [
        {
            "type": kind,
            **precision_recall_f1(c["tp"], c["fp"], c["fn"]),
            "marked": c["tp"] + c["fn"],
            "found": c["tp"] + c["fp"],
        }
        for kind, c in counts.items()
    ]
    total = {k: sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn")}
    return {
        "test_data": {
            "file": PII_TEST_FILE,
            "texts": len(examples),
            "identifiers": marked,
            "texts_without_identifiers": clean_texts,
            "synthetic": True,
        },
        "overall": {
            **precision_recall_f1(total["tp"], total["fp"], total["fn"]),
            "false_positives": total["fp"],
            "missed": total["fn"],
        },
        "leaked": leaked,
        "leak_rate": round(leaked / marked, 4) if marked else 0.0,
        "clean_texts_untouched": clean_texts_untouched,
        "per_type": per_type,
    }
