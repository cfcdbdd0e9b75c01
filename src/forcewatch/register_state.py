"""What an officer's register history says on a date: pure functions over dated events.

No database and no clock: :mod:`forcewatch.register` loads the histories, this module answers
"where did they serve, were they trained and in date, who held device X" for any date, and
:mod:`forcewatch.eligibility` supplies the policy (how long a pass is valid, who is eligible).

Rules (docs/register.md explains them with examples):

- **Posting on a date**: the latest ``posting`` event on or before the date. Before the first
  posting the officer is not counted; from a posting with status ``left`` they are not serving.
- **Authorisation for a skill on a date** (events on or before the date, in date order): a pass
  (initial or requalification) authorises until its expiry (the export's ``expires_on``, else the
  policy's validity from the pass date), inclusive; a failed requalification ends it that day
  (``failed``); ``withdrawn`` ends it until a ``reinstated`` event or a later pass; a failed
  initial course leaves the officer ``never_trained``. An authorisation past its expiry is
  ``lapsed``.
- **Device holders on a date**: an issue of a serial runs until the first return of that serial
  on or after the issue (the return day still counts as held), or until the day before the serial
  is next issued on a later date; an issue with neither is open. Two issues the same day (a pool
  device used on two shifts) both hold it that day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable, Mapping, Sequence

from .register_vocab import SERVING_STATUSES, serial_key

__all__ = ["RegisterEvent", "OfficerHistory", "Authorisation", "ExpiryRule", "AUTHORISATION_STATES",
           "authorisation_on", "lapse_dates", "DeviceLog"]

#: the states of an officer's authorisation for one skill on one date
AUTHORISATION_STATES = ("in_date", "lapsed", "failed", "withdrawn", "never_trained")

#: expiry_of(skill, pass_date) -> last valid day under the policy in force on pass_date, or None
ExpiryRule = Callable[[str, date], "date | None"]


@dataclass(frozen=True)
class RegisterEvent:
    """One stored register event (see :mod:`forcewatch.store.tables.register` for the columns)."""

    id: int
    officer_id: int
    kind: str
    event_date: date
    rank: str | None = None
    role: str | None = None
    team: str | None = None
    area: str | None = None
    status: str | None = None
    skill: str | None = None
    course: str | None = None
    result: str | None = None
    expires_on: date | None = None
    serial: str | None = None
    state: str = "current"
    version: int = 1
    natural_key: str = ""
    source_row: int | None = None
    recorded_at: datetime | None = None
    recorded_by: str = ""
    replaces_id: int | None = None
    reason: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> RegisterEvent:
        return cls(**{k: row[k] for k in cls.__dataclass_fields__ if k in row})

    @property
    def order(self) -> tuple[date, int]:
        return self.event_date, self.id

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class Authorisation:
    """An officer's authorisation for one skill on one date."""

    skill: str
    on: date
    state: str
    first_pass: date | None
    last_pass: date | None
    expires_on: date | None

    @property
    def trained(self) -> bool:
        """Ever passed a course for this skill (on or before the date)."""
        return self.first_pass is not None

    @property
    def in_date(self) -> bool:
        return self.state == "in_date"

    def as_dict(self) -> dict[str, Any]:
        return {"skill": self.skill, "on": self.on, "state": self.state, "first_pass": self.first_pass,
                "last_pass": self.last_pass, "expires_on": self.expires_on}


@dataclass
class OfficerHistory:
    """One officer's current (not superseded or retracted) events, in date order."""

    officer_id: int
    force_code: str
    pseudonym: str
    events: list[RegisterEvent] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.events.sort(key=lambda e: e.order)
        self._postings = [e for e in self.events if e.kind == "posting"]
        self._skills: dict[str, list[RegisterEvent]] = {}
        for e in self.events:
            if e.kind in ("training", "withdrawn", "reinstated") and e.skill:
                self._skills.setdefault(e.skill, []).append(e)

    def skill_events(self, skill: str) -> list[RegisterEvent]:
        """Training, withdrawn and reinstated events for one skill, in date order."""
        return self._skills.get(skill, [])

    def of_kind(self, *kinds: str, skill: str | None = None) -> list[RegisterEvent]:
        return [e for e in self.events if e.kind in kinds and (skill is None or e.skill == skill)]

    def posting_on(self, on: date) -> RegisterEvent | None:
        """The latest posting on or before ``on`` (``None`` before the first)."""
        found = None
        for posting in self._postings:
            if posting.event_date > on:
                break
            found = posting
        return found

    def serving_on(self, on: date) -> bool:
        posting = self.posting_on(on)
        return posting is not None and posting.status in SERVING_STATUSES


def _walk(events: Iterable[RegisterEvent], skill: str, expiry_of: ExpiryRule,
          on_lapse: Callable[[date], None] | None = None, until: date | None = None) -> Authorisation:
    """Run the authorisation state machine over ``events`` (sorted) up to ``until`` inclusive."""
    state, first, last, expires = "never_trained", None, None, None
    for e in events:
        if until is not None and e.event_date > until:
            break
        if e.skill != skill:
            continue
        if state == "authorised" and expires is not None and e.event_date > expires:
            state = "lapsed"
            if on_lapse:
                on_lapse(expires + timedelta(days=1))
        if e.kind == "training" and e.result == "pass":
            first = first or e.event_date
            last = e.event_date
            expires = e.expires_on or expiry_of(skill, e.event_date)
            state = "authorised"
        elif e.kind == "training" and e.result == "fail":
            if first is not None:
                state = "failed"
        elif e.kind == "withdrawn" and first is not None:
            state = "withdrawn"
        elif e.kind == "reinstated" and state == "withdrawn":
            state = "authorised"
    end = until or date.max
    if state == "authorised" and expires is not None and expires < end:
        state = "lapsed"
        if on_lapse:
            on_lapse(expires + timedelta(days=1))
    final = "in_date" if state == "authorised" else state
    return Authorisation(skill, end, final, first, last, expires)


def authorisation_on(history: OfficerHistory, skill: str, on: date, expiry_of: ExpiryRule) -> Authorisation:
    """The officer's authorisation for ``skill`` on ``on`` (see the module's rules)."""
    return _walk(history.skill_events(skill), skill, expiry_of, until=on)


def lapse_dates(history: OfficerHistory, skill: str, until: date, expiry_of: ExpiryRule) -> list[date]:
    """The first day of each lapse of the officer's authorisation, up to ``until``.

    An authorisation lapses the day after its expiry when no pass renewed it by then (a later,
    late requalification does not undo the lapse). Failures and withdrawals are not lapses.
    """
    found: list[date] = []
    _walk(history.skill_events(skill), skill, expiry_of, on_lapse=found.append, until=until)
    return [d for d in found if d <= until]


class DeviceLog:
    """Who held each CED serial when: built from the ``device_issued``/``device_returned`` events."""

    def __init__(self, events: Sequence[RegisterEvent]) -> None:
        self._by_serial: dict[str, list[RegisterEvent]] = {}
        for e in sorted(events, key=lambda e: e.order):
            key = serial_key(e.serial)
            if key:
                self._by_serial.setdefault(key, []).append(e)

    def known(self, serial: str | None) -> bool:
        """Whether the serial was ever issued or returned in this register."""
        key = serial_key(serial)
        return key is not None and key in self._by_serial

    def serials(self) -> list[str]:
        return sorted(self._by_serial)

    def custody(self, serial: str) -> list[tuple[int, date, date | None]]:
        """Each issue of ``serial``: (officer id, issued on, held until inclusive or ``None`` if open)."""
        events = self._by_serial.get(serial_key(serial) or "", [])
        spans = []
        for i, issue in enumerate(events):
            if issue.kind != "device_issued":
                continue
            end: date | None = None
            for later in events[i + 1:]:
                if later.kind == "device_returned":
                    end = later.event_date
                    break
                if later.kind == "device_issued" and later.event_date > issue.event_date:
                    end = later.event_date - timedelta(days=1)
                    break
            spans.append((issue.officer_id, issue.event_date, end))
        return spans

    def holders_on(self, serial: str, on: date) -> set[int]:
        """Officer ids holding ``serial`` on ``on`` (empty when it was in store or not yet issued)."""
        return {officer for officer, start, end in self.custody(serial) if start <= on and (end is None or on <= end)}
