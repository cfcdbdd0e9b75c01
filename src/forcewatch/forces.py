"""The police forces of England and Wales, their ONS codes, regions, and every spelling of them.

Areas are the 43 territorial police force areas (ONS ``E23``/``W15`` codes, from the ONS lookup of
local authority districts to police force areas, December 2016), the nine English regions and
Wales (``E12``/``W92``, the Home Office's regional subtotals), England and Wales (``K04000001``),
and British Transport Police.

British Transport Police polices the railways rather than a geographic area, so ONS gives it no
police force area code; forcewatch uses ``BTP`` as its code and says so wherever it appears.

Publications spell names many ways ("Avon & Somerset", "Metropolitan", "London, City of",
"Devon & Cornwall ", "Dyfed Powys", "*Total England and Wales", "Wiltshire1" with a footnote
marker, "Hampshire (R)" for a revised figure, "Total 43 forces"). :func:`resolve` maps each to
one canonical :class:`Area`; an unknown name raises :class:`~forcewatch.errors.UnknownName`
naming the nearest known names.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Literal

from .errors import UnknownName

__all__ = [
    "Area",
    "AreaKind",
    "AREAS",
    "ENGLAND_AND_WALES",
    "BTP",
    "forces",
    "regions",
    "resolve",
    "get",
    "normalise_label",
]

AreaKind = Literal["force", "region", "country"]


@dataclass(frozen=True, order=True)
class Area:
    """A police force area, a region, or England and Wales."""

    code: str
    name: str
    kind: AreaKind
    #: region code for a force ('' for BTP and for regions and the country)
    region_code: str = ""
    #: the ONS name where it differs from the canonical name
    ons_name: str = ""
    #: other spellings seen in publications (normalised matching makes most unnecessary)
    aliases: tuple[str, ...] = ()

    @property
    def is_force(self) -> bool:
        return self.kind == "force"

    @property
    def territorial(self) -> bool:
        """True for the 43 territorial forces (not BTP)."""
        return self.kind == "force" and self.code != "BTP"

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "region_code": self.region_code,
            "region": get(self.region_code).name if self.region_code else "",
        }


ENGLAND_AND_WALES = Area(
    "K04000001", "England and Wales", "country",
    # "Total 43 forces" is the workforce tables' England and Wales row. A bare "Total" is not an
    # alias: in the workforce tables it adds BTP and central secondments to the 43 forces.
    aliases=("Total England and Wales", "Total 43 forces", "England & Wales"),
)

_REGIONS = (
    Area("E12000001", "North East", "region"),
    Area("E12000002", "North West", "region"),
    Area("E12000003", "Yorkshire and the Humber", "region", aliases=("Yorkshire & the Humber", "Yorkshire and Humber")),
    Area("E12000004", "East Midlands", "region"),
    Area("E12000005", "West Midlands", "region", aliases=("West Midlands region",)),
    Area("E12000006", "East of England", "region", aliases=("Eastern", "East")),
    Area("E12000007", "London", "region"),
    Area("E12000008", "South East", "region"),
    Area("E12000009", "South West", "region"),
    Area("W92000004", "Wales", "region"),
)

_NE, _NW, _YH, _EM, _WM, _EE, _LO, _SE, _SW, _WA = (r.code for r in _REGIONS)

_FORCES = (
    Area("E23000001", "Metropolitan Police", "force", _LO, aliases=("Metropolitan", "Metropolitan Police Service", "MPS", "Met")),
    Area("E23000002", "Cumbria", "force", _NW),
    Area("E23000003", "Lancashire", "force", _NW),
    Area("E23000004", "Merseyside", "force", _NW),
    Area("E23000005", "Greater Manchester", "force", _NW, aliases=("GMP",)),
    Area("E23000006", "Cheshire", "force", _NW),
    Area("E23000007", "Northumbria", "force", _NE),
    Area("E23000008", "Durham", "force", _NE),
    Area("E23000009", "North Yorkshire", "force", _YH),
    Area("E23000010", "West Yorkshire", "force", _YH),
    Area("E23000011", "South Yorkshire", "force", _YH),
    Area("E23000012", "Humberside", "force", _YH),
    Area("E23000013", "Cleveland", "force", _NE),
    Area("E23000014", "West Midlands", "force", _WM, aliases=("West Midlands Police",)),
    Area("E23000015", "Staffordshire", "force", _WM),
    Area("E23000016", "West Mercia", "force", _WM),
    Area("E23000017", "Warwickshire", "force", _WM),
    Area("E23000018", "Derbyshire", "force", _EM),
    Area("E23000019", "Nottinghamshire", "force", _EM),
    Area("E23000020", "Lincolnshire", "force", _EM),
    Area("E23000021", "Leicestershire", "force", _EM),
    Area("E23000022", "Northamptonshire", "force", _EM),
    Area("E23000023", "Cambridgeshire", "force", _EE),
    Area("E23000024", "Norfolk", "force", _EE),
    Area("E23000025", "Suffolk", "force", _EE),
    Area("E23000026", "Bedfordshire", "force", _EE),
    Area("E23000027", "Hertfordshire", "force", _EE),
    Area("E23000028", "Essex", "force", _EE),
    Area("E23000029", "Thames Valley", "force", _SE),
    Area("E23000030", "Hampshire", "force", _SE, aliases=("Hampshire and Isle of Wight", "Hampshire & Isle of Wight")),
    Area("E23000031", "Surrey", "force", _SE),
    Area("E23000032", "Kent", "force", _SE),
    Area("E23000033", "Sussex", "force", _SE),
    Area("E23000034", "City of London", "force", _LO, ons_name="London, City of", aliases=("London, City of", "City of London Police")),
    Area("E23000035", "Devon and Cornwall", "force", _SW, ons_name="Devon & Cornwall"),
    Area("E23000036", "Avon and Somerset", "force", _SW),
    Area("E23000037", "Gloucestershire", "force", _SW),
    Area("E23000038", "Wiltshire", "force", _SW),
    Area("E23000039", "Dorset", "force", _SW),
    Area("W15000001", "North Wales", "force", _WA),
    Area("W15000002", "Gwent", "force", _WA),
    Area("W15000003", "South Wales", "force", _WA),
    Area("W15000004", "Dyfed-Powys", "force", _WA, aliases=("Dyfed Powys",)),
)

BTP = Area("BTP", "British Transport Police", "force", aliases=("British Transport", "BTP"))

AREAS: tuple[Area, ...] = (ENGLAND_AND_WALES, *_REGIONS, *_FORCES, BTP)
_BY_CODE = {a.code: a for a in AREAS}

# Words that decorate a name without changing which area it is.
_DROP_WORDS = {"police", "constabulary", "service", "force", "area", "the"}
_FOOTNOTE = re.compile(r"(\s*\((r|p|\d+)\)|[\d~^*†‡§]+)$", re.IGNORECASE)


def normalise_label(text: str) -> str:
    """Reduce a published label to a comparable key.

    Drops leading ``*``, trailing footnote markers (``Wiltshire1``, ``Hampshire (R)``, ``Other^``),
    letter case, punctuation, ``&``/``and`` differences and repeated spaces.

    >>> normalise_label(" *Total North East ")
    'total north east'
    >>> normalise_label("Devon & Cornwall ") == normalise_label("Devon and Cornwall")
    True
    """
    s = str(text).replace("\u00a0", " ").strip()
    s = s.lstrip("*").strip()
    for _ in range(2):
        s = _FOOTNOTE.sub("", s).strip()
    s = s.lower().replace("&", " and ")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def _key(text: str) -> str:
    words = [w for w in normalise_label(text).split() if w not in _DROP_WORDS]
    return " ".join(words)


@lru_cache(maxsize=1)
def _index() -> dict[AreaKind, dict[str, Area]]:
    index: dict[AreaKind, dict[str, Area]] = {"force": {}, "region": {}, "country": {}}
    for area in AREAS:
        for spelling in (area.name, area.ons_name, area.code, *area.aliases):
            if spelling:
                key = _key(spelling)
                if key.startswith("total "):
                    key = key[len("total "):]
                index[area.kind][key] = area
    return index


def get(code: str) -> Area:
    """The area with this code (``E23000001``, ``E12000007``, ``K04000001``, ``BTP``)."""
    try:
        return _BY_CODE[code.strip().upper()]
    except KeyError:
        raise UnknownName("area code", code, difflib.get_close_matches(code.upper(), _BY_CODE, n=3)) from None


def resolve(name: str, kind: AreaKind | None = None) -> Area:
    """The canonical area for a published spelling of a force, region or England and Wales.

    ``kind`` settles names shared by a force and a region ("West Midlands"): without it, a plain
    name means the force and a ``Total ...`` name means the region or country, which is how the
    Home Office tables write them.

    >>> resolve("Avon & Somerset").code
    'E23000036'
    >>> resolve("Total West Midlands ").code
    'E12000005'
    """
    if not isinstance(name, str) or not name.strip():
        raise UnknownName("force or area", str(name), [])
    stripped = name.strip()
    if stripped.upper() in _BY_CODE and re.fullmatch(r"[A-Z]\d{8}|BTP", stripped.upper()):
        area = _BY_CODE[stripped.upper()]
        if kind is None or area.kind == kind:
            return area
    key = _key(stripped)
    total = key.startswith("total ") or key == "total"
    if total and key != "total":
        key = key[len("total "):]
    index = _index()
    if kind is not None:
        order: tuple[AreaKind, ...] = (kind,)
    elif total:
        order = ("country", "region", "force")
    else:
        order = ("force", "country", "region")
    for k in order:
        if key in index[k]:
            return index[k][key]
    candidates = [a.name for a in AREAS if kind is None or a.kind == kind]
    suggestions = difflib.get_close_matches(stripped, candidates, n=3, cutoff=0.5)
    if not suggestions:
        lowered = {normalise_label(c): c for c in candidates}
        suggestions = [lowered[m] for m in difflib.get_close_matches(normalise_label(stripped), lowered, n=3, cutoff=0.4)]
    raise UnknownName("force" if kind in (None, "force") else kind, name, suggestions)


def try_resolve(name: str, kind: AreaKind | None = None) -> Area | None:
    """Like :func:`resolve` but returns ``None`` for a name that is not an area."""
    try:
        return resolve(name, kind)
    except UnknownName:
        return None


def forces(include_btp: bool = False) -> list[Area]:
    """The 43 territorial forces (and BTP if asked), in ONS code order."""
    return [a for a in AREAS if a.kind == "force" and (include_btp or a.code != "BTP")]


def regions() -> list[Area]:
    """The nine English regions and Wales."""
    return list(_REGIONS)


def forces_in(region_code: str) -> list[Area]:
    """The territorial forces in one region."""
    return [a for a in _FORCES if a.region_code == region_code]


def all_names() -> Iterable[str]:
    """Every canonical name, for completion and suggestions."""
    return (a.name for a in AREAS)
