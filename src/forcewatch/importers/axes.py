"""Axes: how a published heading or row label maps to the fields of a fact.

A table is read as row labels (one axis per label column: area, tactic, year ...) crossed with
value-column headings (one axis: categories, CED levels, years, dates ...). Each axis knows the
published wording it accepts, through the synonyms kept in :mod:`forcewatch.vocab` and
:mod:`forcewatch.forces`, so a table can put its rows and columns in any order and name them with
any known synonym. A label an axis does not know is reported, never guessed.

An axis returns a dict of fact fields (``area_code``, ``tactic``, ``year``, ``measure``,
``dims``: ``{dimension: category}``), ``{"skip": reason}`` for a known row or column forcewatch
deliberately does not store, or ``None`` for wording it does not recognise.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .. import forces, vocab
from ..periods import financial_year_of
from .spreadsheet import as_date, find_period, normalise

__all__ = [
    "Axis", "AreaAxis", "RegionAxis", "TacticAxis", "TacticGroupAxis", "CategoryAxis", "MeasureAxis",
    "YearAxis", "AsAtAxis", "LabelIndex",
]

Coords = dict[str, Any]


class LabelIndex:
    """Normalised published wording -> key, refusing to guess between two keys for one wording."""

    def __init__(self) -> None:
        self._index: dict[str, str] = {}
        self._ambiguous: set[str] = set()

    def add(self, key: str, *labels: str) -> None:
        for label in (key.replace("_", " "), *labels):
            n = normalise(label)
            if not n:
                continue
            if n in self._index and self._index[n] != key:
                self._ambiguous.add(n)
            self._index.setdefault(n, key)

    def get(self, text: Any) -> str | None:
        n = normalise(text)
        return None if n in self._ambiguous else self._index.get(n)


class Axis:
    """One way a table labels its figures. Subclasses override :meth:`label` and :meth:`header`."""

    #: normalised headings of a label column holding this axis ("police force", "tactic")
    headings: frozenset[str] = frozenset()
    #: a blank label repeats the one above it (merged cells such as "Officer injured")
    fill_down = False
    #: what the axis expects, for messages
    expects = ""

    def is_heading(self, text: Any) -> bool:
        return normalise(text) in self.headings

    def prepare(self, labels: list[Any], state: dict[str, Any]) -> None:
        """Look at every label of the column before reading rows (structure-based decisions)."""

    def label(self, value: Any, state: dict[str, Any]) -> Coords | None:
        """Fields for a row label; ``None`` if the wording is not recognised."""
        raise NotImplementedError

    def header(self, value: Any, state: dict[str, Any]) -> Coords | None:
        """Fields for a value-column heading; ``None`` if the wording is not recognised."""
        return self.label(value, state)


# --- areas -------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _area(text: str, kind: forces.AreaKind | None = None) -> forces.Area | None:
    """:func:`forces.try_resolve`, remembered: a table repeats each force name hundreds of times."""
    return forces.try_resolve(text, kind)


class AreaAxis(Axis):
    """Forces, regions and England and Wales, by any published spelling.

    Regions written without "Total" ("West Midlands " in the workforce and 2016 Taser tables) are
    told from the force of the same name by the table's structure: a region row comes before the
    forces of its region, so "West Midlands" read while inside the West Midlands region is the
    force, and read anywhere else (in a table that has region rows) is the region.
    """

    headings = frozenset({
        "police force", "police force area", "force", "police force region", "force region",
        "police force area english region and wales", "pfa16nm", "police force area name", "area",
    })
    expects = "a police force, region or England and Wales"

    def __init__(self, skip: dict[str, str] | None = None) -> None:
        #: labels that are not areas, with why they are not stored ("Central Service Secondments")
        self.skip = {normalise(k): v for k, v in (skip or {}).items()}

    def prepare(self, labels: list[Any], state: dict[str, Any]) -> None:
        state["has_region_rows"] = any(
            isinstance(v, str) and normalise(v) not in self.skip and self._unambiguous_region(v) for v in labels
        ) or state.get("has_region_rows", False)

    @staticmethod
    def _unambiguous_region(text: str) -> bool:
        region = _area(text, "region")
        return region is not None and _area(text, "force") is None

    def label(self, value: Any, state: dict[str, Any]) -> Coords | None:
        if not isinstance(value, str) or not value.strip():
            return None
        n = normalise(value)
        if n in self.skip:
            return {"skip": self.skip[n]}
        words = n.split()
        if words and words[0] == "total":
            area = _area(value)
        else:
            country = _area(value, "country")
            force = _area(value, "force")
            region = _area(value, "region")
            if country:
                area = country
            elif force and region:
                inside = state.get("region") == region.code
                area = force if inside or not state.get("has_region_rows") else region
            else:
                area = force or region
        if area is None:
            return None
        if area.kind == "region":
            state["region"] = area.code
        if state.get("area") != area.code:
            state["area"] = area.code
            state.pop("tactic_context", None)
        return {"area_code": area.code}


class RegionAxis(Axis):
    """A "Region" column beside the force column: context only, stores nothing itself."""

    headings = frozenset({"region", "english region and wales", "region name"})
    fill_down = True
    expects = "a region or England and Wales"

    def label(self, value: Any, state: dict[str, Any]) -> Coords | None:
        area = _area(str(value), "region") or _area(str(value), "country")
        if area is None:
            return None
        state["region"] = area.code
        return {}


# --- tactics -----------------------------------------------------------------------------

_TACTIC_CHILDREN: dict[str, list[str]] = {}
for _t in vocab.TACTICS:
    if _t.parent:
        _TACTIC_CHILDREN.setdefault(_t.parent, []).append(_t.key)
_TACTIC_PARENT = {t.key: t.parent for t in vocab.TACTICS}


def tactic_descendants(key: str) -> list[str]:
    out: list[str] = []
    for child in _TACTIC_CHILDREN.get(key, []):
        out += [child, *tactic_descendants(child)]
    return out


_INCIDENTS_ROW = re.compile(r"^total number of (incidents|use of force reports|reports)( involving .*)?$")


class TacticAxis(Axis):
    """Tactic rows (or CED-level columns), including the context-dependent "Not stated" rows.

    "Not stated" means "not stated" of the group above it ("Baton, of which" ... "Not stated"), so
    the axis keeps the nearest open group as context. ``subtree`` limits the vocabulary (the CED
    tables' columns are the CED levels, where "Total" means all CED use).
    """

    headings = frozenset({"tactic", "tactics"})
    expects = "a tactic (see `forcewatch vocab tactics`)"

    def __init__(self, subtree: str | None = None, extra: dict[str, str] | None = None) -> None:
        self.subtree = subtree
        keys = [subtree, *tactic_descendants(subtree)] if subtree else [t.key for t in vocab.TACTICS]
        self.allowed = set(keys)
        self.index = LabelIndex()
        for term in vocab.TACTICS:
            if term.key in self.allowed:
                self.index.add(term.key, term.label, *term.synonyms)
        for label, key in (extra or {}).items():
            self.index.add(key, label)

    def label(self, value: Any, state: dict[str, Any]) -> Coords | None:
        if not isinstance(value, str) or not value.strip():
            return None
        n = normalise(value)
        if _INCIDENTS_ROW.match(n):
            return {"tactic": "all", "measure": "incidents"}
        context = state.get("tactic_context") or self.subtree
        key = None
        if n == "not stated" and context:
            # the "not stated" member of the nearest open group ("Baton, of which" ... "Not stated")
            group: str | None = context
            while group and key is None:
                key = next((c for c in _TACTIC_CHILDREN.get(group, []) if c.endswith("_not_stated")), None)
                group = _TACTIC_PARENT.get(group)
        key = key or self.index.get(value)
        if key is None or key not in self.allowed:
            return None
        state["tactic_context"] = key if key in _TACTIC_CHILDREN else _TACTIC_PARENT.get(key)
        return {"tactic": key}


class TacticGroupAxis(TacticAxis):
    """The "Type of force" column (Restraint, Other equipment ...): validated, used as context."""

    headings = frozenset({"type of force", "tactic group"})
    expects = "a type of force (Restraint, Unarmed skills, Other equipment, ...)"

    def label(self, value: Any, state: dict[str, Any]) -> Coords | None:
        if _INCIDENTS_ROW.match(normalise(value)):
            return {"tactic": "all", "measure": "incidents"}
        key = self.index.get(value)
        if key is None:
            return None
        if key != state.get("tactic_group"):
            state["tactic_group"] = key
            state["tactic_context"] = key
        return {}


# --- categories, measures, periods -------------------------------------------------------

#: published wording of a total across a dimension's categories
TOTAL_WORDS = ("total", "total incidents", "total incidents per tactic", "all", "all categories")


class CategoryAxis(Axis):
    """The categories of one dimension (age bands, ethnic groups, injury levels ...)."""

    def __init__(self, dimension: str, *, headings: tuple[str, ...] = (), totals: dict[str, str | None] | None = None,
                 fill_down: bool = False, extra: dict[str, str] | None = None) -> None:
        self.dimension = dimension
        self.headings = frozenset(normalise(h) for h in headings)
        self.fill_down = fill_down
        self.index = LabelIndex()
        for term in vocab.DIMENSIONS[dimension]:
            self.index.add(term.key, term.label, *term.synonyms)
        for key, (term, _members) in vocab.CATEGORY_GROUPS.get(dimension, {}).items():
            self.index.add(key, term.label, *term.synonyms)
        for label, key in (extra or {}).items():
            self.index.add(key, label)
        #: wording of totals -> the measure it implies (None: the table's own measure)
        self.totals = {normalise(k): v for k, v in (totals or dict.fromkeys(TOTAL_WORDS)).items()}
        self.expects = f"a {dimension.replace('_', ' ')} category (see `forcewatch vocab categories {dimension}`)"

    def label(self, value: Any, state: dict[str, Any]) -> Coords | None:
        n = normalise(value)
        if n in self.totals:
            coords: Coords = {"dims": {self.dimension: vocab.TOTAL_CATEGORY}}
            if self.totals[n]:
                coords["measure"] = self.totals[n]
            return coords
        key = self.index.get(value)
        return {"dims": {self.dimension: key}} if key else None


class MeasureAxis(Axis):
    """Columns that are measures of the same figure ("Number of times tactic reported" ...)."""

    def __init__(self, measures: dict[str, str | None]) -> None:
        self.measures = {normalise(k): v for k, v in measures.items()}
        self.expects = "one of: " + ", ".join(repr(k) for k in measures)

    def label(self, value: Any, state: dict[str, Any]) -> Coords | None:
        n = normalise(value)
        if n not in self.measures:
            return None
        measure = self.measures[n]
        return {"measure": measure} if measure else {}


class YearAxis(Axis):
    """Financial years (``2017/18``) or calendar years (``2016``) as rows or columns."""

    headings = frozenset({"financial year", "year", "calendar year", "period"})
    expects = "a year such as 2017/18 or 2016"

    def label(self, value: Any, state: dict[str, Any]) -> Coords | None:
        year = find_period(value)
        return {"year": year} if year and year != "*" else None


class AsAtAxis(Axis):
    """Snapshot dates ("As at 31 March 2019"): dimension ``as_at``, year = its financial year."""

    headings = frozenset({"as at", "date"})
    expects = "a date such as 31 March 2019"

    def label(self, value: Any, state: dict[str, Any]) -> Coords | None:
        day = as_date(value)
        if day is None:
            return None
        return {"dims": {"as_at": day.isoformat()}, "year": financial_year_of(day)}
