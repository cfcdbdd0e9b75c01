"""Cross-checks of use-of-force reports against the register: was the officer entitled to the CED?

A report is checked when CED was used on it, when it says the officer was carrying a CED, or when
it names a CED serial. Each problem found is a :class:`Finding` with a stable shape, which the
recording-quality scorecard consumes::

    report_id, force_code, incident_date, rule, severity, explanation   (+ details: a dict)

``rule`` is a key of :data:`RULES` (never renamed; new rules get new keys); ``severity`` is
``error`` (a possible unauthorised use: investigate) or ``warning`` (a recording or register
gap). A report can have several findings (an officer out of date using someone else's device).
The rules, in the order they are tried for the officer (the first that applies is reported,
then ineligibility separately):

1. ``officer_not_identified``: the report names no officer;
2. ``officer_not_in_register``: its officer pseudonym is not in the force's register;
3. ``officer_not_serving``: no serving posting on the incident date;
4. ``ced_untrained`` / ``ced_lapsed`` / ``ced_failed`` / ``ced_withdrawn``: not in date that day;
5. ``ced_ineligible``: in date, but of a status the policy in force that day does not allow;

and for the device, when a serial is given: ``serial_unknown`` (never in the register),
``device_wrong_hands`` (issued to another officer that day), ``device_not_issued`` (in store
that day); and ``trained_answer_contradicts_register`` (the form says TrainedCED = No while the
register has the officer in date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Iterable, Mapping

from sqlalchemy import and_, or_, select

from . import audit
from .access import Principal, require
from .eligibility import PolicyFinding, PolicySet, check_deployment, check_history, policy_for
from .findings import Finding
from .forces import resolve
from .periods import financial_year, financial_year_bounds
from .register import device_log, load_histories
from .register_state import DeviceLog, OfficerHistory
from .register_vocab import serial_key
from .store import Store
from .store.tables.records import officer_report

__all__ = ["RULES", "Finding", "CheckResult", "ReportFacts", "cross_check", "check_reports"]

#: rule key -> (severity, what it means). Keys are stable: the scorecard counts by them.
RULES: Final[dict[str, tuple[str, str]]] = {
    "officer_not_identified": ("warning", "the report names no officer, so it cannot be matched to the register"),
    "officer_not_in_register": ("warning", "the report's officer is not in the force's register"),
    "officer_not_serving": ("warning", "the officer has no serving posting in the register on the incident date"),
    "ced_untrained": ("error", "CED used or carried by an officer with no Taser pass on or before that date"),
    "ced_lapsed": ("error", "CED used or carried by an officer whose Taser requalification had lapsed"),
    "ced_failed": ("error", "CED used or carried by an officer whose last Taser requalification was failed"),
    "ced_withdrawn": ("error", "CED used or carried by an officer whose Taser authorisation was withdrawn"),
    "ced_ineligible": ("error", "CED used or carried by an officer whose status was not eligible under the policy"),
    "serial_unknown": ("warning", "the report's CED serial was never issued or returned in the force's register"),
    "device_wrong_hands": ("error", "the CED with this serial was issued to another officer on the incident date"),
    "device_not_issued": ("warning", "the CED with this serial was not issued to anyone on the incident date"),
    "trained_answer_contradicts_register": ("warning", "the report says TrainedCED = No but the register has the "
                                            "officer trained and in date"),
}


@dataclass(frozen=True)
class ReportFacts:
    """What a check needs from one report."""

    report_id: int
    force_code: str
    incident_date: date
    officer_pseudonym: str | None
    ced: bool
    carrying_ced: bool | None
    trained_ced: bool | None
    ced_serial: str | None


def _short(pseudonym: str | None) -> str:
    return f"officer {pseudonym[:10]}" if pseudonym else "an unidentified officer"


def _officer_findings(r: ReportFacts, history: OfficerHistory | None, policies: PolicySet,
                      add: Any) -> None:
    did = "used" if r.ced else "carried"
    who = _short(r.officer_pseudonym)
    if not r.officer_pseudonym:
        add("officer_not_identified", f"CED {did} on {r.incident_date}, but the report names no officer")
        return
    if history is None:
        add("officer_not_in_register", f"{who} {did} a CED on {r.incident_date} and is not in the register")
        return
    if not history.serving_on(r.incident_date):
        posting = history.posting_on(r.incident_date)
        why = "had left the force" if posting else "had no posting yet"
        add("officer_not_serving", f"{who} {did} a CED on {r.incident_date} but {why} according to the register")
        return
    d = check_deployment(history, "ced", r.incident_date, policies)
    a = d.authorisation
    policy = d.document or {}
    facts = {"state": a.state, "last_pass": a.last_pass, "expires_on": a.expires_on, "status": d.status,
             "policy": policy}
    if a.state == "never_trained":
        add("ced_untrained", f"{who} {did} a CED on {r.incident_date} with no Taser pass on or before that day", facts)
    elif a.state == "lapsed":
        add("ced_lapsed", f"{who} {did} a CED on {r.incident_date}, but their Taser authorisation had lapsed: "
            f"last pass {a.last_pass}, valid to {a.expires_on}", facts)
    elif a.state == "failed":
        add("ced_failed", f"{who} {did} a CED on {r.incident_date} after failing a Taser requalification "
            f"(last pass {a.last_pass})", facts)
    elif a.state == "withdrawn":
        add("ced_withdrawn", f"{who} {did} a CED on {r.incident_date} while their Taser authorisation was withdrawn",
            facts)
    elif r.trained_ced is False:
        add("trained_answer_contradicts_register", f"the report says {who} was not Taser-trained, but the register has "
            f"them in date on {r.incident_date} (valid to {a.expires_on})", facts)
    if d.eligible is False:
        rule = d.rule
        allowed = ", ".join(sorted(rule.eligible)) if rule else "nobody"
        add("ced_ineligible", f"{who} {did} a CED on {r.incident_date} as {d.status.replace('_', ' ') if d.status else '?'}"
            f", not eligible under {policy.get('name')} {policy.get('version')} (from {rule.starts if rule else '?'}: "
            f"{allowed})", facts)


def _device_findings(r: ReportFacts, history: OfficerHistory | None, devices: DeviceLog,
                     pseudonyms: Mapping[int, str], add: Any) -> None:
    serial = serial_key(r.ced_serial)
    if serial is None:
        return
    if not devices.known(serial):
        add("serial_unknown", f"CED serial {serial} on {r.incident_date} is not in the register", {"serial": serial})
        return
    holders = devices.holders_on(serial, r.incident_date)
    if not holders:
        add("device_not_issued", f"CED serial {serial} was not issued to anyone on {r.incident_date}",
            {"serial": serial})
    elif history is not None and history.officer_id not in holders:
        others = sorted(pseudonyms.get(h, "?") for h in holders)
        add("device_wrong_hands", f"CED serial {serial} was issued to {', '.join(_short(o) for o in others)} on "
            f"{r.incident_date}, not to {_short(r.officer_pseudonym)}", {"serial": serial, "holders": others})


def cross_check(reports: Iterable[ReportFacts], histories: Mapping[int, OfficerHistory], policies: PolicySet,
                devices: DeviceLog | None = None) -> list[Finding]:
    """Every finding for every report (pure: the histories and policies are given)."""
    by_pseudonym = {h.pseudonym: h for h in histories.values()}
    pseudonyms = {h.officer_id: h.pseudonym for h in histories.values()}
    devices = devices or DeviceLog([e for h in histories.values() for e in h.of_kind("device_issued",
                                                                                     "device_returned")])
    found: list[Finding] = []
    for r in reports:
        def add(rule: str, explanation: str, details: dict[str, Any] | None = None, r: ReportFacts = r) -> None:
            found.append(Finding(r.report_id, r.force_code, r.incident_date, rule, RULES[rule][0], explanation,
                                 {"officer_pseudonym": r.officer_pseudonym, "ced_serial": r.ced_serial,
                                  **(details or {})}))

        history = by_pseudonym.get(r.officer_pseudonym) if r.officer_pseudonym else None
        if r.ced or r.carrying_ced:
            _officer_findings(r, history, policies, add)
        _device_findings(r, history, devices, pseudonyms, add)
    return found


@dataclass(frozen=True)
class CheckResult:
    """Findings for a force (and year): per report, and the register's own events against the policy."""

    force_code: str
    year: str | None
    reports_checked: int
    findings: list[Finding]
    register_findings: list[PolicyFinding]
    policies: list[dict[str, str]]

    def by_rule(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        every: list[Finding | PolicyFinding] = [*self.findings, *self.register_findings]
        for f in every:
            counts[f.rule] = counts.get(f.rule, 0) + 1
        return dict(sorted(counts.items()))

    def as_dict(self) -> dict[str, Any]:
        return {"force_code": self.force_code, "force": resolve(self.force_code).name, "year": self.year,
                "reports_checked": self.reports_checked,
                "reports_with_findings": len({f.report_id for f in self.findings}), "by_rule": self.by_rule(),
                "findings": [f.as_dict() for f in self.findings],
                "register_findings": [f.as_dict() for f in self.register_findings], "policies": self.policies}


def check_reports(store: Store, principal: Principal, force: str, *, year: str | None = None,
                  between: tuple[date, date] | None = None) -> CheckResult:
    """Cross-check a force's CED-involving reports (of one financial year, ``2018-19``, or with an
    incident date ``between`` two days, inclusive) with its register."""
    force_code = resolve(force, "force").code
    require(principal, "register.read", force_code=force_code)
    require(principal, "report.read", force_code=force_code)
    year = financial_year(year) if year else None
    bounds = financial_year_bounds(year) if year else between
    r = officer_report.c
    query = (select(r.id, r.force_code, r.incident_date, r.officer_pseudonym, r.ced, r.carrying_ced, r.trained_ced,
                    r.ced_serial)
             .where(r.force_code == force_code, or_(r.ced.is_(True), r.carrying_ced.is_(True), r.ced_serial.is_not(None)))
             .order_by(r.incident_date, r.id))
    if year:
        query = query.where(and_(r.financial_year == year))
    elif between:
        query = query.where(r.incident_date.between(*between))
    with store.read() as conn:
        reports = [ReportFacts(*row) for row in conn.execute(query)]
        histories = load_histories(conn, force_code)
        policies = policy_for(conn, force_code)
    findings = cross_check(reports, histories, policies, device_log(histories))
    register_findings = [f for h in histories.values() for f in check_history(h, policies)]
    if bounds:
        low, high = bounds
        register_findings = [f for f in register_findings if low <= f.event_date <= high]
    register_findings.sort(key=lambda f: (f.event_date, f.event_id))
    asked: dict[str, Any] = {"year": year, "reports_checked": len(reports)}
    if between and not year:
        asked["between"] = [d.isoformat() for d in between]
    audit.record(store, audit.RecordRead(force_code=force_code, record_type="register_check", count=len(findings),
                                         query=asked), actor=principal)
    return CheckResult(force_code, year, len(reports), findings, register_findings, policies.documents())
