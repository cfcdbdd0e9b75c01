"""The register's vocabularies and the small normalisation of its free-text codes.

Shared by the HR/training CSV import, the correction form and the eligibility policies, so a value
is read the same way wherever it is typed. Each reader returns ``(value, repaired)`` or raises
:class:`ValueError` with a message saying what was expected; callers turn that into a
:class:`~forcewatch.errors.Problem` naming the file, row and column (or the form field).

- **Statuses** (what kind of officer someone is on a date): ``officer`` (a regular officer past
  probation), ``probationer``, ``student_officer`` (a probationer on an apprenticeship or degree
  entry route), ``special_constable``, ``left`` (no longer serving).
- **Skills** (what a training event qualifies for): ``ced`` (Taser), and the firearms
  authorisations ``afo`` (authorised firearms officer), ``arv`` (armed response vehicle),
  ``ctsfo`` (counter terrorist specialist firearms officer), counted the same way.
- **Event kinds**: ``posting`` (rank, role, team, area and status from a date), ``training``
  (initial course or requalification, pass or fail, optional expiry), ``withdrawn`` and
  ``reinstated`` (an authorisation suspended or restored without training), ``device_issued`` and
  ``device_returned`` (a CED by serial number).
- **Ranks, roles, teams, areas** are the force's own codes: surrounding and repeated spaces are
  removed; ranks and roles have a few common spellings mapped to one code (``Police Constable``
  -> ``PC``; ``Emergency response`` -> ``response``); anything else is kept as written.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Final

__all__ = [
    "STATUSES", "SERVING_STATUSES", "SKILLS", "SKILL_LABELS", "KINDS", "TRAINING_KINDS", "DEVICE_KINDS",
    "COURSES", "RESULTS", "CORRECTION_REASONS", "RESPONSE_ROLE",
    "read_status", "read_skill", "read_course", "read_result", "read_kind", "read_rank", "read_role",
    "read_code", "read_serial", "read_date", "serial_key",
]

STATUSES: Final = ("officer", "probationer", "student_officer", "special_constable", "left")
SERVING_STATUSES: Final = frozenset(STATUSES[:-1])
SKILLS: Final = ("ced", "afo", "arv", "ctsfo")
SKILL_LABELS: Final = {"ced": "Taser (CED)", "afo": "Authorised firearms officer (AFO)",
                       "arv": "Armed response vehicle (ARV)", "ctsfo": "Counter terrorist specialist firearms officer"}
KINDS: Final = ("posting", "training", "withdrawn", "reinstated", "device_issued", "device_returned")
TRAINING_KINDS: Final = frozenset({"training", "withdrawn", "reinstated"})
DEVICE_KINDS: Final = frozenset({"device_issued", "device_returned"})
COURSES: Final = ("initial", "requalification")
RESULTS: Final = ("pass", "fail")
#: why a register event was corrected or retracted (codes, so the audit log holds no free text)
CORRECTION_REASONS: Final = ("data_entry_error", "late_record", "hr_system_correction", "duplicate", "other")
#: the role key whose officers make up "the share of response officers trained"
RESPONSE_ROLE: Final = "response"


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


_STATUS_ALIASES = {
    "officer": "officer", "regular": "officer", "regular officer": "officer", "police officer": "officer",
    "constable": "officer", "confirmed": "officer", "substantive": "officer",
    "probationer": "probationer", "probationary constable": "probationer", "probation": "probationer",
    "student officer": "student_officer", "student": "student_officer", "student police officer": "student_officer",
    "pcda": "student_officer", "dhep": "student_officer", "spo": "student_officer",
    "special constable": "special_constable", "special": "special_constable", "sc": "special_constable",
    "specials": "special_constable",
    "left": "left", "leaver": "left", "left the force": "left", "retired": "left", "resigned": "left",
}
_SKILL_ALIASES = {"ced": "ced", "taser": "ced", "conducted energy device": "ced", "sto": "ced", "x2": "ced",
                  "t7": "ced", "afo": "afo", "authorised firearms officer": "afo", "arv": "arv",
                  "armed response vehicle": "arv", "ctsfo": "ctsfo",
                  "counter terrorist specialist firearms officer": "ctsfo"}
_COURSE_ALIASES = {"initial": "initial", "initial course": "initial", "basic": "initial", "new": "initial",
                   "requalification": "requalification", "requal": "requalification", "refresher": "requalification",
                   "annual requalification": "requalification", "recertification": "requalification",
                   "reaccreditation": "requalification"}
_RESULT_ALIASES = {"pass": "pass", "passed": "pass", "competent": "pass", "p": "pass",
                   "fail": "fail", "failed": "fail", "not yet competent": "fail", "not competent": "fail", "f": "fail"}
_KIND_ALIASES = {"posting": "posting", "joined": "posting", "transfer": "posting", "promotion": "posting",
                 "status change": "posting", "left": "posting", "leaver": "posting",
                 "training": "training", "course": "training",
                 "withdrawn": "withdrawn", "suspended": "withdrawn", "withdrawal": "withdrawn",
                 "reinstated": "reinstated", "restored": "reinstated",
                 "device issued": "device_issued", "issued": "device_issued", "issue": "device_issued",
                 "device returned": "device_returned", "returned": "device_returned", "return": "device_returned"}
_RANKS = {"pc": "PC", "police constable": "PC", "constable": "PC", "dc": "DC", "detective constable": "DC",
          "sc": "SC", "special constable": "SC", "sgt": "Sgt", "ps": "Sgt", "sergeant": "Sgt", "police sergeant": "Sgt",
          "ds": "DS", "detective sergeant": "DS", "insp": "Insp", "inspector": "Insp",
          "ci": "Ch Insp", "ch insp": "Ch Insp", "chief inspector": "Ch Insp",
          "supt": "Supt", "superintendent": "Supt", "ch supt": "Ch Supt", "chief superintendent": "Ch Supt",
          "spc": "SPC", "student police constable": "SPC", "student officer": "SPC"}
_ROLES = {"response": "response", "emergency response": "response", "patrol": "response", "reactive": "response",
          "response and patrol": "response", "neighbourhood": "neighbourhood", "neighbourhood policing": "neighbourhood",
          "npt": "neighbourhood", "roads policing": "roads_policing", "traffic": "roads_policing",
          "armed response": "armed_response", "arv": "armed_response", "firearms": "armed_response",
          "investigation": "investigation", "cid": "investigation", "custody": "custody",
          "dog": "dogs", "dogs": "dogs", "dog handler": "dogs", "public order": "public_order", "tsg": "public_order",
          "operational support": "operational_support"}


def _lookup(value: str, table: dict[str, str], what: str, allowed: tuple[str, ...] | list[str]) -> tuple[str, bool]:
    text = value.strip()
    found = table.get(_key(text))
    if found is None:
        raise ValueError(f"unknown {what} {value!r}; expected one of: {', '.join(allowed)}")
    return found, found != text


def read_status(value: str) -> tuple[str, bool]:
    """A status key (``officer`` ... ``left``) from what an HR export writes."""
    return _lookup(value, _STATUS_ALIASES, "status", STATUSES)


def read_skill(value: str) -> tuple[str, bool]:
    """A skill key: ``Taser`` -> ``ced``; ``AFO``, ``ARV``, ``CTSFO``."""
    return _lookup(value, _SKILL_ALIASES, "skill", ["Taser (CED)", "AFO", "ARV", "CTSFO"])


def read_course(value: str) -> tuple[str, bool]:
    """``initial`` or ``requalification`` (``Refresher``, ``Annual requalification`` ...)."""
    return _lookup(value, _COURSE_ALIASES, "course", COURSES)


def read_result(value: str) -> tuple[str, bool]:
    """``pass`` or ``fail`` (``Passed``, ``Competent``, ``Not yet competent`` ...)."""
    return _lookup(value, _RESULT_ALIASES, "result", RESULTS)


def read_kind(value: str) -> tuple[str, bool]:
    """An event kind from the export's ``Event`` column (``Device issued`` -> ``device_issued``)."""
    return _lookup(value, _KIND_ALIASES, "event", ["Posting", "Left", "Training", "Withdrawn", "Reinstated",
                                                   "Device issued", "Device returned"])


def read_code(value: str, max_length: int = 80) -> tuple[str, bool]:
    """A team or area code as the force writes it, spaces tidied; empty text is an error."""
    tidy = " ".join(value.split())
    if not tidy:
        raise ValueError("is empty")
    if len(tidy) > max_length:
        raise ValueError(f"is longer than {max_length} characters")
    return tidy, tidy != value


def read_rank(value: str) -> tuple[str, bool]:
    """A rank: common spellings to one code (``Police Constable`` -> ``PC``), others kept tidied."""
    tidy, _ = read_code(value, 40)
    found = _RANKS.get(_key(tidy), tidy)
    return found, found != value


def read_role(value: str) -> tuple[str, bool]:
    """A role key: ``Emergency response`` -> ``response``; others lower-case with underscores."""
    tidy, _ = read_code(value, 40)
    found = _ROLES.get(_key(tidy)) or _key(tidy).replace(" ", "_")
    return found, found != value


def read_serial(value: str) -> tuple[str, bool]:
    """A device serial number as written, spaces removed and upper-cased (``x29 00123`` -> ``X2900123``)."""
    tidy = "".join(value.split()).upper()
    if not tidy:
        raise ValueError("is empty")
    if len(tidy) > 80 or not re.fullmatch(r"[A-Z0-9./_-]+", tidy):
        raise ValueError("is not a serial number (letters, digits, '-', '/', '.', '_'; at most 80)")
    return tidy, tidy != value


def serial_key(value: str | None) -> str | None:
    """The form two serial numbers are compared in (the same tidying as :func:`read_serial`)."""
    if value is None:
        return None
    tidy = "".join(value.split()).upper()
    return tidy or None


_DATE_FORMATS = (("%Y-%m-%d", False), ("%d/%m/%Y", True), ("%d-%m-%Y", True), ("%d.%m.%Y", True),
                 ("%Y-%m-%d %H:%M:%S", True), ("%Y-%m-%dT%H:%M:%S", True))


def read_date(value: str | date, *, today: date | None = None, future_ok: bool = False) -> tuple[date, bool]:
    """An ISO date (``2019-02-01``); day-first ``01/02/2019`` is read and reported as a repair.

    A date after ``today`` is refused unless ``future_ok`` (an expiry date): a register records
    what happened.
    """
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        found, repaired = value, False
    else:
        text = value.strip()
        for fmt, repaired in _DATE_FORMATS:
            try:
                found = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise ValueError(f"{value!r} is not a date; expected YYYY-MM-DD")
    if not future_ok and found > (today or date.today()):
        raise ValueError(f"{found.isoformat()} is in the future")
    if found.year < 1950:
        raise ValueError(f"{found.isoformat()} is before 1950")
    return found, repaired
