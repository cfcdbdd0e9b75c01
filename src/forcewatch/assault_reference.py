"""Reference data for assaults on officers and their outcomes: one versioned, bundled file.

``data/assaults/reference.yaml`` holds the Home Office offence classes (104, 8S ...), the finer
offence descriptions with their mode of trial, the prosecution time limits, the statutory maxima by
offence and offence date, the Home Office outcome types with their effective dates, the CPS
finalisation categories, sentence disposals and the vocabularies of an assault record. Nothing in
the logic hard-codes a maximum, a time limit or a label: it asks this module, which reads the file.

Every item carries ``unverified``: ``True`` where the domain note (or working knowledge) could not
confirm it against the primary source. Outputs that show an item show the flag too.

>>> time_limit("s89_assault_constable", date(2024, 1, 31)).deadline
datetime.date(2024, 7, 31)
>>> time_limit("ew_common_assault", date(2024, 1, 31)) is None
True
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from .errors import UnknownName, UsageError
from .periods import add_months

__all__ = [
    "VOCABULARIES", "Term", "Offence", "OutcomeType", "TimeLimit", "Reference", "reference", "offence",
    "outcome_type", "term", "lookup", "ho_class_for", "time_limit", "statutory_maximum",
]

#: Vocabularies looked up with :func:`term` / :func:`lookup` (each a list of ``{key, label, ...}``).
VOCABULARIES = (
    "charge_routes", "pre_charge_decisions", "cps_finalisations", "vrr_results", "courts", "pleas", "verdicts",
    "sentence_disposals", "ancillary_orders", "victim_roles", "duty_roles", "service_bands", "on_duty_statuses",
    "injury_levels", "assault_methods", "weapons", "body_parts", "suspect_demeanours", "equipment",
)


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary: a stable key, a label, and whether it is unverified."""

    key: str
    label: str
    unverified: bool = False
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "unverified": self.unverified, "note": self.note, **self.extra}


@dataclass(frozen=True)
class Offence:
    """An offence as forces record it, with its legislation, mode of trial and Home Office classes."""

    key: str
    label: str
    legislation: str
    mode_of_trial: str
    injury: str
    ho_class: dict[str, str]
    effective_from: date | None
    s67_listed: bool
    unverified: bool
    note: str | None

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class OutcomeType:
    """A Home Office crime outcome type (layer A), with the dates it applies between."""

    code: str
    label: str
    group: str
    effective_from: date
    effective_to: date | None
    unverified: bool

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class TimeLimit:
    """The date by which a charge or summons must be laid, and the rule that sets it."""

    offence: str
    offence_date: date
    months: int
    deadline: date
    basis: str
    unverified: bool

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class Reference:
    """The whole bundled reference file, checked and indexed."""

    version: str
    offences: dict[str, Offence]
    ho_offence_classes: dict[str, Term]
    outcome_types: dict[str, OutcomeType]
    vocabularies: dict[str, dict[str, Term]]
    time_limits: dict[str, dict[str, Any]]
    statutory_maxima: tuple[dict[str, Any], ...]
    general_limit: tuple[dict[str, Any], ...]

    def as_dict(self) -> dict[str, Any]:
        """Everything, for ``forcewatch assaults reference --format json``."""
        return {
            "version": self.version,
            "ho_offence_classes": [t.as_dict() for t in self.ho_offence_classes.values()],
            "offences": [o.as_dict() for o in self.offences.values()],
            "ho_outcome_types": [o.as_dict() for o in self.outcome_types.values()],
            "time_limits": self.time_limits,
            "statutory_maxima": list(self.statutory_maxima),
            "magistrates_general_limit": list(self.general_limit),
            **{name: [t.as_dict() for t in terms.values()] for name, terms in self.vocabularies.items()},
        }


def _terms(rows: list[dict[str, Any]]) -> dict[str, Term]:
    terms = {}
    for row in rows:
        key, label = str(row["key"]), str(row["label"])
        extra = {k: v for k, v in row.items() if k not in ("key", "label", "unverified", "note")}
        terms[key] = Term(key, label, bool(row.get("unverified", False)), row.get("note"), extra)
    return terms


@cache
def reference() -> Reference:
    """The bundled reference data (read once per process)."""
    raw = yaml.safe_load(resources.files("forcewatch").joinpath("data", "assaults", "reference.yaml").read_text("utf-8"))
    offences = {
        o["key"]: Offence(o["key"], o["label"], o["legislation"], o["mode_of_trial"], o["injury"], dict(o["ho_class"]),
                          o.get("effective_from"), bool(o.get("s67_listed", False)), bool(o["unverified"]), o.get("note"))
        for o in raw["offences"]
    }
    classes = {str(c["code"]): Term(str(c["code"]), c["label"], bool(c["unverified"]), c.get("note")) for c in
               raw["ho_offence_classes"]}
    outcomes = {str(o["code"]): OutcomeType(str(o["code"]), o["label"], o["group"], o["from"], o.get("to"),
                                            bool(o["unverified"])) for o in raw["ho_outcome_types"]}
    for o in offences.values():
        if o.mode_of_trial not in raw["time_limits"] or not set(o.ho_class.values()) <= set(classes):
            raise UsageError(f"reference.yaml: offence {o.key!r} names an unknown mode of trial or class")
    return Reference(
        version=str(raw["version"]), offences=offences, ho_offence_classes=classes, outcome_types=outcomes,
        vocabularies={name: _terms(raw[name]) for name in VOCABULARIES}, time_limits=raw["time_limits"],
        statutory_maxima=tuple(raw["statutory_maxima"]), general_limit=tuple(raw["magistrates_general_limit"]),
    )


def _unknown(kind: str, value: str, known: dict[str, Any]) -> UnknownName:
    names = [*known, *(getattr(v, "label", "") for v in known.values())]
    close = difflib.get_close_matches(value.strip().lower(), [n.lower() for n in names], n=3, cutoff=0.6)
    keys = []
    for c in close:
        keys += [k for k, v in known.items() if k.lower() == c or getattr(v, "label", "").lower() == c]
    return UnknownName(kind, value, list(dict.fromkeys(keys)) or list(known)[:6])


def _find(known: dict[str, Any], value: str) -> Any:
    wanted = value.strip().lower()
    for key, item in known.items():
        if key.lower() == wanted or getattr(item, "label", "").lower() == wanted:
            return item
    return None


def offence(name: str) -> Offence:
    """The offence with this key or label (any case); :class:`UnknownName` with suggestions otherwise."""
    found = _find(reference().offences, name)
    if found is None:
        raise _unknown("offence", name, reference().offences)
    return found


def lookup(vocabulary: str, value: str) -> Term | None:
    """The term of ``vocabulary`` whose key or label is ``value`` (any case), or ``None``."""
    return _find(reference().vocabularies[vocabulary], value)


def term(vocabulary: str, value: str) -> Term:
    """The term of ``vocabulary`` whose key or label is ``value``; :class:`UnknownName` otherwise."""
    found = lookup(vocabulary, value)
    if found is None:
        raise _unknown(vocabulary.rstrip("s").replace("_", " "), value, reference().vocabularies[vocabulary])
    return found


def outcome_type(code: str, on: date | None = None) -> OutcomeType:
    """The Home Office outcome type ``code`` (``1``, ``1A`` ... ``22``), checked to apply ``on`` that date."""
    found = reference().outcome_types.get(code.strip().upper())
    if found is None:
        raise _unknown("Home Office outcome type", code, reference().outcome_types)
    if on is not None and (on < found.effective_from or (found.effective_to and on > found.effective_to)):
        raise UsageError(f"Home Office outcome {found.code} ({found.label}) does not apply on {on.isoformat()}",
                         hint=f"it applies from {found.effective_from.isoformat()}"
                         + (f" to {found.effective_to.isoformat()}" if found.effective_to else ""))
    return found


def ho_class_for(offence_key: str, victim_role: str) -> str:
    """The Home Office offence class of this offence against a victim in this role."""
    constable = bool(term("victim_roles", victim_role).extra.get("constable"))
    return offence(offence_key).ho_class["constable" if constable else "other"]


def time_limit(offence_key: str, offence_date: date) -> TimeLimit | None:
    """The prosecution time limit of this offence committed on ``offence_date``; ``None`` when it has none."""
    found = offence(offence_key)
    rule = reference().time_limits[found.mode_of_trial]
    if rule.get("months") is None:
        return None
    months = int(rule["months"])
    return TimeLimit(found.key, offence_date, months, add_months(offence_date, months), " ".join(rule["basis"].split()),
                     bool(rule.get("unverified", True)))


def _applies(row: dict[str, Any], on: date) -> bool:
    return row["from"] <= on and (row.get("to") is None or on <= row["to"])


def statutory_maximum(offence_key: str, offence_date: date) -> dict[str, Any] | None:
    """The maximum sentence for this offence committed on ``offence_date``, as the reference states it.

    ``{"offence", "summary_months", "indictment", "unverified", "note"}``: ``summary_months`` is resolved
    from the magistrates' general limit on that date where the offence uses it. ``None`` when the
    reference holds no row covering the date.
    """
    key = offence(offence_key).key
    rows = [r for r in reference().statutory_maxima if r["offence"] == key and _applies(r, offence_date)]
    if not rows:
        return None
    row = rows[0]
    summary, unverified = row.get("summary"), bool(row.get("unverified", True))
    if summary == "general_limit":
        limits = [g for g in reference().general_limit if _applies(g, offence_date)]
        summary = limits[0]["months"] if limits else None
        unverified = unverified or any(g.get("unverified", True) for g in limits) or not limits
    indictment = row.get("indictment")
    return {"offence": key, "summary_months": summary,
            "indictment": f"{indictment} months" if isinstance(indictment, int) else indictment,
            "unverified": unverified, "note": row.get("note")}
