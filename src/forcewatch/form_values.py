"""The values each kind of national-form field allows, and how a written value is read.

:func:`read` is the one definition of every value rule. It takes a field kind (see
:mod:`forcewatch.form`) and a value as written, and returns a :class:`Reading`: the normalised value
and, if the value was not taken as written, a problem of severity

- ``repair``: read with a stated, safe change (letter case, ``City of Westminster`` ->
  ``Westminster``, the spreadsheet date ``2017-11-01 00:00:00`` -> age band ``11-17``, ``NA`` ->
  not recorded);
- ``warning``: stored, but worth a look (an unknown weapon type, a date before recording began);
- ``error``: cannot be stored faithfully (an unparseable date, an unknown tactic, a Yes/No field
  holding something else); a file with any error is refused whole.

Rules are pure functions of one value, so the importer applies them once per *distinct* value of
a column (a few dozen per column even in a national year) and the web form once per field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any, Callable

from . import forces
from .form_vocab import BOROUGH_SYNONYMS, BOROUGHS, CONDUCT, FORM_TACTIC_TO_HO, FORM_TACTICS, TACTIC_LABELS, WEAPONS
from .masks import MASK_KEYS
from .vocab import DIMENSIONS

__all__ = ["Reading", "read", "written_as", "FORM_TACTICS", "FORM_TACTIC_TO_HO", "WEAPONS", "CONDUCT", "BOROUGHS", "EARLIEST_DATE"]

#: national recording of use of force began on this date
EARLIEST_DATE = date(2017, 4, 1)


@dataclass(frozen=True)
class Reading:
    """A value as read: the normalised ``value`` and, if it was not taken as written, why."""

    value: Any
    severity: str | None = None  # None, "repair", "warning" or "error"
    message: str = ""
    expected: str = ""
    #: quality flag (masks.QUALITY_FLAGS) the reading sets on its report
    flag: str = ""


_OK_NONE = Reading(None)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _lookup(vocabulary: dict[str, Any], raw: str, what: str, expected: str) -> Reading:
    """Exact match, else case-insensitive match (a repair), else an error."""
    if raw in vocabulary:
        return Reading(vocabulary[raw])
    folded: dict[str, tuple[str, Any]] = {}
    for k, v in vocabulary.items():  # the first spelling wins: the form's own labels come first
        folded.setdefault(k.casefold(), (k, v))
    hit = folded.get(raw.casefold())
    if hit:
        return Reading(hit[1], "repair", f"{raw!r} read as {hit[0]!r} (letter case)", expected, "repaired_value")
    return Reading(None, "error", f"{raw!r} is not a known {what}", expected)


def _dimension_vocab(dimension: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    vocab = {}
    for term in DIMENSIONS[dimension]:
        for label in (term.label, *term.synonyms):
            vocab[label] = term.key
    vocab.update(extra or {})
    return vocab


_AGE = _dimension_vocab("age")
_GENDER = _dimension_vocab("gender")
_ETHNICITY = _dimension_vocab("ethnicity", {"Dont Know": "dont_know", "Don\u2019t know": "dont_know"})
_INJURY_LEVEL = _dimension_vocab("injury_level")
_SUBJECT_INJURED = _dimension_vocab("injured")
_YES_NO = {"Yes": True, "No": False}
_MISSING = {"na", "n/a"}
_AGE_ARTEFACT = re.compile(r"^(2017-11-01( 00:00(:00)?)?|01/11/2017( 00:00(:00)?)?|Nov-17|1-Nov-2017|01-Nov-17)$", re.I)


# --- the rules, one per kind ----------------------------------------------------------------


def _yes_no(raw: str) -> Reading:
    if raw.casefold() in _MISSING:
        return Reading(None, "repair", f"{raw!r} read as not recorded", "Yes, No or empty", "repaired_value")
    return _lookup(_YES_NO, raw, "Yes/No answer", "Yes, No or empty")


def _age(raw: str) -> Reading:
    if _AGE_ARTEFACT.match(raw):
        return Reading(
            "11_17", "repair", f"{raw!r} looks like the age band 11-17 mangled by a spreadsheet; read as 11-17",
            "an age band such as 11-17", "repaired_age",
        )
    return _lookup(_AGE, raw, "age band", "0-10, 11-17, 18-34, 35-49, 50-64, 65 and over or empty")


def _date(raw: str) -> Reading:
    text = raw[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]00:00(:00)?)?", raw) else raw
    repaired = ""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            value = date.fromisoformat(text)
        elif re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            value = datetime.strptime(text, "%d/%m/%Y").date()
            repaired = f"{raw!r} read as the day-first date {value.isoformat()}"
        else:
            raise ValueError
    except ValueError:
        return Reading(None, "error", f"{raw!r} is not a date", "a date as YYYY-MM-DD, e.g. 2018-06-30")
    if value > date.today():
        return Reading(None, "error", f"{raw!r} is in the future", "the date of the incident")
    if value < EARLIEST_DATE:
        return Reading(value, "warning", f"{raw!r} is before national recording began on 1 April 2017")
    if repaired:
        return Reading(value, "repair", repaired, "YYYY-MM-DD", "repaired_value")
    return Reading(value)


def _time(raw: str) -> Reading:
    m = re.fullmatch(r"(?:1899-12-3[01] )?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?", raw)
    if m and int(m[1]) < 24 and int(m[2]) < 60 and int(m[3] or 0) < 60:
        return Reading(time(int(m[1]), int(m[2]), int(m[3] or 0)))
    return Reading(None, "error", f"{raw!r} is not a time of day", "hh:mm:ss, e.g. 21:30:00")


def _timestamp(raw: str) -> Reading:
    try:
        return Reading(datetime.fromisoformat(raw.replace("/", "-")))
    except ValueError:
        return Reading(None, "error", f"{raw!r} is not a date and time", "YYYY-MM-DD hh:mm:ss")


def _count(raw: str) -> Reading:
    m = re.fullmatch(r"(\d+)(\.0+)?", raw)
    if m:
        return Reading(int(m[1]))
    return Reading(None, "error", f"{raw!r} is not a whole number", "a whole number such as 1 or 2")


def _tactic(raw: str) -> Reading:
    return _lookup(TACTIC_LABELS, _norm(raw), "tactic", "a tactic of the national form, e.g. 'Baton Drawn'")


def _weapons(raw: str) -> Reading:
    if raw.casefold() in {"none", "no"} | _MISSING:
        return Reading(0)
    mask, unknown, recased = 0, [], False
    folded = {k.casefold(): v for k, v in WEAPONS.items()}
    for token in (t.strip() for t in re.split(r"[,;]", raw)):
        if not token:
            continue
        key = WEAPONS.get(token) or folded.get(token.casefold())
        recased |= token not in WEAPONS and key is not None
        if key is None:
            unknown.append(token)
            key = "other"
        mask |= 1 << MASK_KEYS["weapon"].index(key)
    if unknown:
        return Reading(mask, "warning", f"unknown weapon type {', '.join(map(repr, unknown))} stored as 'other' "
                       "(the text is kept as written)", ", ".join(WEAPONS), "unknown_vocabulary")
    if recased:
        return Reading(mask, "repair", f"{raw!r} read with the form's letter case", ", ".join(WEAPONS), "repaired_value")
    return Reading(mask)


def _borough(raw: str) -> Reading:
    canonical = {b.casefold(): b for b in BOROUGHS}
    synonym = BOROUGH_SYNONYMS.get(raw) or next(
        (v for k, v in BOROUGH_SYNONYMS.items() if k.casefold() == raw.casefold()), None)
    if synonym:
        return Reading(synonym, "repair", f"{raw!r} read as {synonym!r}", "the borough's usual name", "repaired_value")
    hit = canonical.get(raw.casefold().replace("&", "and"))
    if hit and hit != raw:
        return Reading(hit, "repair", f"{raw!r} read as {hit!r}", "the borough's usual name", "repaired_value")
    return Reading(raw)  # other forces' local areas are kept as written


def _staff_injured(raw: str) -> Reading:
    low = raw.casefold()
    if low.startswith("yes"):
        return Reading("yes")
    if low.startswith("no"):
        return Reading("no")
    if low in ("unknown", "not reported") or low in _MISSING:
        return Reading("not_reported")
    return Reading(None, "error", f"{raw!r} is not an answer to 'were you injured'", "Yes, No or a sentence starting Yes/No")


def _force(raw: str) -> Reading:
    area = forces.try_resolve(raw, "force")
    if area is None:
        return Reading(None, "error", f"{raw!r} is not a police force", "a force name or ONS code, e.g. E23000001")
    return Reading(area.code)


def _text(raw: str) -> Reading:
    return Reading(raw)


_RULES: dict[str, Callable[[str], Reading]] = {
    "yes_no": _yes_no,
    "age": _age,
    "gender": lambda r: _lookup(_GENDER, r, "gender", "Male, Female, Other, Not reported or empty"),
    "ethnicity": lambda r: _lookup(_ETHNICITY, r, "ethnic group", "White, Black (or Black British), Asian (or "
                                   "Asian British), Chinese, Mixed, Other, Don't know, Not reported or empty"),
    "conduct": lambda r: _lookup(CONDUCT, r, "primary conduct", ", ".join(CONDUCT)),
    "injury_level": lambda r: _lookup(_INJURY_LEVEL, r, "injury level", "Minor, Severe, Death or empty"),
    "subject_injured": lambda r: _lookup(_SUBJECT_INJURED, r, "answer", "Yes, No, Unknown, Not reported or empty"),
    "staff_injured": _staff_injured,
    "date": _date,
    "time": _time,
    "timestamp": _timestamp,
    "count": _count,
    "tactic": _tactic,
    "weapons": _weapons,
    "borough": _borough,
    "force": _force,
    "text": _text,
    "id": _text,
}
#: what an empty cell means, per kind (``None`` = not recorded)
_EMPTY: dict[str, Any] = {"age": "not_reported", "gender": "not_reported", "ethnicity": "not_reported"}


@lru_cache(maxsize=65536)
def read(kind: str, raw: str | None) -> Reading:
    """Read one value of a field of this kind (``None`` or blank = empty)."""
    if raw is None:
        return Reading(_EMPTY.get(kind)) if kind in _EMPTY else _OK_NONE
    stripped = raw.strip()
    if not stripped:
        return Reading(_EMPTY.get(kind))
    reading = _RULES[kind](stripped)
    if stripped != raw and reading.severity is None and kind not in ("text", "id"):
        return Reading(reading.value, "repair", f"{raw!r} read without its surrounding spaces", "", "repaired_value")
    return reading


def kinds() -> tuple[str, ...]:
    """Every field kind with a rule."""
    return tuple(_RULES)


_AGE_WRITTEN = {"under_11": "0-10", "11_17": "11-17", "18_34": "18-34", "35_49": "35-49", "50_64": "50-64",
                "65_plus": "65 and over"}
_LABEL_OF = {d: {t.key: t.label for t in DIMENSIONS[d] if t.key != "not_reported"} for d in ("gender", "ethnicity")}


def written_as(kind: str, value: Any) -> str | None:
    """How the form itself writes a normalised value (``None`` for an empty answer).

    The importer keeps a field's text as written only where it differs from this (a repaired
    spelling, a sentence in ``StaffInjured``, weapon types in another order, "Not reported"
    written out), so the stored raw columns hold exactly what the normalised ones cannot say.

    >>> written_as("age", "11_17"), written_as("weapons", 0b10010), written_as("staff_injured", "yes")
    ('11-17', 'Bladed weapon/object, Kick', 'Yes')
    """
    if value is None:
        return None
    if kind == "age":
        return _AGE_WRITTEN.get(value)
    if kind in _LABEL_OF:
        return _LABEL_OF[kind].get(value)
    if kind == "staff_injured":
        return {"yes": "Yes", "no": "No"}.get(value)
    if kind == "weapons":
        tokens = [token for token, key in WEAPONS.items() if value >> MASK_KEYS["weapon"].index(key) & 1]
        return ", ".join(tokens) or None
    return value if isinstance(value, str) else None
