"""Checking a publication's own arithmetic, figure by figure, as it is imported.

The identities a Home Office table promises, checked on the figures as printed:

- *areas*: each region is the sum of its forces; England and Wales is the sum of the regions and
  the sum of the 43 forces (or of the 43 and British Transport Police, where BTP is included; in
  the IOPC tables by appropriate authority, of the forces, BTP and the other authorities, stored
  for England and Wales under the dimension ``appropriate_authority``);
- *"of which" rows*: a tactic group is the sum of its members where the counts add up
  (``times_reported`` and ``uses`` everywhere; CED levels, counted once at the highest level,
  in every measure): CED total = non-discharge + discharge + not stated;
- *totals across categories*: ``all`` = the sum of the categories of a single-choice dimension
  (age, gender, ethnicity, health, injuries), and a location group is the sum of its locations;
- *between tables*: the total number of incidents, and the England and Wales rows of the
  by-force tables, equal the national tables' figures.

A failed identity is a warning (the publication itself does not add up), never a refusal: the
figures are stored as published and the warning names the cells, the values and the identity.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from typing import Iterable

from .. import forces, vocab
from ..errors import Problem
from .axes import _TACTIC_CHILDREN, tactic_descendants
from .layout import ParsedFact
from .publication import Publication

__all__ = ["check"]

_TERRITORIAL = [a.code for a in forces.forces()]
_MEMBERS = {r.code: [a.code for a in forces.forces_in(r.code)] for r in forces.regions()}
#: categories printed inside another category of the same table (census Asian includes Chinese)
_NESTED = {"population": {"chinese"}}
#: rows for England and Wales that are parts of its total: authorities that are not force areas (IOPC)
_OTHER_AUTHORITIES = "appropriate_authority"


def check(pub: Publication, filename: str | None = None) -> list[Problem]:
    """Warnings for every identity the publication's figures break."""
    facts = [f for f in pub.facts if f.value is not None]
    out = [*_areas(facts), *_tactics(facts), *_categories(facts), *_between_tables(facts)]
    return [replace(p, file=filename) for p in out]


def _tolerance(values: Iterable[float]) -> float:
    return 0.5 if all(float(v).is_integer() for v in values) else 0.05


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def _warning(fact: ParsedFact, message: str, expected: float) -> Problem:
    sheet, _, address = fact.cell.partition("!")
    m = re.match(r"([A-Z]+)(\d+)$", address)
    return Problem(message, sheet=sheet, row=int(m.group(2)) if m else None, column=m.group(1) if m else None,
                   expected=_fmt(expected), severity="warning")


def _value(f: ParsedFact) -> float:
    assert f.value is not None, "markers are left out before checking"
    return f.value


def _compare(total: ParsedFact, parts: list[ParsedFact], identity: str) -> Problem | None:
    if not parts:
        return None
    expected = sum(_value(p) for p in parts)
    if abs(_value(total) - expected) <= _tolerance([_value(total), *(_value(p) for p in parts)]):
        return None
    ordered = sorted(parts, key=_cell_order)
    cells = ", ".join(p.cell.partition("!")[2] for p in ordered[:12]) + (" ..." if len(parts) > 12 else "")
    return _warning(total, f"{total.cell} = {_fmt(_value(total))} but {identity} = {_fmt(expected)} "
                           f"(difference {_fmt(_value(total) - expected)}; {cells}) [{_label(total)}]", expected)


def _cell_order(f: ParsedFact) -> tuple[str, int, int]:
    sheet, _, address = f.cell.partition("!")
    m = re.match(r"([A-Z]+)(\d+)$", address)
    return (sheet, int(m.group(2)), len(m.group(1)) * 100 + ord(m.group(1)[-1])) if m else (sheet, 0, 0)


def _label(f: ParsedFact) -> str:
    parts = [f.table, f.year, forces.get(f.area_code).name, f.tactic, f.category, f.measure]
    return ", ".join(p for p in parts if p)


def _grouped(facts: list[ParsedFact], key) -> Iterable[list[ParsedFact]]:  # type: ignore[no-untyped-def]
    buckets: dict[tuple, list[ParsedFact]] = defaultdict(list)
    for f in facts:
        buckets[key(f)].append(f)
    return buckets.values()


def _areas(facts: list[ParsedFact]) -> list[Problem]:
    out = []
    others: dict[tuple[str, ...], list[ParsedFact]] = defaultdict(list)
    for f in facts:
        if f.dimension == _OTHER_AUTHORITIES and f.area_code == forces.ENGLAND_AND_WALES.code:
            others[(f.table, f.year, f.tactic, f.measure)].append(f)
    for group in _grouped(facts, lambda f: (f.table, f.year, f.tactic, f.dimension, f.category, f.measure)):
        by_area = {f.area_code: f for f in group}
        for region in forces.regions():
            members = [by_area[code] for code in _MEMBERS[region.code] if code in by_area]
            if region.code in by_area:
                out.append(_compare(by_area[region.code], members, f"the sum of the forces of {region.name}"))
        total = by_area.get(forces.ENGLAND_AND_WALES.code)
        if total is None:
            continue
        regions = [by_area[r.code] for r in forces.regions() if r.code in by_area]
        out.append(_compare(total, regions, "the sum of the regions"))
        territorial = [by_area[c] for c in _TERRITORIAL if c in by_area]
        problem = _compare(total, territorial, f"the sum of the {len(territorial)} forces")
        if problem and forces.BTP.code in by_area:
            problem = _compare(total, [*territorial, by_area[forces.BTP.code]], "the sum of the forces and BTP") and problem
        extra = others.get((total.table, total.year, total.tactic, total.measure), []) if not total.dimension else []
        if problem and extra:
            btp = [by_area[forces.BTP.code]] if forces.BTP.code in by_area else []
            problem = _compare(total, [*territorial, *btp, *extra],
                               "the sum of the forces, BTP and the other appropriate authorities")
        out.append(problem)
    return [p for p in out if p]


def _tactic_parts(parent: str, present: dict[str, ParsedFact]) -> list[ParsedFact] | None:
    """The members of ``parent`` present, expanding a missing member into its own members."""
    parts: list[ParsedFact] = []
    for child in _TACTIC_CHILDREN.get(parent, []):
        if child in present:
            parts.append(present[child])
            continue
        sub = _tactic_parts(child, present) if child in _TACTIC_CHILDREN else None
        if not sub:
            return None
        parts += sub
    return parts or None


_CED = {"ced", *tactic_descendants("ced")}


def _tactics(facts: list[ParsedFact]) -> list[Problem]:
    out = []
    for group in _grouped(facts, lambda f: (f.table, f.year, f.area_code, f.dimension, f.category, f.measure)):
        present = {f.tactic: f for f in group if f.tactic}
        additive = group[0].measure in ("times_reported", "uses")
        for parent, fact in present.items():
            if parent not in _TACTIC_CHILDREN or not (additive or parent in _CED):
                continue
            parts = _tactic_parts(parent, present)
            if parts:
                out.append(_compare(fact, parts, f"the sum of the members of {parent}"))
    return [p for p in out if p]


def _categories(facts: list[ParsedFact]) -> list[Problem]:
    out: list[Problem | None] = []
    for group in _grouped(facts, lambda f: (f.table, f.year, f.area_code, f.tactic, f.dimension, f.measure)):
        dims = group[0].dimension.split("/") if group[0].dimension else []
        if not dims or any(d in vocab.MULTI_SELECT_DIMENSIONS or d == "as_at" for d in dims):
            out += _groups(group, dims)
            continue
        nested = _NESTED.get(group[0].table, set())
        cats = {tuple(f.category.split("/")): f for f in group}
        for key, fact in cats.items():
            totals = [i for i, c in enumerate(key) if c == vocab.TOTAL_CATEGORY]
            if not totals:
                continue
            parts = [f for k, f in cats.items()
                     if all((k[i] != vocab.TOTAL_CATEGORY and k[i] not in nested) if i in totals else k[i] == key[i]
                            for i in range(len(key)))]
            out.append(_compare(fact, parts, "the sum of the categories"))
        for category in nested:  # a category printed inside another (census Chinese inside Asian)
            inner, outer = cats.get((category,)), cats.get(("asian",))
            if inner and outer and _value(inner) > _value(outer):
                out.append(_warning(inner, f"{inner.cell} = {_fmt(_value(inner))} ({category}) is more than "
                                           f"{outer.cell} = {_fmt(_value(outer))} (asian), which includes it",
                                    _value(outer)))
    return [p for p in out if p]


def _groups(group: list[ParsedFact], dims: list[str]) -> list[Problem]:
    if len(dims) != 1 or dims[0] not in vocab.CATEGORY_GROUPS:
        return []
    cats = {f.category: f for f in group}
    out = []
    for key, (_term, members) in vocab.CATEGORY_GROUPS[dims[0]].items():
        if key in cats and all(m in cats for m in members):
            out.append(_compare(cats[key], [cats[m] for m in members], f"the sum of the {key.replace('_', ' ')} locations"))
    return [p for p in out if p]


def _between_tables(facts: list[ParsedFact]) -> list[Problem]:
    ew = forces.ENGLAND_AND_WALES.code
    index = {f.key: f for f in facts}
    out = []
    for f in facts:
        if f.area_code != ew:
            continue
        if f.table == "incidents_by_force":
            other = index.get(("tactics", f.year, ew, "all", "", "", "incidents"))
            if other:
                out.append(_compare(f, [other], f"the total number of incidents in {other.cell}"))
        elif f.table.startswith("force_"):
            other = index.get((f.table[len("force_"):], f.year, ew, f.tactic, f.dimension, f.category, f.measure))
            if other:
                out.append(_compare(f, [other], f"the national table's figure in {other.cell}"))
        elif f.table == "ced_by_force" and f.tactic == "ced" and f.measure == "incidents":
            other = index.get(("tactics", f.year, ew, "ced", "", "", "times_reported"))
            if other:
                out.append(_compare(f, [other], f"CED in the tactics table, {other.cell}"))
    return [p for p in out if p]

