"""The Taser-trained officer register: who is trained, in date and where, on any date.

The register is the denominator every rate and every threat and risk assessment needs. Officers
are held only by pseudonym (:func:`forcewatch.pseudonyms.officer_pseudonym`, the function records
use, so a register entry matches a report's ``officer_pseudonym``), with dated events: postings,
training, authorisations withdrawn or reinstated, devices issued and returned
(:mod:`forcewatch.store.tables.register`). Loading is :mod:`forcewatch.register_import`;
corrections :mod:`forcewatch.register_edits`; cross-checks with reports
:mod:`forcewatch.register_checks`; policies :mod:`forcewatch.eligibility`.

Queries here check access (``register.read``) and write a ``record.read`` audit event:

- :func:`count_on` / :func:`series`: counts on a date, and over time with throughput and rates
  (force scope: force analysts and chief officers);
- :func:`current_headcount`: in-date, eligible officers by team or area, in the shape
  ``forcewatch.method.CoverageInputs(current=...)`` takes;
- :func:`list_officers` / :func:`officer_history`: record level, scoped (an officer sees their own
  entry, a supervisor their team's, an analyst their force's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Sequence

from sqlalchemy import Connection, select

from . import audit
from .access import Principal, allows, require
from .eligibility import PolicySet, check_deployment, check_history, policy_for
from .errors import NotFound, UsageError
from .forces import resolve
from .periods import add_months
from .register_counts import GROUPINGS, period_starts, series_points, tally, throughput
from .register_state import DeviceLog, OfficerHistory, RegisterEvent
from .register_vocab import SKILLS
from .store import Store
from .store.tables.register import register_event, register_officer

__all__ = ["GROUPINGS", "RegisterCounts", "load_histories", "device_log", "count_on", "series", "overview", "current_headcount",
           "list_officers", "officer_history", "force_code_of", "holds_register"]


def force_code_of(force: str) -> str:
    """The ONS code of a force named by name or code."""
    return resolve(force, "force").code


def _check_skill(skill: str) -> None:
    if skill not in SKILLS:
        raise UsageError(f"unknown skill {skill!r}", hint="skills: " + ", ".join(SKILLS))


def load_histories(conn: Connection, force_code: str, *, include_history: bool = False) -> dict[int, OfficerHistory]:
    """Every officer of a force with their current events (and, if asked, superseded ones too)."""
    officers = conn.execute(select(register_officer.c.id, register_officer.c.officer_pseudonym)
                            .where(register_officer.c.force_code == force_code)).all()
    events: dict[int, list[RegisterEvent]] = {o.id: [] for o in officers}
    names = list(RegisterEvent.__dataclass_fields__)
    query = select(*(register_event.c[n] for n in names)).where(register_event.c.force_code == force_code)
    if not include_history:
        query = query.where(register_event.c.state == "current")
    for row in conn.execute(query):
        event = RegisterEvent(*row)
        events[event.officer_id].append(event)
    return {o.id: OfficerHistory(o.id, force_code, o.officer_pseudonym, events[o.id]) for o in officers}


def holds_register(store: Store, force_code: str) -> bool:
    """Whether the force keeps its register in forcewatch (any officer imported); an aggregate fact, unaudited."""
    with store.read() as conn:
        return conn.execute(select(register_officer.c.id).where(register_officer.c.force_code == force_code)
                            .limit(1)).first() is not None


def device_log(histories: dict[int, OfficerHistory]) -> DeviceLog:
    """Who held each CED serial when, from every officer's device events."""
    return DeviceLog([e for h in histories.values() for e in h.of_kind("device_issued", "device_returned")])


def _read_force(store: Store, principal: Principal, force: str) -> tuple[str, dict[int, OfficerHistory], PolicySet]:
    force_code = force_code_of(force)
    require(principal, "register.read", force_code=force_code)
    with store.read() as conn:
        return force_code, load_histories(conn, force_code), policy_for(conn, force_code)


def _audit_read(store: Store, principal: Principal, force_code: str, record_type: str, count: int,
                query: dict[str, Any], subject_id: str | None = None) -> None:
    audit.record(store, audit.RecordRead(force_code=force_code, subject_id=subject_id, record_type=record_type,
                                         count=count, query=query), actor=principal)


@dataclass(frozen=True)
class RegisterCounts:
    """Counts on one date: the total (with the response share) and one row per group."""

    force_code: str
    on: date
    skill: str
    by: tuple[str, ...]
    total: dict[str, Any]
    groups: list[dict[str, Any]]
    policies: list[dict[str, str]]

    def as_dict(self) -> dict[str, Any]:
        return {"force_code": self.force_code, "force": resolve(self.force_code).name, "on": self.on,
                "skill": self.skill, "by": list(self.by), "total": self.total, "groups": self.groups,
                "policies": self.policies}

    def rows(self) -> list[dict[str, Any]]:
        """The groups and a total row, for tables and CSV."""
        return [*self.groups, {**{b: "all" for b in self.by}, **self.total}]


def count_on(store: Store, principal: Principal, force: str, on_date: date, by: Sequence[str] = ("team",),
             *, skill: str = "ced") -> RegisterCounts:
    """Officers counted on ``on_date``: trained, in date, lapsed ... by ``by`` (team, area, status, rank, role)."""
    _check_skill(skill)
    by = tuple(by)
    force_code, histories, policies = _read_force(store, principal, force)
    counted = tally(histories.values(), on_date, by, skill, policies)
    _audit_read(store, principal, force_code, "register_counts", counted["total"]["officers"],
                {"on": on_date.isoformat(), "by": list(by), "skill": skill})
    return RegisterCounts(force_code, on_date, skill, by, counted["total"], counted["groups"], policies.documents())


def _series_points(officers: list[OfficerHistory], policies: PolicySet, start: date, end: date, every: str,
                   skill: str) -> list[dict[str, Any]]:
    points = series_points(start, end, every)
    before = [s.fromordinal(s.toordinal() - 1) for s in period_starts(points, every)]
    totals = {d: tally(officers, d, (), skill, policies)["total"] for d in sorted({*points, *before})}
    flows = throughput(officers, points, every, skill, policies, [totals[d]["in_date"] for d in before])
    return [{"on": p, **totals[p], **flow} for p, flow in zip(points, flows)]


def series(store: Store, principal: Principal, force: str, start: date, end: date, *, every: str = "month",
           skill: str = "ced") -> dict[str, Any]:
    """Counts at each step from ``start`` to ``end``, with training throughput, failure and lapse rates."""
    _check_skill(skill)
    series_points(start, end, every)  # refuse a bad range before reading anything
    force_code, histories, policies = _read_force(store, principal, force)
    rows = _series_points(list(histories.values()), policies, start, end, every, skill)
    _audit_read(store, principal, force_code, "register_series", len(histories),
                {"from": start.isoformat(), "to": end.isoformat(), "every": every, "skill": skill})
    return {"force_code": force_code, "force": resolve(force_code).name, "skill": skill, "every": every,
            "from": start, "to": end, "points": rows, "policies": policies.documents()}


def overview(store: Store, principal: Principal, force: str, on_date: date, by: Sequence[str] = ("team",), *,
             months: int = 24, every: str = "quarter", skill: str = "ced") -> dict[str, Any]:
    """What the register page shows: :func:`count_on` for ``on_date`` and the series over the ``months`` before it."""
    _check_skill(skill)
    by = tuple(by)
    force_code, histories, policies = _read_force(store, principal, force)
    counted = tally(histories.values(), on_date, by, skill, policies)
    counts = RegisterCounts(force_code, on_date, skill, by, counted["total"], counted["groups"], policies.documents())
    rows = _series_points(list(histories.values()), policies, add_months(on_date, -months), on_date, every, skill)
    _audit_read(store, principal, force_code, "register_counts", counted["total"]["officers"],
                {"on": on_date.isoformat(), "by": list(by), "skill": skill, "series_months": months})
    return {"counts": counts, "series": rows}


def current_headcount(store: Store, force: str, on_date: date, *, by: str = "team",
                      principal: Principal, skill: str = "ced") -> dict[str, int]:
    """Officers in date and eligible on ``on_date``, by team or area: ``CoverageInputs(current=...)``.

    Officers whose posting does not record the team (or area) are under ``"(not recorded)"``.
    """
    if by not in ("team", "area"):
        raise UsageError(f"headcount by {by!r}", hint="by team or area")
    counts = count_on(store, principal, force, on_date, (by,), skill=skill)
    return {row[by]: int(row["eligible_in_date"]) for row in counts.groups if row["eligible_in_date"]}


def _visible(principal: Principal, history: OfficerHistory, on: date) -> bool:
    posting = history.posting_on(on)
    return allows(principal, "register.read", force_code=history.force_code, owner=history.pseudonym,
                  team=posting.team if posting else None) is not None


def list_officers(store: Store, principal: Principal, force: str, on_date: date, *,
                  skill: str = "ced") -> list[dict[str, Any]]:
    """The officers the principal may see (own, team or force), with their posting and authorisation on a date."""
    _check_skill(skill)
    force_code = force_code_of(force)
    if not allows(principal, "register.read", force_code=force_code, owner=principal.officer_pseudonym,
                  team=principal.team):
        require(principal, "register.read", force_code=force_code)
    with store.read() as conn:
        histories, policies = load_histories(conn, force_code), policy_for(conn, force_code)
    rows = []
    for h in sorted(histories.values(), key=lambda h: h.pseudonym):
        if not _visible(principal, h, on_date):
            continue
        posting = h.posting_on(on_date)
        deployment = check_deployment(h, skill, on_date, policies)
        rows.append({"officer_pseudonym": h.pseudonym, "rank": posting.rank if posting else None,
                     "role": posting.role if posting else None, "team": posting.team if posting else None,
                     "area": posting.area if posting else None, "status": posting.status if posting else None,
                     "skill": skill, "state": deployment.authorisation.state,
                     "expires_on": deployment.authorisation.expires_on, "eligible": deployment.eligible})
    _audit_read(store, principal, force_code, "register_officer", len(rows),
                {"on": on_date.isoformat(), "skill": skill})
    return rows


def officer_history(store: Store, principal: Principal, force: str, pseudonym: str, *,
                    on_date: date | None = None) -> dict[str, Any]:
    """One officer's whole history (corrected and retracted events included), state per skill, policy findings."""
    force_code = force_code_of(force)
    on = on_date or date.today()
    with store.read() as conn:
        row = conn.execute(select(register_officer.c.id).where(register_officer.c.force_code == force_code,
                                                               register_officer.c.officer_pseudonym == pseudonym)).first()
        if row is None:
            require(principal, "register.read", force_code=force_code, owner=pseudonym)
            raise NotFound(f"no officer with pseudonym {pseudonym[:12]}... in the {resolve(force_code).name} register")
        everything = load_histories(conn, force_code, include_history=True)[row.id]
        policies = policy_for(conn, force_code)
    current = OfficerHistory(row.id, force_code, pseudonym, [e for e in everything.events if e.state == "current"])
    posting = current.posting_on(on)
    require(principal, "register.read", force_code=force_code, owner=pseudonym,
            team=posting.team if posting else None)
    skills = {s: check_deployment(current, s, on, policies) for s in SKILLS}
    result = {
        "force_code": force_code, "officer_id": row.id, "officer_pseudonym": pseudonym, "on": on,
        "posting": posting.as_dict() if posting else None,
        "authorisations": {s: {**d.authorisation.as_dict(), "status": d.status, "eligible": d.eligible}
                           for s, d in skills.items() if d.authorisation.trained},
        "events": [e.as_dict() for e in everything.events],
        "findings": [f.as_dict() for f in check_history(current, policies)],
        "policies": policies.documents(),
    }
    _audit_read(store, principal, force_code, "register_officer", 1, {"on": on.isoformat()}, subject_id=str(row.id))
    return result
