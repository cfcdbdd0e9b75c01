"""IOPC "Deaths during or following police contact": the time-series tables (ODS or XLSX).

The Independent Office for Police Conduct publishes, each year, five categories of death by
financial year since 2004/05: road traffic fatalities, fatal police shootings, deaths in or
following police custody, apparent suicides following police custody, and other deaths following
police contact. Each category has its own table key:

=================================  ================================================
``iopc_deaths_road_traffic``       road traffic fatalities (and incidents)
``iopc_deaths_shootings``          fatal police shootings
``iopc_deaths_custody``            deaths in or following police custody
``iopc_deaths_apparent_suicides``  apparent suicides following police custody
``iopc_deaths_other_contact``      other deaths following police contact
=================================  ================================================

Measures: ``fatalities`` (people who died) and ``incidents`` (one incident can cause several
deaths). Breakdowns are dimensions: ``gender``, ``age_group``, ``ethnicity``, ``rti_type`` (road
traffic: pursuit, emergency response, other), with ``all`` for the published total. The tables
by "appropriate authority" put a force's figure under its area (``area_code``); the authorities
that are not police force areas (HMRC, Ministry of Defence, SOCA/NCA, the Home Office) and the
rows of two forces investigated together ("Surrey & Sussex") are stored for England and Wales
with ``dimension = appropriate_authority`` and the authority as category (``hmrc``,
``joint:surrey+sussex``), so that England and Wales = forces + BTP + those rows.

A workbook holds several tables per sheet; each is found by its title ("Table 3.2 Gender by
financial year ...", read by its wording, never its number), and belongs to the category named by
the nearest heading above it ("Deaths in or following police custody"). Years may be rows or
columns ("2004/05", "04/05", "15/16*"). Figures carry footnote marks ("3^", "15~"): ``~`` means
updated since first published (``note = revised``), other marks give ``note = footnote <mark>``.
The "Total" across years is not stored (it is not a year's figure) but is checked.
"""

from __future__ import annotations

import re
from typing import Any

from .. import forces
from ..errors import Problem
from .iopc_blocks import Block, TableKind, read_block, split_sheet
from .layout import ParsedFact
from .publication import Publication, TableRead, find_vintage, keep_once
from .spreadsheet import Workbook, find_period, normalise

__all__ = ["KIND", "CATEGORIES", "DIMENSION_LABELS", "TABLE_KINDS", "RELEASE_DATES", "recognise", "read"]

KIND = "official_iopc_deaths"
PUBLISHER = "Independent Office for Police Conduct"
_TITLE = r"deaths during or following police contact"

#: category of death -> (table key, the wording of its section heading, normalised)
CATEGORIES: dict[str, tuple[str, str]] = {
    "road_traffic": ("iopc_deaths_road_traffic", r"^(?:police related )?road traffic (?:incidents?|fatalit(?:y|ies)|deaths?)\b"),
    "shootings": ("iopc_deaths_shootings", r"^fatal (?:police )?shootings?\b"),
    "custody": ("iopc_deaths_custody", r"^deaths? in or following (?:police )?custody\b"),
    "apparent_suicides": ("iopc_deaths_apparent_suicides", r"^apparent suicides? following (?:police )?custody\b"),
    "other_contact": ("iopc_deaths_other_contact", r"^other deaths? following (?:police )?contact\b"),
}
TABLE_KEYS = tuple(key for key, _ in CATEGORIES.values())

#: published wording (normalised) -> category key, per breakdown
DIMENSION_LABELS: dict[str, dict[str, str]] = {
    "gender": {"male": "male", "males": "male", "female": "female", "females": "female",
               "not known": "not_known", "unknown": "not_known", "not stated": "not_known"},
    "age_group": {"under 18": "under_18", "18 20": "18_20", "21 30": "21_30", "31 40": "31_40", "41 50": "41_50",
                  "51 60": "51_60", "61 and over": "61_over", "61": "61_over", "61 over": "61_over",
                  "over 60": "61_over", "not known": "not_known", "unknown": "not_known"},
    "ethnicity": {"white": "white", "asian": "asian", "asian or asian british": "asian", "black": "black",
                  "black or black british": "black", "mixed": "mixed", "mixed ethnicity": "mixed", "other": "other",
                  "other ethnic group": "other", "not known not stated": "not_known", "not known stated": "not_known",
                  "not known": "not_known", "not stated": "not_known", "unknown": "not_known"},
    "rti_type": {"pursuit related": "pursuit", "pursuit": "pursuit", "pursuits": "pursuit",
                 "emergency response related": "emergency_response", "emergency response": "emergency_response",
                 "other": "other", "other traffic related": "other"},
}

#: the table types, by the wording of their titles (without "Table N.N")
TABLE_KINDS: list[TableKind] = [
    TableKind(r"^(?:number of )?fatalities and incidents by financial year", dimension=""),
    *(TableKind(title, dimension=d, labels=DIMENSION_LABELS[d]) for title, d in (
        (r"^type of road traffic (?:incident|fatality)", "rti_type"),
        (r"^gender by financial year", "gender"),
        (r"^age(?: group)? by financial year", "age_group"),
        (r"^ethnic(?:ity| group) by financial year", "ethnicity"))),
    TableKind(r"^number of (?:incidents|fatalities) by (?:appropriate authority|(?:police )?force)", dimension="",
              by_authority=True),
]

#: publication dates, which the workbooks do not print: the IOPC's release of each year's statistics
#: (2018/19: 5 September 2019; 2019/20: 22 October 2020, policeconduct.gov.uk news release)
RELEASE_DATES = {"2018-19": "2019-09-05", "2019-20": "2020-10-22"}
_FRONT = ("cover", "cover sheet", "contents", "index", "notes", "introduction", "list of tables")


def recognise(book: Workbook) -> bool:
    return book.format != "csv" and any(
        re.search(_TITLE, normalise(t)) for s in book.sheets[:3] for _r, _c, t in s.texts(40))


def _cover(book: Workbook) -> tuple[str, str, str]:
    """Title as printed on the cover, the period covered (``2004-05 to 2018-19``) and its last year."""
    texts = [" ".join(t.split()) for s in book.sheets[:1] for _r, _c, t in s.texts(40)]
    title = " ".join(texts)[:400] or "Deaths during or following police contact"
    for text in texts:
        m = re.search(r"(\d{4}\s*/\s*\d{2,4})\s+to\s+(\d{4}\s*/\s*\d{2,4})", text)
        if m:
            first, last = find_period(m.group(1)), find_period(m.group(2))
            if first and last and first != "*" and last != "*":
                return title, f"{first} to {last}", last
    return title, "", ""


def read(book: Workbook) -> Publication:
    title, period, last = _cover(book)
    printed = find_vintage(book)
    vintage = printed.isoformat() if printed else RELEASE_DATES.get(last, "")
    pub = Publication(KIND, PUBLISHER, title, vintage, period)
    if not vintage:
        pub.errors.append(Problem(
            f"cannot find the publication date of the release covering {period or 'an unknown period'}",
            file=book.filename, sheet=book.sheets[0].name if book.sheets else None,
            expected="'Published: <date>' on the cover, or a release listed in forcewatch.importers.iopc_deaths."
                     "RELEASE_DATES (" + ", ".join(RELEASE_DATES) + ")"))
        return pub
    seen: dict[tuple[str, ...], ParsedFact] = {}
    for sheet in book.sheets:
        if normalise(sheet.name) in _FRONT:
            continue
        blocks, problems = split_sheet(sheet, book.filename, TABLE_KINDS, CATEGORIES)
        pub.errors += [p for p in problems if p.severity == "error"]
        pub.warnings += [p for p in problems if p.severity == "warning"]
        for block in blocks:
            _read_block(block, book.filename, pub, seen)
    if not pub.errors:
        pub.warnings += _check_totals(pub.facts, book.filename)
    return pub


def _read_block(block: Block, filename: str, pub: Publication, seen: dict[tuple[str, ...], ParsedFact]) -> None:
    facts, problems = read_block(block, filename, _area)
    pub.errors += [p for p in problems if p.severity == "error"]
    pub.warnings += [p for p in problems if p.severity == "warning"]
    kept = keep_once(pub, seen, facts, filename, block.sheet.name)
    pub.tables.append(TableRead(block.sheet.name, block.number, block.title, block.table, kept))


# --- appropriate authorities ----------------------------------------------------------------

#: authorities the IOPC investigates that are not police force areas -> category key
OTHER_AUTHORITIES = {
    "hmrc": "hmrc", "hm revenue and customs": "hmrc",
    "ministry of defence": "ministry_of_defence", "mod": "ministry_of_defence", "mod police": "ministry_of_defence",
    "ministry of defence police": "ministry_of_defence",
    "soca nca": "nca", "soca": "nca", "nca": "nca", "national crime agency": "nca",
    "serious organised crime agency": "nca",
    "home office": "home_office", "uk border agency": "home_office", "ukba": "home_office",
}
#: misspellings printed in the IOPC tables ("West Midlands & Warkwickshire", 2018-19 Table 5.5)
MISSPELLINGS = {"warkwickshire": "Warwickshire"}
AUTHORITY_DIMENSION = "appropriate_authority"


def _force(text: str) -> forces.Area | None:
    n = normalise(text)
    return forces.try_resolve(MISSPELLINGS.get(n, text), "force") or forces.try_resolve(text, "country")


def _slug(area: forces.Area) -> str:
    return re.sub(r"[^a-z0-9]+", "_", area.name.lower()).strip("_")


def _area(label: Any) -> dict[str, str] | None:
    """Fields for an appropriate-authority label; ``None`` if not recognised."""
    if not isinstance(label, str) or not label.strip():
        return None
    text = label.strip().rstrip("^*~\"'").strip()
    area = _force(text)
    if area is not None:
        return {"area_code": area.code}
    n = normalise(text)
    if n in OTHER_AUTHORITIES:
        return {"area_code": forces.ENGLAND_AND_WALES.code, "dimension": AUTHORITY_DIMENSION,
                "category": OTHER_AUTHORITIES[n]}
    parts = [p for p in re.split(r"\s*(?:&|\band\b|/)\s*", text) if p.strip()]
    found = [_force(p) for p in parts]
    if len(parts) >= 2 and all(a is not None and a.is_force for a in found):
        return {"area_code": forces.ENGLAND_AND_WALES.code, "dimension": AUTHORITY_DIMENSION,
                "category": "joint:" + "+".join(_slug(a) for a in found if a)}
    return None


# --- checks between tables ----------------------------------------------------------------

def _check_totals(facts: list[ParsedFact], filename: str) -> list[Problem]:
    """Each breakdown's ``all`` = the category's own figure (Table x.1) for the same year."""
    ew = forces.ENGLAND_AND_WALES.code
    national = {(f.table, f.year, f.measure): f for f in facts
                if f.area_code == ew and not f.dimension and f.value is not None}
    out = []
    for f in facts:
        if f.category != "all" or f.value is None:
            continue
        other = national.get((f.table, f.year, f.measure))
        if other is not None and abs(other.value - f.value) > 0.5:  # type: ignore[operator]
            out.append(Problem(
                f"{f.cell} = {f.value:g} but {other.cell} = {other.value:g} ({f.table}, {f.year}, {f.measure}: "
                f"the {f.dimension} total differs from the table of {f.measure} by year)",
                file=filename, sheet=f.cell.partition("!")[0], severity="warning", expected=f"{other.value:g}"))
    return out
