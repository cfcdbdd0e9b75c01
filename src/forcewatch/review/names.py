"""Finding people's names (and collar numbers after a rank) in officers' free text.

Rules, from most to least certain; each keeps the rank or title and finds only what identifies:

1. **A rank or title, then a name or number**: ``PC Smith``, ``Sgt. O'Neill``, ``DC Amir Khan``,
   ``Inspector Jones``, ``my sergeant Dave``, ``Mrs Okafor``; ``PC 1234``, ``PS #4567``,
   ``PC 1234 Smith``. After a rank any capitalised word that is not a common word, an acronym or a
   policing term is taken as a name (``PC White`` too, since ``White`` is a listed surname).
2. **A listed given name**, with any capitalised words after it (``Tomasz Wiśniewski``). A given
   name that is also a common word (``Will``, ``Grace``, ``Mark``) counts only when a listed
   surname follows it.
3. **A listed surname** that is not a common word (``Patel``, ``Jones``), with an unknown
   capitalised word just before it (``Kwabena Mensah``). ``Brown`` or ``Hall`` alone do not count.

Never names: phrases such as ``Operation Hampshire``/``Op X``, ``Harper's Law``, force and region
names (``West Midlands``), call-sign pairs (``Oscar Kilo``, ``Charlie Delta``), and a name-like
sequence followed by a place word (``Victoria Station``, ``Elizabeth Hospital``). Lower-case names
are not found: the rules are kept conservative so that policing vocabulary survives redaction.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .. import forces

__all__ = ["NameMatch", "find_names"]

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+)*|\d+[A-Za-z]{0,3}|\S")
_TITLES_EXACT = frozenset(
    (
        "PC WPC DC TDC PS DS TDS DI TDI DCI CI DSU DCS ACC DCC CC PCSO SC Sgt Insp Supt Cst "
        "Det Mr Mrs Ms Miss Mx Dr Prof Sir Dame Cllr Cmdr Cdr Officer"
    ).split()
)
_TITLES_ANY_CASE = frozenset(
    (
        "sergeant sgt inspector constable superintendent commander sarge skipper detective pcso"
    ).split()
)
_ABBREVIATIONS = frozenset("sgt insp supt det cst mr mrs ms mx dr prof cllr cmdr cdr".split())
_PARTICLES = frozenset("de da del della van von der den al el bin ibn ap le la du di".split())
_PHONETIC = frozenset(
    (
        "Alpha Bravo Charlie Delta Echo Foxtrot Golf Hotel India Juliet Juliett Kilo Lima "
        "Mike November Oscar Papa Quebec Romeo Sierra Tango Uniform Victor Whiskey Whisky "
        "Yankee Zulu"
    ).split()
)
_PLACE_WORDS = frozenset(
    (
        "Street Road Lane Avenue Way Close Drive Park Square Place Crescent Gardens Terrace "
        "Estate Station Hospital School Court House Hall Centre Bridge Stadium Prison "
        "Barracks Academy"
    ).split()
)
_PROTECTED = re.compile(r"\b(?:Operation|Op)\s+[A-Z][\w'’-]*|\b[A-Z][a-z]+['’]s\s+Law\b")
_COLLAR = re.compile(r"\d{3,7}[A-Za-z]{0,3}|\d{1,2}(?!st|nd|rd|th|ST|ND|RD|TH)[A-Za-z]{2,3}")
_NOT_AFTER_COLLAR = frozenset(
    (
        "years year yrs yr months weeks days hours hrs mins minutes times officers people am pm"
    ).split()
)


@dataclass(frozen=True)
class NameMatch:
    """A span of the text holding a name (``kind="name"``) or a collar number after a rank."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


def _lines(name: str) -> list[str]:
    text = resources.files("forcewatch").joinpath("data", "review", name).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def _lexicon() -> tuple[
    frozenset[str], frozenset[str], frozenset[str], frozenset[str], re.Pattern[str]
]:
    given = frozenset(_lines("given-names.txt"))
    surnames = frozenset(_lines("surnames.txt"))
    common = frozenset(_lines("common-words.txt"))
    area_names = {n for a in forces.AREAS for n in (a.name, a.ons_name, *a.aliases) if n}
    area_tokens = {t for n in area_names for t in re.findall(r"[^\W\d_]+", n) if t[0].isupper()}
    not_names = frozenset(_lines("not-names.txt")) | (area_tokens - given - surnames)
    phrases = sorted(
        area_names | {"Oscar Kilo", "Crown Court", "Body Worn Video"}, key=len, reverse=True
    )
    protected = re.compile(
        "|".join([_PROTECTED.pattern, *(r"\b" + re.escape(p) + r"\b" for p in phrases)])
    )
    return given, surnames, common, not_names, protected


def _base(word: str) -> str:
    """The word without a possessive ``'s``."""
    return re.sub(r"['’]s$", "", word)


class _Scanner:
    def __init__(self, text: str) -> None:
        self.given, self.surnames, self.common, self.not_names, protected = _lexicon()
        self.tokens = [_Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        self.blocked = [False] * len(self.tokens)
        ends = [tok.end for tok in self.tokens]
        for m in protected.finditer(text):
            i = bisect.bisect_right(ends, m.start())  # first token ending after the phrase starts
            while i < len(self.tokens) and self.tokens[i].start < m.end():
                self.blocked[i] = True
                i += 1

    def word(self, i: int) -> str:
        return _base(self.tokens[i].text) if 0 <= i < len(self.tokens) else ""

    def listed(self, word: str) -> bool:
        probe = word.title() if word.isupper() else word
        return probe in self.given or probe in self.surnames

    def ordinary(self, word: str) -> bool:
        """A capitalised word that is a common word, acronym or policing term: never a name alone."""
        head = word.split("-")[0]
        return (
            word.lower() in self.common
            or word in self.not_names
            or head in self.not_names
            or head.lower() in self.common
            or (word.isupper() and len(word) > 1)
        )

    def capitalised(self, i: int) -> bool:
        w = self.word(i)
        return bool(w) and w[0].isupper() and w[0].isalpha() and not self.blocked[i]

    def initial(self, i: int) -> bool:
        w = self.word(i)
        return len(w) == 1 and w.isupper() and not self.blocked[i]

    def is_title(self, i: int) -> bool:
        w = self.word(i)
        return w in _TITLES_EXACT or w.lower() in _TITLES_ANY_CASE

    def name_part(self, i: int, *, after_title: bool) -> bool:
        if not self.capitalised(i) or self.is_title(i):
            return False
        w = self.word(i)
        if w.isupper() and len(w) > 1:
            return after_title and self.listed(w)
        return self.listed(w) if self.ordinary(w) else True

    def run(self, i: int, *, after_title: bool, limit: int = 3) -> int:
        """Index just past the name parts starting at ``i`` (initials and particles allowed inside)."""
        j, parts = i, 0
        while j < len(self.tokens) and parts < limit:
            if self.initial(j):
                j += 2 if self.word(j + 1) == "." else 1
            elif self.name_part(j, after_title=after_title):
                j += 1
            elif (  # "Hassan al Rashid", "Ruud van Dijk": a particle inside a name
                j > i
                and self.word(j).lower() in _PARTICLES
                and self.name_part(j + 1, after_title=after_title)
            ):
                j += 1
            else:
                break
            parts += 1
        while j > i and (self.initial(j - 1) or self.word(j - 1) == "."):
            j -= 1  # a name does not end with an initial ("the sergeant I spoke to")
        return j

    def span(self, i: int, j: int) -> NameMatch:
        end_tok = self.tokens[j - 1]
        return NameMatch("name", self.tokens[i].start, end_tok.start + len(_base(end_tok.text)))

    def followed_by_place(self, j: int) -> bool:
        return self.word(j) in _PLACE_WORDS

    def after_title(self, i: int) -> tuple[list[NameMatch], int]:
        """Collar number and/or name after the title at ``i``; returns matches and the next index."""
        found: list[NameMatch] = []
        j = i + 1
        if self.word(j) == "." and self.word(i).lower() in _ABBREVIATIONS:
            j += 1  # "Sgt. Jones"; but "NFA'd by a DS. Fleet ..." ends a sentence
        if self.word(j) == "#":
            j += 1
        if (
            j < len(self.tokens)
            and _COLLAR.fullmatch(self.tokens[j].text)
            and self.word(j + 1).lower() not in _NOT_AFTER_COLLAR
        ):
            found.append(NameMatch("collar_number", self.tokens[j].start, self.tokens[j].end))
            j += 1
        end = self.run(j, after_title=True)
        if end > j and not self.followed_by_place(end):
            found.append(self.span(j, end))
            j = end
        return found, max(j, i + 1)

    def scan(self) -> Iterator[NameMatch]:
        i = 0
        while i < len(self.tokens):
            w = self.word(i)
            if self.blocked[i]:
                i += 1
            elif self.is_title(i) and (self.capitalised(i) or w.lower() in _TITLES_ANY_CASE):
                found, i = self.after_title(i)
                yield from found
            elif w in _PHONETIC and self.word(i + 1) in _PHONETIC:
                i += 2
            elif self.capitalised(i) and w in self.given and not w.isupper():
                end = self.run(i + 1, after_title=False, limit=2)
                needs_surname = self.ordinary(w)
                has_surname = any(self.word(k) in self.surnames for k in range(i + 1, end))
                if (has_surname or not needs_surname) and not self.followed_by_place(end):
                    yield self.span(i, end)
                i = max(end, i + 1)
            elif self.capitalised(i) and w in self.surnames and not self.ordinary(w):
                start = (
                    i - 1
                    if (
                        self.capitalised(i - 1)
                        and not self.ordinary(self.word(i - 1))
                        and not self.is_title(i - 1)
                    )
                    else i
                )
                end = self.run(i + 1, after_title=False, limit=1)
                if not self.followed_by_place(end):
                    yield self.span(start, end)
                i = max(end, i + 1)
            else:
                i += 1


def find_names(text: str) -> list[NameMatch]:
    """Every name, and every collar number written straight after a rank, in ``text``."""
    return list(_Scanner(text).scan())
